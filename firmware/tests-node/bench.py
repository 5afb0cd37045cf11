# MicroPython side of benchmarks/bench_firmware.py: time the core on prepared packets.
#
# /input.json: {"width", "height", "color", "runs": {name: [[hex packet, ...] a step, ...]}};
# each run starts from a fresh receiver, is fed its first step untimed (setting the board
# up), then every other step, timed as a whole (the WebAssembly port's clock ticks in
# milliseconds, so single packets cannot be timed). /output.json: per run the total
# microseconds, the steps timed, and the framebuffer afterwards (hex) for comparison.
import json
import time
from binascii import hexlify, unhexlify

from firmware.core import Receiver

with open("/input.json") as f:
    job = json.load(f)
out = {}
for name, steps in job["runs"].items():
    rx = Receiver(job["width"], job["height"], job["color"], 1)
    steps = [[unhexlify(p) for p in step] for step in steps]
    for p in steps[0]:
        rx.feed(p)
    t0 = time.ticks_us()
    for step in steps[1:]:
        for p in step:
            rx.feed(p)
    total = time.ticks_diff(time.ticks_us(), t0)
    out[name] = {
        "total_us": total,
        "steps": len(steps) - 1,
        "fb": hexlify(rx.fb.buf).decode(),
        "frames": rx.frames,
        "errors": rx.errors,
    }
with open("/output.json", "w") as f:
    json.dump(out, f)
