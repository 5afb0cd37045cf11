"""How long an item stays on a board, without rendering its frames.

The playlist page adds these up and the worker plans an item's end with them. A scroll's
length depends on the text and the board, so items that end after their passes (or whose
scroll outlasts their duration) are estimated from the laid-out text and the speed, the way
``effects.scroll`` steps through it; the caller says "about".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from drivers.pixels import BoardSpec

from .effects import step_px
from .options import parse_slogan
from .slogan import prepare
from .tokens import expand

SCROLLS = ("scroll-left", "scroll-right", "scroll-up")


class ItemTime(NamedTuple):
    """Seconds an item plays, and whether that came from a scroll's estimated length."""

    seconds: float
    estimated: bool


def scroll_seconds(span: int, speed: float, passes: int) -> float:
    """Seconds ``passes`` passes over ``span`` px take at ``speed`` px/s, the last empty frame included."""
    step = step_px(speed)
    return (passes * math.ceil(span / step) + 1) * step / speed


def item_seconds(item: Mapping[str, Any], spec: BoardSpec, *, now: datetime | None = None) -> ItemTime:
    """How long ``item`` plays on ``spec``: what ``signage.playout`` waits for.

    Duration items play for their duration, or for one whole pass when their scroll is
    longer; items with ``passes`` play that many passes (blinks: ``passes`` periods); still
    text has no passes and plays for its duration. RenderError if the item is invalid.
    """
    duration = float(item.get("duration") or 10)
    passes = item.get("passes")
    if item.get("kind", "slogan") != "slogan":
        return ItemTime(duration, False)
    opts = parse_slogan(item)
    if opts.effect == "blink":
        return ItemTime(opts.duration, False)
    if opts.effect not in (*SCROLLS, "auto"):
        return ItemTime(duration, False)
    prepared = prepare(expand(opts.text, now or datetime.now()), opts, spec)
    if prepared.effect not in SCROLLS:  # auto turned out still: it fits the board
        return ItemTime(duration, False)
    mask = prepared.mask
    span = mask.height - spec.height if prepared.effect == "scroll-up" else mask.width - spec.width
    scrolled = scroll_seconds(span, opts.speed, opts.passes)
    if passes is not None:
        return ItemTime(scrolled, True)
    return ItemTime(max(duration, scrolled), scrolled > duration)
