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
from .options import MAX_PASSES, parse_slogan
from .slogan import prepare
from .tokens import expand

SCROLLS = ("scroll-left", "scroll-right", "scroll-up")


class ItemTime(NamedTuple):
    """Seconds an item plays, whether that came from a scroll's estimated length, and the
    passes of a scroll given seconds (repeated to fill them; None for everything else)."""

    seconds: float
    estimated: bool
    passes: int | None = None


def passes_to_fill(duration: float, span: int, speed: float) -> int:
    """The fewest whole passes over ``span`` px that fill ``duration`` seconds (at least one).

    A scroll given 30 s whose pass takes 23 s used to leave the board dark for 7 s; it now
    scrolls twice (46 s): a pass is never cut in the middle of the text."""
    step = step_px(speed)
    frames = max(1, math.ceil(span / step))
    needed = math.ceil((duration * speed / step - 1) / frames - 1e-9)
    return min(MAX_PASSES, max(1, needed))


def scroll_seconds(span: int, speed: float, passes: int) -> float:
    """Seconds ``passes`` passes over ``span`` px take at ``speed`` px/s, the last empty frame included."""
    step = step_px(speed)
    return (passes * math.ceil(span / step) + 1) * step / speed


def item_seconds(item: Mapping[str, Any], spec: BoardSpec, *, now: datetime | None = None) -> ItemTime:
    """How long ``item`` plays on ``spec``: what ``signage.playout`` waits for.

    A scroll given seconds plays the passes that fill them (``passes_to_fill``: one whole pass
    when the scroll is longer); items with ``passes`` play that many passes (blinks: ``passes``
    periods); still text has no passes and plays for its duration. The show carries a scroll's
    filling passes (``signage.publish``), so the worker plays what this says. RenderError if
    the item is invalid.
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
    if passes is not None:
        return ItemTime(scroll_seconds(span, opts.speed, opts.passes), True)
    filled = passes_to_fill(duration, span, opts.speed)
    return ItemTime(scroll_seconds(span, opts.speed, filled), True, filled)


def remembered_item_seconds(item: Mapping[str, Any], spec: BoardSpec) -> ItemTime:
    """``item_seconds``, kept per content and board (a scroll's layout costs ~30 ms) unless live
    tokens make it change by the minute: the playlist page and every publish ask it."""
    from .cache import CACHE, content_key

    if "{" in str(item.get("text", "")):
        return item_seconds(item, spec)
    key = content_key("item-seconds", dict(item), spec.width, spec.height, spec.color)
    return CACHE.get_or_make(key, lambda: item_seconds(item, spec))
