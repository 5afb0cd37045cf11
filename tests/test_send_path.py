"""The send path's bytes stay exactly what they were before it was made fast (issue #18, 7).

Golden digests recorded with the encoder and planner as they were before the fast path
(commit "Golden digests of the native send path"): for scrolls of every colour model,
direction and step, trusted and untrusted hints, stills and small changes, with normal and
tiny packet sizes, the packets ``NativeBoard.packets`` makes (what ``show`` writes) hash to
the same digests. Each case first checks the frames it feeds in, so a change in the
renderer reads as that, not as a change in the driver.

Run ``python tests/test_send_path.py`` to print the digests of the code as it is now.
"""

from __future__ import annotations

import hashlib
import random
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drivers.framing import cobs_encode, crc32, packbits_encode  # noqa: E402
from drivers.link import Link  # noqa: E402
from drivers.native import NativeBoard, encode_packet  # noqa: E402
from drivers.pixels import BoardSpec  # noqa: E402
from signage.render import ScrollOp, render_item  # noqa: E402
from signage.render.effects import Painter, scroll  # noqa: E402

SLOGAN = "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG"
NOW = datetime(2026, 3, 1, 7, 59, 58)

#: (image, hint) pairs as a player hands them to ``show``.
Steps = list[tuple[Image.Image, object]]


def rendered(spec: BoardSpec, **item: object) -> Callable[[], Steps]:
    def make() -> Steps:
        frames = render_item({"text": SLOGAN, **item}, spec, now=NOW)
        return [(f.image, f.op) for f in frames]

    return make


