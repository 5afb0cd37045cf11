"""Board-side scroll (SCROLL): the board steps a strip on its own clock, showing the renderer's frames.

The renderer's own scroll effect (``signage.render.effects.scroll``) gives the frames the
board must show, step for step, for every direction and colour model; over a real pty at
9600 baud the simulator (the firmware core) records each step, and the driver falls back
to SHIFT steps when the board cannot take the strip.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from drivers import open_board
from drivers.board_scroll import BoardScroll, Capabilities, scroll_payload
from drivers.native import decode_packet
from drivers.pixels import BoardSpec
from drivers.simulator import Simulator
from firmware.core import SCROLL, SYNC, Receiver, packet
from signage.render.effects import Painter, scroll, step_px


def painted_strip(spec: BoardSpec, direction: str, length: int, seed: int = 5) -> tuple[Painter, Image.Image]:
    """A random mask padded by one board on each side, as the renderer lays a marquee out, and its painter."""
    rng = random.Random(seed)
    horizontal = direction != "up"
    size = (length + 2 * spec.width, spec.height) if horizontal else (spec.width, length + 2 * spec.height)
    mask = Image.new("1", size)
    core = Image.frombytes(
        "1",
        (length, spec.height) if horizontal else (spec.width, length),
        rng.randbytes(
            ((length if horizontal else spec.width) + 7) // 8 * (spec.height if horizontal else length)
        ),
    )
    mask.paste(core, (spec.width, 0) if horizontal else (0, spec.height))
    painter = Painter(spec, (255, 40, 0), (0, 0, 90))
    return painter, mask


@pytest.mark.parametrize("color", ["mono", "bicolor", "rgb", "rgb565"])
@pytest.mark.parametrize("direction", ["left", "right", "up"])
def test_every_step_is_the_renderers_frame(color: str, direction: str) -> None:
    spec = BoardSpec(24, 10, color)
    speed, passes = 120, 2  # 120 px/s: 3 px a step at the renderer's 50 steps/s
    painter, mask = painted_strip(spec, direction, 29)
    frames = [f.image for f in scroll(painter, mask, direction, speed, passes)]
    strip = painter.paint(mask)
    now = [1000]
    rx = Receiver(spec.width, spec.height, color, 1, clock=lambda: now[0])
    payload = scroll_payload(strip, spec, direction, step_px(speed), speed, passes)
    (ack,) = rx.feed(packet(1, 9, SCROLL | SYNC, payload))
    assert ack[3] == 0x06
    shown = []
    for _ in range(20000):
        rx.tick()
        if not shown or rx.scroll.shown != len(shown) - 1:
            shown.append(bytes(rx.fb.buf))
        if rx.scroll.done:
            break
        now[0] += 1
    assert shown == [spec.pack(f) for f in frames]  # every step, bit for bit, and no other
    assert rx.step() == len(frames) - 1


def test_scroll_refusals() -> None:
    rx = Receiver(16, 8, "mono", 1)
    head = bytes((0, 1)) + (20).to_bytes(2, "big") + (1).to_bytes(2, "big")

    def answer(payload: bytes, seq: int) -> bytes:
        (a,) = rx.feed(packet(1, seq, SCROLL | SYNC, payload))
        return a[3:5]

    assert answer(head, 1) == b"\x15\x03"  # no length, no pixels
    assert answer(head + (16).to_bytes(2, "big") + b"\x00" + bytes(16), 2) == b"\x15\x04"  # board-long
    assert answer(bytes((3, 1)) + head[2:] + (40).to_bytes(2, "big") + b"\x00" + bytes(40), 3) == b"\x15\x04"
    assert answer(head + (40).to_bytes(2, "big") + b"\x00" + bytes(39), 4) == b"\x15\x03"  # 40x8: 40 bytes
    assert answer(head + (60000).to_bytes(2, "big") + b"\x01\x81\x00", 5) == b"\x15\x03"  # more than it holds
    assert rx.scroll is None and rx.frames == 0


def test_ping_lists_scroll_and_readback_tells_the_step() -> None:
    now = [0]
    rx = Receiver(16, 8, "mono", 1, clock=lambda: now[0])
    (ping,) = rx.feed(packet(1, 1, 0x81))
    caps = Capabilities.parse(decode_packet(ping[:-1])[3])
    assert caps.version == 2 and SCROLL in caps.commands and caps.strip_max == 32768 and caps.step is None
    strip = Image.new("1", (40, 8), 1)
    payload = scroll_payload(strip, BoardSpec(16, 8), "left", 1, 10, 1)
    rx.feed(packet(1, 2, SCROLL, payload))
    now[0] = 1050  # 10 px/s, 1 px a step: step 10
    (rb,) = rx.feed(packet(1, 3, 0x04))
    body = decode_packet(rb[:-1])[3]
    assert int.from_bytes(body[4:8], "big") == 10 and body[:4] == rx.fb_crc().to_bytes(4, "big")
    rx.feed(packet(1, 4, 0x02))  # CLEAR replaces the scroll: READBACK is the CRC alone again
    (rb,) = rx.feed(packet(1, 5, 0x04))
    assert len(decode_packet(rb[:-1])[3]) == 4


def marquee(spec: BoardSpec) -> Image.Image:
    strip = Image.new("1", (2 * spec.width + 70, spec.height))
    ImageDraw.Draw(strip).text((spec.width + 2, 3), "Cửa khẩu", fill=1)
    return strip


@pytest.mark.parametrize("chunk", [8192, 24])
def test_scroll_over_a_9600_baud_pty_is_recorded_step_by_step(chunk: int, tmp_path: Path) -> None:
    spec = BoardSpec(48, 16)
    strip = marquee(spec)
    speed = 50  # one px a step, the renderer's 50 steps a second
    with (
        Simulator("native", spec, listen="pty", baud=9600, record=tmp_path) as sim,
        open_board(sim.url, "native", spec, baud=9600) as board,
    ):
        board.chunk = chunk  # 24: a noisy line's packets, too small for the strip: SHIFT steps instead
        play = BoardScroll(board, strip, "left", speed, 1)
        t0 = time.monotonic()
        how = play.play()
        took = time.monotonic() - t0
        assert how == ("board" if chunk > 1000 else "shift")
        assert board.verify()  # the host's mirror is the board's last frame
        assert sim.stats()["scroll_step"] == (play.last_step if how == "board" else None)
        time.sleep(0.1)
    want = [spec.pack(play.frame(n)) for n in range(play.last_step + 1)]
    entries = [json.loads(line) for line in (tmp_path / "frames.jsonl").read_text().splitlines()]
    got = []
    for e in entries:
        with Image.open(tmp_path / e["file"]) as img:
            got.append(spec.pack(img))
    if how == "board":
        assert got == want  # every step recorded, each the renderer's frame
        steps_per_s = (len(entries) - 1) / (entries[-1]["t"] - entries[0]["t"])
        assert steps_per_s > 40, steps_per_s
        assert took < (play.last_step / speed) + 2
    else:
        assert got[-1] == want[-1] and set(got) <= set(want)  # SHIFT steps: the same frames, wire-paced
