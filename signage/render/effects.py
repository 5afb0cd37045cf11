"""Effects as pure timelines: each yields frames with their times and never sleeps.

Effects work on masks (text drawn once); a Painter turns a board-sized window of the mask
into a frame in the board's colour model. Scrolls crop windows from one wide strip.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from PIL import Image, ImageChops
from PIL._util import DeferredError

from drivers.pixels import BoardSpec, to_board_image

from .frame import Frame, RowSlices, ScrollOp, pack_565
from .layout import LazyStrip

#: Highest frame rate an effect asks for; faster speeds move more than 1 px a step.
MAX_FPS = 50


class Window(Image.Image):
    """A board-sized window of a loaded image whose pixels are cut on first use.

    A scroll yields a window a step, but a driver planning from the scroll hint's packed
    columns (the native SHIFT) never reads its pixels: cutting 128x64 RGB costs ~5 us a
    step, as long as the rest of the step. Everything that reads pixels (``load``, ``im``:
    ``tobytes``, ``crop``, ``copy``, ``convert``, ImageChops, ImageDraw) cuts them first, the
    same C crop as ``Image.crop``, so the pixels are identical. Equal to a plain image with
    the same pixels, as a plain crop is.
    """

    def __init__(self, image: Image.Image, box: tuple[int, int, int, int]) -> None:
        # Image.__init__'s fields, set directly (one of these is made every scroll step)
        self._im = None
        self._mode = image.mode
        self._size = (box[2] - box[0], box[3] - box[1])
        self.palette = None
        self.info = image._copy_info() if image.info else {}
        self._readonly = 0
        self._exif = None
        self._cut: tuple[Image.Image, tuple[int, int, int, int]] | None = (image, box)

    @property
    def im(self) -> Any:
        im = self._im
        if im is None:
            cut = self._cut
            assert cut is not None
            im = self._im = cut[0].im.crop(cut[1])
            self._cut = None  # the source is no longer needed
        elif isinstance(im, DeferredError):
            raise im.ex
        return im

    @im.setter
    def im(self, im: Any) -> None:
        self._im = im
        self._cut = None

    def load(self) -> Any:
        if self._im is None:
            self.im  # noqa: B018 - cut the pixels
        return super().load()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Image.Image):
            return False
        return (
            self.mode == other.mode
            and self.size == other.size
            and self.info == other.info
            and self.getpalette() == other.getpalette()
            and self.tobytes() == other.tobytes()
        )

    __hash__ = None  # type: ignore[assignment]


def fast_crop(image: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    """``image.crop(box)`` for a box inside a loaded image, its pixels cut on first use.

    A scroll crops once per step; ``Image.crop`` spends most of its 5 us re-checking and
    re-loading, and a driver planning from the packed columns never reads the pixels
    (``Window``). The crop is the same C call, so the pixels are identical.
    """
    return Window(image, box)


#: Per-channel table that drops the bits an RGB565 board does not have (5, 6, 5).
_RGB565 = [v & 0xF8 for v in range(256)] + [v & 0xFC for v in range(256)] + [v & 0xF8 for v in range(256)]


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
        pixel = to_board_image(Image.new("RGB", self.spec.size, rgb), self.spec).getpixel((0, 0))
        assert isinstance(pixel, tuple), "bicolor and rgb565 boards take RGB images"
        red, green, blue = pixel
        return red, green, blue

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
        if self.spec.color == "rgb565" and mask.mode != "1":
            return img.point(_RGB565)  # anti-aliased edges blend colours: keep them ones it shows
        return img


def _threshold(v: int) -> int:
    return 255 if v >= 128 else 0


def _shifted8(plane: Image.Image) -> list[bytes]:
    """A 1-bit plane's bytes eight times, shifted left by 0..7 px, so a window at any x
    starts on a byte boundary in one of them (rows padded by 8 px so none is cut)."""
    out = []
    for s in range(8):
        shifted = Image.new("1", (plane.width + 8, plane.height), 0)
        shifted.paste(plane, (-s, 0))
        out.append(shifted.tobytes())
    return out


class TiledStrip:
    """Windows of a long mask, coloured a tile at a time so a marquee is coloured once
    without holding a full-colour copy of the whole strip; each window comes with its board
    bytes as row slices of the tile packed once (see RowSlices), for every colour model
    whose windows are whole bytes: mono and bicolor sideways when the width is a multiple of
    8 (via copies shifted 0..7 px), rgb565 always, and every model scrolling up. Sideways
    RGB gets none: Pillow's tobytes of an RGB window is as fast as joining its rows."""

    def __init__(
        self,
        mask: Image.Image | LazyStrip,
        painter: Painter,
        horizontal: bool,
        window: int,
        tile: int = 2048,
        pack: bool = True,
    ):
        self.mask = mask
        self.pack = pack  # False: windows only (a preview never sends bytes, so skip packing)
        self.painter = painter
        self.horizontal = horizontal
        self.window = window
        self.tile = tile
        self.w, self.h = painter.spec.size
        self.color = painter.spec.color
        self._lo = self._hi = -1
        self._img: Image.Image | None = None
        self._cols: bytes | None = None  # the tile transposed and packed, made on first use
        # bytes a column takes so packed (0: columns are no plain slices of this strip)
        sliced = pack and horizontal and self.color in ("mono", "rgb")
        self._per = 0 if not sliced else (self.h + 7) // 8 if self.color == "mono" else 3 * self.h
        self._planes: list[list[bytes]] = []  # per plane: its bytes, or 8 shifted copies
        if painter.identity and mask.mode == "1" and isinstance(mask, Image.Image):
            # a lit-on-dark one-colour strip already is its frames: no tiles at all
            self._lo, self._hi = 0, (mask.width if horizontal else mask.height)
            self._set(mask)

    def _load(self, pos: int) -> None:
        length = self.mask.width if self.horizontal else self.mask.height
        self._lo, self._hi = pos, min(length, pos + self.tile + self.window)
        box = (self._lo, 0, self._hi, self.h) if self.horizontal else (0, self._lo, self.w, self._hi)
        self._set(self.painter.paint(self.mask.crop(box)))

    def columns(self, first: int, n: int) -> bytes | None:
        """Columns ``first``..``first + n`` of the strip as a board takes a SHIFT's strip: each
        column packed as a row (mono: a bit a pixel, top first; rgb: R, G, B a pixel), cut from
        the loaded tile transposed once. None where that is not a plain slice."""
        per, cols = self._per, self._cols
        if cols is None:
            if not per or self._img is None:
                return None
            cols = self._cols = self._img.transpose(Image.Transpose.TRANSPOSE).tobytes()
        start = (first - self._lo) * per
        return cols[start : start + n * per]

    def _set(self, img: Image.Image) -> None:
        """Keep a painted tile and pack it once, as the board takes it."""
        self._img = img
        self._cols = None
        color, whole_bytes = self.color, self.w % 8 == 0
        if not self.pack:
            self._planes = []
            return
        if color == "bicolor" and (whole_bytes or not self.horizontal):
            r, g = img.split()[:2]
            planes = [r.point(_threshold, "1"), g.point(_threshold, "1")]
        elif color == "mono" and (whole_bytes or not self.horizontal):
            planes = [img]
        elif color == "rgb565":
            self._planes = [[pack_565(img)]]
            return
        elif color == "rgb" and not self.horizontal:
            self._planes = [[img.tobytes()]]
            return
        else:
            self._planes = []
            return
        if self.horizontal:
            self._planes = [_shifted8(p) for p in planes]
        else:
            self._planes = [[p.tobytes()] for p in planes]

    def crop(self, pos: int) -> tuple[Image.Image, RowSlices | None]:
        """The board-sized window starting ``pos`` px along the strip, and its board bytes."""
        w, h = self.w, self.h
        if not (self._lo <= pos and pos + self.window <= self._hi):
            self._load(pos)
        img = self._img
        assert img is not None
        p = pos - self._lo
        planes = self._planes
        if self.horizontal:
            window = fast_crop(img, (p, 0, p + w, h))
            if not planes:
                return window, None
            if self.color == "rgb565":
                return window, RowSlices("rgb565", ((planes[0][0], p * 2),), img.width * 2, w * 2, h)
            stride = (img.width + 15) // 8
            return window, RowSlices(self.color, tuple((c[p % 8], p // 8) for c in planes), stride, w // 8, h)
        window = fast_crop(img, (0, p, w, p + h))
        if not planes:
            return window, None
        row = {"mono": (w + 7) // 8, "bicolor": (w + 7) // 8, "rgb": w * 3, "rgb565": w * 2}[self.color]
        return window, RowSlices(self.color, tuple((c[0], p * row) for c in planes), row, row, h)


def last_asked(only: range) -> int:
    """The highest frame index in ``only`` (-1 when empty), without walking the range."""
    return max(only[0], only[-1]) if only else -1


def step_px(speed: float) -> int:
    """Pixels moved per step so a scroll stays under MAX_FPS frames a second."""
    return max(1, math.ceil(speed / MAX_FPS))


#: Where a typewriter character ends: (line top, line bottom, x where it ends, its advance).
Stop = tuple[int, int, int, int]
#: The text as drawn at ``t`` seconds into the item: (mask, typewriter stops, seconds from the
#: start until it may next change). Live tokens give a new mask only when their text changes.
#: A still effect's mask is a board-sized image; a scroll's is its padded strip, a LazyStrip
#: when too big to hold.
Source = Callable[[float], tuple[Image.Image | LazyStrip, Sequence[Stop], float]]
#: What a step shows of the text: the mask (and stops) to the part of it on the board.
Cut = Callable[[Image.Image, Sequence[Stop]], Image.Image]
#: Seconds under which two moments count as the same (float sums of frame times).
EPS = 1e-9


def fixed(mask: Image.Image | LazyStrip, stops: Sequence[Stop] = ()) -> Source:
    """The source for text without live tokens: one mask for the whole item."""
    return lambda t: (mask, stops, math.inf)


def blank(mask: Image.Image, stops: Sequence[Stop]) -> Image.Image:
    """Nothing lit: the off half of a blink, the end of a hold."""
    return Image.new(mask.mode, mask.size, 0)


def timeline(
    painter: Painter,
    source: Source,
    steps: Iterable[tuple[float, float, Cut | None]],
    only: range | None = None,
) -> Iterator[Frame]:
    """Frames for still effects: each step (at, hold, cut) shows its cut of the current text.

    A step is split where live text changes, and only where the text really changes; a
    whole-text step (cut None) or a blank one is painted once per distinct text.
    ``only``: just the frames with those indices (as scroll's), the others not painted.
    """
    last = -1 if only is None else last_asked(only)
    if only is not None and last < 0:
        return  # no frame asked for
    n = 0
    paint = _Painted(painter)
    for at, hold, cut in steps:
        t, end = at, at + hold
        while True:
            mask, stops, seg_end = _segment(source, t, end)
            if only is None or n in only:
                whole = t == at and seg_end is end  # unsplit: the hold exactly as asked
                yield Frame(paint(mask, stops, cut), t, hold if whole else seg_end - t)
            n += 1
            if only is not None and n > last:
                return  # nothing more asked for
            if seg_end >= end - EPS:
                break
            t = seg_end


def _segment(source: Source, t: float, end: float) -> tuple[Image.Image, Sequence[Stop], float]:
    """The text drawn at ``t``, its stops, and when (at most ``end``) it next really changes:
    changes of live tokens that leave the drawn text as it is do not split a step."""
    mask, stops, until = source(t)
    assert isinstance(mask, Image.Image), "a still effect's text is drawn board-sized, whole"
    while until < end - EPS:
        nxt = source(until)
        if nxt[0] is not mask:
            break
        until = nxt[2]
    return mask, stops, end if until >= end - EPS or until <= t + EPS else until


class _Painted:
    """Paints a step's cut of the text; a whole-text or blank step once per distinct text."""

    def __init__(self, painter: Painter) -> None:
        self.painter = painter
        self.seen: dict[int, tuple[Image.Image, Image.Image]] = {}

    def __call__(self, mask: Image.Image, stops: Sequence[Stop], cut: Cut | None) -> Image.Image:
        if cut is not None and cut is not blank:
            return self.painter.paint(cut(mask, stops))
        key = id(cut)
        seen = self.seen.get(key)
        if seen is not None and (cut is blank or seen[0] is mask):
            return seen[1]
        img = self.painter.paint(mask if cut is None else blank(mask, stops))
        self.seen[key] = (mask, img)
        return img


def static(painter: Painter, source: Source, duration: float, only: range | None = None) -> Iterator[Frame]:
    """The text for ``duration``: one frame, or one per change of its live tokens."""
    return timeline(painter, source, [(0.0, duration, None)], only)


def hold(painter: Painter, source: Source, duration: float, only: range | None = None) -> Iterator[Frame]:
    """The text for ``duration``, then the board cleared (a blank frame held 0 s: it stays
    dark until the next item), unlike static, whose text stays until it is replaced."""
    return timeline(painter, source, [(0.0, duration, None), (duration, 0.0, blank)], only)


class _Scroll:
    """One scroll's moving parts: the strip shown (swapped when live text changes), the
    board-sized windows cut from it, and the ops that turn one window into the next."""

    def __init__(
        self,
        painter: Painter,
        strip: Image.Image | LazyStrip,
        direction: str,
        live: Source | None,
        pack: bool,
    ) -> None:
        self.w, self.h = painter.spec.size
        self.painter, self.direction, self.live, self.pack = painter, direction, live, pack
        self.horizontal = direction != "up"
        self.edge = self.w if self.horizontal else self.h  # a shift this large is a whole new frame
        self.reverse = direction == "right"
        self.sign = -1 if self.reverse else 1  # which way along the strip a pass goes
        self.until = math.inf if live is None else live(0.0)[2]
        self._load(strip)

    def _load(self, strip: Image.Image | LazyStrip) -> None:
        self.strip = strip
        self.span = (strip.width - self.w) if self.horizontal else (strip.height - self.h)
        self.tiled = TiledStrip(strip, self.painter, self.horizontal, self.edge, pack=self.pack)
        self.crop = self.tiled.crop
        self.base = self.span if self.reverse else 0  # where on the strip a pass starts

    def swap(self, t: float) -> bool:
        """Take the live text at ``t``; True when it is a new strip."""
        assert self.live is not None
        new, _, self.until = self.live(t)
        if new is self.strip:
            return False
        self._load(new)
        return True

    def due(self, t: float) -> bool:
        """Swap the strip if the live text may have changed by ``t``; True when it did."""
        return t >= self.until - EPS and self.swap(t)

    def at(self, pos: int) -> int:
        """Where on the strip the window is ``pos`` px into a pass."""
        return self.span - pos if self.reverse else pos

    def op(
        self,
        shift: int,
        img: Image.Image,
        prev: Image.Image | None,
        packed: RowSlices | None,
        at: int,
        swapped: bool,
    ) -> ScrollOp | None:
        """The op turning ``prev`` into ``img`` (the window at ``at``), if a shift of ``shift``
        px does: after a swap (``swapped``), only if it still gives exactly ``img``."""
        if not 0 < shift < self.edge:
            return None
        op = ScrollOp(self.direction, shift, img, prev, packed, self.entering(at, shift))
        return self.checked(op, prev, img) if swapped else op

    def checked(self, op: ScrollOp, prev: Image.Image | None, img: Image.Image) -> ScrollOp | None:
        """``op``, unless it no longer turns ``prev`` into ``img`` (the strip was swapped)."""
        if prev is not None and op.apply(prev).tobytes() != img.tobytes():
            return None
        return op

    def entering(self, p: int, shift: int) -> bytes | None:
        """The packed columns a sideways step at window ``p`` brings in (SHIFT's strip)."""
        if not self.horizontal:
            return None
        return self.tiled.columns(p if self.reverse else p + self.w - shift, shift)

    def last(self, t: float, dt: float, prev: Image.Image | None, last_pos: int) -> Frame:
        """The frame that ends the scroll (an empty board), at ``t``."""
        swapped = self.due(t)
        at = self.at(self.span)
        img, packed = self.crop(at)
        return Frame(img, t, dt, self.op(self.span - last_pos, img, prev, packed, at, swapped), packed)


def scroll(
    painter: Painter,
    strip: Image.Image | LazyStrip,
    direction: str,
    speed: float,
    passes: int,
    live: Source | None = None,
    only: range | None = None,
) -> Iterator[Frame]:
    """Slide a board-sized window over ``strip`` (content padded by one board on each side).

    left: the window moves right over the strip, so text enters at the right edge;
    right: the reverse; up: the window moves down a tall strip. Ends on an empty board.
    Each frame after the first carries the ScrollOp that turns the previous one into it.
    With ``live``, the strip is swapped when its tokens' text changes, at the same distance
    from the edge the text entered at; the op of that frame is kept only if it still holds.

    ``only`` (see render_item): just the frames with those indices; the rest are walked over
    (steps, times and swaps kept) without cropping, so a preview looking at 64 of 385 frames
    pays for 64. Their pixels and times are the full scroll's; they carry no op (the frame
    before them was not yielded) and no packed bytes (a preview sends none).
    """
    step = step_px(speed)
    if only is None:
        return _scrolled(painter, strip, direction, live, step, step / speed, passes)
    return _sampled(painter, strip, direction, live, step, step / speed, passes, only)


def _scrolled(
    painter: Painter,
    strip: Image.Image | LazyStrip,
    direction: str,
    live: Source | None,
    step: int,
    dt: float,
    passes: int,
) -> Iterator[Frame]:
    """Every frame of a scroll, each with its op and packed bytes (see scroll). The loop runs
    once a step (the frame rate of a marquee): what it reads is held in locals, refreshed
    when the live text is looked at."""
    s = _Scroll(painter, strip, direction, live, pack=True)
    span, crop, until, base = s.span, s.crop, s.until, s.base
    sign, edge, entering = s.sign, s.edge, s.entering
    n = last_pos = 0
    prev: Image.Image | None = None
    for _ in range(passes):
        pos = 0
        while pos < span:
            t = n * dt
            swapped = False
            if t >= until - EPS:
                swapped = s.swap(t)
                span, crop, until, base = s.span, s.crop, s.until, s.base
                if swapped and pos >= span:
                    break  # the new text is shorter and already gone by
            at = base + sign * pos
            img, packed = crop(at)
            op = None
            if n:
                # a step, or from the end of the last pass round to the start of this one
                shift = (pos or span) - last_pos
                if 0 < shift < edge:
                    op = ScrollOp(direction, shift, img, prev, packed, entering(at, shift))
                    if swapped:
                        op = s.checked(op, prev, img)
            yield Frame(img, t, dt, op, packed)
            prev = img
            n += 1
            last_pos = pos
            pos += step
    yield s.last(n * dt, dt, prev, last_pos)


def _sampled(
    painter: Painter,
    strip: Image.Image | LazyStrip,
    direction: str,
    live: Source | None,
    step: int,
    dt: float,
    passes: int,
    only: range,
) -> Iterator[Frame]:
    """A preview's sample of a scroll: the walk of _scrolled (passes, times, swaps), but with
    no crop, op or packing for the frames not asked for, stopping after the last one asked for."""
    s = _Scroll(painter, strip, direction, live, pack=False)
    last = last_asked(only)
    n = 0
    for _ in range(passes):
        pos = 0
        while pos < s.span:
            if n > last:
                return
            t = n * dt
            if s.due(t) and pos >= s.span:
                break
            if n in only:
                yield Frame(s.crop(s.at(pos))[0], t, dt)
            n += 1
            pos += step
    if n in only:
        t = n * dt
        s.due(t)
        yield Frame(s.crop(s.at(s.span))[0], t, dt)


def blink(
    painter: Painter, source: Source, duration: float, period: float, only: range | None = None
) -> Iterator[Frame]:
    """On for half a period, off for the other half, until ``duration`` is over."""
    half = period / 2
    n = max(1, math.ceil(duration / half - 1e-9))
    steps = []
    for i in range(n):
        at = i * half
        steps.append((at, min(half, duration - at) if duration > at else half, None if i % 2 == 0 else blank))
    return timeline(painter, source, steps, only)


def wipe(
    painter: Painter, source: Source, speed: float, hold: float, only: range | None = None
) -> Iterator[Frame]:
    """Reveal the text left to right at ``speed`` px/s, then hold it for ``hold`` seconds."""
    box = source(0.0)[0].getbbox()
    steps: list[tuple[float, float, Cut | None]] = []
    t = 0.0
    if box is not None:
        step = step_px(speed)
        dt = step / speed
        for x in range(box[0] + step, box[2], step):
            steps.append((t, dt, _left_of(x)))
            t += dt
    steps.append((t, hold, None))
    return timeline(painter, source, steps, only)


def _left_of(x: int) -> Cut:
    def cut(mask: Image.Image, stops: Sequence[Stop]) -> Image.Image:
        part = Image.new(mask.mode, mask.size, 0)
        part.paste(mask.crop((0, 0, x, mask.height)), (0, 0))
        return part

    return cut


def typewriter(
    painter: Painter, source: Source, speed: float, hold: float, only: range | None = None
) -> Iterator[Frame]:
    """Show the text one character at a time, each after its advance at ``speed`` px/s,
    then hold the whole text for ``hold`` seconds."""
    stops = source(0.0)[1]
    steps: list[tuple[float, float, Cut | None]] = []
    t = 0.0
    for i, (_, _, _, advance) in enumerate(stops[:-1]):
        dt = max(advance, 1) / speed
        steps.append((t, dt, _typed(i)))
        t += dt
    steps.append((t, hold, None))
    return timeline(painter, source, steps, only)


def _typed(i: int) -> Cut:
    def cut(mask: Image.Image, stops: Sequence[Stop]) -> Image.Image:
        # everything up to character i: whole lines above it, and its line up to where it ends
        top, bottom, x_end, _ = stops[min(i, len(stops) - 1)]
        shown = Image.new(mask.mode, mask.size, 0)
        shown.paste(mask.crop((0, 0, mask.width, top)), (0, 0))
        shown.paste(mask.crop((0, top, x_end, bottom)), (0, top))
        return shown

    return cut
