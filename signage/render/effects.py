"""Effects as pure timelines: each yields frames with their times and never sleeps.

Effects work on masks (text drawn once); a Painter turns a board-sized window of the mask
into a frame in the board's colour model. Scrolls crop windows from one wide strip.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from PIL import Image, ImageChops

from drivers.pixels import BoardSpec, to_board_image

from .frame import Frame, RowSlices, ScrollOp

#: Highest frame rate an effect asks for; faster speeds move more than 1 px a step.
MAX_FPS = 50


def fast_crop(image: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    """``image.crop(box)`` for a box inside a loaded image, without Pillow's Python checks.

    A scroll crops once per step; ``Image.crop`` spends most of its 5 us re-checking and
    re-loading. The core crop is the same C call, so the pixels are identical.
    """
    return image._new(image.im.crop(box))


class Painter:
    """Colours masks into frames the board shows exactly as drawn.

    Colours are first snapped to what the board can show (via the shared pixel formats),
    so colouring a 1-bit mask never makes a colour the board would change.
    """

    def __init__(self, spec: BoardSpec, color: tuple[int, int, int], background: tuple[int, int, int]):
        self.spec = spec
        self.mode = spec.image_mode
        self.invert = spec.color == "mono" and sum(background) > sum(color)
        self.fg = self._snap(color)
        self.bg = self._snap(background)

    def _snap(self, rgb: tuple[int, int, int]) -> tuple[int, int, int]:
        if self.spec.color in ("mono", "rgb"):
            return rgb
        return to_board_image(Image.new("RGB", self.spec.size, rgb), self.spec).getpixel((0, 0))

    @property
    def identity(self) -> bool:
        """True when a 1-bit mask already is the frame (lit text on a dark one-colour board)."""
        return self.spec.color == "mono" and not self.invert

    def paint(self, mask: Image.Image) -> Image.Image:
        """The frame (or strip of frames) for a mask of any size."""
        if self.spec.color == "mono":
            img = mask if mask.mode == "1" else mask.point(lambda v: 255 if v >= 128 else 0, "1")
            return ImageChops.invert(img.convert("L")).convert("1") if self.invert else img
        img = Image.new("RGB", mask.size, self.bg)
        img.paste(self.fg, (0, 0, *mask.size), mask)
        return img


class TiledStrip:
    """Windows of a long mask, coloured a tile at a time so a marquee is coloured once
    without holding a full-colour copy of the whole strip; each window comes with its board
    bytes as row slices of the packed tile (see RowSlices)."""

    def __init__(self, mask: Image.Image, painter: Painter, horizontal: bool, window: int, tile: int = 2048):
        self.mask = mask
        self.painter = painter
        self.horizontal = horizontal
        self.window = window
        self.tile = tile
        self.w, self.h = painter.spec.size
        self.color = painter.spec.color
        self._lo = self._hi = -1
        self._img: Image.Image | None = None
        self._data: bytes = b""
        self._shifted: list[bytes] = []
        if painter.identity and mask.mode == "1":
            self._lo, self._hi = 0, (mask.width if horizontal else mask.height)
            self._img = mask
            if horizontal and self.w % 8 == 0:
                # eight copies shifted by 0..7 px, so any window starts on a byte boundary
                for s in range(8):
                    shifted = Image.new("1", (mask.width + 8, mask.height), 0)
                    shifted.paste(mask, (-s, 0))
                    self._shifted.append(shifted.tobytes())
            elif not horizontal:
                self._data = mask.tobytes()

    def _load(self, pos: int) -> None:
        length = self.mask.width if self.horizontal else self.mask.height
        self._lo, self._hi = pos, min(length, pos + self.tile + self.window)
        box = (self._lo, 0, self._hi, self.h) if self.horizontal else (0, self._lo, self.w, self._hi)
        self._img = self.painter.paint(self.mask.crop(box))
        # only scroll-up gets RGB row slices (one contiguous slice); sideways, Pillow's
        # tobytes of an RGB window is as fast as joining its rows
        self._data = self._img.tobytes() if self.color == "rgb" and not self.horizontal else b""

    def crop(self, pos: int) -> tuple[Image.Image, RowSlices | None]:
        """The board-sized window starting ``pos`` px along the strip, and its board bytes."""
        w, h = self.w, self.h
        if not (self._lo <= pos and pos + self.window <= self._hi):
            self._load(pos)
        img = self._img
        assert img is not None
        p = pos - self._lo
        if self.horizontal:
            window = fast_crop(img, (p, 0, p + w, h))
            if self._shifted:
                stride = (img.width + 15) // 8
                return window, RowSlices("mono", self._shifted[p % 8], p // 8, stride, w // 8, h)
            return window, None
        window = fast_crop(img, (0, p, w, p + h))
        if self._data:
            row = (w + 7) // 8 if self.color == "mono" else w * 3
            return window, RowSlices(self.color, self._data, p * row, row, row, h)
        return window, None


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
    Each frame after the first carries the ScrollOp that turns the previous one into it.
    """
    w, h = painter.spec.size
    horizontal = direction != "up"
    edge = w if horizontal else h  # a shift this large is a whole new frame
    span = (strip.width - w) if horizontal else (strip.height - h)
    source = TiledStrip(strip, painter, horizontal, edge)
    crop = source.crop
    step = step_px(speed)
    hold = step / speed
    positions = range(0, span, step)
    wrap_shift = span - positions[-1]  # from the last window back to the (empty) first one
    reverse = direction == "right"
    n = 0
    for _ in range(passes):
        for pos in positions:
            img, packed = crop(span - pos if reverse else pos)
            if n == 0:
                op = None
            else:
                shift = step if pos else wrap_shift
                op = ScrollOp(direction, shift, img) if shift < edge else None
            yield Frame(img, n * hold, hold, op, packed)
            n += 1
    img, packed = crop(0 if reverse else span)
    last_op = ScrollOp(direction, wrap_shift, img) if wrap_shift < edge else None
    yield Frame(img, n * hold, hold, last_op, packed)


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
