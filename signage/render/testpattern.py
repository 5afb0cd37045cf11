"""The test pattern an administrator can put on a board for a few seconds.

What someone standing in front of the board needs to judge it: a border (every edge
module is there, the size is right), the board's slug and WxH written in it (the right
board, set up for its real geometry), everything on (dead LEDs), a checkerboard and its
inverse (stuck or shorted neighbours) and, on colour boards, colour bars (the colour
order of the modules). Pure Pillow: the worker draws it, free of Flask.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from drivers.pixels import BoardSpec

from .fonts import Face, candidates

#: Colour bars, in the order of a broadcast test card (white, yellow, cyan, green, magenta, red, blue).
BARS_RGB = (
    (255, 255, 255),
    (255, 255, 0),
    (0, 255, 255),
    (0, 255, 0),
    (255, 0, 255),
    (255, 0, 0),
    (0, 0, 255),
)
#: What a red/green board can show: red, green and both (yellow).
BARS_BICOLOR = ((255, 0, 0), (0, 255, 0), (255, 255, 0))
ON = (255, 255, 255)
#: Letters shorter than this cannot be read on LEDs; such a board gets fewer words.
MIN_ROWS = 7


@dataclass(frozen=True)
class PatternFrame:
    """One picture of the test pattern and how long it stays (seconds)."""

    name: str
    image: Image.Image
    hold: float


def _fits(text: str, rows: int, width: int) -> Face | None:
    """The largest face drawing ``text`` in ``rows`` rows and ``width`` px, if any does."""
    for f in candidates(None, max(rows, 1)):
        if MIN_ROWS <= f.height <= rows and f.font.getlength(text) <= width:
            return f
    return None


def _layout(lines: list[str], spec: BoardSpec, inset: int) -> list[Face] | None:
    """Faces drawing ``lines`` one above the other inside the border, or None if they do not fit."""
    rows = (spec.height - 2 * inset) // len(lines)
    faces = [_fits(line, rows, spec.width - 2 * inset) for line in lines]
    fitting = [f for f in faces if f is not None]
    return fitting if len(fitting) == len(faces) else None


def info_frame(spec: BoardSpec, slug: str) -> Image.Image:
    """A 1 px border with the slug and the size written inside, as large as they fit."""
    img = Image.new("RGB", spec.size, 0)
    draw = ImageDraw.Draw(img)
    draw.fontmode = "1"  # LEDs are on or off: no grey edges to threshold away
    draw.rectangle((0, 0, spec.width - 1, spec.height - 1), outline=ON)
    size = f"{spec.width}x{spec.height}"
    inset = 2
    chosen = None
    for choices in ([[f"{slug} {size}"], [slug, size]], [[size]]):  # the slug if at all possible
        fitting = [(lines, faces) for lines in choices if (faces := _layout(lines, spec, inset)) is not None]
        if fitting:  # one line or two, whichever has the larger letters
            chosen = max(fitting, key=lambda o: min(f.height for f in o[1]))
            break
    if chosen is None:
        return img  # too small for any letters: the border still shows the geometry
    lines, faces = chosen
    rows = (spec.height - 2 * inset) // len(lines)
    top = inset + (spec.height - 2 * inset - rows * len(lines)) // 2
    for i, (line, f) in enumerate(zip(lines, faces, strict=True)):
        x = (spec.width - f.font.getlength(line)) / 2
        baseline = top + i * rows + (rows - f.height) // 2 + f.ascent
        draw.text((round(x), baseline), line, font=f.font, fill=ON, anchor="ls")
    return img


def checker(spec: BoardSpec, phase: int = 0) -> Image.Image:
    """A 1 px checkerboard; ``phase`` 1 is its inverse."""
    tile = Image.new("1", (2, 2), 0)
    tile.putpixel((phase % 2, 0), 1)
    tile.putpixel((1 - phase % 2, 1), 1)
    img = Image.new("1", spec.size, 0)
    for y in range(0, spec.height, 2):
        for x in range(0, spec.width, 2):
            img.paste(tile, (x, y))
    return img.convert("RGB")


def bars(spec: BoardSpec) -> Image.Image:
    """Vertical colour bars across the whole board."""
    colours = BARS_BICOLOR if spec.color == "bicolor" else BARS_RGB
    img = Image.new("RGB", spec.size, 0)
    draw = ImageDraw.Draw(img)
    for i, colour in enumerate(colours):
        x0 = spec.width * i // len(colours)
        x1 = spec.width * (i + 1) // len(colours) - 1
        draw.rectangle((x0, 0, x1, spec.height - 1), fill=colour)
    return img


def test_pattern(spec: BoardSpec, slug: str) -> list[PatternFrame]:
    """One round of the pattern for this board; the worker repeats it for as long as asked."""
    frames = [
        PatternFrame("info", info_frame(spec, slug), 3.0),
        PatternFrame("all-on", Image.new("RGB", spec.size, ON), 2.0),
        PatternFrame("checker", checker(spec, 0), 2.0),
        PatternFrame("checker-inverse", checker(spec, 1), 2.0),
    ]
    if spec.color != "mono":
        frames.append(PatternFrame("bars", bars(spec), 2.0))
    return frames


test_pattern.__test__ = False  # type: ignore[attr-defined]  # a pattern, not a pytest test
