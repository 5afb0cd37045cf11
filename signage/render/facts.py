"""The layout the renderer chose for a slogan, as facts staff and scripts can read: the
font, the letter and line sizes in px and cm, how far that reads, the lines, the effect and
the lint's warnings (``signage render --json`` and the admin's preview show the same)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from drivers.pixels import BoardSpec

from .legibility import (
    faces_used,
    layout_letter_px,
    letter_cm,
    letter_px,
    min_letter_cm,
    min_letter_px,
    readable_m,
)
from .lint import Lint, lint_item
from .options import parse_slogan
from .slogan import prepare
from .tokens import expand


def _cm(px: int, spec: BoardSpec) -> float:
    return round(letter_cm(px, spec), 1)


def layout_facts(
    item: Mapping[str, Any],
    spec: BoardSpec,
    *,
    now: datetime | None = None,
    say: Callable[[Lint], str] | None = None,
) -> dict[str, Any]:
    """What the slogan ``item`` looks like on ``spec``, as plain JSON-ready data.

    ``say`` words each warning (the admin passes its translator; the CLI keeps the English).
    RenderError if the item is invalid.
    """
    now = now or datetime.now()
    opts = parse_slogan(item)
    text = expand(opts.text, now)
    prepared = prepare(text, opts, spec)
    layout = prepared.layout
    primary = layout.chain[0]
    px = layout_letter_px(layout)
    rows = layout.block.box.height
    return {
        "board": {
            "width": spec.width,
            "height": spec.height,
            "color": spec.color,
            "pitch_mm": spec.pitch_mm,
            "viewing_m": spec.viewing_m,
        },
        "effect": prepared.effect,
        "font": primary.info.name,
        "size_px": primary.size,
        "line_px": rows,
        "line_cm": _cm(rows, spec),
        "letter_px": px,
        "letter_cm": _cm(px, spec),
        "readable_m": round(readable_m(px, spec), 1),
        "min_letter_px": min_letter_px(spec),
        "min_letter_cm": round(min_letter_cm(spec), 1),
        "legible": px >= min_letter_px(spec),
        "fonts": [
            {
                "font": f.info.name,
                "script": f.info.script,
                "size_px": f.size,
                "rows": f.height,
                "letter_px": letter_px(f),
            }
            for f in faces_used(layout)
        ],
        "runs": [[{"text": r.text, "font": r.face.info.name} for r in line] for line in layout.block.lines],
        "lines": ["".join(r.text for r in line) for line in layout.block.lines],
        "warnings": [
            {"code": w.code, "message": say(w) if say else w.message} for w in lint_item(item, spec, now=now)
        ],
    }
