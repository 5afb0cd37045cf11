"""Reading a slogan item (a plain dict from the show document) into checked options.

Every bad field raises RenderError naming the field, before anything is drawn or cached.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import MAX_TEXT_CHARS, N_, RenderError
from .fonts import font_info
from .tokens import check_tokens

EFFECTS = ("static", "scroll-left", "scroll-right", "scroll-up", "blink", "wipe", "typewriter", "hold")
ALIGNS = ("left", "center", "right")
MAX_SPEED = 2000.0  # px/s: far past readable; above it is a typo
MAX_DURATION = 24 * 3600.0
MAX_PASSES = 1000

_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def parse_color(value: Any, field: str) -> tuple[int, int, int]:
    """``#rrggbb`` or ``#rgb`` to an RGB triple."""
    m = _HEX.fullmatch(value.strip()) if isinstance(value, str) else None
    if not m:
        raise RenderError(N_("%(field)s %(value)r is not a colour written #rrggbb"), field=field, value=value)
    digits = m.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def _number(item: Mapping[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = item.get(key, default)
    if value is None:
        value = default
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise RenderError(N_("%(field)s %(value)r is not a number"), field=key, value=value)
    if not low < value <= high:
        raise RenderError(
            N_("%(field)s %(value)s is outside the range (%(low)s, %(high)s]"),
            field=key,
            value=value,
            low=f"{low:g}",
            high=f"{high:g}",
        )
    return float(value)


def normalize_text(text: Any) -> str:
    """NFC text with line endings unified: how every slogan is stored and drawn."""
    if not isinstance(text, str):
        raise RenderError(N_("text must be a string, not %(type)s"), type=type(text).__name__)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\t", " ")


@dataclass(frozen=True)
class SloganOptions:
    """A checked slogan item: what to draw and how to move it."""

    text: str
    effect: str  # one of EFFECTS, or "auto" (decided once the text is laid out)
    speed: float
    duration: float
    passes: int
    font: str | None
    color: tuple[int, int, int]
    background: tuple[int, int, int]
    align: str
    letter_spacing: int
    blink_period: float
    hold: float | None = None  # wipe/typewriter: seconds the whole text stays (None: duration)


def parse_slogan(item: Mapping[str, Any]) -> SloganOptions:
    """Check every field of a slogan item; RenderError names the first bad one."""
    if not isinstance(item, Mapping):
        raise RenderError(N_("an item must be a mapping, not %(type)s"), type=type(item).__name__)
    text = _text(item.get("text"))
    effect = _effect(item.get("effect"))
    passes = _passes(item.get("passes", 1))
    font = _font(item.get("font"))
    align = _align(item.get("align") or "center")
    spacing = _spacing(item.get("letter_spacing", 0) or 0)
    hold = _hold(item.get("hold"))
    speed = _number(item, "speed", 32.0, 0.0, MAX_SPEED)
    duration = _number(item, "duration", 8.0, 0.0, MAX_DURATION)
    blink_period = _number(item, "blink_period", 1.0, 0.05, 60.0)
    if effect == "blink" and item.get("passes") is not None:  # a blink's pass: on, then off
        duration = passes * blink_period
    return SloganOptions(
        text=text,
        effect=effect,
        speed=speed,
        duration=duration,
        passes=passes,
        font=font,
        color=parse_color(item.get("color") or "#ff0000", "color"),
        background=parse_color(item.get("background") or "#000000", "background"),
        align=align,
        letter_spacing=spacing,
        blink_period=blink_period,
        hold=hold,
    )


def _text(value: Any) -> str:
    """The text, normalised: not empty, not too long, no control characters, tokens well formed."""
    text = normalize_text(value)
    if not text.strip():
        raise RenderError(N_("text is empty"))
    if len(text) > MAX_TEXT_CHARS:
        raise RenderError(
            N_("text has %(count)d characters, more than the %(limit)d allowed"),
            count=len(text),
            limit=MAX_TEXT_CHARS,
        )
    bad = sorted({f"U+{ord(c):04X}" for c in text if unicodedata.category(c) in ("Cc", "Cs") and c != "\n"})
    if bad:
        raise RenderError(N_("text holds control characters %(chars)s"), chars=", ".join(bad))
    check_tokens(text)
    return text


def _effect(value: Any) -> str:
    """One of EFFECTS or "auto" (the default), in lower case."""
    effect = value or "auto"
    if not isinstance(effect, str) or (effect := effect.strip().lower()) not in (*EFFECTS, "auto"):
        raise RenderError(
            N_("unknown effect %(value)r: use one of %(known)s or auto"),
            value=value,
            known=", ".join(EFFECTS),
        )
    return effect


def _passes(value: Any) -> int:
    """A whole number of passes in 1..MAX_PASSES (None: 1)."""
    passes = 1 if value is None else value
    if isinstance(passes, bool) or not isinstance(passes, int) or not 1 <= passes <= MAX_PASSES:
        raise RenderError(
            N_("passes %(value)r is not a whole number in 1..%(high)d"), value=passes, high=MAX_PASSES
        )
    return passes


def _font(value: Any) -> str | None:
    """A known font's name, or None for the automatic choice ("", "auto" or none given)."""
    if value in ("", "auto") or value is None:
        return None
    return font_info(value).name if isinstance(value, str) else font_info(repr(value)).name


def _align(value: Any) -> str:
    """One of ALIGNS."""
    if value not in ALIGNS:
        raise RenderError(
            N_("unknown align %(value)r: use one of %(known)s"), value=value, known=", ".join(ALIGNS)
        )
    return value


def _spacing(value: Any) -> int:
    """A whole number of px between letters, 0..32."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 32:
        raise RenderError(N_("letter_spacing %(value)r is not a whole number of px in 0..32"), value=value)
    return value


def _hold(value: Any) -> float | None:
    """Seconds in [0, MAX_DURATION] the whole text stays, or None (the duration)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MAX_DURATION:
        raise RenderError(
            N_("hold %(value)r is not a number of seconds in [0, %(high)s]"),
            value=value,
            high=f"{MAX_DURATION:g}",
        )
    return float(value)
