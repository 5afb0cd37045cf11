"""docs/protocol.md and the code agree: every worked example replayed, every NACK rule shown.

The client here is written from the document alone (its COBS, CRC and field layout), not
from ``drivers`` or ``firmware``: it checks that each line of the document's examples is
what the document says, then the simulator (the firmware core) must answer each host line
with exactly the board lines the document shows.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import serial

from drivers.pixels import BoardSpec
from drivers.simulator import Simulator

DOC = Path(__file__).resolve().parent.parent / "docs" / "protocol.md"
TEXT = DOC.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```text\n(board .*?)```", TEXT, re.S)


# -- a client from the document ------------------------------------------------------------
def doc_crc32(data: bytes) -> int:
    """CRC-32/ISO-HDLC: polynomial 0x04C11DB7 reflected (0xEDB88320), init and xorout 0xFFFFFFFF."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0xEDB88320 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def doc_cobs_decode(data: bytes) -> bytes:
    """Blocks of a code byte n and n-1 data bytes; a 0x00 after each block shorter than 255 but the last."""
    out, i = bytearray(), 0
    while i < len(data):
        n = data[i]
        assert n != 0 and i + n <= len(data)
        out += data[i + 1 : i + n]
        i += n
        if n < 255 and i < len(data):
            out.append(0)
    return bytes(out)


def doc_cobs_encode(data: bytes) -> bytes:
    out = bytearray()
    for part in data.split(b"\x00"):
        while len(part) >= 254:
            out += b"\xff" + part[:254]
            part = part[254:]
        out += bytes((len(part) + 1,)) + part
    return bytes(out)


def parse_block(block: str) -> tuple[dict, list[tuple[str, bytes | None, str]]]:
    """The board line's settings and the (direction, bytes or None, comment) lines."""
    head, *lines = block.strip().splitlines()
    m = re.fullmatch(r"board (\d+)x(\d+) (\w+), address (\d+)(?:, faults (\S+))?", head)
    assert m, head
    board = {"spec": BoardSpec(int(m[1]), int(m[2]), m[3]), "address": int(m[4]), "faults": m[5]}
    steps = []
    for line in lines:
        direction = line[0]
        wire, comment = _split(line[2:])
        steps.append((direction, None if wire == "none" else bytes.fromhex(wire), comment))
    return board, steps


