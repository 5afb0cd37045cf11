"""A reconnect resends what the board lacks, once; write-only boards say "sent" only when sent.

Issue #18, finding 6: after a reconnect the native driver resent the outstanding packet
with SYNC and then the whole frame again; TPM2 ``push`` said "sent" while most of the
frame still sat in the socket buffer.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw

from drivers import open_board
from drivers.link import LinkFault
from drivers.pixels import BoardSpec
from drivers.simulator import Simulator

SPEC = BoardSpec(96, 16)


def picture(text: str, spec: BoardSpec = SPEC) -> Image.Image:
    img = Image.new("1", spec.size)
    ImageDraw.Draw(img).text((2, 2), text, fill=1)
    return img


def fail_once(port: object, name: str, when: Callable[[tuple], bool]) -> dict[str, int]:
    """Make ``port.<name>`` raise OSError once, on the first call ``when(args)`` picks."""
    real = getattr(port, name)
    seen = {"n": 0}

    def wrapper(*args: object, **kwargs: object) -> object:
        if not seen["n"] and when(args):
            seen["n"] += 1
            raise OSError(5, "Input/output error (cable pulled)")
        return real(*args, **kwargs)

    setattr(port, name, wrapper)
    return seen


def test_lost_ack_is_read_back_not_resent() -> None:
    """The board applied the update but its ACK never came: one READBACK, nothing resent."""
    with Simulator("native", SPEC, listen="tcp://127.0.0.1:0", baud=None) as sim:
        with open_board(sim.url, "native", SPEC, give_up_after=5) as board:
            board.show(picture("Lao Bảo"))
            before = sim.stats()["bytes"]
            seen = fail_once(board.link.port, "read", lambda args: True)
            board.show(picture("Lao Bảo 2"))
            assert seen["n"] == 1 and board.link.reconnects == 1
            assert board.verify()
            stats = sim.stats()
    assert stats["frames"] == 2  # the first picture and the update, each applied once
    assert stats["ops"].get("duplicate", 0) == 0  # nothing was sent twice
    assert stats["ops"].get("frame", 0) == 1  # no whole frame after the reconnect
    assert stats["ops"].get("readback", 0) == 2  # the one after the reconnect, and verify()'s
    assert stats["bytes"] - before < SPEC.frame_bytes  # the update and two read-backs, no frame


def test_lost_write_resends_the_update_once() -> None:
    """The update never left: the board still shows the old frame, so the update goes again, once."""
    with Simulator("native", SPEC, listen="tcp://127.0.0.1:0", baud=None) as sim:
        with open_board(sim.url, "native", SPEC, give_up_after=5) as board:
            board.show(picture("Mộc Bài"))
            seen = fail_once(board.link.port, "write", lambda args: True)
            board.show(picture("Mộc Bài 2"))
            assert seen["n"] == 1 and board.link.reconnects == 1
            assert board.verify()
            stats = sim.stats()
    assert stats["frames"] == 2
    assert stats["ops"].get("frame", 0) == 1  # the update, not a whole frame
    assert stats["ops"].get("duplicate", 0) == 0


def test_first_frame_lost_mid_write_is_sent_whole_once() -> None:
    """``signage push``'s case: the only frame was cut off; the board gets it whole, once."""
    with Simulator("native", SPEC, listen="tcp://127.0.0.1:0", baud=None) as sim:
        with open_board(sim.url, "native", SPEC, give_up_after=5) as board:
            board.ping()
            fail_once(board.link.port, "write", lambda args: len(args[0]) > 100)
            board.show(picture("Hữu Nghị"))
            board.flush()
            assert board.verify()
            stats = sim.stats()
    assert stats["frames"] == 1 and stats["ops"].get("frame", 0) == 1


class SlowPeer:
    """A TCP peer with a small receive buffer that reads nothing for ``wait`` seconds."""

    def __init__(self, wait: float) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.wait = wait
        self.received = 0
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        conn, _ = self.listener.accept()
        time.sleep(self.wait)
        while self.wait >= 0 and (data := conn.recv(65536)):
            self.received += len(data)
        conn.close()


def test_tpm2_flush_returns_only_when_the_peer_has_taken_the_bytes() -> None:
    spec = BoardSpec(128, 64, "rgb")  # 24,581 bytes a frame
    peer = SlowPeer(wait=0.6)
    with open_board(f"socket://127.0.0.1:{peer.port}", "tpm2", spec, baud=10_000_000) as board:
        assert board.confirms_delivery is False
        start = time.monotonic()
        board.show(Image.new("RGB", spec.size, (255, 255, 255)))
        board.flush()
        assert time.monotonic() - start >= 0.5  # it waited for the peer to read
        assert peer.received >= 24_581 - 16_384  # at most what the peer's kernel buffers hold


def test_tpm2_flush_that_cannot_drain_is_a_link_fault() -> None:
    spec = BoardSpec(128, 64, "rgb")
    peer = SlowPeer(wait=30)
    with open_board(
        f"socket://127.0.0.1:{peer.port}", "tpm2", spec, baud=10_000_000, give_up_after=0.5
    ) as board:
        board.show(Image.new("RGB", spec.size, (255, 255, 255)))
        with pytest.raises(LinkFault, match="unsent"):
            board.flush()


def test_push_says_a_tpm2_board_cannot_confirm_delivery(tmp_path) -> None:
    from signage.cli import main

    path = tmp_path / "slogan.png"
    picture("Cầu Treo").convert("RGB").save(path)
    with Simulator("tpm2", SPEC, listen="tcp://127.0.0.1:0", baud=None) as sim:
        result = CliRunner().invoke(
            main, ["push", str(path), "--port", sim.url, "--protocol", "tpm2", "--size", "96x16"]
        )
        assert result.exit_code == 0, result.output
        assert "delivery cannot be confirmed" in result.output
        assert sim.wait_frames(1, 5)


@pytest.mark.parametrize("window", [2, 3])
def test_pipelined_packets_never_outrun_a_lost_sync_packet(window: int) -> None:
    """With packets in flight, a lost first (SYNC) packet must not let the next one through first.

    A board that has applied nothing takes any sequence number: the packet behind a SYNC packet
    that failed its CRC was applied, and its ACK read as covering the lost one (seed 4 does it).
    """
    from drivers.simulator import Simulator as Sim

    spec = BoardSpec(192, 32)
    with Sim("native", spec, listen="pty", baud=115200, faults="flip=1e-3,seed=4") as sim:
        with open_board(sim.url, "native", spec, baud=115200, give_up_after=30, window=window) as board:
            for seed in range(3):
                noise = Image.effect_noise(spec.size, 90 + seed).convert("1")
                board.show(noise)
                assert spec.pack(sim.framebuffer()) == spec.pack(noise)
            assert board.verify()
