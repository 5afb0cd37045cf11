"""A slogan item to frames: pick the font and lines that fit, draw once, run the effect."""

from __future__ import annotations

import math
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from PIL import Image

from drivers.pixels import BoardSpec

from . import effects
from .cache import CACHE, LIVE, content_key
from .errors import RenderWarning
from .fonts import (
    SCRIPT_MIN_ROWS,
    Candidates,
    Face,
    auto_font,
    candidates,
    chain_for,
    fit_face,
    needs_script_font,
    script_font,
    warn_if_no_raqm,
)
from .frame import Frame
from .layout import (
    BALANCE_MAX_LINES,
    Block,
    LazyStrip,
    draw_block,
    draw_strip,
    make_block,
    missing_chars,
    spread_tops,
    wrap,
)
from .legibility import layout_letter_px, legible, min_letter_px, script_heights
from .options import SloganOptions
from .tokens import expand, has_tokens, next_change
from .words import words_version

#: Smallest line height that reads cleanly (see shared fonts.md); below it only as a last resort.
MIN_CLEAN_ROWS = SCRIPT_MIN_ROWS["latin"]
COMPLEX_SCRIPTS = {"noto-sans-lao-bold", "noto-sans-khmer-bold"}


@dataclass(frozen=True)
class Layout:
    """Lines laid out for a board, and whether they fit it without scrolling."""

    block: Block
    chain: tuple[Face, ...]
    fits: bool


def primary_face(font: str | None, rows: int) -> Face:
    """The chosen font at its size for ``rows``, or the default for that many rows."""
    return fit_face(font, rows) if font else auto_font(rows)