def _split(rest: str) -> tuple[str, str]:
    """The hex bytes (or ``none``) and the comment after two or more spaces."""
    parts = re.split(r"\s{2,}", rest.strip(), maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def check_line(direction: str, wire: bytes, comment: str, host_seq: int | None) -> None:
    """What the document says a line is, checked against its own definitions."""
    assert wire.endswith(b"\x00") and 0 not in wire[:-1], "one COBS packet and its delimiter"
    raw = doc_cobs_decode(wire[:-1])
    assert doc_cobs_encode(raw) == wire[:-1]
    if "too short" in comment:
        assert len(raw) < 7
        return
    body, crc = raw[:-4], int.from_bytes(raw[-4:], "big")
    if "flipped" in comment:
        assert doc_crc32(body) != crc
        return
    assert doc_crc32(body) == crc, comment
    addr, seq, code, payload = body[0], body[1], body[2], body[3:]
    if direction == "<":
        assert addr & 0x80 and seq == host_seq
        if comment.startswith("NACK"):
            assert code == 0x15 and payload[0] == int(comment.split()[1]), comment
            expected = re.search(r"expected (\w\w)", comment)
            assert payload[1:] == (bytes.fromhex(expected[1]) if expected else b""), comment
        else:
            assert code == 0x06, comment
            if comment.startswith("ACK: CRC"):
                crc = comment.split()[2].rstrip(",")
                assert payload[:4].hex().upper() == crc
                step = re.search(r", step (\d+)", comment)
                assert payload[4:] == (int(step[1]).to_bytes(4, "big") if step else b""), comment
                if " of " in comment:
                    packed = bytes.fromhex(comment.split(" of ")[1].replace(" ", ""))
                    assert doc_crc32(packed) == int(crc, 16)
            elif re.match(r"ACK: 2, \d+x\d+", comment):
                check_ping_answer(payload, comment)
    else:
        assert not addr & 0x80
        named = re.search(r"seq (\w\w)", comment)
        if named:
            assert seq == int(named[1], 16), comment
        assert bool(code & 0x80) == ("SYNC" in comment and "no SYNC" not in comment), comment


def check_ping_answer(payload: bytes, comment: str) -> None:
    """``ACK: 2, WxH, colour, brightness, CRC, no scroll|step N, commands .., strip N``."""
    version, size, color, bright, fb, step, cmds, strip = (c.strip() for c in comment[5:].split(","))
    w, h = (int(v) for v in size.split("x"))
    commands = bytes.fromhex(cmds.removeprefix("commands "))
    shown = 0xFFFFFFFF if step == "no scroll" else int(step.split()[1])
    assert payload == (
        bytes((int(version),))
        + w.to_bytes(2, "big")
        + h.to_bytes(2, "big")
        + bytes((("mono", "bicolor", "rgb", "rgb565").index(color), int(bright)))
        + bytes.fromhex(fb)
        + shown.to_bytes(4, "big")
        + bytes((len(commands),))
        + commands
        + int(strip.split()[1]).to_bytes(4, "big")
    ), comment
    assert set(commands) >= {0x01, 0x02, 0x03, 0x04, 0x10, 0x11, 0x12, 0x13}  # every command in the table


# -- the tests -----------------------------------------------------------------------------
def test_the_document_has_examples_for_every_command_and_nack() -> None:
    assert len(BLOCKS) >= 4
    shown = " ".join(BLOCKS)
    for name in (
        "PING",
        "CLEAR",
        "BRIGHTNESS",
        "READBACK",
        "FRAME",
        "RECT",
        "SHIFT",
        "SCROLL",
        "broadcast",
        "retransmission",
        "too short",
    ):
        assert name in shown, name
    codes = {int(c) for c in re.findall(r"< [0-9A-F ]+\s{2,}NACK (\d)", shown)}
    kinds = "crc|unknown_command|length|range|decompress|busy|sequence"
    table = {int(c) for c in re.findall(rf"^\| (\d) \| (?:{kinds}) \|", TEXT, re.M)}
    assert table == set(range(1, 8)) and codes == table  # each NACK rule of the table has its example


def test_cobs_and_crc_examples_of_the_document() -> None:
    raw, enc = re.search(r"Example: `([0-9A-F ]+)` encodes as `([0-9A-F ]+)`", TEXT).groups()
    assert doc_cobs_encode(bytes.fromhex(raw)) == bytes.fromhex(enc)
    from firmware.core import cobs_decode  # the board's decoder agrees with the document's example

    assert cobs_decode(bytes.fromhex(enc)) == bytes.fromhex(raw)
    assert doc_crc32(b"123456789") == 0xCBF43926 and "0xCBF43926" in TEXT


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.splitlines()[0])
def test_worked_example_replays_on_the_simulator(block: str) -> None:
    board, steps = parse_block(block)
    host_seq = None
    for direction, wire, comment in steps:
        if wire is not None:
            if direction == ">":
                host_seq = doc_cobs_decode(wire[:-1])[1] if "too short" not in comment else host_seq
            check_line(direction, wire, comment, host_seq)
    with Simulator(
        "native", board["spec"], listen="pty", baud=None, address=board["address"], faults=board["faults"]
    ) as sim:
        port = serial.serial_for_url(sim.url, timeout=2)
        try:
            for i, (direction, wire, comment) in enumerate(steps):
                if direction == ">":
                    port.write(wire)
                    continue
                if wire is None:  # nothing may come back, even after a while
                    time.sleep(0.3)
                    assert port.in_waiting == 0, comment
                    continue
                got = port.read_until(b"\x00")
                assert got == wire, (i, comment, got.hex(" ").upper())
        finally:
            port.close()
