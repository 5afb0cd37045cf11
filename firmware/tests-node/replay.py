# MicroPython side of tests/test_firmware_micropython.py: replay packet cases through the core.
#
# /input.json: {"cases": [{"width", "height", "color", "address", "chunks": [hex, ...]}]}
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
for case in cases:
    rx = Receiver(case["width"], case["height"], case["color"], case["address"])
    answers = []
    for chunk in case["chunks"]:
        if chunk == "idle":
            rx.idle()
            answers.append([])
        else:
            answers.append([hx(a) for a in rx.feed(unhexlify(chunk))])
    results.append({"answers": answers, "fb": hx(rx.fb.buf), "status": hx(rx.status()),
                    "frames": rx.frames, "errors": rx.errors, "ops": rx.ops, "expected": rx.expected})
with open("/output.json", "w") as f:
    json.dump({"results": results}, f)
