"""The firmware core in real MicroPython answers exactly as the CPython simulator does.

A hypothesis corpus of the driver's own packets for every command (planned by
``NativeBoard.plan`` from changing images), with SYNC, loss, duplicates, corruption,
garbage, other addresses, broadcasts, bad payloads and arbitrary read boundaries, is fed
to ``firmware.core`` inside MicroPython's WebAssembly port (Node) and to the simulator's
receiver; every answer, the framebuffer, the PING status and the counters must be equal
byte for byte.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from drivers import native
from drivers.pixels import BoardSpec
from firmware import wasm

pytestmark = pytest.mark.skipif(wasm.missing() is not None, reason=wasm.missing() or "")

SPECS = [BoardSpec(192, 32), BoardSpec(13, 9), BoardSpec(40, 16, "bicolor"), BoardSpec(24, 12, "rgb"),
         BoardSpec(20, 10, "rgb565")]
CORPUS_PACKETS = 2000  # the floor for one run

BAD = [  # (command, payload) the board must refuse, one for each NACK rule
    (native.PING, b"\x00"), (native.READBACK, b"\x01"), (native.CLEAR, b"\x02\x03"),
    (native.BRIGHTNESS, b""), (native.BRIGHTNESS, b"\x01\x02"), (0x33, b""), (0x7F, b"\x01"),
    (native.FRAME, b""), (native.FRAME, b"\x00\x01"), (native.FRAME, b"\x07\x00"),
    (native.FRAME, b"\x01\x05\x00"), (native.FRAME, b"\x01\xff"), (native.FRAME, b"\x01\x80"),
    (native.RECT, bytes(8)), (native.RECT, bytes(8) + b"\x00"),
    (native.RECT, b"\x00\x00\x00\x00\x00\x01\x00\x01"),
    (native.RECT, b"\x03\xe8\x00\x00\x00\x01\x00\x01\x00\x00"),
    (native.SHIFT, b"\x00\x00\x00"), (native.SHIFT, b"\x01\x01\x00\x00"), (native.SHIFT, b"\x7f\x00\x00"),
    (native.SHIFT, b"\xff"), (native.SHIFT, b"\xff\x00\x00"),
]


def host(spec: BoardSpec, chunk: int) -> native.NativeBoard:
    """The driver's planner without a link: what it would send for each frame."""
    board = native.NativeBoard.__new__(native.NativeBoard)
    native.Board.__init__(board, spec)
    board.chunk, board.max_chunk = chunk, 8192
    return board


def next_image(rng: random.Random, spec: BoardSpec, old: Image.Image, how: str) -> Image.Image:
    """A new frame: all new, a scroll of ``old`` by a few pixels, or a patch painted on it."""
    noise = spec.unpack(rng.randbytes(spec.frame_bytes))
    if how == "frame":
        return noise
    new = old.copy()
    if how == "scroll":
        dx, dy = rng.choice([(-1, 0), (-3, 0), (2, 0), (0, -1), (0, 2)])
        new = Image.new(old.mode, old.size, 0)
        new.paste(old, (dx, dy))
        corner = (spec.width - 4 if dx < 0 else 0, spec.height - 4 if dy < 0 else 0)
        new.paste(noise.crop((0, 0, 4, 4)), corner)
        return new
    x, y = rng.randrange(spec.width), rng.randrange(spec.height)
    w, h = rng.randint(1, spec.width - x), rng.randint(1, spec.height - y)
    new.paste(noise.crop((0, 0, w, h)), (x, y))
    return new


