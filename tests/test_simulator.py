"""The simulator over real links (pty, socket://): bad input, faults, unplugging, interop, HTTP, CLI."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
import serial
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw
from pyflipdot.pyflipdot import HanoverController
from pyflipdot.sign import HanoverSign

from drivers import native, open_board
from drivers.pixels import BoardSpec
from drivers.simulator import Simulator
from signage.render import ScrollOp

SPEC = BoardSpec(192, 32)


def text_frame(text: str, spec: BoardSpec = SPEC, x: int = 2) -> Image.Image:
    img = Image.new("1", spec.size)
    ImageDraw.Draw(img).text((x, 2), text, fill=1)
    return img


def raw_port(sim: Simulator) -> serial.Serial:
    return serial.serial_for_url(sim.url, timeout=0.5)


def test_bad_input_is_counted_and_survived() -> None:
    with Simulator("native", SPEC, listen="pty", baud=None) as sim:
        port = raw_port(sim)
        port.write(b"\x13\x37garbage\x00")  # COBS that does not decode to a packet
        port.write(native.encode_packet(5, 1, native.PING))  # another board's address
        port.write(native.encode_packet(1, 2, native.FRAME | native.SYNC, b"\x00" + bytes(10)))  # bad size
        port.write(native.encode_packet(1, 3, native.RECT, bytes(8) + b"\x00"))  # zero-size rect
        port.write(native.encode_packet(1, 4, 0x7E))  # unknown command
        bad = bytearray(native.encode_packet(1, 5, native.PING))
        bad[3] ^= 0x10
        port.write(bytes(bad))  # damaged in transit
        port.write(b"\x01" * (sim.rx.max_wire + 10) + b"\x00")  # oversize
        port.write(b"\x02\x01\x01")  # truncated: the line goes quiet mid-packet
        time.sleep(0.8)
        port.write(native.encode_packet(1, 9, native.PING | native.SYNC))
        answer = port.read_until(b"\x00\x06", 4096)
        errors = sim.stats()["errors"]
        for kind in (
            "garbage",
            "wrong_address",
            "length",
            "range",
            "unknown_command",
            "crc",
            "oversize",
            "truncated",
        ):
            assert errors.get(kind), (kind, errors)
        assert answer  # it still answers
        board = open_board(sim.url, "native", SPEC)
        board.show(text_frame("still alive"))
        assert SPEC.pack(sim.framebuffer()) == SPEC.pack(text_frame("still alive"))
        board.close()
        port.close()


@pytest.mark.parametrize(
    "protocol, junk",
    [
        ("tpm2", [b"\x00\x01\x02", b"\xc9\xda\xff\xff", b"\xc9\xda\x18\x00" + bytes(100), b"\xc9\x42"]),
        (
            "flipdot",
            [b"hello", b"\x0215000\x0399", b"\x021F00" + b"00" * 10 + b"\x03", b"\x02199" + b"ZZ" * 5],
        ),
    ],
)
def test_stream_protocols_resynchronise(protocol: str, junk: list[bytes]) -> None:
    with Simulator(protocol, SPEC, listen="tcp://127.0.0.1:0", baud=None) as sim:
        with open_board(sim.url, protocol, SPEC) as board:
            assert board.ping()  # opens the port
            for j in junk:
                board.link.write(j)
            time.sleep(0.7)
            board.show(text_frame(protocol))
            assert sim.wait_frames(1, 5)
            time.sleep(0.1)
        assert SPEC.pack(sim.framebuffer()) == SPEC.pack(text_frame(protocol))
        assert sum(sim.stats()["errors"].values()) >= len(junk) - 1


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_sequences_over_a_real_pty(data) -> None:
    protocol = data.draw(st.sampled_from(["native", "tpm2", "flipdot"]))
    spec = BoardSpec(32, 16)
    with Simulator(protocol, spec, listen="pty", baud=None) as sim:
        with open_board(sim.url, protocol, spec) as board:
            img = Image.new("1", spec.size)
            for _ in range(data.draw(st.integers(1, 5))):
                op = None
                if data.draw(st.booleans()):
                    img = Image.frombytes("1", spec.size, data.draw(st.binary(min_size=64, max_size=64)))
                else:
                    moved = Image.new("1", spec.size)
                    dx = data.draw(st.integers(-9, 9))
                    moved.paste(img, (dx, 0))
                    img = moved
                    if dx and data.draw(st.booleans()):  # the renderer's hint, right or (sometimes) wrong
                        way = (
                            ["left", "right", "up"][data.draw(st.integers(0, 2))]
                            if data.draw(st.booleans())
                            else ("left" if dx < 0 else "right")
                        )
                        op = ScrollOp(way, abs(dx), img)
                board.show(img, op)
            n = board.stats["frames"]
            if protocol != "native":
                assert sim.wait_frames(n, 5)
        assert spec.pack(sim.framebuffer()) == spec.pack(img)


def test_bit_errors_never_show_a_wrong_pixel() -> None:
    faults = "flip=1e-3,seed=4"
    with Simulator("native", SPEC, listen="pty", baud=115200, faults=faults) as sim:
        with open_board(sim.url, "native", SPEC, baud=115200, give_up_after=30) as board:
            strip = Image.new("1", (600, 32))
            ImageDraw.Draw(strip).text((192, 10), "Nhiet liet chao mung Dai hoi dai bieu toan quoc", fill=1)
            noise = [Image.effect_noise(SPEC.size, 90).convert("1") for _ in range(3)]
            for x in range(0, 120, 3):
                frame = noise[x // 42] if x % 42 == 0 else strip.crop((x, 0, x + 192, 32))
                board.show(frame)
                assert SPEC.pack(sim.framebuffer()) == SPEC.pack(frame)
            assert board.verify()
        stats = sim.stats()
    assert stats["faults"]["flipped_bits"] > 20, stats
    assert stats["errors"].get("crc", 0) > 0
    assert board.stats["retries"] > 0
    assert board.stats.get("replans", 0) >= 1  # the first 768-byte frame cannot cross whole
    assert stats["frames"] >= 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_sim(*args: str, want: int = 2) -> tuple[subprocess.Popen, dict[str, str]]:
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("signage")), "sim", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: dict[str, str] = {}

    def reader() -> None:
        for line in proc.stdout:
            key, _, value = line.strip().partition(" on ")
            lines[key] = value

    threading.Thread(target=reader, daemon=True).start()
    end = time.monotonic() + 10
    while len(lines) < want and time.monotonic() < end and proc.poll() is None:
        time.sleep(0.02)
    return proc, lines


def _stop(proc: subprocess.Popen) -> int:
    os.kill(proc.pid, signal.SIGTERM)
    try:
        return proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        return proc.wait(timeout=5)


def test_cli_prints_where_to_reach_it_and_serves_http() -> None:
    proc, lines = _start_sim(
        "--protocol", "native", "--size", "192x32", "--listen", "tcp://127.0.0.1:0", "--http", "127.0.0.1:0"
    )
    try:
        assert lines["listening"].startswith("socket://127.0.0.1:")
        view = lines["view"]
        assert view.startswith("http://127.0.0.1:") and view.endswith("/")
        with open_board(lines["listening"], "native", SPEC) as board:
            board.show(text_frame("Xin chao"))
        stats = json.load(urllib.request.urlopen(view + "stats.json", timeout=5))
        assert stats["frames"] == 1 and stats["width"] == 192 and stats["height"] == 32
        for key in ("errors", "bytes", "ops", "fb_sha256", "last_frame_at"):
            assert key in stats
        png = Image.open(urllib.request.urlopen(view + "frame.png", timeout=5))
        assert png.size == (192, 32)
        assert SPEC.pack(png) == SPEC.pack(text_frame("Xin chao"))
        page = urllib.request.urlopen(view, timeout=5).read().decode()
        assert "<canvas" in page and "stats.json" in page
    finally:
        assert _stop(proc) == 0


def test_cli_pty_and_sigint() -> None:
    proc, lines = _start_sim("--protocol", "tpm2", "--listen", "pty", "--http", "off", want=1)
    try:
        assert os.path.exists(lines["listening"])
    finally:
        os.kill(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=5) == 0


def test_unplug_and_replug_reconnects_within_two_seconds() -> None:
    port = _free_port()
    args = (
        "--protocol",
        "native",
        "--size",
        "192x32",
        "--listen",
        f"tcp://127.0.0.1:{port}",
        "--http",
        "127.0.0.1:0",
    )
    proc, lines = _start_sim(*args)
    board = open_board(lines["listening"], "native", SPEC, give_up_after=20)
    try:
        board.show(text_frame("before"))
        os.kill(proc.pid, signal.SIGKILL)  # the board loses power, the cable is pulled
        proc.wait(timeout=5)
        time.sleep(1.0)
        proc, lines = _start_sim(*args)
        back = time.monotonic()
        board.show(text_frame("after"))
        took = time.monotonic() - back
        stats = json.load(urllib.request.urlopen(lines["view"] + "stats.json", timeout=5))
        png = Image.open(urllib.request.urlopen(lines["view"] + "frame.png", timeout=5))
        assert SPEC.pack(png) == SPEC.pack(text_frame("after"))
        assert took < 2.0, took
        assert stats["frames"] >= 1
        assert board.stats["reconnects"] >= 1
    finally:
        board.close()
        _stop(proc)


def test_pyflipdot_drives_the_simulator() -> None:
    spec = BoardSpec(84, 16)
    with Simulator("flipdot", spec, listen="pty", baud=None, address=3) as sim:
        port = serial.Serial(sim.url)
        controller = HanoverController(port)
        controller.add_sign("gate", HanoverSign(address=3, width=84, height=16))
        image = np.zeros((16, 84), dtype=bool)
        image[::3, ::2] = True
        image[5, :] = True
        controller.draw_image(image, "gate")
        assert sim.wait_frames(1, 5)
        port.close()
        got = np.array(sim.framebuffer(), dtype=bool)
    assert (got == image).all()


def _board_shows(view: str, image: Image.Image) -> bool:
    try:
        png = Image.open(urllib.request.urlopen(view + "frame.png", timeout=2))
    except OSError:
        return False
    return SPEC.pack(png) == SPEC.pack(image)


@pytest.mark.parametrize("protocol", ["native", "tpm2"])
def test_unplug_and_replug_over_a_pty_link(protocol: str, tmp_path: Path) -> None:
    """Killed and restarted on the same ``pty:/path`` link: a show already retrying gets through."""
    link = str(tmp_path / "board")
    args = ("--protocol", protocol, "--size", "192x32", "--listen", f"pty:{link}", "--http", "127.0.0.1:0")
    proc, lines = _start_sim(*args)
    assert lines["listening"] == link
    board = open_board(link, protocol, SPEC, give_up_after=20)
    errors: list[BaseException] = []
    try:
        board.show(text_frame("before"))
        os.kill(proc.pid, signal.SIGKILL)  # power cut: the pty vanishes, the link dangles
        proc.wait(timeout=5)
        assert os.path.islink(link) and not os.path.exists(link)

        def worker() -> None:
            try:
                board.show(text_frame("after"))  # the write fails, the driver retries the link
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        sender = threading.Thread(target=worker, daemon=True)
        sender.start()
        time.sleep(0.5)
        assert sender.is_alive()  # still retrying, not given up
        proc, lines = _start_sim(*args)
        back = time.monotonic()
        assert lines["listening"] == link and os.path.exists(link)
        end = back + 5
        while not _board_shows(lines["view"], text_frame("after")) and time.monotonic() < end:
            time.sleep(0.05)
        took = time.monotonic() - back
        sender.join(timeout=5)
        assert not errors, errors
        assert _board_shows(lines["view"], text_frame("after"))
        assert took < 2.0, took
        print(f"{protocol}: frames again {took:.2f} s after the simulator came back")
        assert board.link.reconnects >= 1
    finally:
        board.close()
        _stop(proc)


def test_a_busy_tcp_simulator_turns_a_second_client_away() -> None:
    # issue #18, finding 7: the second client waited in the backlog and heard nothing
    with (
        Simulator("native", SPEC, listen="tcp://127.0.0.1:0", baud=None) as sim,
        open_board(sim.url, "native", SPEC) as board,
    ):
        assert board.ping()
        host, port = sim.url.removeprefix("socket://").split(":")
        second = socket.create_connection((host, int(port)), timeout=3)
        second.settimeout(3)
        said = b""
        while chunk := second.recv(4096):
            said += chunk
        second.close()
        assert said.startswith(b"busy: this simulated board is in use by 127.0.0.1:"), said
        assert board.ping()  # the first client carries on
        board.close()
        for _ in range(5):  # a client that hangs up and reconnects at once is served, not refused
            again = open_board(sim.url, "native", SPEC)
            assert again.ping()
            again.close()


def test_two_boards_share_one_line() -> None:
    # issue #19, several boards on one RS-485 line: one port, one writer, two addresses
    from drivers.link import Link

    with Simulator("native", SPEC, listen="pty", baud=115200, address=[1, 2], http="127.0.0.1:0") as sim:
        link = Link(sim.url, 115200)
        one, two = native.NativeBoard(link, SPEC, 1), native.NativeBoard(link, SPEC, 2)
        assert one.ping() and two.ping()
        for n in range(3):  # each board's updates interleaved by the port's one owner
            one.show(text_frame(f"board one {n}"))
            two.show(text_frame(f"board two {n}", x=40))
        assert SPEC.pack(sim.framebuffer(1)) == SPEC.pack(text_frame("board one 2"))
        assert SPEC.pack(sim.framebuffer(2)) == SPEC.pack(text_frame("board two 2", x=40))
        assert one.verify() and two.verify()
        link.write(native.encode_packet(0, 0, native.BRIGHTNESS | native.SYNC, b"\x40"))  # broadcast
        time.sleep(0.2)
        boards = sim.stats()["boards"]
        assert boards["1"]["brightness"] == boards["2"]["brightness"] == 0x40
        assert boards["1"]["ops"]["frame"] >= 1 and boards["2"]["ops"]["frame"] >= 1
        assert not boards["1"]["errors"].get("crc") and not boards["2"]["errors"].get("sequence")
        with urllib.request.urlopen(sim.view_url + "frame.png?address=2", timeout=5) as r:
            assert SPEC.pack(Image.open(r)) == SPEC.pack(text_frame("board two 2", x=40))
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(sim.view_url + "frame.png?address=9", timeout=5)
        assert missing.value.code == 404 and b"no board 9 on this line" in missing.value.read()
        link.close()
    with pytest.raises(ValueError, match="only the native protocol"):
        Simulator("tpm2", SPEC, address=[1, 2])


def test_cli_address_list_is_checked() -> None:
    from click.testing import CliRunner

    from signage.cli import main

    bad = CliRunner().invoke(main, ["sim", "--address", "1,1", "--http", "off"])
    assert bad.exit_code == 2 and "each once" in bad.output
    bad = CliRunner().invoke(main, ["sim", "--address", "0", "--http", "off"])
    assert bad.exit_code == 2 and "1..127" in bad.output
