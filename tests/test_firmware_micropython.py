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
from drivers.board_scroll import scroll_payload
from drivers.pixels import BoardSpec
from firmware import wasm
from firmware.core import DIRECTIONS, SCROLL

pytestmark = pytest.mark.skipif(wasm.missing() is not None, reason=wasm.missing() or "")

SPECS = [
    BoardSpec(192, 32),
    BoardSpec(13, 9),
    BoardSpec(40, 16, "bicolor"),
    BoardSpec(24, 12, "rgb"),
    BoardSpec(20, 10, "rgb565"),
]
CORPUS_PACKETS = 2000  # the floor for one run

BAD = [  # (command, payload) the board must refuse, one for each NACK rule
    (native.PING, b"\x00"),
    (native.READBACK, b"\x01"),
    (native.CLEAR, b"\x02\x03"),
    (native.BRIGHTNESS, b""),
    (native.BRIGHTNESS, b"\x01\x02"),
    (0x33, b""),
    (0x7F, b"\x01"),
    (native.FRAME, b""),
    (native.FRAME, b"\x00\x01"),
    (native.FRAME, b"\x07\x00"),
    (native.FRAME, b"\x01\x05\x00"),
    (native.FRAME, b"\x01\xff"),
    (native.FRAME, b"\x01\x80"),
    (native.RECT, bytes(8)),
    (native.RECT, bytes(8) + b"\x00"),
    (native.RECT, b"\x00\x00\x00\x00\x00\x01\x00\x01"),
    (native.RECT, b"\x03\xe8\x00\x00\x00\x01\x00\x01\x00\x00"),
    (native.SHIFT, b"\x00\x00\x00"),
    (native.SHIFT, b"\x01\x01\x00\x00"),
    (native.SHIFT, b"\x7f\x00\x00"),
    (native.SHIFT, b"\xff"),
    (native.SHIFT, b"\xff\x00\x00"),
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
    known: Image.Image | None = spec.blank()
    wire, sent, count = bytearray(), [], 0
    cut_at: list[tuple[int, str]] = []  # (offset in the wire, a clock step to put there)
    sync = True
    for _ in range(draw(st.integers(2, 14))):
        action = draw(
            st.sampled_from(
                [
                    "frame",
                    "scroll",
                    "rect",
                    "rect",
                    "scroll",
                    "ping",
                    "readback",
                    "clear",
                    "brightness",
                    "bad",
                    "jump",
                    "marquee",
                    "wait",
                ]
            )
        )
        if action == "jump":  # the host restarts: a new sequence number with SYNC
            seq, sync = rng.randrange(256), True
            continue
        if action == "wait":  # time passes on the board: a marquee steps on its own clock
            wire += b"\x00"  # (an empty packet ends the read here; the board ignores it)
            cut_at.append((len(wire), f"t+{rng.choice([1, 7, 40, 333, 5000])}"))
            continue
        if action == "marquee":
            direction = rng.choice(DIRECTIONS)
            length = rng.randint(1, 40) + (spec.height if direction == "up" else spec.width)
            size = (spec.width, length) if direction == "up" else (length, spec.height)
            strip = BoardSpec(max(8, size[0]), max(8, size[1]), spec.color)
            image = strip.unpack(rng.randbytes(strip.frame_bytes)).crop((0, 0, *size))
            edge = spec.height if direction == "up" else spec.width
            payload = scroll_payload(
                image,
                spec,
                direction,
                rng.randint(1, min(5, edge - 1)),
                rng.choice([1, 20, 50, 300]),
                rng.choice([0, 1, 3]),
            )
            packets = [(SCROLL, payload)]
            known = None  # the board moves on by itself; the host plans from scratch after it
        elif action in ("frame", "scroll", "rect"):
            new = next_image(rng, spec, known or spec.blank(), "frame" if known is None else action)
            packets = [(cmd, payload) for cmd, payload, _ in planner.plan(known, new)]
            known = new
        elif action == "bad":
            packets = [rng.choice(BAD)]
        else:
            cmd = {
                "ping": native.PING,
                "readback": native.READBACK,
                "clear": native.CLEAR,
                "brightness": native.BRIGHTNESS,
            }[action]
            packets = [(cmd, bytes((rng.randrange(256),)) if cmd == native.BRIGHTNESS else b"")]
            if cmd == native.CLEAR:
                known = spec.blank()
        for cmd, payload in packets:
            seq = (seq + 1) & 0xFF
            fault = draw(
                st.sampled_from(["ok"] * 8 + ["lose", "dup", "old", "flip", "garbage", "other", "broadcast"])
            )
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
    cuts = set(rng.sample(range(1, len(wire)), max(0, min(len(wire) - 1, draw(st.integers(0, 6))))))
    ticks = dict(cut_at)
    chunks: list[str] = []
    edges = sorted(cuts | set(ticks))
    for a, b in zip([0, *edges], [*edges, len(wire)], strict=True):
        if a < b:
            chunks.append(wire[a:b].hex())
        if b in ticks:
            chunks.append(ticks[b])
        elif rng.random() < 0.05:
            chunks.append("idle")  # the line goes quiet mid-packet
    return {
        "width": spec.width,
        "height": spec.height,
        "color": spec.color,
        "address": address,
        "chunks": chunks,
        "packets": count,
    }


def every_refusal() -> dict:
    """One session that sends every BAD packet in turn, so each refusal is in every run's corpus."""
    wire = native.encode_packet(1, 0, native.PING | native.SYNC)
    for seq, (cmd, payload) in enumerate(BAD, 1):
        wire += native.encode_packet(1, seq, cmd, payload)
    return {
        "width": 192,
        "height": 32,
        "color": "mono",
        "address": 1,
        "chunks": [wire.hex()],
        "packets": len(BAD) + 1,
    }


def simulate(case: dict) -> dict:
    """What the CPython simulator's receiver does with the same bytes, in replay.py's shape."""
    spec = BoardSpec(case["width"], case["height"], case["color"])
    rx = native.NativeReceiver(spec, case["address"])
    now = [0]
    rx.core.clock = lambda: now[0]  # the board's clock moves only where the case says
    answers: list[list] = []
    for chunk in case["chunks"]:
        if chunk == "idle":
            rx.idle()
            answers.append([])
        elif chunk.startswith("t+"):
            now[0] += int(chunk[2:])
            answers.append([rx.tick()])
        else:
            answers.append([a.hex() for a in rx.feed(bytes.fromhex(chunk))])
    return {
        "answers": answers,
        "fb": spec.pack(rx.fb).hex(),
        "status": rx.core.status().hex(),
        "frames": rx.frames,
        "errors": dict(rx.errors),
        "ops": dict(rx.ops),
        "expected": rx.core.expected,
        "step": rx.core.step(),
    }


def test_micropython_core_equals_the_simulator_on_a_packet_corpus() -> None:
    corpus: list[dict] = []

    @settings(
        max_examples=260,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(cases())
    def collect(case: dict) -> None:
        corpus.append(case)

    collect()
    corpus.append(every_refusal())
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
    assert kinds >= {
        "ping",
        "readback",
        "clear",
        "brightness",
        "frame",
        "rect",
        "shift",
        "scroll",
        "duplicate",
        "crc",
        "garbage",
        "wrong_address",
        "sequence",
        "length",
        "range",
        "decompress",
        "unknown_command",
    }


def test_micropython_replays_the_documents_worked_examples() -> None:
    from tests.test_protocol_doc import BLOCKS, parse_block

    cases, want = [], []
    for block in BLOCKS:
        board, steps = parse_block(block)
        if board["faults"]:
            continue  # the simulator's injected faults are not the firmware's
        spec = board["spec"]
        cases.append(
            {
                "width": spec.width,
                "height": spec.height,
                "color": spec.color,
                "address": board["address"],
                "chunks": [w.hex() for d, w, _ in steps if d == ">"],
            }
        )
        answers = []
        for direction, wire, _ in steps:
            if direction == ">":
                answers.append([])
            elif wire is not None:
                answers[-1].append(wire.hex())
        want.append(answers)
    got = wasm.run("replay.py", {"cases": cases})["results"]
    assert [g["answers"] for g in got] == want
