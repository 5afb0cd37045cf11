# MicroPython side of tests/test_firmware_micropython.py: replay packet cases through the core.
#
# /input.json: {"cases": [{"width", "height", "color", "address", "chunks": [hex, ...]}]}; a
# chunk "idle" is the line going quiet, "t+N" the board's clock moving on N ms (it starts
# at 0 and moves only so), after which the board steps a SCROLL as its firmware loop does.
# /output.json: per case the answers to each chunk (hex), the framebuffer (hex), the PING
# status, frames applied and the error and op counters, for comparison with CPython's.
import json
from binascii import hexlify, unhexlify

from firmware.core import Receiver


def hx(data):
    return hexlify(data).decode()


with open("/input.json") as f:
    cases = json.load(f)["cases"]
results = []
now = [0]


def clock():
    return now[0]


for case in cases:
    now[0] = 0
    rx = Receiver(case["width"], case["height"], case["color"], case["address"], clock=clock)
    answers = []
    for chunk in case["chunks"]:
        if chunk == "idle":
            rx.idle()
            answers.append([])
        elif chunk.startswith("t+"):
            now[0] += int(chunk[2:])
            answers.append([rx.tick()])
        else:
            answers.append([hx(a) for a in rx.feed(unhexlify(chunk))])
    results.append(
        {
            "answers": answers,
            "fb": hx(rx.fb.buf),
            "status": hx(rx.status()),
            "frames": rx.frames,
            "errors": rx.errors,
            "ops": rx.ops,
            "expected": rx.expected,
            "step": rx.step(),
        }
    )
with open("/output.json", "w") as f:
    json.dump({"results": results}, f)
