"""Board sizes match real hardware: 7-row flip-dot signs play, limits are named once (issue #18, 5)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw
from pyflipdot.data import ImagePacket

from drivers import flipdot, open_board, pixels
from drivers.pixels import BoardSpec, GeometryError
from drivers.simulator import Simulator
from signage import rules
from signage.render import render_item

#: Hanover signs pyflipdot drives (its README's 86x7, the 84x7 of the issue), the smallest
#: flip-dot module, and the usual two-line signs.
HANOVER = [(84, 7), (86, 7), (96, 7), (112, 7), (7, 7), (28, 7), (28, 14), (96, 16), (144, 19), (128, 20)]


@pytest.mark.parametrize("width, height", HANOVER)
def test_hanover_sizes_encode_as_pyflipdot_and_play_pixel_exact(width: int, height: int) -> None:
    spec = BoardSpec(width, height)
    img = Image.new("1", spec.size)
    ImageDraw.Draw(img).rectangle((1, 1, width - 2, height - 2), outline=1)
    img.putpixel((width - 1, height - 1), 1)
    assert flipdot.encode(img, spec, 3) == ImagePacket(3, np.array(img, dtype=bool)).get_bytes()
    with Simulator("flipdot", spec, listen="pty", baud=None, address=3) as sim:
        with open_board(sim.url, "flipdot", spec, baud=4800, address=3) as board:
            board.show(img)
            board.flush()
            assert sim.wait_frames(1, 5)
        assert spec.pack(sim.framebuffer()) == spec.pack(img)


def test_a_7_row_sign_is_accepted_by_the_admin_rules_and_renders() -> None:
    spec = rules.board_geometry(84, 7, "mono")
    frames = list(render_item({"text": "CHÀO MỪNG", "effect": "scroll-left", "speed": 32}, spec))
    assert frames and all(f.image.size == (84, 7) for f in frames)


TOO_SMALL_OR_BIG = [(6, 7), (84, 6), (pixels.MAX_WIDTH + 1, 16), (64, pixels.MAX_HEIGHT + 1)]


@pytest.mark.parametrize("width, height", TOO_SMALL_OR_BIG)
def test_sizes_outside_the_named_limits_are_refused_with_them(width: int, height: int) -> None:
    with pytest.raises(GeometryError, match=rf"{pixels.MIN_SIDE}\.\.(1024|512) px"):
        BoardSpec(width, height)
    with pytest.raises(rules.InvalidInput):
        rules.board_geometry(width, height, "mono")
