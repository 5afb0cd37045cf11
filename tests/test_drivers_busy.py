"""A port another controller holds exclusively: named clearly, retried with backoff, each try logged."""

from __future__ import annotations

import logging
import threading

import pytest
import serial
from PIL import Image

from drivers import LinkError, open_board
from drivers.pixels import BoardSpec
from drivers.simulator import Simulator

SPEC = BoardSpec(32, 16)


def frame() -> Image.Image:
    img = Image.new("1", SPEC.size)
    img.paste(1, (3, 3, 20, 9))
    return img


@pytest.mark.parametrize("protocol", ["native", "tpm2"])
def test_busy_port_is_named_retried_and_logged(protocol: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="drivers.link")
    with Simulator(protocol, SPEC, listen="pty", baud=None) as sim:
        other = serial.Serial(sim.url, exclusive=True)  # the other controller
        try:
            board = open_board(sim.url, protocol, SPEC, give_up_after=0.6, backoff=0.02, backoff_max=0.1)
            with pytest.raises(LinkError, match="busy") as info:
                board.show(frame())
            assert sim.url in str(info.value) and "tries" in str(info.value)
            tries = [r.getMessage() for r in caplog.records if "open try" in r.getMessage()]
            assert len(tries) >= 3, tries
            assert all("busy" in t and sim.url in t for t in tries)
            assert [int(t.split()[2]) for t in tries] == list(range(1, len(tries) + 1))  # one line a try
            caplog.clear()
            # The other controller lets go while we retry: we get the port and the frame through.
            threading.Timer(0.3, other.close).start()
            board.give_up_after = 5
            board.show(frame())
            if protocol == "tpm2":
                assert sim.wait_frames(1, 5)
            board.close()
        finally:
            other.close()
        waited = [r.getMessage() for r in caplog.records if "next try in" in r.getMessage()]
        assert len(waited) >= 2, waited
        assert any("open (try" in r.getMessage() for r in caplog.records)
        assert sim.wait_frames(1, 5)
        assert SPEC.pack(sim.framebuffer()) == SPEC.pack(frame())


def test_second_controller_on_the_same_port_is_told_it_is_busy() -> None:
    with Simulator("native", SPEC, listen="pty", baud=None) as sim:
        first = open_board(sim.url, "native", SPEC)
        first.show(frame())
        second = open_board(sim.url, "native", SPEC, give_up_after=0.3, backoff=0.02, backoff_max=0.05)
        with pytest.raises(LinkError, match=f"port {sim.url} is busy"):
            second.show(frame())
        assert second.link.open_failures >= 2
        first.close()  # the first controller stops: the second gets the board
        second.give_up_after = 3
        second.show(Image.new("1", SPEC.size, 1))
        assert second.verify() and second.link.last_open_error is None
        second.close()
