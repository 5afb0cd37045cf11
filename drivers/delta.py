"""Find the cheapest change that turns what the board shows into the next frame.

Pure geometry: a changed rectangle, a shift by a few pixels (a marquee step) plus
whatever still differs, or the whole frame; the codec prices each in bytes. ``Columns``
finds a sideways scroll step's changed box from the packed columns entering, without
comparing frames.
"""

from __future__ import annotations

from collections import deque

from PIL import Image, ImageChops

from drivers.pixels import packed_size

Box = tuple[int, int, int, int]


def diff_bbox(a: Image.Image, b: Image.Image) -> Box | None:
    """Smallest box holding every pixel that differs between two same-size images."""
    if a.mode == "1":
        return ImageChops.logical_xor(a, b).getbbox()
    return ImageChops.difference(a, b).getbbox()


def strip_box(dx: int, dy: int, width: int, height: int) -> Box:
    """The area a shift by (dx, dy) exposes: the new columns or rows the board must be sent."""
    if dx < 0:
        return (width + dx, 0, width, height)
    if dx > 0:
        return (0, 0, dx, height)
    if dy < 0:
        return (0, height + dy, width, height)
    return (0, 0, width, dy)


def apply_shift(old: Image.Image, dx: int, dy: int, strip: Image.Image) -> Image.Image:
    """What a board shows after moving its content by (dx, dy) and filling the exposed strip."""
    out = Image.new(old.mode, old.size, 0)
    out.paste(old, (dx, dy))
    box = strip_box(dx, dy, *old.size)
    out.paste(strip, box[:2])
    return out


def hint_shift(op: object) -> tuple[int, int] | None:
    """(dx, dy) of a renderer's scroll hint (anything with ``direction`` and ``shift``), else None.

    Duck-typed so the drivers never import the renderer: ``left`` moves the content left
    (new columns enter at the right), ``right`` the reverse, ``up``/``down`` likewise rows.
    """
    direction, shift = getattr(op, "direction", None), getattr(op, "shift", None)
    if not isinstance(shift, int) or isinstance(shift, bool) or shift <= 0:
        return None
    return {"left": (-shift, 0), "right": (shift, 0), "up": (0, -shift), "down": (0, shift)}.get(
        direction if isinstance(direction, str) else ""
    )


Shift = tuple[int, int, "Box | None", int]


def try_shift(old: Image.Image, new: Image.Image, dx: int, dy: int) -> Shift | None:
    """What still differs after shifting ``old`` by (dx, dy): (dx, dy, residual box, area)."""
    w, h = old.size
    if (dx == 0) == (dy == 0) or abs(dx) >= w or abs(dy) >= h:
        return None
    moved = apply_shift(old, dx, dy, new.crop(strip_box(dx, dy, w, h)))
    rest = diff_bbox(moved, new)
    return dx, dy, rest, 0 if rest is None else (rest[2] - rest[0]) * (rest[3] - rest[1])


SHIFTS = [(d, 0) for k in range(1, 5) for d in (-k, k)] + [(0, d) for k in range(1, 5) for d in (-k, k)]


def best_shift(old: Image.Image, new: Image.Image) -> tuple[int, int, Box | None, int] | None:
    """The small shift after which the fewest pixels still differ: (dx, dy, residual box, area)."""
    best = None
    w, h = old.size
    for dx, dy in SHIFTS:
        if abs(dx) >= w or abs(dy) >= h:
            continue
        box = strip_box(dx, dy, w, h)
        moved = apply_shift(old, dx, dy, new.crop(box))
        rest = diff_bbox(moved, new)
        area = 0 if rest is None else (rest[2] - rest[0]) * (rest[3] - rest[1])
        if best is None or area < best[3]:
            best = (dx, dy, rest, area)
            if area == 0:
                break
    return best


