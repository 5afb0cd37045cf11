"""What the renderer hands to the drivers: frames with their times, and scroll operations."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image, ImageChops

from drivers.pixels import BoardSpec

#: Directions a scroll operation moves the board's content.
DIRECTIONS = ("left", "right", "up")


class ScrollOp:
    """Shift the previous frame by ``shift`` px towards ``direction``, then paste ``new``.

    ``new`` is the strip of pixels that enters at the opposite edge (``shift`` columns for
    left/right, ``shift`` rows for up), so a driver can send a scroll without the frame.
    It is cut from the frame on first use, so frames whose op nobody reads cost nothing
    (a plain slotted class: one is made per scroll step).

    ``prev`` is the frame the op applies to, when the renderer made both: ``apply(prev)``
    is exactly ``frame`` (the renderer checks it), so a driver whose board shows ``prev``
    may send the shift without comparing frames. ``packed`` is ``frame``'s board bytes
    (a ``RowSlices``), when the renderer has them, for drivers that compare bytes.
    ``edge`` is ``new`` packed sideways as the native SHIFT carries it (each column a row;
    mono and rgb left/right scrolls), sliced from the strip packed once, else None.
    """

    __slots__ = ("direction", "shift", "frame", "prev", "packed", "edge", "_new")

    def __init__(
        self,
        direction: str,
        shift: int,
        frame: Image.Image,
        prev: Image.Image | None = None,
        packed: RowSlices | None = None,
        edge: bytes | None = None,
    ):
        self.direction = direction
        self.shift = shift
        self.frame = frame
        self.prev = prev
        self.packed = packed
        self.edge = edge
        self._new: Image.Image | None = None

    def __repr__(self) -> str:
        return f"ScrollOp(direction={self.direction!r}, shift={self.shift})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ScrollOp) and (self.direction, self.shift) == (other.direction, other.shift)

    __hash__ = None  # type: ignore[assignment]

    @property
    def new(self) -> Image.Image:
        """The pixels entering at the edge: ``shift`` columns (left/right) or rows (up)."""
        if self._new is None:
            w, h = self.frame.size
            n = self.shift
            if self.direction == "left":
                self._new = self.frame.crop((w - n, 0, w, h))
            elif self.direction == "right":
                self._new = self.frame.crop((0, 0, n, h))
            else:
                self._new = self.frame.crop((0, h - n, w, h))
        return self._new

    def apply(self, previous: Image.Image) -> Image.Image:
        """The frame this operation turns ``previous`` into (what a board does on receiving it)."""
        w, h = previous.size
        out = Image.new(previous.mode, previous.size, 0)
        n = self.shift
        if self.direction == "left":
            out.paste(previous.crop((n, 0, w, h)), (0, 0))
            out.paste(self.new, (w - n, 0))
        elif self.direction == "right":
            out.paste(previous.crop((0, 0, w - n, h)), (n, 0))
            out.paste(self.new, (0, 0))
        else:
            out.paste(previous.crop((0, n, w, h)), (0, 0))
            out.paste(self.new, (0, h - n))
        return out


class RowSlices:
    """Board bytes of a window cut from a pre-packed strip: one slice per row, no re-packing.

    Pillow re-packs every pixel on ``tobytes()``; a scroll's windows are rows of bytes that
    already exist in the packed strip, so joining slices is several times faster. ``planes``
    are (bytes, offset of the window's first row) for each plane the board takes in turn
    (two for bicolor: red then green; one otherwise).
    """

    __slots__ = ("color", "planes", "stride", "length", "rows")

    def __init__(
        self, color: str, planes: tuple[tuple[bytes, int], ...], stride: int, length: int, rows: int
    ):
        self.color, self.planes = color, planes
        self.stride, self.length, self.rows = stride, length, rows

    def __call__(self) -> bytes:
        n, stride, rows = self.length, self.stride, self.rows
        planes = self.planes
        if len(planes) == 1:  # the hot path (every mono and rgb565 scroll step): keep it flat
            d, start = planes[0]
            if stride == n:
                return d[start : start + n * rows]
            return b"".join([d[o : o + n] for o in range(start, start + stride * rows, stride)])
        if stride == n:
            return b"".join([d[s : s + n * rows] for d, s in planes])
        return b"".join([d[o : o + n] for d, s in planes for o in range(s, s + stride * rows, stride)])


def pack_565(image: Image.Image) -> bytes:
    """RGB565 board bytes (big-endian words) made by Pillow in C: the same bytes as
    ``spec.pack`` for an RGB image, which packs pixel by pixel in Python."""
    r, g, b = image.convert("RGB").split()
    hi = ImageChops.add(r.point(_R_HI), g.point(_G_HI))
    lo = ImageChops.add(g.point(_G_LO), b.point(_B_LO))
    return Image.merge("LA", (hi, lo)).tobytes()


_R_HI = [v & 0xF8 for v in range(256)]
_G_HI = [v >> 5 for v in range(256)]
_G_LO = [(v & 0x1C) << 3 for v in range(256)]
_B_LO = [v >> 3 for v in range(256)]


@dataclass(frozen=True)
class Frame:
    """One board image and when it shows: ``at`` seconds into the item, for ``hold`` seconds."""

    image: Image.Image
    at: float
    hold: float
    op: ScrollOp | None = None
    packed: RowSlices | None = field(default=None, repr=False, compare=False)

    def pack(self, spec: BoardSpec) -> bytes:
        """The frame's board bytes: exactly ``spec.pack(self.image)``, faster for scrolls."""
        p = self.packed
        if p is not None and p.color == spec.color and self.image.size == spec.size:
            return p()
        image = self.image
        if image.size == spec.size:
            if spec.color == "rgb" and image.mode == "RGB":
                return image.tobytes()  # what spec.pack does, without its conversion checks
            if spec.color == "rgb565":
                return pack_565(image)
        return spec.pack(image)