@st.composite
def cases(draw: st.DrawFn) -> dict:
    """One session: a board, the bytes the host (and the faulty line) put on the wire, in reads."""
    spec = draw(st.sampled_from(SPECS))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    address = draw(st.sampled_from([1, 5]))
    planner = host(spec, draw(st.sampled_from([24, 100, 8192])))
    seq = draw(st.integers(0, 255))  # near 255 the numbers wrap within the session
    known = spec.blank()
    wire, sent, count = bytearray(), [], 0
    sync = True
    for _ in range(draw(st.integers(2, 14))):
        action = draw(st.sampled_from(["frame", "scroll", "rect", "rect", "scroll", "ping", "readback",
                                       "clear", "brightness", "bad", "jump"]))
        if action == "jump":  # the host restarts: a new sequence number with SYNC
            seq, sync = rng.randrange(256), True
            continue
        if action in ("frame", "scroll", "rect"):
            new = next_image(rng, spec, known, action)
            packets = [(cmd, payload) for cmd, payload, _ in planner.plan(known, new)]
            known = new
        elif action == "bad":
            packets = [rng.choice(BAD)]
        else:
            cmd = {"ping": native.PING, "readback": native.READBACK, "clear": native.CLEAR,
                   "brightness": native.BRIGHTNESS}[action]
            packets = [(cmd, bytes((rng.randrange(256),)) if cmd == native.BRIGHTNESS else b"")]
            if cmd == native.CLEAR:
                known = spec.blank()
        for cmd, payload in packets:
            seq = (seq + 1) & 0xFF
            fault = draw(st.sampled_from(["ok"] * 8 + ["lose", "dup", "old", "flip", "garbage", "other",
                                                         "broadcast"]))
            addr = {"other": 7, "broadcast": 0}.get(fault, address)
            pkt = native.encode_packet(addr, seq, cmd | (native.SYNC if sync else 0), payload)
            sync = False
            count += 1
            if fault == "lose":
                continue
            if fault == "flip":
                pkt = bytearray(pkt)
                pkt[rng.randrange(len(pkt) - 1)] ^= 1 << rng.randrange(8)
            if fault == "garbage":
                wire += rng.randbytes(rng.randint(1, 30))
            wire += pkt
            sent.append(pkt)
            if fault == "dup":
                wire += pkt
            elif fault == "old" and len(sent) > 1:
                wire += rng.choice(sent[-9:-1])  # a late copy of one sent before
            count += fault in ("dup", "old")
    cuts = sorted(rng.sample(range(1, len(wire)), max(0, min(len(wire) - 1, draw(st.integers(0, 6))))))
    chunks: list[str] = []
    for a, b in zip([0, *cuts], [*cuts, len(wire)], strict=True):
        chunks.append(wire[a:b].hex())
        if rng.random() < 0.05:
            chunks.append("idle")  # the line goes quiet mid-packet
    return {"width": spec.width, "height": spec.height, "color": spec.color, "address": address,
            "chunks": chunks, "packets": count}


def simulate(case: dict) -> dict:
    """What the CPython simulator's receiver does with the same bytes, in replay.py's shape."""
    spec = BoardSpec(case["width"], case["height"], case["color"])
    rx = native.NativeReceiver(spec, case["address"])
    answers = []
    for chunk in case["chunks"]:
        if chunk == "idle":
            rx.idle()
            answers.append([])
        else:
            answers.append([a.hex() for a in rx.feed(bytes.fromhex(chunk))])
    return {"answers": answers, "fb": spec.pack(rx.fb).hex(), "status": rx.core.status().hex(),
            "frames": rx.frames, "errors": dict(rx.errors), "ops": dict(rx.ops), "expected": rx.core.expected}


def test_micropython_core_equals_the_simulator_on_a_packet_corpus() -> None:
    corpus: list[dict] = []

    @settings(max_examples=260, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example])
    @given(cases())
    def collect(case: dict) -> None:
        corpus.append(case)

    collect()
    packets = sum(c["packets"] for c in corpus)
    print(f"corpus: {len(corpus)} sessions, {packets} packets")
    assert packets >= CORPUS_PACKETS, packets
    got = wasm.run("replay.py", {"cases": corpus})["results"]
    assert len(got) == len(corpus)
    kinds: set[str] = set()
    for case, mp in zip(corpus, got, strict=True):
        want = simulate(case)
        assert mp == want, case
        kinds |= set(want["ops"]) | set(want["errors"])
    # the corpus reaches every command and every way a packet goes wrong
    assert kinds >= {"ping", "readback", "clear", "brightness", "frame", "rect", "shift", "duplicate",
                     "crc", "garbage", "wrong_address", "sequence", "length", "range", "decompress",
                     "unknown_command"}


def test_micropython_answers_the_documented_ping() -> None:
    # docs/protocol.md, Example: PING with SYNC, seq 7, to a blank 192x32 mono board
    case = {"width": 192, "height": 32, "color": "mono", "address": 1,
            "chunks": [native.encode_packet(1, 7, native.PING | native.SYNC).hex()]}
    got = wasm.run("replay.py", {"cases": [case]})["results"][0]
    assert got["answers"] == [["0581070601" "02c0" "0220" "0aff" "f5a0f415" "54d48dd4" "00"]]
