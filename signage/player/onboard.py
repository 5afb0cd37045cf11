"""Board-side scroll for the player: a scroll the board can step itself goes over the wire once.

A board whose PING answer lists SCROLL (docs/protocol.md, version 2) holds a whole strip and
steps it on its own clock; the player then sends the strip once instead of a SHIFT every
step. ``scroll_for`` says whether an item is such a scroll, and gives the ``BoardScroll``
that shows exactly the renderer's frames: the item's strip painted as the renderer paints
it, with its direction, speed, step and passes. Items it leaves to SHIFT steps: anything
but a plain slogan scroll, text with live tokens (the renderer swaps the strip when they
change), a strip too long to hold in memory, a speed that is not a whole number of px/s.
Whether the board takes it (its capabilities, the strip's size) is ``BoardScroll.start``'s.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime

from PIL import Image

from drivers import Board
from drivers.board_scroll import BoardScroll, Capabilities, capabilities
from drivers.native import NativeBoard
from drivers.pixels import BoardSpec
from firmware.core import SCROLL
from signage.render import RenderError
from signage.render.effects import Painter, step_px
from signage.render.options import parse_slogan
from signage.render.slogan import prepare
from signage.render.tokens import expand, has_tokens
from signage.show import ShowItem

__all__ = ["SCROLL", "board_caps", "enabled", "scroll_for"]

log = logging.getLogger(__name__)


def enabled() -> bool:
    """Board-side scroll is on unless ``SIGNAGE_BOARD_SCROLL`` is ``0``/``off``/``no`` (every
    scroll then goes SHIFT by SHIFT, as to a board without it: for comparing the two)."""
    return os.environ.get("SIGNAGE_BOARD_SCROLL", "on").strip().lower() not in ("0", "off", "no", "false")


def scroll_for(link: Board, item: ShowItem, spec: BoardSpec, now: datetime) -> BoardScroll | None:
    """The board-side scroll of ``item`` on ``link``, or None when it is not one the board can
    play alone (the renderer's frames then go out as they are, SHIFT by SHIFT)."""
    if not isinstance(link, NativeBoard) or (item.kind or "slogan") != "slogan":
        return None
    try:
        opts = parse_slogan(item.to_json())
        if has_tokens(opts.text) or opts.speed != int(opts.speed):
            return None
        prepared = prepare(expand(opts.text, now), opts, spec)
        if not prepared.effect.startswith("scroll-") or not isinstance(prepared.mask, Image.Image):
            return None
        strip = Painter(spec, opts.color, opts.background).paint(prepared.mask)
        speed = int(opts.speed)
        return BoardScroll(link, strip, prepared.effect.split("-")[1], speed, opts.passes, step_px(speed))
    except (RenderError, ValueError) as exc:  # e.g. a step as wide as the board: SHIFT it is
        log.debug("item %s: no board-side scroll (%s)", item.id, exc)
        return None


def board_caps(link: Board) -> Capabilities | None:
    """What the board on ``link`` can do (one PING), or None for links without capabilities."""
    if not isinstance(link, NativeBoard):
        return None
    return capabilities(link)
