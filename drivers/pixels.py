"""Board geometry and colour models, and packing between Pillow images and board bytes.

One place for the pixel formats so the renderer, every codec and the simulator agree on
exactly which bytes stand for which LEDs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PIL import Image

#: Colour models a board may have, with the bits each pixel takes on the wire.
COLOR_MODELS: dict[str, int] = {"mono": 1, "bicolor": 2, "rgb": 24, "rgb565": 16}

#: The one place the sizes a board may have are named (the admin form, the show, the CLI,
#: every codec and the simulator read them from here; docs/protocol.md, "Board sizes").
#: The smallest real boards are flip-dot: Hanover destination signs have 7 rows (84x7,
#: 96x7, which pyflipdot encodes) and the smallest flip-dot module is 7x7; LED boards
#: start at one P10 module (32x16). The largest are gate-wide LED walls (512x256 and up).
MIN_SIDE = 7
MAX_WIDTH = 1024
MAX_HEIGHT = 512


#: A board's pixel pitch (mm) and viewing distance (m) when none is set: P10 modules read
#: from across the road at the gate.
DEFAULT_PITCH_MM = 10.0
DEFAULT_VIEWING_M = 25.0
PITCH_RANGE_MM = (1.0, 50.0)
VIEWING_RANGE_M = (1.0, 500.0)


class GeometryError(ValueError):
    """A board size or colour model that no real board has."""


@dataclass(frozen=True)
class BoardSpec:
    """Width, height and colour model of a board: everything needed to make its frames."""

    width: int
    height: int
    color: str = "mono"
    #: Centre-to-centre distance of the LEDs (P10 modules: 10 mm): how tall a pixel is.
    pitch_mm: float = DEFAULT_PITCH_MM
    #: How far away the people who must read the board stand (the renderer sizes text for it).
    viewing_m: float = DEFAULT_VIEWING_M

    def __post_init__(self) -> None:
        for name, value, (low, high) in (
            ("pixel pitch", self.pitch_mm, PITCH_RANGE_MM),
            ("viewing distance", self.viewing_m, VIEWING_RANGE_M),
        ):
            if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
                raise GeometryError(f"{name} {value!r} is outside {low:g}..{high:g}")
        if self.color not in COLOR_MODELS:
            raise GeometryError(f"unknown colour model {self.color!r}: use one of {', '.join(COLOR_MODELS)}")
        for name, value, top in (("width", self.width, MAX_WIDTH), ("height", self.height, MAX_HEIGHT)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise GeometryError(f"board {name} must be a whole number, not {value!r}")
            if not MIN_SIDE <= value <= top:
                raise GeometryError(f"board {name} {value} px is outside {MIN_SIDE}..{top} px")

    @classmethod
    def parse(cls, size: str, color: str = "mono") -> BoardSpec:
        """Read a size written as ``WxH`` (as on the command line)."""
        try:
            w, h = (int(part) for part in size.lower().split("x"))
        except ValueError:
            raise GeometryError(f"size {size!r} is not of the form WIDTHxHEIGHT, e.g. 192x32") from None
        return cls(w, h, color)

    @classmethod
    def of(cls, board: Any) -> BoardSpec:
        """The spec of a board given as a mapping (a show document's "board") or an object
        with the same attributes (the Board model); pitch and viewing distance are optional."""

        def get(key: str) -> Any:
            return board.get(key) if isinstance(board, Mapping) else getattr(board, key, None)

        pitch, viewing = get("pitch_mm"), get("viewing_m")
        return cls(
            get("width"),
            get("height"),
            get("color") or "mono",
            DEFAULT_PITCH_MM if pitch is None else pitch,
            DEFAULT_VIEWING_M if viewing is None else viewing,
        )

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    @property
    def image_mode(self) -> str:
        """The Pillow mode frames for this board are drawn in."""
        return "1" if self.color == "mono" else "RGB"

    @property
    def frame_bytes(self) -> int:
        """Bytes of one whole packed frame."""
        return packed_size(self.width, self.height, self.color)

    def blank(self) -> Image.Image:
        """An all-dark frame."""
        return Image.new(self.image_mode, self.size, 0)

    def pack(self, image: Image.Image) -> bytes:
        """Board bytes for an image of this board's size (converted to its colour model)."""
        return pack(image, self)

    def unpack(self, data: bytes) -> Image.Image:
        """The image that packed bytes stand for."""
        return unpack(data, self)


def packed_size(width: int, height: int, color: str) -> int:
    """Bytes a ``width`` x ``height`` region takes in ``color``: rows padded to whole bytes."""
    if color == "mono":
        return (width + 7) // 8 * height
    if color == "bicolor":
        return 2 * ((width + 7) // 8) * height
    return width * height * COLOR_MODELS[color] // 8


def to_board_image(image: Image.Image, spec: BoardSpec) -> Image.Image:
    """Convert any image of the board's size to exactly what the board can show."""
    if image.size != spec.size:
        raise GeometryError(f"image is {image.size[0]}x{image.size[1]}, board is {spec.width}x{spec.height}")
    if spec.color == "mono":
        return image if image.mode == "1" else image.convert("L").point(lambda v: 255 if v >= 128 else 0, "1")
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    if spec.color == "bicolor":
        r, g, _ = rgb.split()
        r = r.point(lambda v: 255 if v >= 128 else 0)
        g = g.point(lambda v: 255 if v >= 128 else 0)
        return Image.merge("RGB", (r, g, Image.new("L", spec.size, 0)))
    if spec.color == "rgb565":
        r, g, b = rgb.split()
        return Image.merge(
            "RGB",
            (r.point(lambda v: v & 0xF8), g.point(lambda v: v & 0xFC), b.point(lambda v: v & 0xF8)),
        )
    return rgb


def pack(image: Image.Image, spec: BoardSpec) -> bytes:
    """Pack an image into board bytes.

    mono: 1 bit a pixel, MSB first, each row padded to a byte (Pillow's own "1" layout).
    bicolor: the red plane then the green plane, each laid out like mono.
    rgb: R, G, B bytes a pixel, row by row. rgb565: big-endian 16-bit words.
    """
    img = to_board_image(image, spec)
    if spec.color == "mono":
        return img.tobytes()
    if spec.color == "bicolor":
        r, g, _ = img.split()
        return r.convert("1").tobytes() + g.convert("1").tobytes()
    if spec.color == "rgb565":
        return _pack_565(img)
    return img.tobytes()


def _pack_565(img: Image.Image) -> bytes:
    raw = img.tobytes()
    out = bytearray(len(raw) // 3 * 2)
    for i in range(0, len(raw) // 3):
        r, g, b = raw[3 * i], raw[3 * i + 1], raw[3 * i + 2]
        word = ((r & 0xF8) << 8) | ((g & 0xFC) << 3) | (b >> 3)
        out[2 * i] = word >> 8
        out[2 * i + 1] = word & 0xFF
    return bytes(out)


def unpack(data: bytes, spec: BoardSpec) -> Image.Image:
    """The image that packed bytes stand for; raises ``GeometryError`` on a wrong length."""
    if len(data) != spec.frame_bytes:
        raise GeometryError(
            f"{len(data)} bytes do not make a {spec.width}x{spec.height} {spec.color} frame "
            f"({spec.frame_bytes} bytes)"
        )
    if spec.color == "mono":
        return Image.frombytes("1", spec.size, data)
    if spec.color == "bicolor":
        half = len(data) // 2
        r = Image.frombytes("1", spec.size, data[:half]).convert("L")
        g = Image.frombytes("1", spec.size, data[half:]).convert("L")
        return Image.merge("RGB", (r, g, Image.new("L", spec.size, 0)))
    if spec.color == "rgb565":
        out = bytearray(len(data) // 2 * 3)
        for i in range(len(data) // 2):
            word = (data[2 * i] << 8) | data[2 * i + 1]
            red, green, blue = (word >> 11) & 0x1F, (word >> 5) & 0x3F, word & 0x1F
            out[3 * i], out[3 * i + 1], out[3 * i + 2] = red << 3, green << 2, blue << 3
        return Image.frombytes("RGB", spec.size, bytes(out))
    return Image.frombytes("RGB", spec.size, data)
