"""Legibility lint: warnings for staff before a slogan goes on the board (never blocking)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw

from drivers.pixels import BoardSpec

from .errors import N_
from .fonts import SCRIPT_MIN_ROWS, VIETNAMESE_LETTERS, Face, raqm_available
from .layout import draw_block
from .legibility import layout_letter_px, letter_cm, min_letter_cm, min_letter_px, readable_m, script_heights
from .options import parse_slogan
from .slogan import MIN_CLEAN_ROWS, Prepared, board_mask, mask_mode, prepare
from .tokens import expand

#: Seconds a word should stay on the board to be read by someone driving past.
MIN_SECONDS_PER_WORD = 1.5
#: Effects that move the text across the board (the rest show it still).
SCROLLS = ("scroll-left", "scroll-right", "scroll-up")


@dataclass(frozen=True)
class Lint:
    """One warning: a short code for the UI and a message staff can act on.

    ``message`` is English (the CLI, logs); ``template`` and ``params`` let the admin say it
    in the user's language, as with ``RenderError``.
    """

    code: str
    message: str
    template: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def _lint(code: str, template: str, **params: Any) -> Lint:
    return Lint(code, template % params if params else template, template, params)


@lru_cache(maxsize=64)
def letter_collisions(f: Face) -> tuple[tuple[str, str], ...]:
    """Pairs of different Vietnamese letters whose 1-bit bitmaps are identical in ``f``."""
    seen: dict[bytes, str] = {}
    pairs = []
    size = f.size
    for letter in VIETNAMESE_LETTERS:
        canvas = Image.new("1", (size * 3, size * 4), 0)
        draw = ImageDraw.Draw(canvas)
        draw.fontmode = "1"
        draw.text((size, size * 3), letter, font=f.font, fill=1, anchor="ls")
        key = canvas.tobytes()
        if key in seen:
            pairs.append((seen[key], letter))
        seen[key] = letter
    return tuple(pairs)


def clipped_pixels(prepared_layout: Any, spec: BoardSpec) -> int:
    """Lit pixels of the laid-out text that fall outside the board (still effects)."""
    block = prepared_layout.block
    mode = mask_mode(spec, prepared_layout.chain)
    pad = max(spec.height, 16)
    free = draw_block(block, mode, (block.width + 2 * pad, block.height + 2 * pad), (pad, pad))
    on_board = board_mask(prepared_layout, spec, "center")
    return _lit(free) - _lit(on_board)


def _lit(image: Image.Image) -> int:
    hist = image.histogram()
    return sum(hist[128:]) if image.mode == "L" else sum(hist[1:])


#: What staff are told when a script's lines are shorter than it needs (fonts.SCRIPT_MIN_ROWS).
SCRIPT_ROWS_MESSAGES: dict[str, str] = {
    "lao": N_("Lao needs about %(need)d rows a line to read, this line has %(rows)d"),
    "khmer": N_("Khmer needs about %(need)d rows a line to read, this line has %(rows)d"),
}


def script_rows(layout: Any) -> list[Lint]:
    """A warning for each script whose letters get fewer rows than it needs to read."""
    out = []
    for script, rows in script_heights(layout).items():
        need = SCRIPT_MIN_ROWS.get(script, 0)
        if script in SCRIPT_ROWS_MESSAGES and rows < need:
            out.append(_lint("small", SCRIPT_ROWS_MESSAGES[script], need=need, rows=rows))
    return out


def distance(layout: Any, spec: BoardSpec, effect: str) -> list[Lint]:
    """A warning, in centimetres and metres, when the letters are too small for the board's
    viewing distance (legibility.py states the rule)."""
    px = layout_letter_px(layout)
    if px >= min_letter_px(spec):
        return []
    params = {
        "cm": f"{letter_cm(px, spec):g}",
        "reach": f"{readable_m(px, spec):.0f}",
        "distance": f"{spec.viewing_m:g}",
        "need": f"{min_letter_cm(spec):.1f}",
    }
    if effect in ("scroll-left", "scroll-right"):
        return [
            _lint(
                "too-far",
                N_(
                    "letters %(cm)s cm tall read from about %(reach)s m; the board is read "
                    "from %(distance)s m, which needs %(need)s cm: this board is too small "
                    "for that distance"
                ),
                **params,
            )
        ]
    return [
        _lint(
            "too-far",
            N_(
                "letters %(cm)s cm tall read from about %(reach)s m; the board is read from "
                "%(distance)s m, which needs %(need)s cm: use effect auto (it scrolls in "
                "larger letters) or shorten the text"
            ),
            **params,
        )
    ]


def lint_item(item: Mapping[str, Any], spec: BoardSpec, *, now: datetime | None = None) -> list[Lint]:
    """Everything that would make the item hard to read on ``spec``; RenderError if it is invalid."""
    if item.get("kind", "slogan") != "slogan":
        return []
    opts = parse_slogan(item)
    text = expand(opts.text, now or datetime.now())
    prepared = prepare(text, opts, spec)
    layout = prepared.layout
    out = _rows(layout.block.box.height)
    out += _fit(prepared, spec)
    out += script_rows(layout)
    out += distance(layout, spec, prepared.effect)
    out += _collisions(layout.chain[0], text)
    out += _speed(prepared, spec, text, opts.speed)
    out += _fonts(prepared)
    return out


def _rows(rows: int) -> list[Lint]:
    """A warning when the text's lines are too short to read cleanly."""
    if rows >= MIN_CLEAN_ROWS:
        return []
    return [
        _lint(
            "small",
            N_(
                "text is %(rows)d rows tall, under the %(clean)d rows that read "
                "cleanly: use a taller board or fewer lines"
            ),
            rows=rows,
            clean=MIN_CLEAN_ROWS,
        )
    ]