def tiles(box: Box, color: str, limit: int) -> list[Box]:
    """Split ``box`` into rectangles of at most ``limit`` packed bytes (whole rows, else 8-px columns)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if packed_size(w, h, color) <= limit:
        return [box]
    row = packed_size(w, 1, color)
    if row <= limit:
        rows = max(1, limit // row)
        return [(x0, y, x1, min(y1, y + rows)) for y in range(y0, y1, rows)]
    cols = max(8, limit // packed_size(8, 1, color) * 8)
    return [(x, y, min(x1, x + cols), y + 1) for y in range(y0, y1) for x in range(x0, x1, cols)]


class Columns:
    """Which pixels a sideways scroll of 1 px a step changes, from the columns entering alone.

    A board scrolling left shows the last ``width`` columns that entered at its right edge
    (scrolling right: at its left edge). A step changes column x exactly where the two
    columns on either side of one boundary between entered columns differ, so the changed
    box of every step follows from the boundaries where neighbouring columns differ, kept
    as they enter: no frame is compared, whatever the board's size.

    Columns are packed as the native SHIFT carries them (``Image.transpose(TRANSPOSE)``
    bytes: a column a row). ``rows``: also keep which rows each boundary changes, for a
    changed box with its exact height; without, a box spans every row. ``start`` reads the
    board's frame once; each ``push`` then costs a comparison of two columns.
    """

    __slots__ = (
        "width", "height", "mono", "per", "direction", "rows", "same",
        "_first", "_moved", "_last", "_diff", "_tops", "_bottoms", "_pairs", "_room",
    )  # fmt: skip

    def __init__(self, width: int, height: int, color: str) -> None:
        if color not in ("mono", "rgb"):
            raise ValueError(f"columns of {color!r} boards are not plain slices")
        self.width, self.height, self.mono = width, height, color == "mono"
        self.per = (height + 7) // 8 if self.mono else 3 * height
        self.direction = ""
        self.rows = False
        self._first = 0  # how many columns entered before the board's leftmost (rightmost)
        self._moved = False  # a step was pushed: the frame moves on by one at the next push
        self.same = False  # the column pushed last equals the one before it
        self._last = b""  # the column that entered last
        self._diff: deque[int] = deque()  # boundaries j (column j | column j + 1) that differ
        self._tops: deque[int] = deque()  # with ``rows``: each boundary's top changed row
        self._bottoms: deque[int] = deque()  # and its bottom one
        # (column, next column) -> (top, bottom) changed rows: letters repeat their boundaries
        self._pairs: dict[tuple[bytes, bytes], tuple[int, int]] = {}
        self._room = max(256, (1 << 20) // self.per)  # pairs kept: about 1 MB of columns at most

    def start(self, frame: Image.Image, direction: str, rows: bool) -> None:
        """Read the columns of ``frame`` (what the board shows) for a scroll towards ``direction``."""
        if direction not in ("left", "right"):
            raise ValueError(f"columns scroll left or right, not {direction!r}")
        data = frame.transpose(Image.Transpose.TRANSPOSE).tobytes()
        per = self.per
        cols = [data[i : i + per] for i in range(0, self.width * per, per)]
        if direction == "right":
            cols.reverse()  # in the order they entered: the leftmost last
        self.direction, self.rows = direction, rows
        self._first, self._moved, self.same = 0, False, False
        if len(self._pairs) >= self._room:
            self._pairs.clear()
        self._diff.clear()
        self._tops.clear()
        self._bottoms.clear()
        for j in range(self.width - 1):
            if cols[j] != cols[j + 1]:
                self._add(j, cols[j], cols[j + 1])
        self._last = cols[-1]

    def _add(self, j: int, a: bytes, b: bytes) -> None:
        self._diff.append(j)
        if not self.rows:
            return
        pair = (a, b)
        rows = self._pairs.get(pair)
        if rows is None:
            x = int.from_bytes(a, "big") ^ int.from_bytes(b, "big")
            low = (x & -x).bit_length()
            if self.mono:  # a bit a row, the top row in the first byte's high bit
                bits = 8 * self.per
                rows = (bits - x.bit_length(), bits - low)
            else:  # three bytes a row
                n = self.per
                rows = ((n - (x.bit_length() + 7) // 8) // 3, (n - 1 - (low - 1) // 8) // 3)
            if len(self._pairs) < self._room:
                self._pairs[pair] = rows
        self._tops.append(rows[0])
        self._bottoms.append(rows[1])

    def push(self, column: bytes) -> bool:
        """One step: ``column`` enters; whether any pixel changes (``box`` says which)."""
        diff = self._diff
        if self._moved:  # the last step's frame is now the board's: the boundary at the edge
            first = self._first = self._first + 1  # content left by is no longer inside it
            if diff and diff[0] < first:
                diff.popleft()
                if self.rows:
                    self._tops.popleft()
                    self._bottoms.popleft()
        self._moved = True
        if column != self._last:
            self._add(self._first + self.width - 1, self._last, column)
            self._last = column
            self.same = False
            return True
        self.same = True
        return bool(diff)

    def box(self) -> Box | None:
        """The box of pixels the step just pushed changes (None: none); rows only with ``rows``."""
        diff = self._diff
        if not diff:
            return None
        first, w = self._first, self.width
        i0, i1 = diff[0] - first, diff[-1] - first
        x0, x1 = (i0, i1 + 1) if self.direction == "left" else (w - 1 - i1, w - i0)
        if self.rows:
            return (x0, min(self._tops), x1, max(self._bottoms) + 1)
        return (x0, 0, x1, self.height)

    def inner_bytes(self) -> int:
        """Packed bytes of ``inner_box()`` (0: no pixel changes), without making the box."""
        diff = self._diff
        if not diff:
            return 0
        span = diff[-1] - diff[0] + 1
        rows = self._bottoms[-1] - self._tops[-1] + 1 if self.rows else self.height
        return 3 * span * rows if not self.mono else (span + 7) // 8 * rows

    def inner_box(self) -> Box | None:
        """A box inside ``box()``, cheaper: its columns, but only the rows the newest boundary
        changes (with ``rows``; else every row); None: no pixel changes."""
        diff = self._diff
        if not diff:
            return None
        first, w = self._first, self.width
        i0, i1 = diff[0] - first, diff[-1] - first
        x0, x1 = (i0, i1 + 1) if self.direction == "left" else (w - 1 - i1, w - i0)
        if self.rows:
            return (x0, self._tops[-1], x1, self._bottoms[-1] + 1)
        return (x0, 0, x1, self.height)
