"""The Pico's display layer that can run here: HUB12 scan order, boot screen (CPython and MicroPython).

The P10 rule (firmware/hub12.py, docs/hardware.md) is checked pixel by pixel against an
independent reading of it; MicroPython must produce the same scan bytes and boot screen.
"""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

from firmware import hub12, wasm
from firmware.core import Framebuffer

ROOT = Path(__file__).resolve().parent.parent


def stream_position(x: int, y: int, width: int, height: int) -> tuple[int, int, int]:
    """(phase, byte, bit) where the LED at (x, y) travels, read from the documented rule."""
    modules = [(mx, my) for my in range(0, height, 16) for mx in range(0, width, 32)]  # rows, left to right
    m = modules.index((x // 32 * 32, y // 16 * 16))
    row = y % 16
    phase = row % 4
    sent_before = len(modules) - 1 - m  # the farthest module goes first
    byte = sent_before * 16 + (x % 32) // 8 * 4 + (12, 8, 4, 0).index(row - phase)
    return phase, byte, 7 - x % 8


def test_every_framebuffer_byte_is_shifted_once_a_frame() -> None:
    phases = hub12.scan_order(192, 32)
    assert [len(p) for p in phases] == [192] * 4  # 12 modules x 128 bits a phase
    assert sorted(i for p in phases for i in p) == list(range(768))


@pytest.mark.parametrize("x, y", [(0, 0), (7, 0), (8, 5), (31, 15), (32, 0), (100, 13), (191, 31), (37, 18)])
def test_a_single_led_lands_where_the_rule_says(x: int, y: int) -> None:
    fb = Framebuffer(192, 32)
    fb.paste(x, y, 1, 1, b"\x80")
    phase, byte, bit = stream_position(x, y, 192, 32)
    for p, order in enumerate(hub12.scan_order(192, 32)):
        data = hub12.scan_data(fb.buf, order, bytearray(len(order)))
        dark = [(i, b) for i, b in enumerate(data) if b != 0xFF]
        assert dark == ([(byte, 0xFF ^ (1 << bit))] if p == phase else [])  # active low: 0 is lit


def test_boot_screen_and_scan_data_equal_in_micropython() -> None:
    if wasm.missing():
        pytest.skip(wasm.missing())
    frame = random.Random(12).randbytes(768)
    job = {"width": 192, "height": 32, "address": 17, "baud": 9600, "frame": frame.hex()}
    got = wasm.run("hub12.py", job)
    fb = Framebuffer(192, 32)
    hub12.boot_screen(fb, 17, 9600)
    assert got["boot"] == fb.buf.hex()
    lit = {(x, y) for y in range(32) for x in range(192) if fb.buf[y * 24 + x // 8] >> (7 - x % 8) & 1}
    assert lit and {y for _, y in lit} <= set(range(1, 6)) | set(range(8, 13))  # two lines of 3x5 text
    fb.load(frame)
    want = [hub12.scan_data(fb.buf, o, bytearray(len(o))).hex() for o in hub12.scan_order(192, 32)]
    assert got["scans"] == want


def test_pico_main_is_micropython_we_can_read() -> None:
    tree = ast.parse((ROOT / "firmware" / "pico" / "main.py").read_text())
    names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    assert {"main", "Panel", "Line", "remap", "shift_out"} <= names
    with pytest.raises(ValueError, match="32x16"):
        hub12.scan_order(100, 32)
    with pytest.raises(ValueError, match="once"):
        hub12.scan_order(64, 16, [[0, 0], [0, 0]])
    mirrored = hub12.scan_order(64, 16, [[32, 0], [0, 0]])  # fed from the right-hand end
    assert mirrored[0][:16] == hub12.scan_order(64, 16)[0][16:]
