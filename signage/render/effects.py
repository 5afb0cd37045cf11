"""Effects as pure timelines: each yields frames with their times and never sleeps.

Effects work on masks (text drawn once); a Painter turns a board-sized window of the mask
into a frame in the board's colour model. Scrolls crop windows from one wide strip.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from PIL import Image, ImageChops

from drivers.pixels import BoardSpec, to_board_image

from .frame import Frame, ScrollOp

#: Highest frame rate an effect asks for; faster speeds move more than 1 px a step.
MAX_FPS = 50


class Painter:
    """Colours board-sized mask windows into frames the board shows exactly as drawn."""

    def __init__(self, spec: BoardSpec, color: tuple[int, int, int], background: tuple[int, int, int]):
        self.spec = spec
        self._invert = spec.color == "mono" and sum(background) > sum(color)
        if spec.color != "mono":
            self._fg = Image.new("RGB", spec.size, color)
            self._bg = Image.new("RGB", spec.size, background)

    def paint(self, mask: Image.Image) -> Image.Image:
        """The frame for a mask window of the board's size."""
        spec = self.spec
        if spec.color == "mono":
            img = mask if mask.mode == "1" else mask.point(lambda v: 255 if v >= 128 else 0, "1")
            return ImageChops.invert(img.convert("L")).convert("1") if self._invert else img
        img = Image.composite(self._fg, self._bg, mask)
        return img if spec.color == "rgb" else to_board_image(img, spec)


def step_px(speed: float) -> int:
    """Pixels moved per step so a scroll stays under MAX_FPS frames a second."""
    return max(1, math.ceil(speed / MAX_FPS))


def static(painter: Painter, mask: Image.Image, duration: float, at: float = 0.0) -> Iterator[Frame]:
    """One frame held for ``duration``."""
    yield Frame(painter.paint(mask), at, duration)


def scroll(
    painter: Painter, strip: Image.Image, direction: str, speed: float, passes: int
) -> Iterator[Frame]:
    """Slide a board-sized window over ``strip`` (content padded by one board on each side).

    left: the window moves right over the strip, so text enters at the right edge;
    right: the reverse; up: the window moves down a tall strip. Ends on an empty board.
    """
    w, h = painter.spec.size
    span = (strip.width - w) if direction in ("left", "right") else (strip.height - h)
    edge = h if direction == "up" else w  # a shift this large is a whole new frame
    step = step_px(speed)
    hold = step / speed
    positions = list(range(0, span, step))
    t = 0.0
    n = 0
    previous: Image.Image | None = None
    for _ in range(passes):
        for i, pos in enumerate(positions):
            shift = step if i else (span - positions[-1] if previous is not None else 0)
            img = painter.paint(_window(strip, direction, pos, span, w, h))
            op = _op(img, direction, shift) if previous is not None and 0 < shift < edge else None
            yield Frame(img, t, hold, op)
            previous = img
            n += 1
            t = n * hold
    img = painter.paint(_window(strip, direction, span, span, w, h))
    shift = span - positions[-1]
    yield Frame(img, t, hold, _op(img, direction, shift) if 0 < shift < edge else None)


def _window(strip: Image.Image, direction: str, pos: int, span: int, w: int, h: int) -> Image.Image:
    if direction == "left":
        return strip.crop((pos, 0, pos + w, h))
    if direction == "right":
        x = span - pos
        return strip.crop((x, 0, x + w, h))
    return strip.crop((0, pos, w, pos + h))


def _op(img: Image.Image, direction: str, shift: int) -> ScrollOp:
    w, h = img.size
    if direction == "left":
        return ScrollOp("left", shift, img.crop((w - shift, 0, w, h)))
    if direction == "right":
        return ScrollOp("right", shift, img.crop((0, 0, shift, h)))
    return ScrollOp("up", shift, img.crop((0, h - shift, w, h)))


def blink(painter: Painter, mask: Image.Image, duration: float, period: float) -> Iterator[Frame]:
    """On for half a period, off for the other half, until ``duration`` is over."""
    on = painter.paint(mask)
    off = painter.paint(Image.new(mask.mode, mask.size, 0))
    half = period / 2
    n = max(1, math.ceil(duration / half - 1e-9))
    for i in range(n):
        at = i * half
        yield Frame(on if i % 2 == 0 else off, at, min(half, duration - at) if duration > at else half)


def wipe(painter: Painter, mask: Image.Image, speed: float, hold: float) -> Iterator[Frame]:
    """Reveal the text left to right at ``speed`` px/s, then hold it for ``hold`` seconds."""
    box = mask.getbbox()
    if box is None:
        yield from static(painter, mask, hold)
        return
    step = step_px(speed)
    left, right = box[0], box[2]
    t = 0.0
    dt = step / speed
    for x in range(left + step, right, step):
        part = Image.new(mask.mode, mask.size, 0)
        part.paste(mask.crop((0, 0, x, mask.height)), (0, 0))
        yield Frame(painter.paint(part), t, dt)
        t += dt
    yield from static(painter, mask, hold, t)


def typewriter(
    painter: Painter, mask: Image.Image, stops: list[tuple[int, int, int, int]], speed: float, hold: float
) -> Iterator[Frame]:
    """Show the text one character at a time, each after its advance at ``speed`` px/s.

    ``stops`` are (line top, line bottom, x where the character ends, its advance in px).
    """
    t = 0.0
    shown = Image.new(mask.mode, mask.size, 0)
    for i, (top, bottom, x_end, advance) in enumerate(stops):
        # everything up to this character: whole lines above it, and this line up to x_end
        shown.paste(mask.crop((0, 0, mask.width, top)), (0, 0))
        shown.paste(mask.crop((0, top, x_end, bottom)), (0, top))
        dt = max(advance, 1) / speed
        if i + 1 < len(stops):
            yield Frame(painter.paint(shown.copy()), t, dt)
            t += dt
    yield from static(painter, mask, hold, t)
