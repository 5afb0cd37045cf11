"""Find the cheapest change that turns what the board shows into the next frame.

Pure Pillow geometry, no bytes: a changed rectangle, a shift by a few pixels (a marquee
step) plus whatever still differs, or the whole frame; the codec prices each in bytes.
"""

from __future__ import annotations

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
