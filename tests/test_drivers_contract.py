"""The contract other layers code against: open_board, check_port_url, Board, and errors."""

from __future__ import annotations

import time

import pytest
from PIL import Image, ImageDraw

from drivers import PROTOCOLS, Board, LinkError, PortError, check_port_url, open_board
from drivers.pixels import BoardSpec
from drivers.simulator import Simulator

SPEC = BoardSpec(192, 32)


def slogan(text: str = "Chào mừng Đại hội", spec: BoardSpec = SPEC) -> Image.Image:
    img = Image.new("RGB", spec.size)
    ImageDraw.Draw(img).text((2, 2), text, fill=(255, 255, 255))
    return img


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("listen", ["pty", "tcp://127.0.0.1:0"])
def test_show_reaches_the_simulator(protocol: str, listen: str) -> None:
    with Simulator(protocol, SPEC, listen=listen, baud=None) as sim:
        with open_board(sim.url, protocol, SPEC) as board:
            assert isinstance(board, Board)
            board.show(slogan())
            assert board.ping()
            assert sim.wait_frames(1, 5)
            time.sleep(0.05)
            assert SPEC.pack(sim.framebuffer()) == SPEC.pack(slogan())
            assert board.stats["frames"] == 1


@pytest.mark.parametrize(
    "url, words",
    [
        ("", "empty"),
        ("ftp://x", "unknown scheme"),
        ("socket://localhost", "HOST:PORT"),
        ("socket://localhost:99999", "outside"),
        ("/dev/ttyDOES_NOT_EXIST", "/dev/ttyDOES_NOT_EXIST"),
        ("ttyUSB0", "not a device path"),
    ],
)
def test_check_port_url_names_the_problem(url: str, words: str) -> None:
    with pytest.raises(PortError, match=words):
        check_port_url(url)
    with pytest.raises(ValueError):
        check_port_url(url)


def test_check_port_url_accepts_good_urls(tmp_path) -> None:
    dev = tmp_path / "ttyFAKE"
    dev.touch()
    for url in ("socket://127.0.0.1:7000", "rfc2217://board.local:2217", "loop://", str(dev)):
        check_port_url(url)


def test_an_absent_board_gives_link_error_after_give_up() -> None:
    board = open_board("socket://127.0.0.1:1", "native", SPEC, give_up_after=0.5)
    start = time.monotonic()
    with pytest.raises(LinkError, match="127.0.0.1:1"):
        board.show(slogan())
    assert time.monotonic() - start < 2


def test_unknown_protocol_is_refused() -> None:
    with pytest.raises(ValueError, match="protocol"):
        open_board("loop://", "dmx", SPEC)