def noise_strip(
    spec: BoardSpec, length: int, seed: int, horizontal: bool = True, sparse: bool = False
) -> Image.Image:
    """A 1-bit strip padded by a board at each end: blocks, stripes, noise and gaps.

    ``sparse``: few marks, and lit bars wider than the board (steps that change nothing).
    """
    rng = random.Random(seed)
    w, h = spec.size
    size = (length + 2 * w, h) if horizontal else (w, length + 2 * h)
    img = Image.new("1", size, 0)
    draw = ImageDraw.Draw(img)
    if sparse:
        for at in (w + length // 4, w + length // 2):
            box = (at, 0, at + w + w // 2, size[1]) if horizontal else (0, at, size[0], at + h + h // 2)
            draw.rectangle(box, fill=1)
    for _ in range(length // (40 if sparse else 6)):
        x = rng.randrange(size[0])
        y = rng.randrange(size[1])
        kind = rng.random()
        if kind < 0.4:
            draw.rectangle((x, y, x + rng.randrange(1, 9), y + rng.randrange(1, h)), fill=1)
        elif kind < 0.7:
            img.putpixel((x, y), 1)
        else:
            draw.line((x, 0, x, size[1]), fill=1)
    return img


def synthetic(
    spec: BoardSpec,
    direction: str,
    speed: float,
    seed: int,
    color: tuple[int, int, int] = (255, 204, 0),
    background: tuple[int, int, int] = (0, 0, 0),
    sparse: bool = False,
) -> Callable[[], Steps]:
    def make() -> Steps:
        strip = noise_strip(spec, 300, seed, direction != "up", sparse)
        frames = scroll(Painter(spec, color, background), strip, direction, speed, passes=1)
        return [(f.image, f.op) for f in frames]

    return make


def untrusted(make: Callable[[], Steps]) -> Callable[[], Steps]:
    """The same hints minus what ties them to the frame before: the driver checks them."""

    def made() -> Steps:
        return [(img, ScrollOp(op.direction, op.shift, img) if op else None) for img, op in make()]

    return made


def skipping(make: Callable[[], Steps], every: int) -> Callable[[], Steps]:
    """Every ``every``-th step missing: the hints' ``prev`` are frames the board never had."""

    def made() -> Steps:
        return [s for i, s in enumerate(make()) if i % every]

    return made


def stills(spec: BoardSpec, seed: int) -> Callable[[], Steps]:
    """Frames without hints: repeats, small changes, big changes, blanks."""

    def make() -> Steps:
        rng = random.Random(seed)
        mode = spec.image_mode
        out: Steps = []
        img = Image.new(mode, spec.size, 0)
        for i in range(40):
            img = img.copy()
            draw = ImageDraw.Draw(img)
            kind = i % 5
            fill = 1 if mode == "1" else (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            if kind == 0:
                pass  # the same frame again
            elif kind in (1, 2):
                x, y = rng.randrange(spec.width), rng.randrange(spec.height)
                draw.rectangle((x, y, x + rng.randrange(1, 12), y + rng.randrange(1, 6)), fill=fill)
            elif kind == 3:  # every pixel anew
                n = spec.width * spec.height * (1 if mode == "1" else 3)
                data = bytes(rng.randrange(256) if rng.random() < 0.5 else 0 for _ in range(n))
                img = Image.frombytes("L" if mode == "1" else "RGB", spec.size, data).convert(mode)
            else:
                img = Image.new(mode, spec.size, 0)
            out.append((img, None))
        return out

    return make


def shifted_stills(spec: BoardSpec) -> Callable[[], Steps]:
    """A board content moved by 1-4 px without a hint: the driver finds the shift itself."""

    def make() -> Steps:
        base = noise_strip(spec, 200, 7).crop((0, 0, spec.width + 40, spec.height))
        if spec.image_mode != "1":
            base = Painter(spec, (0, 255, 0), (0, 0, 0)).paint(base)
        out: Steps = []
        for x in (20, 21, 23, 19, 15, 15, 18):
            out.append((base.crop((x, 0, x + spec.width, spec.height)), None))
        return out

    return make


#: name -> (spec, steps, NativeBoard keyword arguments)
CASES: dict[str, tuple[BoardSpec, Callable[[], Steps], dict[str, int]]] = {}


def case(name: str, spec: BoardSpec, make: Callable[[], Steps], **kw: int) -> None:
    CASES[name] = (spec, make, kw)


for _spec, _item in [
    (BoardSpec(192, 32), {"effect": "scroll-left", "speed": 32}),
    (BoardSpec(128, 64, "rgb"), {"effect": "scroll-left", "speed": 32}),
    (BoardSpec(128, 64, "rgb"), {"effect": "scroll-left", "speed": 32, "color": "#ffcc00"}),
    (BoardSpec(96, 16, "bicolor"), {"effect": "scroll-right", "speed": 64}),
    (BoardSpec(100, 20, "rgb"), {"effect": "scroll-right", "speed": 64, "color": "#ff3300"}),
    (BoardSpec(100, 13), {"effect": "scroll-right", "speed": 32}),
    (BoardSpec(64, 32, "rgb565"), {"effect": "scroll-up", "speed": 16}),
    (BoardSpec(64, 32, "rgb"), {"effect": "scroll-up", "speed": 16}),
    (BoardSpec(84, 7), {"effect": "scroll-left", "speed": 32}),
    (BoardSpec(160, 16), {"effect": "scroll-left", "speed": 400}),
    (BoardSpec(192, 32), {"effect": "scroll-left", "speed": 32, "background": "#ffffff", "color": "#000000"}),
]:
    _name = f"slogan-{_spec.width}x{_spec.height}-{_spec.color}-{_item['effect']}-{_item['speed']}"
    _name += "-" + str(_item.get("color", "")).strip("#")
    case(_name, _spec, rendered(_spec, **_item))  # type: ignore[arg-type]
case(
    "slogan-live-160x16",
    BoardSpec(160, 16),
    rendered(BoardSpec(160, 16), effect="scroll-left", speed=200, text="{time} " + SLOGAN),
)
case(
    "slogan-192x32-untrusted",
    BoardSpec(192, 32),
    untrusted(rendered(BoardSpec(192, 32), effect="scroll-left")),
)
case(
    "slogan-128x64-rgb-untrusted",
    BoardSpec(128, 64, "rgb"),
    untrusted(rendered(BoardSpec(128, 64, "rgb"), effect="scroll-left")),
)
case(
    "slogan-192x32-skipping",
    BoardSpec(192, 32),
    skipping(rendered(BoardSpec(192, 32), effect="scroll-left"), 7),
)
case(
    "slogan-128x64-rgb-small-packets",
    BoardSpec(128, 64, "rgb"),
    rendered(BoardSpec(128, 64, "rgb"), effect="scroll-left", speed=32),
    max_chunk=96,
    min_chunk=24,
)
for _color in ("mono", "rgb", "bicolor", "rgb565"):
    for _direction, _speed in (("left", 32), ("right", 100), ("up", 32), ("left", 200)):
        for _size in ((96, 16), (61, 9), (128, 64)):
            _spec = BoardSpec(*_size, _color)  # type: ignore[arg-type]
            _name = f"noise-{_size[0]}x{_size[1]}-{_color}-{_direction}-{_speed}"
            case(_name, _spec, synthetic(_spec, _direction, _speed, seed=len(CASES)))
            _sparse = synthetic(_spec, _direction, _speed, seed=len(CASES), sparse=True)
            case(_name + "-sparse", _spec, _sparse)
    _spec = BoardSpec(96, 16, _color)
    case(f"noise-96x16-{_color}-inverse", _spec, synthetic(_spec, "left", 32, 3, (0, 0, 0), (255, 255, 255)))
    case(f"noise-96x16-{_color}-small-packets", _spec, synthetic(_spec, "left", 50, 5), max_chunk=24)
    case(f"noise-96x16-{_color}-untrusted", _spec, untrusted(synthetic(_spec, "right", 32, 9)))
    for _size in ((96, 16), (128, 64), (7, 7)):
        _spec = BoardSpec(*_size, _color)  # type: ignore[arg-type]
        case(f"stills-{_size[0]}x{_size[1]}-{_color}", _spec, stills(_spec, seed=_size[0]))
        case(f"shifted-{_size[0]}x{_size[1]}-{_color}", _spec, shifted_stills(_spec))
    _spec = BoardSpec(128, 64, _color)
    case(f"stills-128x64-{_color}-small-packets", _spec, stills(_spec, seed=1), max_chunk=64)


def digests(spec: BoardSpec, steps: Steps, kw: dict[str, int]) -> tuple[str, str, int]:
    """(digest of the frames, digest of every packet in order, packets) for one case."""
    frames = hashlib.sha256()
    for img, _ in steps:
        frames.update(img.tobytes())
    board = NativeBoard(Link("loop://"), spec, **kw)  # never opened: its planner and encoder only
    board._seq = 0  # noqa: SLF001 - a fixed start, so the digests do not depend on chance
    packets = hashlib.sha256()
    count = 0
    for img, op in steps:
        for packet in board.packets(img, op):  # type: ignore[arg-type]
            packets.update(len(packet).to_bytes(4, "big") + packet)
            count += 1
    return frames.hexdigest()[:16], packets.hexdigest()[:16], count


def encoder_digests() -> Iterator[tuple[str, str]]:
    """Digests of CRC, COBS, PackBits and whole packets over varied bytes."""
    rng = random.Random(18)
    samples = [b"", b"\x00", b"\x00" * 300, b"\x01" * 600, bytes(range(256)) * 3]
    for n in list(range(0, 300, 7)) + [253, 254, 255, 508, 509, 1000, 5000]:
        for zeros in (0.0, 0.1, 0.5, 0.95):
            samples.append(bytes(0 if rng.random() < zeros else rng.randrange(1, 256) for _ in range(n)))
            samples.append(bytes(rng.choice((0, 0, 7, 255)) for _ in range(n)))
    for name, fn in (
        ("crc32", lambda d: crc32(d).to_bytes(4, "big")),
        ("cobs", cobs_encode),
        ("packbits", packbits_encode),
        ("packet", lambda d: encode_packet(1 + len(d) % 127, len(d) % 256, 0x05, d)),
        ("packet-seq0", lambda d: encode_packet(0x7F, 0, 0x06, d)),
    ):
        h = hashlib.sha256()
        for d in samples:
            out = fn(d)
            h.update(len(out).to_bytes(4, "big") + out)
        yield name, h.hexdigest()[:16]


GOLDEN: dict[str, tuple[str, str, int]] = {
    "noise-128x64-bicolor-left-200": ("2a755a9e962fca6b", "a3c27ef1c9034e9e", 108),
    "noise-128x64-bicolor-left-200-sparse": ("e0e67fa9713e0450", "34134f0e031a0a8d", 74),
    "noise-128x64-bicolor-left-32": ("ff5ea8f0ea89edd5", "f17cff401f0d7703", 429),
    "noise-128x64-bicolor-left-32-sparse": ("852d2c7cc2b9ac65", "29c7f96ea412ca4f", 289),
    "noise-128x64-bicolor-right-100": ("542043debb750276", "ba411bee2171b02b", 215),
    "noise-128x64-bicolor-right-100-sparse": ("f5fddbf1a3244989", "6585e31fb676f825", 146),
    "noise-128x64-bicolor-up-32": ("cea1ecea4add6aa2", "186a258223bb1d6e", 365),
    "noise-128x64-bicolor-up-32-sparse": ("5663765810797ed6", "0674db627f417dc6", 248),
    "noise-128x64-mono-left-200": ("8541b7e768553531", "3e13813222d4d7e8", 108),
    "noise-128x64-mono-left-200-sparse": ("ba308a8f89aec05c", "f2916857570e97c6", 74),
    "noise-128x64-mono-left-32": ("c7c9df35246d8334", "6bc28e40ab8e94e2", 429),
    "noise-128x64-mono-left-32-sparse": ("dd260d3026d14f32", "c62410ebd984e522", 289),
    "noise-128x64-mono-right-100": ("209601aca6b521bb", "155b9da2d3669e8a", 215),
    "noise-128x64-mono-right-100-sparse": ("fb4cc8a1faeb7f2f", "498e1c52c12ca2f0", 146),
    "noise-128x64-mono-up-32": ("dddf9d00fe320d88", "557a2f65ba10f740", 365),
    "noise-128x64-mono-up-32-sparse": ("a85cdb69d5af2fa1", "4e04fc671cef048d", 167),
    "noise-128x64-rgb-left-200": ("d092f8699ce6afa0", "0be70dfeb4f65207", 111),
    "noise-128x64-rgb-left-200-sparse": ("d212c0027c5fe445", "aa9c85f0630a5248", 72),
    "noise-128x64-rgb-left-32": ("d2d86c76cf1cdc70", "02f065570122b08b", 432),
    "noise-128x64-rgb-left-32-sparse": ("33d242dc33e003f9", "7886f70903e2c086", 292),
    "noise-128x64-rgb-right-100": ("4096803303174d4d", "c3a0a1f80b8ece68", 218),
    "noise-128x64-rgb-right-100-sparse": ("2991537bafff664d", "47b0262e84306091", 140),
    "noise-128x64-rgb-up-32": ("0ad3cacb568f7120", "e1f9d315b0321931", 368),
    "noise-128x64-rgb-up-32-sparse": ("64cd37403a67bd4f", "f5c6882360cb8ec8", 220),
    "noise-128x64-rgb565-left-200": ("367b7668cefa43fc", "b7f7146f1b1aaef7", 109),
    "noise-128x64-rgb565-left-200-sparse": ("a086a9567e75f458", "05d942f3a10b0f6e", 61),
    "noise-128x64-rgb565-left-32": ("1551a2c92c490e0b", "c50ebb01dbf56f5a", 430),
    "noise-128x64-rgb565-left-32-sparse": ("e99651c3a50d3b3c", "a2e28b20f3b3842d", 290),
    "noise-128x64-rgb565-right-100": ("f0917d04ef126930", "4f27998dd8456a47", 216),
    "noise-128x64-rgb565-right-100-sparse": ("ad6aeaa64e5ee0e3", "2008cea6293283d7", 141),
    "noise-128x64-rgb565-up-32": ("56a8c3ffcdd830a9", "8d74da3b7fa7008f", 366),
    "noise-128x64-rgb565-up-32-sparse": ("de988c47fbd57991", "439cf8d313cdef76", 197),
    "noise-61x9-bicolor-left-200": ("363d7e0dd62587d0", "cbc5cd2075173f56", 92),
    "noise-61x9-bicolor-left-200-sparse": ("af41368c32ff7887", "ff12b1fa6211028b", 61),
    "noise-61x9-bicolor-left-32": ("6aa7d2f360db5f4d", "1f365791c99afd45", 362),
    "noise-61x9-bicolor-left-32-sparse": ("f38e2454b9ac0038", "1556615a8010007c", 253),
    "noise-61x9-bicolor-right-100": ("00370eee47ca920c", "1023f0cfbe363818", 182),
    "noise-61x9-bicolor-right-100-sparse": ("3fa58baf90bc38fe", "0ed38fd35038da21", 120),
    "noise-61x9-bicolor-up-32": ("03923fc7026c7911", "a08d9c4176ceeda0", 246),
    "noise-61x9-bicolor-up-32-sparse": ("ab01bf307523dc41", "eb396adf002b4b18", 86),
    "noise-61x9-mono-left-200": ("8d211806db5e32b0", "7ff591f94502b158", 92),
    "noise-61x9-mono-left-200-sparse": ("8439b478e7e832da", "605eff24900da239", 48),
    "noise-61x9-mono-left-32": ("9ebc587d67e816ef", "2cabda6b309ae1fd", 362),
    "noise-61x9-mono-left-32-sparse": ("3702ab7bc98a5922", "7acae29a522f0d7f", 223),
    "noise-61x9-mono-right-100": ("7473f2f9f3ec53b9", "9e56497d5a1d7033", 182),
    "noise-61x9-mono-right-100-sparse": ("6c1f10039e97f193", "747f16a1b32de07a", 129),
    "noise-61x9-mono-up-32": ("e6ea53ba78a539d8", "ce893b020e22ceed", 203),
    "noise-61x9-mono-up-32-sparse": ("fd7ef8476a71d436", "0c134b4b5c499b03", 124),
    "noise-61x9-rgb-left-200": ("c8e477108a9d7193", "05573a0b6a973536", 92),
    "noise-61x9-rgb-left-200-sparse": ("4dde979ec14e7470", "b19f115c319ab49d", 45),
    "noise-61x9-rgb-left-32": ("24453d4fd0296d0b", "13af804df54a2571", 362),
    "noise-61x9-rgb-left-32-sparse": ("30d0d5fe166e785b", "fd9f9852ae96f92c", 210),
    "noise-61x9-rgb-right-100": ("4c4f02c46b85cf21", "a80d8b0f891bced5", 182),
    "noise-61x9-rgb-right-100-sparse": ("f102a09b91730ad5", "63ab14a03e709f15", 115),
    "noise-61x9-rgb-up-32": ("97584c13b186a6dc", "52fdda22ccdbd5e3", 235),
    "noise-61x9-rgb-up-32-sparse": ("290f3e6a9c327723", "facd4f414f71bdb3", 97),
    "noise-61x9-rgb565-left-200": ("4f93ee0d202ce076", "6ed367b75208229f", 92),
    "noise-61x9-rgb565-left-200-sparse": ("e3a937addda0381e", "28d44e0b288ac154", 59),
    "noise-61x9-rgb565-left-32": ("6ff433e7888af743", "ab99d1b876d922a1", 362),
    "noise-61x9-rgb565-left-32-sparse": ("b05a5b44e93b9307", "74371e9ac1313889", 177),
    "noise-61x9-rgb565-right-100": ("b48177b44386e483", "9815532ea79cf0b8", 182),
    "noise-61x9-rgb565-right-100-sparse": ("b2b66cedf9d28d64", "c11f3f7ca0c0d8aa", 100),
    "noise-61x9-rgb565-up-32": ("7bfaa6752bce218a", "51a0553970475de8", 176),
    "noise-61x9-rgb565-up-32-sparse": ("9714dd75699111a4", "599e6208c8a4cfe5", 72),
    "noise-96x16-bicolor-inverse": ("0567c2e3848bbe3e", "6ed73514ff1e2b98", 397),
    "noise-96x16-bicolor-left-200": ("8751c28ab58a2a84", "f21c9fe993de3f44", 100),
    "noise-96x16-bicolor-left-200-sparse": ("266d224f10b613ba", "ce3a0d8aefaa4dc4", 70),
    "noise-96x16-bicolor-left-32": ("7f3fca85364216b4", "0e53df96bdbaf41e", 397),
    "noise-96x16-bicolor-left-32-sparse": ("f791c5bae96eba49", "0ecd2b00c22dd7ae", 273),
    "noise-96x16-bicolor-right-100": ("407b7f3d71adb839", "59044abccc4e9710", 199),
    "noise-96x16-bicolor-right-100-sparse": ("2bcf80cfe0515be8", "6da0925424a41d28", 138),
    "noise-96x16-bicolor-small-packets": ("17bef84235363954", "71ef34a55f709297", 412),
    "noise-96x16-bicolor-untrusted": ("3f4af652a8576c7a", "f8f04bc8ff356a46", 397),
    "noise-96x16-bicolor-up-32": ("f8286e71b9f95477", "bbfe187748244dfc", 299),
    "noise-96x16-bicolor-up-32-sparse": ("06d9fb14c8a5c0df", "fc4f445bbba2445d", 112),
    "noise-96x16-mono-inverse": ("7d9e15f864707f62", "ba7bf69e39b77fd3", 397),
    "noise-96x16-mono-left-200": ("a48e1a5a1b9a3737", "27fba781130f676a", 100),
    "noise-96x16-mono-left-200-sparse": ("0f57dba16c2d4343", "4dcfdc220fde24a7", 58),
    "noise-96x16-mono-left-32": ("f058d23ea5c37b72", "d98325bc598d72c2", 397),
    "noise-96x16-mono-left-32-sparse": ("adb17815fe6b960a", "71e273e7e854033a", 198),
    "noise-96x16-mono-right-100": ("a48291908dbd5db2", "03aaec403cb4cef7", 199),
    "noise-96x16-mono-right-100-sparse": ("e01e5541ca990f97", "bd2313b462283153", 135),
    "noise-96x16-mono-small-packets": ("e9621eb1b6caa466", "911110e0ae157b8f", 404),
    "noise-96x16-mono-untrusted": ("3f9c674aaae7804a", "2065e9f08dd26052", 397),
    "noise-96x16-mono-up-32": ("589f4d0aeb904e8d", "72bebb79bba2be3e", 307),
    "noise-96x16-mono-up-32-sparse": ("04bb31e30047d347", "b69997bcca2dd6b9", 145),
    "noise-96x16-rgb-inverse": ("1846f1cdb3a57d3c", "a36693fee5aeba13", 397),
    "noise-96x16-rgb-left-200": ("35ca99c3e61f4faa", "e5e1b073b2054e98", 100),
    "noise-96x16-rgb-left-200-sparse": ("1b9e8d03d7a885d0", "de1abc97baff9f22", 67),
    "noise-96x16-rgb-left-32": ("d75fc03b82f75384", "6eaaee14e9f08a89", 397),
    "noise-96x16-rgb-left-32-sparse": ("4eac0f8d9c4ae5ed", "98469cc247e1d307", 258),
    "noise-96x16-rgb-right-100": ("9fe8f5bf4ef38d60", "0c3413ababbfbda3", 199),
    "noise-96x16-rgb-right-100-sparse": ("4cbf7fadd67ab5f1", "b20c68124e652cb4", 112),
    "noise-96x16-rgb-small-packets": ("59066e4e8d7de5f3", "8661fa57dd7749ae", 3691),
    "noise-96x16-rgb-untrusted": ("77095a36328c7f23", "eaa4c668fd853abb", 397),
    "noise-96x16-rgb-up-32": ("9d6f6bebec80f6f5", "6d703f773969f5a2", 293),
    "noise-96x16-rgb-up-32-sparse": ("193828495ed5aed1", "338d617cb46d92b7", 191),
    "noise-96x16-rgb565-inverse": ("9e07fa0cd909f9e5", "f0ce51a897204498", 397),
    "noise-96x16-rgb565-left-200": ("583e8297744b0674", "2d39c1658df116c6", 100),
    "noise-96x16-rgb565-left-200-sparse": ("a56b5ebe2a27e2c3", "fe3380e2e0b6aefe", 70),
    "noise-96x16-rgb565-left-32": ("1055abc98eb64762", "fb677ab8f048af4a", 397),
    "noise-96x16-rgb565-left-32-sparse": ("3ecf8f40c60a63dc", "c54067466825b237", 273),
    "noise-96x16-rgb565-right-100": ("615105f6465fff73", "a1abaab8fba3517d", 199),
    "noise-96x16-rgb565-right-100-sparse": ("077ef42a93aac009", "a74e6622a5159fb1", 138),
    "noise-96x16-rgb565-small-packets": ("fa9cb8c17f08a1a7", "1f665cf977a22031", 588),
    "noise-96x16-rgb565-untrusted": ("26b1545ef6108dda", "9b19e39045515c27", 397),
    "noise-96x16-rgb565-up-32": ("0b47ed842e999aec", "7bd5c25737b54be6", 281),
    "noise-96x16-rgb565-up-32-sparse": ("f9a363cb35ed6e54", "79c7145113f136a8", 109),
    "shifted-128x64-bicolor": ("1746d6e844b980d1", "20c3ef48e2c5a507", 6),
    "shifted-128x64-mono": ("e8ff58bd133b6fd3", "359bce6712d7b258", 6),
    "shifted-128x64-rgb": ("1746d6e844b980d1", "516efe1c3d9a8806", 9),
    "shifted-128x64-rgb565": ("181120e579dcd90f", "66ab9f223dae418f", 7),
    "shifted-7x7-bicolor": ("4d63c49d7b6f84c3", "703feb7fea751d8d", 6),
    "shifted-7x7-mono": ("55f2651151c43ad1", "aee0573c2691b2f8", 6),
    "shifted-7x7-rgb": ("4d63c49d7b6f84c3", "597fa430b136ef45", 6),
    "shifted-7x7-rgb565": ("07e44f6714c33595", "9cfad7f3a4bf09af", 6),
    "shifted-96x16-bicolor": ("cd89b3f31bcaaa9e", "d834fd26fd96f3f0", 6),
    "shifted-96x16-mono": ("5b532b1ce03d82ee", "9cc158cb872a2f21", 6),
    "shifted-96x16-rgb": ("cd89b3f31bcaaa9e", "2670da941621f0d8", 6),
    "shifted-96x16-rgb565": ("899f205aebf25311", "aef2e4d31ea6cdfc", 6),
    "slogan-100x13-mono-scroll-right-32-": ("1156162bfe38f9a9", "fcd5f708ea01d109", 396),
    "slogan-100x20-rgb-scroll-right-64-ff3300": ("14d06859189faa88", "b5784a4e486846bc", 226),
    "slogan-128x64-rgb-scroll-left-32-": ("865877d533c448eb", "69f6afdc85bc3d64", 1050),
    "slogan-128x64-rgb-scroll-left-32-ffcc00": ("c35a4cca2f128445", "ba0b1d342579f415", 1050),
    "slogan-128x64-rgb-small-packets": ("865877d533c448eb", "318115df5393db72", 1302),
    "slogan-128x64-rgb-untrusted": ("865877d533c448eb", "69f6afdc85bc3d64", 1050),
    "slogan-160x16-mono-scroll-left-400-": ("a2cb3d6d3e9b31b1", "abe90128a76376c0", 65),
    "slogan-192x32-mono-scroll-left-32-": ("556a3669e1ce9b28", "d0e8d2bcac86de8d", 1109),
    "slogan-192x32-mono-scroll-left-32-000000": ("37394c4e5db0819e", "e4e676b61be7cf73", 1109),
    "slogan-192x32-skipping": ("5554cf44e1cb8796", "dc62435777688f25", 951),
    "slogan-192x32-untrusted": ("556a3669e1ce9b28", "d0e8d2bcac86de8d", 1109),
    "slogan-64x32-rgb-scroll-up-16-": ("9bbeff09d9954913", "2d9cb1b009bb8d5a", 140),
    "slogan-64x32-rgb565-scroll-up-16-": ("7786b6fab7a68251", "76720e53755c2df9", 140),
    "slogan-84x7-mono-scroll-left-32-": ("5185033f0c4b664e", "38a1255b6094f8b2", 245),
    "slogan-96x16-bicolor-scroll-right-64-": ("0a796fcc1c3c2320", "85a00cc5f6d67010", 224),
    "slogan-live-160x16": ("32a383fb34876259", "f61117a6afe678cf", 137),
    "stills-128x64-bicolor": ("ed82b1206ed48615", "9477442442d61d9c", 31),
    "stills-128x64-bicolor-small-packets": ("bb05ded8cc061525", "f14e77cb41826f69", 548),
    "stills-128x64-mono": ("ea90f2c2e8ada3b7", "3c6b9e18811108f7", 33),
    "stills-128x64-mono-small-packets": ("b10ff34c97a73074", "6e4363757d24c936", 288),
    "stills-128x64-rgb": ("ed82b1206ed48615", "81531eb0a4da02ed", 84),
    "stills-128x64-rgb-small-packets": ("bb05ded8cc061525", "400ffeeb8e60ddbd", 8486),
    "stills-128x64-rgb565": ("ed82b1206ed48615", "49fd48620e363c7e", 50),
    "stills-128x64-rgb565-small-packets": ("bb05ded8cc061525", "bbcdf7e4780fe556", 4254),
    "stills-7x7-bicolor": ("57d924b1e86e7c0b", "193541e2cbfcfc7d", 27),
    "stills-7x7-mono": ("31680845e77978a0", "528d6b727726aec0", 32),
    "stills-7x7-rgb": ("57d924b1e86e7c0b", "2c93c642f4590406", 33),
    "stills-7x7-rgb565": ("57d924b1e86e7c0b", "c57cb03cc0f468b1", 33),
    "stills-96x16-bicolor": ("737bc9d8dc91a531", "b81055c9ef494d5b", 28),
    "stills-96x16-mono": ("c56d14173f5d80a0", "8b3e7c1c9054a1c5", 33),
    "stills-96x16-rgb": ("737bc9d8dc91a531", "75e0508ed58e29cf", 33),
    "stills-96x16-rgb565": ("737bc9d8dc91a531", "b5ed4dc06bda801c", 33),
}

GOLDEN_ENCODERS: dict[str, str] = {
    "crc32": "7784d37736b2ba0e",
    "cobs": "b7745096738e3d03",
    "packbits": "d66ab73e7b95836d",
    "packet": "95c44072c1c75ce9",
    "packet-seq0": "d0fcfc531d0abf1e",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_packets_are_the_recorded_ones(name: str) -> None:
    spec, make, kw = CASES[name]
    frames, packets, count = digests(spec, make(), kw)
    want = GOLDEN[name]
    assert frames == want[0], "the frames fed in changed (renderer or test data), not the driver: re-record"
    assert (packets, count) == want[1:]


def test_encoders_are_the_recorded_ones() -> None:
    assert dict(encoder_digests()) == GOLDEN_ENCODERS


if __name__ == "__main__":
    print("GOLDEN = {")
    for _name in sorted(CASES):
        _spec, _make, _kw = CASES[_name]
        print(f"    {_name!r}: {digests(_spec, _make(), _kw)!r},")
    print("}")
    print(f"GOLDEN_ENCODERS = {dict(encoder_digests())!r}")
