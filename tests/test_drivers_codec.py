"""Codecs against their published definitions, and driver-side encoding against board-side decoding."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pyflipdot import data as pyflipdot_data
from pyflipdot.data import ImagePacket

from drivers import delta, flipdot, native, tpm2
from drivers.framing import (
    CRC_CHECK,
    cobs_decode,
    cobs_encode,
    crc32,
    packbits_decode,
    packbits_encode,
)
from drivers.pixels import BoardSpec
from signage.render import ScrollOp

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_crc_check_value() -> None:
    assert crc32(b"123456789") == CRC_CHECK == 0xCBF43926


@pytest.mark.parametrize(
    "raw, enc",
    [  # the examples of the COBS paper / Wikipedia
        (b"\x00", b"\x01\x01"),
        (b"\x00\x00", b"\x01\x01\x01"),
        (b"\x11\x22\x00\x33", b"\x03\x11\x22\x02\x33"),
        (b"\x11\x22\x33\x44", b"\x05\x11\x22\x33\x44"),
        (b"\x11\x00\x00\x00", b"\x02\x11\x01\x01\x01"),
        (bytes(range(1, 255)), b"\xff" + bytes(range(1, 255)) + b"\x01"),
    ],
)
def test_cobs_vectors(raw: bytes, enc: bytes) -> None:
    assert cobs_encode(raw) == enc
    assert cobs_decode(enc) == raw


@given(st.binary(max_size=2000))
def test_cobs_round_trip_has_no_zero(data: bytes) -> None:
    enc = cobs_encode(data)
    assert 0 not in enc
    assert cobs_decode(enc) == data


def test_packbits_apple_example() -> None:
    raw = bytes.fromhex("AAAAAA80002AAAAAAAAA80002A22" + "AA" * 10)
    assert packbits_decode(bytes.fromhex("FEAA0280002AFDAA0380002A22F7AA"), 1000) == raw
    assert packbits_decode(packbits_encode(raw), 1000) == raw


@given(st.binary(max_size=3000) | st.lists(st.sampled_from([b"\x00" * 200, b"\xff", b"ab"])).map(b"".join))
def test_packbits_round_trip(data: bytes) -> None:
    assert packbits_decode(packbits_encode(data), len(data)) == data


def test_packbits_rejects_bad_data() -> None:
    with pytest.raises(ValueError):
        packbits_decode(b"\x05ab", 100)  # literal runs past the end
    with pytest.raises(ValueError):
        packbits_decode(b"\x81\x00", 10)  # expands past the limit


def test_native_packet_layout() -> None:
    pkt = native.encode_packet(1, 7, native.PING)
    body = bytes((1, 7, 1))
    assert pkt == cobs_encode(body + crc32(body).to_bytes(4, "big")) + b"\x00"
    assert native.decode_packet(pkt[:-1]) == (1, 7, 1, b"")


# -- images and operations -----------------------------------------------------------------
SPECS = [
    BoardSpec(192, 32),
    BoardSpec(24, 13),
    BoardSpec(16, 8, "bicolor"),
    BoardSpec(12, 9, "rgb"),
    BoardSpec(10, 8, "rgb565"),
]


@st.composite
def images(draw, spec: BoardSpec) -> Image.Image:
    if spec.color == "mono":
        n = spec.frame_bytes
        return Image.frombytes("1", spec.size, draw(st.binary(min_size=n, max_size=n)))
    n = spec.width * spec.height * 3
    return Image.frombytes("RGB", spec.size, draw(st.binary(min_size=n, max_size=n)))


@st.composite
def sequences(draw, spec: BoardSpec) -> list[Image.Image]:
    """Random frames, and frames made from the previous by a shift or a rectangle (like a renderer)."""
    frames = [draw(images(spec))]
    for _ in range(draw(st.integers(1, 6))):
        prev, kind = frames[-1], draw(st.sampled_from(["random", "shift", "rect", "same"]))
        if kind == "random":
            frames.append(draw(images(spec)))
        elif kind == "same":
            frames.append(prev.copy())
        elif kind == "shift":
            dx = draw(st.integers(-4, 4))
            dy = 0 if dx else draw(st.integers(-3, 3))
            new = Image.new(prev.mode, prev.size, 0)
            new.paste(prev, (dx, dy))
            frames.append(new)
        else:
            new = prev.copy()
            x, y = draw(st.integers(0, spec.width - 1)), draw(st.integers(0, spec.height - 1))
            patch = draw(images(BoardSpec(max(8, spec.width), max(8, spec.height), spec.color)))
            w, h = draw(st.integers(1, spec.width - x)), draw(st.integers(1, spec.height - y))
            new.paste(patch.crop((0, 0, w, h)), (x, y))
            frames.append(new)
    return frames


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.width}x{s.height}-{s.color}")
@SETTINGS
@given(data=st.data())
def test_native_plans_rebuild_every_frame(spec: BoardSpec, data) -> None:
    board = native.NativeBoard.__new__(native.NativeBoard)
    native.Board.__init__(board, spec)
    board.chunk, board.max_chunk = data.draw(st.sampled_from([24, 100, 8192])), 8192
    rx = native.NativeReceiver(spec, 1)
    known, seq = None, 0
    for frame in data.draw(sequences(spec)):
        target = spec.unpack(spec.pack(frame))
        for cmd, payload, _kind in board.plan(known, target):
            seq = (seq + 1) & 0xFF
            answers = rx.feed(native.encode_packet(1, seq, cmd | (native.SYNC if seq == 1 else 0), payload))
            assert native.decode_packet(answers[0][:-1])[2] == native.ACK, rx.errors
        known = target
        assert spec.pack(rx.fb) == spec.pack(target)
    assert not rx.errors


def test_scroll_step_is_a_small_shift() -> None:
    spec = BoardSpec(192, 32)
    board = native.NativeBoard.__new__(native.NativeBoard)
    native.Board.__init__(board, spec)
    board.chunk = 8192
    old = Image.effect_noise(spec.size, 80).convert("1")
    new = Image.new("1", spec.size)
    new.paste(old, (-1, 0))
    ops = board.plan(old, new)
    assert [kind for _, _, kind in ops] == ["shift"]
    assert len(native.encode_packet(1, 0, ops[0][0], ops[0][1])) <= 18  # 32 rows: 4 bytes of pixels


# -- TPM2 ----------------------------------------------------------------------------------
def test_tpm2_bytes_are_exact() -> None:
    spec = BoardSpec(8, 8, "rgb")
    img = Image.new("RGB", spec.size, (1, 2, 3))
    frame = tpm2.encode(img, spec)
    assert frame[:4] == bytes((0xC9, 0xDA, 0x00, 0xC0)) and frame[-1] == 0x36
    assert frame[4:7] == b"\x01\x02\x03" and len(frame) == 4 + 192 + 1
    assert tpm2.encode(img, spec, "GRB")[4:7] == b"\x02\x01\x03"
    mono = BoardSpec(16, 8)
    one = Image.new("1", mono.size, 0)
    one.putpixel((0, 0), 1)
    assert tpm2.encode(one, mono) == bytes((0xC9, 0xDA, 0, 128, 255)) + bytes(127) + b"\x36"


@pytest.mark.parametrize("order", tpm2.ORDERS)
@SETTINGS
@given(data=st.data())
def test_tpm2_round_trip(order: str, data) -> None:
    spec = data.draw(st.sampled_from(SPECS[1:]))
    rx = tpm2.Tpm2Receiver(spec, order=order)
    for img in data.draw(sequences(spec)):
        rx.feed(tpm2.encode(img, spec, order))
        assert spec.pack(rx.fb) == spec.pack(img)
    assert not rx.errors


def test_tpm2_ping_answered() -> None:
    rx = tpm2.Tpm2Receiver(BoardSpec(16, 8))
    assert rx.feed(b"\xc9\xaa") == [b"\xac"]


# -- Hanover flip-dot ----------------------------------------------------------------------
@pytest.mark.parametrize("use_numpy", [True, False])
@SETTINGS
@given(w=st.integers(7, 120), h=st.integers(7, 40), address=st.integers(0, 15), data=st.data())
def test_flipdot_identical_to_pyflipdot(use_numpy: bool, w: int, h: int, address: int, data) -> None:
    spec = BoardSpec(w, h)
    img = data.draw(images(spec))
    saved = flipdot._np
    try:
        flipdot._np = saved if use_numpy else None  # the pure-Python path must match too
        ours = flipdot.encode(img, spec, address)
    finally:
        flipdot._np = saved
    theirs = ImagePacket(address, np.array(img, dtype=bool)).get_bytes()
    assert ours == theirs
    rx = flipdot.FlipdotReceiver(spec, address)
    rx.feed(theirs)
    assert spec.pack(rx.fb) == spec.pack(img) and rx.frames == 1 and not rx.errors


def test_flipdot_test_mode_packets() -> None:
    assert flipdot.command(flipdot.TEST_START) == pyflipdot_data.TestSignsStartPacket().get_bytes()
    assert flipdot.command(flipdot.TEST_STOP) == pyflipdot_data.TestSignsStopPacket().get_bytes()


# -- the renderer's scroll hint (Board.show(image, op)) ------------------------------------
def _scroll(prev: Image.Image, direction: str, n: int, incoming: Image.Image) -> Image.Image:
    """What the renderer's ScrollOp does: move ``prev`` and let ``incoming``'s edge enter."""
    return ScrollOp(direction, n, incoming).apply(prev)


@st.composite
def hinted_sequences(draw, spec: BoardSpec) -> list[tuple[Image.Image, object]]:
    """Frames with the hint a renderer would give (real ScrollOp or a duck), a wrong hint, or none."""
    frames: list[tuple[Image.Image, object]] = [(draw(images(spec)), None)]
    for _ in range(draw(st.integers(1, 6))):
        prev = frames[-1][0]
        kind = draw(st.sampled_from(["scroll", "scroll", "duck", "wrong", "random"]))
        direction = draw(st.sampled_from(["left", "right", "up"]))
        edge = spec.width if direction != "up" else spec.height
        n = draw(st.integers(1, min(edge - 1, 140)))
        if kind == "random":
            frames.append((draw(images(spec)), None))
            continue
        new = _scroll(prev, direction, n, draw(images(spec)))
        if kind == "scroll":
            op: object = ScrollOp(direction, n, new)
        elif kind == "duck":
            op = SimpleNamespace(direction=direction, shift=n)
        else:  # a hint that does not fit: wrong way, wrong size, or nonsense
            op = draw(
                st.sampled_from(
                    [
                        SimpleNamespace(direction="down", shift=n),
                        SimpleNamespace(direction=direction, shift=n + 1),
                        SimpleNamespace(direction="sideways", shift=1),
                        SimpleNamespace(direction="left", shift=0),
                        object(),
                    ]
                )
            )
        frames.append((new, op))
    return frames


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.width}x{s.height}-{s.color}")
@SETTINGS
@given(data=st.data())
def test_native_plans_with_hints_rebuild_every_frame(spec: BoardSpec, data) -> None:
    board = native.NativeBoard.__new__(native.NativeBoard)
    native.Board.__init__(board, spec)
    board.chunk, board.max_chunk = data.draw(st.sampled_from([24, 100, 8192])), 8192
    rx = native.NativeReceiver(spec, 1)
    known, seq = None, 0
    for frame, op in data.draw(hinted_sequences(spec)):
        target = spec.unpack(spec.pack(frame))
        for cmd, payload, _kind in board.plan(known, target, op):
            seq = (seq + 1) & 0xFF
            answers = rx.feed(native.encode_packet(1, seq, cmd | (native.SYNC if seq == 1 else 0), payload))
            assert native.decode_packet(answers[0][:-1])[2] == native.ACK, rx.errors
        known = target
        assert spec.pack(rx.fb) == spec.pack(target)  # the framebuffer always equals the image
    assert not rx.errors


def test_hint_sends_a_scroll_the_search_cannot_find() -> None:
    spec = BoardSpec(192, 32)
    board = native.NativeBoard.__new__(native.NativeBoard)
    native.Board.__init__(board, spec)
    board.chunk = 8192
    old = Image.effect_noise(spec.size, 80).convert("1")
    new = _scroll(old, "left", 6, Image.effect_noise(spec.size, 80).convert("1"))  # beyond the 4-px search
    hinted = board.plan(old, new, ScrollOp("left", 6, new))
    assert [kind for _, _, kind in hinted] == ["shift"]
    assert board.stats["hints_used"] == 1
    unhinted = board.plan(old, new)
    assert sum(len(p) for _, p, _ in hinted) * 10 < sum(len(p) for _, p, _ in unhinted)
    wrong = board.plan(old, new, SimpleNamespace(direction="up", shift=3))  # falls back to the search
    assert board.stats["hints_ignored"] == 1 and wrong == unhinted
    assert delta.hint_shift(SimpleNamespace(direction="up", shift=3)) == (0, -3)
    assert delta.hint_shift(SimpleNamespace(direction="up", shift=True)) is None