def _fit(prepared: Prepared, spec: BoardSpec) -> list[Lint]:
    """Warnings when still text does not fit the board, or a scroll's font is taller than it."""
    layout = prepared.layout
    if prepared.effect not in SCROLLS:
        out = []
        if not layout.fits:
            out.append(
                _lint(
                    "overflow",
                    N_(
                        "static text does not fit %(size)s even at the smallest font: "
                        "let it scroll (effect auto or scroll-left)"
                    ),
                    size=f"{spec.width}x{spec.height}",
                )
            )
        lost = clipped_pixels(layout, spec)
        if lost > 0:
            out.append(_lint("clipped", N_("%(count)d lit pixels fall outside the board"), count=lost))
        return out
    primary = layout.chain[0]
    if primary.height <= spec.height:
        return []
    return [
        _lint(
            "clipped",
            N_("font %(font)s needs %(rows)d rows, the board has %(height)d: marks will be cut"),
            font=primary.info.name,
            rows=primary.height,
            height=spec.height,
        )
    ]


def _collisions(primary: Face, text: str) -> list[Lint]:
    """A warning naming the letters of ``text`` that look alike in ``primary``."""
    used = set(text)
    pairs = [p for p in letter_collisions(primary) if p[0] in used or p[1] in used]
    if not pairs:
        return []
    return [
        _lint(
            "collision",
            N_("at %(font)s %(size)dpx these letters look the same: %(pairs)s"),
            font=primary.info.name,
            size=primary.size,
            pairs=", ".join(f"{a}={b}" for a, b in pairs[:8]),
        )
    ]


def _speed(prepared: Prepared, spec: BoardSpec, text: str, speed: float) -> list[Lint]:
    """A warning when a scroll moves a word (or a line) off the board before it can be read."""
    words = text.split()
    if not words:
        return []
    if prepared.effect in ("scroll-left", "scroll-right"):
        block = prepared.layout.block
        widest = max(block.width / max(1, len(text)) * len(w) for w in words)
        seconds = (spec.width + widest) / speed
        if seconds < MIN_SECONDS_PER_WORD:
            return [
                _lint(
                    "too-fast",
                    N_(
                        "each word is on the board for %(seconds)s s, under %(least)s s: "
                        "lower the speed below %(speed)s px/s"
                    ),
                    seconds=f"{seconds:.1f}",
                    least=f"{MIN_SECONDS_PER_WORD}",
                    speed=f"{(spec.width + widest) / MIN_SECONDS_PER_WORD:.0f}",
                )
            ]
    if prepared.effect == "scroll-up":
        seconds = (spec.height + prepared.layout.block.box.height) / speed
        if seconds < MIN_SECONDS_PER_WORD:
            return [
                _lint(
                    "too-fast",
                    N_("each line is on the board for %(seconds)s s, under %(least)s s: lower the speed"),
                    seconds=f"{seconds:.1f}",
                    least=f"{MIN_SECONDS_PER_WORD}",
                )
            ]
    return []


def _fonts(prepared: Prepared) -> list[Lint]:
    """Warnings for characters no font has, and for Lao/Khmer without raqm shaping."""
    out = []
    if prepared.missing:
        names = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in prepared.missing)
        out.append(_lint("unsupported", N_("no font has %(chars)s: they would show as boxes"), chars=names))
    if prepared.complex_script and not raqm_available():
        out.append(
            _lint(
                "no-raqm",
                N_("Lao/Khmer text without raqm shaping (install libfribidi0): marks will be misplaced"),
            )
        )
    return out
