"""Several native boards on one line (drivers/bus.py): one port, one writer, whole exchanges.

Two boards, addresses 1 and 2, on one simulated RS-485 line, driven at once from two
threads as the line's worker does: each shows exactly its own frames, never the other's;
an answer for the other address is never taken for ours; a line that drops (the simulator
killed and started again) comes back for both boards.
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from types import SimpleNamespace

import pytest
from PIL import Image, ImageDraw

from drivers import native
from drivers.base import PortError
from drivers.bus import Buses
from drivers.pixels import BoardSpec
from drivers.simulator import Simulator
from tests.processes import Simulator as SimProcess
from tests.processes import same_pixels, wait_until

SPEC = BoardSpec(192, 32)


def text_frame(text: str, x: int = 2) -> Image.Image:
    img = Image.new("1", SPEC.size)
    ImageDraw.Draw(img).text((x, 2), text, fill=1)
    return img


def strip(text: str) -> Image.Image:
    img = Image.new("1", (SPEC.width * 2, SPEC.height))
    ImageDraw.Draw(img).text((100, 10), text, fill=1)  # in every window: no frame is blank
    return img


def frames_of(name: str, x: int) -> list[tuple[Image.Image, object]]:
    """A board's run: stills, then a 1 px scroll with the renderer's hint, then a still."""
    out: list[tuple[Image.Image, object]] = [(text_frame(f"{name} {n}", x), None) for n in range(4)]
    wide = strip(f"{name} scrolls by")
    hint = SimpleNamespace(direction="left", shift=1)
    out += [(wide.crop((i, 0, i + SPEC.width, SPEC.height)), hint if i else None) for i in range(0, 60)]
    out.append((text_frame(f"{name} done", x), None))
    return out


def sha(image: Image.Image) -> str:
    return hashlib.sha256(SPEC.pack(image)).hexdigest()


def test_two_boards_at_once_each_show_only_their_own_frames() -> None:
    runs = {1: frames_of("one", 2), 2: frames_of("two", 60)}
    seen: dict[int, list[str]] = {1: [], 2: []}
    with Simulator("native", SPEC, listen="pty", baud=57600, address=[1, 2]) as sim:
        for address, rx in sim.rx.boards.items():
            before = rx.on_frame

            def hook(rx=rx, address=address, before=before) -> None:  # noqa: ANN001
                seen[address].append(hashlib.sha256(bytes(rx.core.fb.buf)).hexdigest())
                if before is not None:
                    before()

            rx.on_frame = hook
        buses = Buses()
        boards = {a: buses.open_board(sim.url, "native", SPEC, baud=57600, address=a) for a in (1, 2)}
        bus = buses.bus(sim.url)
        assert bus is not None and bus.boards.keys() == {1, 2}
        assert boards[1].link is boards[2].link  # one port, one writer
        errors: list[BaseException] = []

        def play(address: int) -> None:
            try:
                for image, op in runs[address]:
                    boards[address].show(image, op)  # type: ignore[arg-type]
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=play, args=(a,)) for a in (1, 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        assert bus.turn.taken >= sum(len(r) for r in runs.values())  # every call took its turn
        for address, other in ((1, 2), (2, 1)):
            last = runs[address][-1][0]
            assert SPEC.pack(sim.framebuffer(address)) == SPEC.pack(last)  # bit-exact
            assert boards[address].verify()  # and the board itself says so (READBACK)
            own = {sha(native.normalise(image, SPEC)) for image, _ in runs[address]}
            theirs = {sha(native.normalise(image, SPEC)) for image, _ in runs[other]}
            assert seen[address], f"board {address} applied nothing"
            assert not set(seen[address]) & theirs, f"board {address} showed a frame of board {other}"
            assert set(seen[address]) & own
            board_stats = sim.stats()["boards"][str(address)]
            assert not board_stats["errors"].get("crc"), board_stats
            assert board_stats["ops"].get("shift", 0) >= 30  # the scroll went as SHIFT steps
        for board in boards.values():
            board.close()
        assert not bus.link.is_open  # the last board out closed the port


def test_an_answer_for_the_other_address_is_never_taken_as_ours() -> None:
    """A line where, before each real answer, a NACK for address 2 arrives with our sequence
    number: taken as ours it would refuse every command of board 1."""
    rx = native.NativeReceiver(SPEC, 1)
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def board() -> None:
        conn, _ = server.accept()
        conn.settimeout(0.1)
        with conn:
            while not stop.is_set():
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                if not data:
                    return
                for frame in data.split(b"\x00")[:-1] if data.endswith(b"\x00") else []:
                    _, seq, _, _ = native.decode_packet(frame)
                    refused = bytes((native.NACK_CODES["range"],))
                    conn.sendall(native.encode_packet(2 | native.REPLY, seq, native.NACK, refused))
                for answer in rx.feed(data):
                    conn.sendall(answer)

    t = threading.Thread(target=board, daemon=True)
    t.start()
    buses = Buses()
    one = buses.open_board(f"socket://127.0.0.1:{server.getsockname()[1]}", "native", SPEC, address=1)
    try:
        for n in range(5):
            one.show(text_frame(f"one {n}"))
        assert SPEC.pack(rx.fb) == SPEC.pack(text_frame("one 4"))
        assert one.verify()
    finally:
        stop.set()
        one.close()
        server.close()


def test_a_line_that_drops_comes_back_for_every_board_on_it(tmp_path) -> None:  # noqa: ANN001
    """The simulator of the line killed (power cut) and started again on the same port: both
    boards resync (SYNC) on the reopened port and show their frames again."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    listen = f"tcp://127.0.0.1:{port}"
    sim = SimProcess(listen, "--address", "1,2")
    buses = Buses()
    one, two = (buses.open_board(sim.port_url, "native", SPEC, address=a, give_up_after=20) for a in (1, 2))
    try:
        one.show(text_frame("one before"))
        two.show(text_frame("two before", 60))
        assert same_pixels(sim.frame(1), text_frame("one before"))
        assert same_pixels(sim.frame(2), text_frame("two before", 60))
        sim.stop()  # the line goes dead: both boards lose power, the port closes
        sim = SimProcess(listen, "--address", "1,2")
        assert same_pixels(sim.frame(1), SPEC.blank())  # a fresh line: both boards blank
        errors: list[BaseException] = []

        def play(board, text: str, x: int) -> None:  # noqa: ANN001
            try:
                for n in range(3):
                    board.show(text_frame(f"{text} {n}", x))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [
            threading.Thread(target=play, args=(one, "one after", 2)),
            threading.Thread(target=play, args=(two, "two after", 60)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert not errors, errors
        assert wait_until(lambda: same_pixels(sim.frame(1), text_frame("one after 2")), 5)
        assert wait_until(lambda: same_pixels(sim.frame(2), text_frame("two after 2", 60)), 5)
        assert one.link.reconnects >= 1 and one.link is two.link  # one reopen, seen by both
        assert one.verify() and two.verify()
        boards = sim.stats()["boards"]
        assert boards["1"]["ops"].get("frame", 0) >= 1 and boards["2"]["ops"].get("frame", 0) >= 1
    finally:
        one.close()
        two.close()
        sim.stop()


def test_a_line_refuses_what_cannot_share_it() -> None:
    buses = Buses()
    url = "socket://127.0.0.1:9"
    first = buses.open_board(url, "native", SPEC, baud=9600, address=1)
    with pytest.raises(PortError, match="already taken"):
        buses.open_board(url, "native", SPEC, baud=9600, address=1)
    with pytest.raises(PortError, match="same settings"):
        buses.open_board(url, "native", SPEC, baud=115200, address=2)
    with pytest.raises(PortError, match="only native boards"):
        buses.open_board(url, "tpm2", SPEC, baud=9600, address=2)
    second = buses.open_board(url, "native", SPEC, baud=9600, address=2)
    assert second.link is first.link
    first.close()
    second.close()
    started = time.monotonic()
    again = buses.open_board(url, "native", SPEC, baud=115200, address=1)  # an empty line starts afresh
    assert again.link is not first.link and time.monotonic() - started < 1
    again.close()


def test_a_board_of_the_line_that_restarts_gets_its_frame_again() -> None:
    """One board of a line loses power (or its watchdog resets it) while the port stays up:
    it comes back blank, expecting SYNC. The next exchange with it finds that out, and its
    next frame goes whole, whether it is the same still or a new one; its neighbour is not
    disturbed."""
    from drivers.native import NativeReceiver

    with Simulator("native", SPEC, listen="pty", baud=115200, address=[1, 2]) as sim:
        buses = Buses()
        one, two = (buses.open_board(sim.url, "native", SPEC, baud=115200, address=a) for a in (1, 2))
        one.show(text_frame("one"))
        two.show(text_frame("two", 60))

        def restart(address: int) -> NativeReceiver:
            fresh = NativeReceiver(SPEC, address)
            with sim._lock:
                sim.rx.boards[address] = fresh
            return fresh

        board_one = restart(1)
        blank = native.crc32(SPEC.pack(SPEC.blank()))
        assert one.readback() == blank  # the pacer's read-back finds the board blank
        one.show(text_frame("one"))  # the same still, as the next item of a one-slogan playlist
        assert SPEC.pack(board_one.fb) == SPEC.pack(text_frame("one")) and one.verify()
        board_one = restart(1)
        one.show(text_frame("one, next"))  # a new frame straight away: whole, not a delta on a blank board
        assert SPEC.pack(board_one.fb) == SPEC.pack(text_frame("one, next")) and one.verify()
        assert SPEC.pack(sim.rx.boards[2].fb) == SPEC.pack(text_frame("two", 60)) and two.verify()
        one.close()
        two.close()


def test_a_step_left_in_flight_is_answered_before_the_other_board_talks() -> None:
    """Alone on the line, a scroll step returns with its packet in flight (window 2, as on a
    port of its own); the neighbour's next call first waits for that answer."""
    from signage.render import ScrollOp

    with Simulator("native", SPEC, listen="pty", baud=9600, address=[1, 2]) as sim:
        buses = Buses()
        one, two = (buses.open_board(sim.url, "native", SPEC, baud=9600, address=a) for a in (1, 2))
        wide = strip("one scrolls")
        prev = wide.crop((0, 0, SPEC.width, SPEC.height))
        one.show(prev)
        frame = wide.crop((1, 0, 1 + SPEC.width, SPEC.height))
        one.show(frame, ScrollOp("left", 1, frame, prev))
        bus = buses.bus(sim.url)
        assert bus is not None and len(one._out) == 1 and bus.unsettled is one  # in flight, nobody waited
        assert two.ping()  # takes the turn: one's step is answered first, then two talks
        assert not one._out and bus.unsettled is None
        assert SPEC.pack(sim.framebuffer(1)) == SPEC.pack(frame) and one.verify()
        assert sim.stats()["boards"]["1"]["ops"].get("shift") == 1
        one.close()
        two.close()


def test_a_board_that_does_not_answer_does_not_stop_its_neighbour() -> None:
    """Board 2 of the line is unpowered: while its show retries (until its give_up_after),
    board 1 keeps scrolling, since the silent board leaves the line to it between tries."""
    from drivers.base import LinkError
    from signage.render import ScrollOp

    with Simulator("native", SPEC, listen="pty", baud=115200, address=[1]) as sim:  # nobody at 2
        buses = Buses()
        one = buses.open_board(sim.url, "native", SPEC, address=1)
        dead = buses.open_board(sim.url, "native", SPEC, address=2, give_up_after=2)
        wide = strip("one keeps scrolling")
        prev = wide.crop((0, 0, SPEC.width, SPEC.height))
        one.show(prev)
        failed: list[BaseException] = []

        def unpowered() -> None:
            try:
                dead.show(text_frame("nobody home"))
            except LinkError as exc:
                failed.append(exc)

        t = threading.Thread(target=unpowered)
        t.start()
        steps = 0
        while t.is_alive() and steps < 150:  # while board 2 retries
            frame = wide.crop((steps + 1, 0, steps + 1 + SPEC.width, SPEC.height))
            one.show(frame, ScrollOp("left", 1, frame, prev))
            prev, steps = frame, steps + 1
        t.join(10)
        assert failed and "no answer" in str(failed[0])  # board 2 gave up, as on a port of its own
        assert steps >= 20, steps  # board 1 scrolled on meanwhile (held for 2 s, it would be ~1)
        assert dead.stats.get("paused", 0) >= 3
        assert SPEC.pack(sim.framebuffer(1)) == SPEC.pack(prev) and one.verify()
        one.close()
        dead.close()
