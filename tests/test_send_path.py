"""The send path's bytes stay exactly what they were before it was made fast (issue #18, 7).

Golden digests recorded with the encoder and planner as they were before the fast path
(commit "Golden digests of the native send path"): for scrolls of every colour model,
direction and step, trusted and untrusted hints, stills and small changes, with normal and
tiny packet sizes, the packets ``NativeBoard.packets`` makes (what ``show`` writes) hash to
the same digests. Each case first checks the frames it feeds in, so a change in the
renderer reads as that, not as a change in the driver.

Run ``python tests/test_send_path.py`` to print the digests of the code as it is now; a new
case's digest comes from the code before the fast path (``git archive 2a101c3`` into a
scratch folder, this file copied in, run there), never from the code under test.
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

from drivers.delta import Columns, diff_bbox  # noqa: E402
from drivers.framing import cobs_encode, crc32, packbits_encode  # noqa: E402
from drivers.link import Link  # noqa: E402
from drivers.native import SHIFT, NativeBoard, encode_packet  # noqa: E402
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
    for _direction, _speed in (("left", 32), ("right", 32), ("right", 100), ("up", 32), ("left", 200)):
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
    "noise-128x64-bicolor-left-200": ("f3e89d6d5dc596ef", "7bbba896bff9fad3", 108),
    "noise-128x64-bicolor-left-200-sparse": ("4dee537c6b327a8f", "ee6bedaeefe0ec84", 69),
    "noise-128x64-bicolor-left-32": ("01b67c4f8aacc54d", "5f93139d5b57a537", 429),
    "noise-128x64-bicolor-left-32-sparse": ("77662b6d0d769dce", "5d227980e8fc9efd", 289),
    "noise-128x64-bicolor-right-100": ("87a9e62db1ee21d4", "84902f8ea5c771f5", 215),
    "noise-128x64-bicolor-right-100-sparse": ("289fe8e0aacfbd6f", "f5866fdbcf58c86a", 133),
    "noise-128x64-bicolor-right-32": ("e6312c8835f3338a", "69763d700025b864", 429),
    "noise-128x64-bicolor-right-32-sparse": ("5f75d0735e76cce9", "1c8ddd62dfd849c7", 289),
    "noise-128x64-bicolor-up-32": ("60735750add22087", "88c9881a96b7f668", 365),
    "noise-128x64-bicolor-up-32-sparse": ("3967451ca51b6ce1", "a61027ab42cbeef1", 257),
    "noise-128x64-mono-left-200": ("e2862c49b12c9aeb", "587041581d513e17", 108),
    "noise-128x64-mono-left-200-sparse": ("10eea29101ae11ed", "1432c40ff28398cb", 74),
    "noise-128x64-mono-left-32": ("c7c9df35246d8334", "6bc28e40ab8e94e2", 429),
    "noise-128x64-mono-left-32-sparse": ("dd260d3026d14f32", "c62410ebd984e522", 289),
    "noise-128x64-mono-right-100": ("47d74c92a95f1fe1", "839ebb6ede145319", 215),
    "noise-128x64-mono-right-100-sparse": ("cbd1da7f2d37dcb5", "1ea0b4f1471c807e", 146),
    "noise-128x64-mono-right-32": ("9afd74e04a9e4f36", "3a89478b7ce40a0d", 429),
    "noise-128x64-mono-right-32-sparse": ("4ec8006e3773775f", "5318cfbf589fe953", 289),
    "noise-128x64-mono-up-32": ("c952f7ca40c739d7", "188f29ff01201234", 365),
    "noise-128x64-mono-up-32-sparse": ("68a03e49c1b25241", "b4a4904e13e607b9", 189),
    "noise-128x64-rgb-left-200": ("f16f7ffbcc020ff7", "3865eeef2cb5d852", 111),
    "noise-128x64-rgb-left-200-sparse": ("1ba26928aa5cc496", "37e11915ae6ba470", 59),
    "noise-128x64-rgb-left-32": ("2a323a024ca026ba", "9b0fc2422e037a79", 432),
    "noise-128x64-rgb-left-32-sparse": ("fd1b4dffb9ff01f2", "a7c289bd79c07a11", 273),
    "noise-128x64-rgb-right-100": ("d58c70c33430643d", "34c68ab332507c5e", 218),
    "noise-128x64-rgb-right-100-sparse": ("3aa96585cdb57e39", "4ab736514ddac0f3", 137),
    "noise-128x64-rgb-right-32": ("28b1ce8bf4d9baab", "b49835c5da2da6ac", 432),
    "noise-128x64-rgb-right-32-sparse": ("bbcaaf8cbe027bb0", "c470bc9a5de387b1", 292),
    "noise-128x64-rgb-up-32": ("92cfec305742dd52", "16dfefa123cccfb0", 368),
    "noise-128x64-rgb-up-32-sparse": ("4e541ab0800f948a", "f3004509aed71d4d", 179),
    "noise-128x64-rgb565-left-200": ("1e57ae366de7b786", "1fc696223ecea40c", 109),
    "noise-128x64-rgb565-left-200-sparse": ("7ec98773a61ca452", "3bb0daecc92215ac", 75),
    "noise-128x64-rgb565-left-32": ("11d3929545bb6ef8", "d602dd5ea423d75c", 430),
    "noise-128x64-rgb565-left-32-sparse": ("fb112388fc662c2e", "21477f94609d37be", 228),
    "noise-128x64-rgb565-right-100": ("8ae6922d5271a8b9", "2e7350f4d8809761", 216),
    "noise-128x64-rgb565-right-100-sparse": ("2e5a69a4139a3db1", "b607415fb1700049", 147),
    "noise-128x64-rgb565-right-32": ("6d95e0f648f9e1c6", "fca9bea53a62330e", 430),
    "noise-128x64-rgb565-right-32-sparse": ("176ac2331c078998", "80c17c8d360edf91", 290),
    "noise-128x64-rgb565-up-32": ("611d20c6281bab9c", "8f53d0621df40c46", 366),
    "noise-128x64-rgb565-up-32-sparse": ("3ce468e52125e37d", "c9e9d07ac864de06", 235),
    "noise-61x9-bicolor-left-200": ("791b7466c3c57a58", "404520eaad051fbe", 92),
    "noise-61x9-bicolor-left-200-sparse": ("845281bbc02f45e3", "974d6f157a6a12b7", 59),
    "noise-61x9-bicolor-left-32": ("e35196a635d68454", "c76c4f402dde87ec", 362),
    "noise-61x9-bicolor-left-32-sparse": ("93c4f531d8d73b84", "a0bf59ee906b07b3", 190),
    "noise-61x9-bicolor-right-100": ("043b60c0d45cea47", "cfa35678b95f0b1e", 182),
    "noise-61x9-bicolor-right-100-sparse": ("c83cd6fa823ed35e", "33511dd4faac4fc6", 114),
    "noise-61x9-bicolor-right-32": ("5f01e1ac00129df5", "3467f10b56afbfb7", 362),
    "noise-61x9-bicolor-right-32-sparse": ("40a70c36361831a2", "048a0bb6ebc55d56", 236),
    "noise-61x9-bicolor-up-32": ("86d6a2a77d25f720", "cf2a346e8b20e9ce", 207),
    "noise-61x9-bicolor-up-32-sparse": ("20d24d0579727c4b", "23c24c7a32296db8", 86),
    "noise-61x9-mono-left-200": ("60bef76ae288a241", "38881d8dba37d153", 92),
    "noise-61x9-mono-left-200-sparse": ("47a3e027d3b300ab", "88eb72a56853af3b", 55),
    "noise-61x9-mono-left-32": ("9ebc587d67e816ef", "2cabda6b309ae1fd", 362),
    "noise-61x9-mono-left-32-sparse": ("3702ab7bc98a5922", "7acae29a522f0d7f", 223),
    "noise-61x9-mono-right-100": ("8af7680d3c5c7a4b", "82b2553be8a4864a", 182),
    "noise-61x9-mono-right-100-sparse": ("e37f411ca17f01da", "a7f93970ec2ef120", 130),
    "noise-61x9-mono-right-32": ("e1f4f31ddc6ceb9f", "7e70de9601354645", 362),
    "noise-61x9-mono-right-32-sparse": ("72c5c2c38a442100", "99bbab5883174d45", 254),
    "noise-61x9-mono-up-32": ("b68ee6ad16996976", "b7bf36a6b1262514", 166),
    "noise-61x9-mono-up-32-sparse": ("00250bc40300ea9d", "354dac67f666767a", 73),
    "noise-61x9-rgb-left-200": ("057dba6dadf20379", "1d4244a75a9efa69", 92),
    "noise-61x9-rgb-left-200-sparse": ("369d3adf80b9a6c5", "074fc9ebf8da87b5", 66),
    "noise-61x9-rgb-left-32": ("91694b1fe6a50d87", "3171b96bb82c9774", 362),
    "noise-61x9-rgb-left-32-sparse": ("1ba3661c0d12e5cc", "76874364a3aa1425", 227),
    "noise-61x9-rgb-right-100": ("e34827057f4151c6", "ec229fde6e9d6d0e", 182),
    "noise-61x9-rgb-right-100-sparse": ("72ed4bee96b9282a", "560d1b24c9f61c91", 84),
    "noise-61x9-rgb-right-32": ("d525fc7d36b67ebd", "906686448d05b27f", 362),
    "noise-61x9-rgb-right-32-sparse": ("8b31d58d6453a94e", "02848330d2c6cfbe", 198),
    "noise-61x9-rgb-up-32": ("7d5a4b9fce1c4ccb", "4003155c447c00bb", 176),
    "noise-61x9-rgb-up-32-sparse": ("a5b56eaa4edc6ba2", "8cf690a14f6af547", 111),
    "noise-61x9-rgb565-left-200": ("dc2c7af1a65a1242", "5af98cb1641688a1", 92),
    "noise-61x9-rgb565-left-200-sparse": ("9d11da72916c3caa", "7355a00884ce857b", 55),
    "noise-61x9-rgb565-left-32": ("c9e9317a5ef99283", "f81ad5e541eae827", 362),
    "noise-61x9-rgb565-left-32-sparse": ("b12cc3956d3d917b", "cad3174153477a48", 223),
    "noise-61x9-rgb565-right-100": ("69def823176d37c6", "de7f4ba97c6f3c4d", 182),
    "noise-61x9-rgb565-right-100-sparse": ("146bc6a1c0881ea3", "a03583be4cd68f7c", 92),
    "noise-61x9-rgb565-right-32": ("2a15803db25cd413", "a8d5898d38327d68", 362),
    "noise-61x9-rgb565-right-32-sparse": ("4eaf89140a324554", "937b4a6d0d05663e", 195),
    "noise-61x9-rgb565-up-32": ("11a9e8c042f38d43", "7d751947d2e5f612", 226),
    "noise-61x9-rgb565-up-32-sparse": ("7b5e9f76a8224678", "6ed2f8645bbf5e85", 80),
    "noise-96x16-bicolor-inverse": ("0567c2e3848bbe3e", "6ed73514ff1e2b98", 397),
    "noise-96x16-bicolor-left-200": ("55d985be18b87b6c", "1b3d42b31e802019", 100),
    "noise-96x16-bicolor-left-200-sparse": ("edb62b8336dbc128", "369700d0b86dcc9a", 70),
    "noise-96x16-bicolor-left-32": ("35a506462f1914bb", "53e0de5d45e2b9da", 397),
    "noise-96x16-bicolor-left-32-sparse": ("7f50d7f9ad310e79", "6d6d0228f333c33b", 268),
    "noise-96x16-bicolor-right-100": ("d530e4b6508d2229", "5ff895989c887663", 199),
    "noise-96x16-bicolor-right-100-sparse": ("1aa6451d097aecc0", "280e22fdbb70181b", 115),
    "noise-96x16-bicolor-right-32": ("4ec807974b747bfb", "f6264011042bfdc4", 397),
    "noise-96x16-bicolor-right-32-sparse": ("9f3c3abcb4e7bd37", "d2b7bc4127e284db", 271),
    "noise-96x16-bicolor-small-packets": ("17bef84235363954", "71ef34a55f709297", 412),
    "noise-96x16-bicolor-untrusted": ("3f4af652a8576c7a", "f8f04bc8ff356a46", 397),
    "noise-96x16-bicolor-up-32": ("edde34df457d4a46", "783b3e8198b524d3", 270),
    "noise-96x16-bicolor-up-32-sparse": ("ecf3c6a2077d5b6b", "eb5f6ab806f321a2", 189),
    "noise-96x16-mono-inverse": ("7d9e15f864707f62", "ba7bf69e39b77fd3", 397),
    "noise-96x16-mono-left-200": ("a8ff06ec681bd440", "dffd192680169065", 100),
    "noise-96x16-mono-left-200-sparse": ("48272596842aa97d", "66af05dae45bf9b3", 70),
    "noise-96x16-mono-left-32": ("f058d23ea5c37b72", "d98325bc598d72c2", 397),
    "noise-96x16-mono-left-32-sparse": ("adb17815fe6b960a", "71e273e7e854033a", 198),
    "noise-96x16-mono-right-100": ("e98573921c3f6006", "0f3dc8bc0168b0fc", 199),
    "noise-96x16-mono-right-100-sparse": ("e7822d45e4f5b0c9", "9dd309f5a4f9d61b", 138),
    "noise-96x16-mono-right-32": ("e75c29b48fb60705", "1579b4a7e665a045", 397),
    "noise-96x16-mono-right-32-sparse": ("913680d288e9e243", "24ac47376af082f9", 266),
    "noise-96x16-mono-small-packets": ("e9621eb1b6caa466", "911110e0ae157b8f", 404),
    "noise-96x16-mono-untrusted": ("3f9c674aaae7804a", "2065e9f08dd26052", 397),
    "noise-96x16-mono-up-32": ("d1f70f915978a636", "a35b3863ac8b69c2", 273),
    "noise-96x16-mono-up-32-sparse": ("4b136d06d7dc6243", "f3d8558aae3c0b0e", 84),
    "noise-96x16-rgb-inverse": ("1846f1cdb3a57d3c", "a36693fee5aeba13", 397),
    "noise-96x16-rgb-left-200": ("20b593635bebebc7", "379526f1810a43a3", 100),
    "noise-96x16-rgb-left-200-sparse": ("4c3bd9792fae9651", "e36f6a357894033a", 68),
    "noise-96x16-rgb-left-32": ("2cc321251693ef9f", "4506adc0e24ecc60", 397),
    "noise-96x16-rgb-left-32-sparse": ("d6556c1ebd5743d6", "2db5b4fe0e5e628d", 220),
    "noise-96x16-rgb-right-100": ("646fc0626afd11c9", "002982414c1968b1", 199),
    "noise-96x16-rgb-right-100-sparse": ("8e410c14fae40e8e", "20599176399bfe70", 132),
    "noise-96x16-rgb-right-32": ("2eef913249122754", "ca64c8cbcaf7f8d1", 397),
    "noise-96x16-rgb-right-32-sparse": ("404e151061145918", "8fcbae4c8e2584d6", 265),
    "noise-96x16-rgb-small-packets": ("59066e4e8d7de5f3", "8661fa57dd7749ae", 3691),
    "noise-96x16-rgb-untrusted": ("77095a36328c7f23", "eaa4c668fd853abb", 397),
    "noise-96x16-rgb-up-32": ("be19f5da6b209fdf", "cece65ed41ad2d7d", 303),
    "noise-96x16-rgb-up-32-sparse": ("4169be4cbec8649f", "cf16ab0fe2e7c175", 115),
    "noise-96x16-rgb565-inverse": ("9e07fa0cd909f9e5", "f0ce51a897204498", 397),
    "noise-96x16-rgb565-left-200": ("a28d09df50a9de84", "7ee616f54e9d3788", 100),
    "noise-96x16-rgb565-left-200-sparse": ("b58a05a5eddd37bb", "9b206fe682f89559", 70),
    "noise-96x16-rgb565-left-32": ("5ff029d7e03eb755", "c986fca16f54dde8", 397),
    "noise-96x16-rgb565-left-32-sparse": ("d84f9f75bd42c6de", "e30c4370a2056dc8", 273),
    "noise-96x16-rgb565-right-100": ("297d0a72cd759aed", "420c68403a5c30aa", 199),
    "noise-96x16-rgb565-right-100-sparse": ("ab6f1df68c668a2e", "eeb118ebb5cb3b76", 136),
    "noise-96x16-rgb565-right-32": ("41c5b05d2fa44eaf", "03dca6108e98cafd", 397),
    "noise-96x16-rgb565-right-32-sparse": ("c9133e16d4294b20", "1de9a64db72359f8", 250),
    "noise-96x16-rgb565-small-packets": ("fa9cb8c17f08a1a7", "1f665cf977a22031", 588),
    "noise-96x16-rgb565-untrusted": ("26b1545ef6108dda", "9b19e39045515c27", 397),
    "noise-96x16-rgb565-up-32": ("0665c2a035b940ed", "08b7e3b90be18f7b", 312),
    "noise-96x16-rgb565-up-32-sparse": ("54bace718db40ea2", "c2d9033ed327a776", 128),
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


@pytest.mark.parametrize("color", ["mono", "rgb"])
@pytest.mark.parametrize("direction", ["left", "right"])
@pytest.mark.parametrize("rows", [True, False])
def test_columns_give_the_changed_box_of_every_step(color: str, direction: str, rows: bool) -> None:
    """``delta.Columns`` says what ``diff_bbox`` of the two frames says, step after step."""
    rng = random.Random(f"{color} {direction} {rows}")
    w, h = 23, 13
    spec = BoardSpec(w, h, color)  # type: ignore[arg-type]
    strip = noise_strip(spec, 160, rng.randrange(1000), sparse=rng.random() < 0.5)
    if color == "rgb":
        strip = Painter(spec, (255, 0, 0), (0, 0, 40)).paint(strip)

    def frame(p: int) -> Image.Image:
        return strip.crop((p, 0, p + w, h))

    def column(x: int) -> bytes:
        return strip.crop((x, 0, x + 1, h)).transpose(Image.Transpose.TRANSPOSE).tobytes()

    cols = Columns(w, h, color)
    p = 0 if direction == "left" else strip.width - w
    cols.start(frame(p), direction, rows)
    step = 1 if direction == "left" else -1
    for _ in range(strip.width - w):
        entering = column(p + w) if direction == "left" else column(p - 1)
        changed = cols.push(entering)
        want = diff_bbox(frame(p), frame(p + step))
        box = cols.box()
        assert changed == (want is not None)
        if want is None or rows:
            assert box == want
        else:
            assert box == (want[0], 0, want[2], h)
        p += step


def test_rect_floors_grow_with_the_bytes() -> None:
    """The per-cost thresholds assume the least RECT cost never falls as a box grows."""
    for spec in (BoardSpec(192, 32), BoardSpec(128, 64, "rgb"), BoardSpec(7, 7)):
        for chunk in (24, 96, 1000, 8192):
            board = NativeBoard(Link("loop://"), spec, max_chunk=8192, min_chunk=24)
            board.chunk = chunk
            floors = [board._floor_bytes(n) for n in range(1, spec.frame_bytes + 2)]  # noqa: SLF001
            assert floors == sorted(floors)


def test_shift_packets_encoded_from_their_split_are_the_plain_ones() -> None:
    """A SHIFT payload's cached COBS split gives ``encode_packet``'s bytes for every sequence
    number (0 included) and address, whatever zeros the CRC has."""
    rng = random.Random(7)
    for address in (1, 0x42, 0x7F):
        board = NativeBoard(Link("loop://"), BoardSpec(16, 8, "rgb"), address)
        for _ in range(40):
            column = bytes(rng.choice((0, 0, 0, 255, 204, 7)) for _ in range(24))
            payload = board._new_shift((rng.choice((-1, 1)), 0, column))  # noqa: SLF001
            assert payload in board._splits  # noqa: SLF001
            for seq in range(256):
                assert board._encode(seq, SHIFT, payload) == encode_packet(address, seq, SHIFT, payload)  # noqa: SLF001


@pytest.mark.parametrize("color", ["mono", "rgb", "rgb565", "bicolor"])
def test_scroll_windows_are_the_strip_cut_whatever_reads_them_first(color: str) -> None:
    # a scroll's frames cut their pixels on first use: every way of reading them gives the
    # plain crop's pixels, they equal plain images both ways round, and changing one leaves
    # the strip and the next frames alone
    spec = BoardSpec(48, 16, color)
    item = {"text": SLOGAN[:20], "effect": "scroll-left", "speed": 64, "color": "#ffcc00"}
    frames = list(render_item(item, spec, now=NOW))
    again = list(render_item(item, spec, now=NOW))
    for i, f in enumerate(frames[:40]):
        plain = Image.frombytes(f.image.mode, f.image.size, again[i].image.tobytes())
        read = (
            lambda im: im.tobytes(),
            lambda im: im.copy().tobytes(),
            lambda im: im.convert("RGB").tobytes(),
            lambda im: im.crop((0, 0, *im.size)).tobytes(),
            lambda im: im.getpixel((3, 2)) is not None and im.tobytes(),
            lambda im: Image.frombytes(im.mode, im.size, im.tobytes()).tobytes(),
        )[i % 6]
        assert read(f.image) == read(plain)
        assert f.image == plain and plain == f.image and f.image.size == spec.size
    fresh = frames[-2].image  # not read yet
    assert set(vars(Image.new(fresh.mode, fresh.size))) <= set(vars(fresh))  # Image.__init__'s fields
    drawn, nxt = frames[10].image, frames[11].image
    before = nxt.tobytes()
    ImageDraw.Draw(drawn).rectangle((0, 0, spec.width, spec.height), fill=1 if color == "mono" else (9, 9, 9))
    assert nxt.tobytes() == before and frames[12].image == again[12].image
