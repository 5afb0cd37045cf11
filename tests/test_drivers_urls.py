"""Every pyserial URL the README names reaches a board, or fails as one link fault (issue #18, 1).

rfc2217:// goes through a local RFC 2217 server built from pyserial's own ``PortManager``
in front of the simulator's pty; loop://, spy://, hwgrep://, device paths and ``pty:``
are opened as a technician would type them.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import serial
import serial.rfc2217
from PIL import Image, ImageDraw

from drivers import LinkError, PortError, check_port_url, open_board
from drivers.link import Link, LinkFault
from drivers.pixels import BoardSpec
from drivers.simulator import Simulator

SPEC = BoardSpec(96, 16)


def picture(spec: BoardSpec = SPEC, text: str = "Cửa khẩu") -> Image.Image:
    img = Image.new("RGB", spec.size)
    ImageDraw.Draw(img).text((2, 2), text, fill=(255, 200, 40))
    return img


class PtyPort(serial.Serial):
    """A pty as the server's serial port: it has no modem lines, so they read as off."""

    cts = dsr = ri = cd = False  # type: ignore[assignment]

    def _update_dtr_state(self) -> None:
        pass

    def _update_rts_state(self) -> None:
        pass

    def _update_break_state(self) -> None:
        pass


class Rfc2217Server:
    """pyserial's RFC 2217 port manager on a TCP port, bridged to a serial device (one client)."""

    def __init__(self, device: str) -> None:
        self.serial = PtyPort(device, timeout=0.05)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.alive = True
        self.conn: socket.socket | None = None
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.listener.settimeout(0.1)
        while self.alive:
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.conn = conn
            manager = serial.rfc2217.PortManager(self.serial, self)
            threading.Thread(target=self._to_client, args=(conn, manager), daemon=True).start()
            while self.alive:
                try:
                    data = conn.recv(4096)
                except OSError:
                    break
                if not data:
                    break
                self.serial.write(b"".join(manager.filter(data)))
            conn.close()

    def _to_client(self, conn: socket.socket, manager: serial.rfc2217.PortManager) -> None:
        while self.alive:
            data = self.serial.read(self.serial.in_waiting or 1)
            if data:
                try:
                    conn.sendall(b"".join(manager.escape(data)))
                except OSError:
                    return

    def write(self, data: bytes) -> None:
        """What PortManager calls to answer the client's option negotiation."""
        if self.conn is not None:
            self.conn.sendall(data)

    def close(self) -> None:
        self.alive = False
        self.listener.close()
        if self.conn is not None:
            self.conn.close()
        self.serial.close()


@pytest.fixture()
def rfc2217_sim() -> Iterator[tuple[Simulator, str]]:
    with Simulator("native", SPEC, listen="pty", baud=None) as sim:
        server = Rfc2217Server(sim.url)
        try:
            yield sim, f"rfc2217://127.0.0.1:{server.port}"
        finally:
            server.close()


def shows(sim: Simulator, image: Image.Image, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if SPEC.pack(sim.framebuffer()) == SPEC.pack(image):
            return True
        time.sleep(0.02)
    return False


def test_rfc2217_board_is_shown_and_read_back(rfc2217_sim: tuple[Simulator, str]) -> None:
    sim, url = rfc2217_sim
    with open_board(url, "native", SPEC, give_up_after=5) as board:
        board.show(picture())
        assert shows(sim, picture())
        assert board.verify()  # the read-back answer came back through the RFC 2217 server


def test_loop_takes_a_tpm2_frame_larger_than_its_queue() -> None:
    spec = BoardSpec(128, 64, "rgb")  # one TPM2 frame is 24,581 bytes; loop:// holds 4,096
    with open_board("loop://", "tpm2", spec, baud=10_000_000, give_up_after=3) as board:
        start = time.monotonic()
        board.show(picture(spec))
        board.flush()
        assert time.monotonic() - start < 2
        assert board.stats["errors"] == 0


def test_loop_echoes_a_frame_that_fits_byte_for_byte() -> None:
    from drivers import tpm2

    spec = BoardSpec(32, 16, "rgb")  # 1,541 bytes
    link = Link("loop://", 10_000_000)
    board = tpm2.Tpm2Board(link, spec)
    board.show(picture(spec))
    assert link.read(4096, 0.5) == tpm2.encode(picture(spec), spec)
    board.close()


def test_a_native_board_on_loop_is_a_link_fault_not_a_queue_error() -> None:
    with open_board("loop://", "native", SPEC, give_up_after=1) as board:
        with pytest.raises(LinkFault, match="no answer"):
            board.show(picture())
            board.flush()  # with a window of 2, show may return before the answer is due


def test_spy_url_reaches_the_board_and_logs_the_bytes(tmp_path) -> None:
    log = tmp_path / "spy.txt"
    with Simulator("tpm2", SPEC, listen="pty", baud=None) as sim:
        with open_board(f"spy://{sim.url}?file={log}", "tpm2", SPEC) as board:
            board.show(picture())
            board.flush()
            assert shows(sim, picture())
    assert "TX" in log.read_text() or log.stat().st_size > 0


def test_pty_link_name_is_the_device(tmp_path) -> None:
    link = tmp_path / "board"
    with Simulator("native", SPEC, listen=f"pty:{link}", baud=None) as sim:
        with open_board(f"pty:{link}", "native", SPEC) as board:
            board.show(picture())
            assert shows(sim, picture())


def test_bare_pty_is_refused_up_front() -> None:
    with pytest.raises(PortError, match="listening on"):
        check_port_url("pty")


def test_hwgrep_without_a_match_is_a_link_fault_that_says_so() -> None:
    board = open_board("hwgrep://no-such-adapter-xyz", "tpm2", SPEC, give_up_after=0.3)
    with pytest.raises(LinkFault, match="no ports found matching"):
        board.show(picture())


def test_any_transport_exception_is_a_link_fault_and_the_board_recovers() -> None:
    """An exception no transport is documented to raise still reads as an unplug: reopen, resend."""
    with Simulator("native", SPEC, listen="pty", baud=None) as sim:
        with open_board(sim.url, "native", SPEC, give_up_after=3) as board:
            board.show(picture(text="A"))
            real = board.link.port
            boom = {"n": 0}

            def write(data: bytes) -> int:
                boom["n"] += 1
                raise RuntimeError("the adapter's driver had a bad day")

            real.write = write  # type: ignore[method-assign]
            board.show(picture(text="B"))  # the port is closed, reopened and the frame sent again
            assert boom["n"] == 1 and board.link.reconnects == 1
            assert shows(sim, picture(text="B"))


def test_a_transport_that_keeps_failing_ends_in_one_link_fault(tmp_path) -> None:
    board = open_board("loop://", "tpm2", SPEC, give_up_after=0.3)

    def refuse() -> None:
        raise NotImplementedError("write_timeout")  # what rfc2217 raises when given a write_timeout

    board.link._open_once = refuse
    with pytest.raises(LinkFault, match="write_timeout") as info:
        board.show(picture())
    assert isinstance(info.value, LinkError)
    assert isinstance(info.value.__cause__, NotImplementedError)
