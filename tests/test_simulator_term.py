"""The terminal view in colour: bicolour and RGB boards drawn with ANSI 24-bit half blocks."""

from __future__ import annotations

import random
import re
import time
import urllib.request

import pytest
from PIL import Image

from drivers import open_board
from drivers.pixels import BoardSpec
from drivers.sim_http import terminal_view
from drivers.simulator import Simulator

CELL = re.compile(r"(?:\x1b\[38;2;(\d+);(\d+);(\d+)m)?(?:\x1b\[48;2;(\d+);(\d+);(\d+)m)?▀")


def decode_ansi(text: str, width: int, height: int) -> Image.Image:
    """Read the LEDs back out of the colour view (what a terminal would paint)."""
    img = Image.new("RGB", (width, height))
    lines = text.split("\n")
    assert len(lines) == (height + 1) // 2
    for row, line in enumerate(lines):
        assert line.endswith("\x1b[0m")  # the terminal's colours are reset after every line
        fg = bg = None
        cells = CELL.findall(line)
        assert len(cells) == width
        for x, cell in enumerate(cells):
            if cell[0]:
                fg = tuple(map(int, cell[:3]))
            if cell[3]:
                bg = tuple(map(int, cell[3:]))
            img.putpixel((x, 2 * row), fg)
            if 2 * row + 1 < height:
                img.putpixel((x, 2 * row + 1), bg)
    return img


def random_frame(spec: BoardSpec, seed: int) -> Image.Image:
    return spec.unpack(random.Random(seed).randbytes(spec.frame_bytes))


@pytest.mark.parametrize(
    "spec", [BoardSpec(24, 9, "bicolor"), BoardSpec(16, 8, "rgb")], ids=lambda s: s.color
)
def test_colour_view_over_a_real_link_reads_back_exactly(spec: BoardSpec) -> None:
    frame = random_frame(spec, 3)
    with Simulator("native", spec, listen="pty", baud=None, http="127.0.0.1:0") as sim:
        with open_board(sim.url, "native", spec) as board:
            board.show(frame)
        text = urllib.request.urlopen(sim.view_url + "frame.txt", timeout=5).read().decode()
        plain = urllib.request.urlopen(sim.view_url + "frame.txt?color=0", timeout=5).read().decode()
    assert decode_ansi(text, *spec.size).tobytes() == frame.convert("RGB").tobytes()
    assert "\x1b" not in plain and len(plain.split("\n")) == (spec.height + 1) // 2


def test_mono_stays_plain_and_colour_codes_only_change_when_needed() -> None:
    mono = Image.new("1", (16, 8), 1)
    assert terminal_view(mono) == "\n".join(["█" * 16] * 4)
    red = Image.new("RGB", (16, 8), (255, 0, 0))
    line = terminal_view(red).split("\n")[0]
    assert line == "\x1b[38;2;255;0;0m\x1b[48;2;255;0;0m" + "▀" * 16 + "\x1b[0m"


def test_sim_term_draws_in_colour(capsys: pytest.CaptureFixture[str]) -> None:
    spec = BoardSpec(16, 8, "bicolor")
    frame = random_frame(spec, 5)
    with Simulator("tpm2", spec, listen="pty", baud=None, term=True) as sim:
        with open_board(sim.url, "tpm2", spec) as board:
            board.show(frame)
            assert sim.wait_frames(1, 5)
        time.sleep(0.05)
    err = capsys.readouterr().err
    screen = err.rsplit("\x1b[H\x1b[2J", 1)[1].rstrip("\n")
    assert decode_ansi(screen, *spec.size).tobytes() == frame.convert("RGB").tobytes()