def sideways_rows(spec: BoardSpec) -> int:
    """Line height for a left/right scroll: the board's height, but at most a quarter of its
    width, so a word or two is on the board at once. 64-row letters on a 128-px board
    show three letters at a time, and a marquee seen three letters at a time is not read."""
    return min(spec.height, max(16, spec.width // 4))


def single_line(text: str, opts: SloganOptions, spec: BoardSpec) -> Layout:
    """The text on one line as tall as a sideways scroll wants (see sideways_rows)."""
    line = " ".join(text.split())
    rows = sideways_rows(spec)
    primary = candidates(opts.font or script_font(line), rows)[0]
    chain = _chain(line, primary, rows)
    block = make_block([line], chain, rows, opts.letter_spacing)
    return Layout(block, chain, block.width <= spec.width)


def legible_candidates(faces: Candidates, spec: BoardSpec) -> Candidates:
    """The faces whose letters read from the board's viewing distance (a prefix: candidates
    run from the largest down, and letters shrink with them)."""
    lo, hi = 0, len(faces)
    while lo < hi:  # first face too small to read
        mid = (lo + hi) // 2
        if legible(faces[mid], spec):
            lo = mid + 1
        else:
            hi = mid
    return Candidates(faces.entries[:lo])


def readable_layout(layout: Layout, spec: BoardSpec) -> bool:
    """True when every script's letters read from the board's viewing distance and get the
    rows that script needs (a Lao run beside Vietnamese may be drawn smaller than it)."""
    if layout_letter_px(layout) < min_letter_px(spec):
        return False
    return all(
        rows >= SCRIPT_MIN_ROWS.get(script, 0)
        for script, rows in script_heights(layout).items()
        if script != "latin"
    )


def fit_lines(
    text: str, opts: SloganOptions, spec: BoardSpec, line_rows: int | None = None, legible_only: bool = False
) -> Layout:
    """Auto-fit: the largest face whose wrapped lines fit the board (static text).

    Candidates run from the largest face down, so "fits" flips once from no to yes: the
    smallest is tried first (if it does not fit, nothing does: scroll), then a bisection.
    With ``line_rows`` (scroll-up), the largest face for lines that tall, however many lines.
    ``legible_only`` (effect auto): only faces whose letters read from the board's viewing
    distance; when none is, the layout does not fit, so the text scrolls.
    """
    faces = candidates(opts.font or script_font(text), line_rows or spec.height)
    if line_rows is not None:
        return _try(text, faces[0], opts, spec, line_rows)
    if legible_only:
        readable = legible_candidates(faces, spec)
        if not len(readable):
            return replace(_try(text, faces[0], opts, spec), fits=False)
        faces = readable
    # a size that must break a listed word to fit does not fit, unless even the smallest must
    whole = True
    smallest = _try(text, faces[len(faces) - 1], opts, spec)
    if not smallest.fits:
        whole = False
        smallest = _try(text, faces[len(faces) - 1], opts, spec, whole_words=False)
        if not smallest.fits:
            return smallest
    lo, hi, best = 0, len(faces) - 1, smallest  # faces[hi] fits
    while lo < hi:
        mid = (lo + hi) // 2
        layout = _try(text, faces[mid], opts, spec, whole_words=whole)
        if layout.fits:
            hi, best = mid, layout
        else:
            lo = mid + 1
    if legible_only and not readable_layout(best, spec):
        return replace(best, fits=False)  # a fallback script's letters are too small: scroll
    if not 1 < len(best.block.lines) <= BALANCE_MAX_LINES:
        return best
    # the same lines, evenly filled: balancing never widens the widest line, so it still fits
    lines = wrap(text, best.chain, spec.width, opts.letter_spacing, balanced=True)
    return Layout(make_block(lines, best.chain, spec.height, opts.letter_spacing), best.chain, True)


def _try(
    text: str,
    primary: Face,
    opts: SloganOptions,
    spec: BoardSpec,
    line_rows: int | None = None,
    whole_words: bool = True,
) -> Layout:
    """The text wrapped with ``primary`` (and fallbacks), and whether it fits the board
    (with ``whole_words``, only if no listed word or name had to be broken)."""
    w, h = spec.size
    chain = _chain(text, primary, primary.height if line_rows is None else line_rows)
    if line_rows is None:
        max_lines = max(1, (h + 1) // (primary.height + 1), h // primary.height)
        if text.count("\n") + 1 > max_lines or _too_long(text, chain, w, max_lines, opts):
            block = make_block([" ".join(text.split())], chain, h, opts.letter_spacing)
            return Layout(block, chain, False)
    broken: list[str] = []
    lines = wrap(text, chain, w, opts.letter_spacing, broken=broken)
    block = make_block(lines, chain, h, opts.letter_spacing)
    return Layout(block, chain, block.height <= h and block.width <= w and not (whole_words and broken))


def _chain(text: str, primary: Face, rows: int) -> tuple[Face, ...]:
    """Just the primary face when it has every character; else with the fallbacks."""
    if not needs_script_font(text) and all(
        primary.covers(c) or unicodedata.category(c) in ("Cc", "Cf") for c in text
    ):
        return (primary,)
    return chain_for(primary, rows, text)


def _too_long(text: str, chain: tuple[Face, ...], width: int, lines: int, opts: SloganOptions) -> bool:
    """Quick reject: the text on one line is longer than all the lines together."""
    from .layout import spaced_width, split_runs

    return spaced_width(split_runs(" ".join(text.split()), chain), opts.letter_spacing) > width * lines


def scroll_up_rows(height: int) -> int:
    """Line height for scrolling up: two lines on the board from 32 rows up."""
    return height if height < 32 else max(16, (height - 1) // 2)


def mask_mode(spec: BoardSpec, chain: tuple[Face, ...]) -> str:
    """1-bit for one- and two-colour boards and for pixel fonts; anti-aliased otherwise."""
    return "1" if spec.color in ("mono", "bicolor") or chain[0].info.native_size else "L"


def board_mask(layout: Layout, spec: BoardSpec, align: str) -> Image.Image:
    """The laid-out text centred on a board-sized mask (aligned horizontally as asked)."""
    w, h = spec.size
    block = layout.block
    x = {"left": 0, "right": w - block.width}.get(align, (w - block.width) // 2)
    tops = spread_tops(block, h) if layout.fits else None
    origin = (x, (h - block.height) // 2)
    return draw_block(block, mask_mode(spec, layout.chain), spec.size, origin, align, tops)


def strip_mask(layout: Layout, spec: BoardSpec, direction: str, align: str) -> Image.Image | LazyStrip:
    """The text on a strip one board wider (or taller) on each side, for a scroll.

    Drawn whole when small; a long marquee on a big board is a LazyStrip drawn a tile at a
    time, so it keeps the font asked for at any length without the memory of a whole strip.
    """
    w, h = spec.size
    block = layout.block
    mode = mask_mode(spec, layout.chain)
    if direction == "up":
        x = {"left": 0, "right": w - block.width}.get(align, (w - block.width) // 2)
        return draw_strip(block, mode, (w, block.height + 2 * h), (x, h), align, False)
    return draw_strip(block, mode, (block.width + 2 * w, h), (w, (h - block.height) // 2), "left", True)


def typewriter_stops(layout: Layout, spec: BoardSpec, align: str) -> list[tuple[int, int, int, int]]:
    """Where each character of a laid-out block ends on the board, for the typewriter."""
    from .layout import spaced_width, split_runs

    w, h = spec.size
    block = layout.block
    x0 = {"left": 0, "right": w - block.width}.get(align, (w - block.width) // 2)
    y0 = (h - block.height) // 2
    tops = (spread_tops(block, h) if layout.fits else None) or [
        y0 + i * (block.box.height + block.gap) for i in range(len(block.lines))
    ]
    stops = []
    for i, (runs, lw) in enumerate(zip(block.lines, block.widths, strict=True)):
        text = "".join(r.text for r in runs)
        lx = x0 + {"left": 0, "right": block.width - lw}.get(align, (block.width - lw) // 2)
        top = tops[i]
        bottom = min(h, tops[i + 1] if i + 1 < len(tops) else top + block.box.height + block.gap)
        top = max(0, top)
        if top >= h:
            break  # lines below the board never show
        prev = 0
        for k in range(1, len(text) + 1):
            if text[k - 1].isspace() and k < len(text):
                continue
            end = spaced_width(split_runs(text[:k], layout.chain), block.letter_spacing)
            x_end = min(w, max(0, lx + end + 1))
            stops.append((top, bottom, x_end, max(0, end - prev)))
            prev = end
            if x_end >= w:
                break  # the rest of the line is off the board: one stop shows it all
    return stops


@dataclass(frozen=True)
class Prepared:
    """A slogan's text laid out and drawn once: what every effect crops its frames from."""

    effect: str
    layout: Layout
    mask: Image.Image | LazyStrip  # board-sized for still effects, a padded strip for scrolls
    stops: tuple[tuple[int, int, int, int], ...]  # typewriter only
    missing: tuple[str, ...]
    complex_script: bool


def prepare(text: str, opts: SloganOptions, spec: BoardSpec) -> Prepared:
    """Lay out and draw ``text`` (tokens already expanded), through the content-keyed cache.

    Text expanded from live tokens (``opts.text`` has them) goes to the small LIVE cache:
    each minute's {time} is a new text used for that minute only, and in the main cache
    those drawings would pile up to its bound and push out the playlist's fixed texts.
    """
    key = content_key(
        "slogan",
        text,
        opts.effect,
        opts.font,
        opts.align,
        opts.letter_spacing,
        spec.width,
        spec.height,
        spec.color,
        spec.pitch_mm,
        spec.viewing_m,
        words_version(),
    )
    cache = LIVE if has_tokens(opts.text) else CACHE
    return cache.get_or_make(key, lambda: _prepare(text, opts, spec))


def _prepare(text: str, opts: SloganOptions, spec: BoardSpec) -> Prepared:
    effect = opts.effect
    if effect == "auto":
        effect = "static" if fit_lines(text, opts, spec, legible_only=True).fits else "scroll-left"
    stops: tuple[tuple[int, int, int, int], ...] = ()
    if effect in ("scroll-left", "scroll-right"):
        layout = single_line(text, opts, spec)
        mask = strip_mask(layout, spec, effect.split("-")[1], opts.align)
    elif effect == "scroll-up":
        layout = fit_lines(text, opts, spec, scroll_up_rows(spec.height))
        mask = strip_mask(layout, spec, "up", opts.align)
    else:
        layout = fit_lines(text, opts, spec)
        mask = board_mask(layout, spec, opts.align)
        if effect == "typewriter":
            stops = tuple(typewriter_stops(layout, spec, opts.align))
    used = {r.face.info.name for line in layout.block.lines for r in line}
    return Prepared(
        effect, layout, mask, stops, tuple(missing_chars(text, layout.chain)), bool(used & COMPLEX_SCRIPTS)
    )


def _warn(prepared: Prepared) -> None:
    """Warn about characters no font has, and about Lao/Khmer without raqm shaping."""
    if prepared.missing:
        names = ", ".join(f"{c!r} U+{ord(c):04X}" for c in prepared.missing)
        warnings.warn(f"no font has the characters {names}: they show as boxes", RenderWarning, stacklevel=4)
    if prepared.complex_script:
        warn_if_no_raqm()


def live_source(opts: SloganOptions, spec: BoardSpec, now: datetime, first: Prepared) -> effects.Source:
    """The slogan's drawing over time: its tokens are expanded at each asked moment, but a new
    mask is drawn (or fetched from the cache) only when the expanded text differs."""
    if not has_tokens(opts.text):
        return effects.fixed(first.mask, first.stops)
    fixed_opts = replace(opts, effect=first.effect)  # "auto" must not turn a scroll into a still
    last: list[Any] = [expand(opts.text, now), first]

    def source(t: float) -> tuple[Image.Image, tuple[effects.Stop, ...], float]:
        moment = now + timedelta(seconds=t)
        text = expand(opts.text, moment)
        if text != last[0]:
            last[:] = [text, prepare(text, fixed_opts, spec)]
        change = next_change(opts.text, moment)
        until = math.inf if change is None else (change - now).total_seconds()
        return last[1].mask, last[1].stops, until

    return source


def render_slogan(
    opts: SloganOptions, spec: BoardSpec, now: datetime, only: range | None = None
) -> Iterator[Frame]:
    """Frames of a checked slogan on ``spec``, starting at ``now`` (for live tokens).

    ``only``: just the frames with those indices, the others not drawn (see render_item).
    """
    painter = effects.Painter(spec, opts.color, opts.background)
    prepared = prepare(expand(opts.text, now), opts, spec)
    _warn(prepared)
    effect, mask = prepared.effect, prepared.mask
    source = live_source(opts, spec, now, prepared)
    live = source if has_tokens(opts.text) else None
    hold = opts.duration if opts.hold is None else opts.hold
    if effect.startswith("scroll-"):
        yield from effects.scroll(painter, mask, effect.split("-")[1], opts.speed, opts.passes, live, only)
    elif effect == "blink":
        yield from effects.blink(painter, source, opts.duration, opts.blink_period, only)
    elif effect == "wipe":
        yield from effects.wipe(painter, source, opts.speed, hold, only)
    elif effect == "typewriter":
        yield from effects.typewriter(painter, source, opts.speed, hold, only)
    elif effect == "hold":
        yield from effects.hold(painter, source, opts.duration, only)
    else:
        yield from effects.static(painter, source, opts.duration, only)
