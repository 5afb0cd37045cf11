"""Renderer: slogans and banners as board-sized Pillow frames with their times.

The contract other layers code against: ``render_item(item, spec, now=...)`` yields
``Frame`` objects lazily; bad input raises ``RenderError`` naming the problem.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from drivers.pixels import BoardSpec

from .banner import render_banner
from .effects import last_asked
from .errors import MAX_TEXT_CHARS, N_, RenderError, RenderWarning
from .frame import Frame, ScrollOp
from .options import EFFECTS, parse_slogan
from .slogan import render_slogan

__all__ = [
    "EFFECTS",
    "MAX_TEXT_CHARS",
    "Frame",
    "RenderError",
    "RenderWarning",
    "ScrollOp",
    "render_item",
]


def render_item(
    item: Mapping[str, Any], spec: BoardSpec, *, now: datetime | None = None, only: range | None = None
) -> Iterator[Frame]:
    """Frames of one show item on ``spec``; input is checked before the first frame is made.

    ``only`` is for previews that look at a few frames (every few of a scroll's first
    stretch): just the frames with those indices in the full sequence, each with the pixels
    and times the full sequence gives it, while the frames between are not drawn. Those
    frames carry no ScrollOp or packed bytes, as the frame before each was not yielded.
    Playout never passes it.
    """
    if not isinstance(spec, BoardSpec):
        raise RenderError(N_("spec must be a BoardSpec, not %(type)s"), type=type(spec).__name__)
    if not isinstance(item, Mapping):
        raise RenderError(N_("an item must be a mapping, not %(type)s"), type=type(item).__name__)
    kind = item.get("kind", "slogan")
    if kind == "slogan":
        opts = parse_slogan(item)
        return render_slogan(opts, spec, now or datetime.now(), only)
    if kind == "banner":
        frames = render_banner(item, spec)
        if only is None:
            return frames
        return (f for i, f in enumerate(itertools.islice(frames, last_asked(only) + 1)) if i in only)
    raise RenderError(N_("unknown item kind %(value)r: use slogan or banner"), value=kind)
