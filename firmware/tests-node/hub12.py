# MicroPython side of tests/test_firmware_hub12.py: the boot screen and the scan data of a
# test frame (/input.json: {"width", "height", "address", "baud", "frame": hex}), as hex.
import json
from binascii import hexlify, unhexlify

from firmware import hub12
from firmware.core import Framebuffer

with open("/input.json") as f:
    job = json.load(f)
fb = Framebuffer(job["width"], job["height"])
hub12.boot_screen(fb, job["address"], job["baud"])
boot = hexlify(fb.buf).decode()
fb.load(unhexlify(job["frame"]))
scans = []
for order in hub12.scan_order(job["width"], job["height"]):
    scans.append(hexlify(hub12.scan_data(fb.buf, order, bytearray(len(order)))).decode())
with open("/output.json", "w") as f:
    json.dump({"boot": boot, "scans": scans}, f)
