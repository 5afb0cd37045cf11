"""The proof-of-play record of one play: what was chosen, when, and how it went.

The player fills one for every item (and every wait); the pacer adds the frames sent and
acknowledged, the gap to the item before and how late the frames left; the player closes
it and writes it to the journal (``signage.player.proof``), which the status thread pushes
to Redis.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from drivers.pixels import GeometryError
from signage import schedule
from signage.render import RenderError, timing
from signage.show import Show, ShowItem


def planned_seconds(item: ShowItem, doc: Show) -> float:
    """How long the item should play on this board (a scroll's passes estimated from its length)."""
    try:
        return timing.item_seconds(item.render(), doc.board.spec()).seconds
    except (RenderError, GeometryError, KeyError, TypeError, ValueError):
        return float(item.duration or 10)


def new_record(
    slug: str, lease: int | None, choice: schedule.Choice, doc: Show | None, now: datetime, source: str
) -> dict[str, Any]:
    """An open record: chosen at ``now`` under the lease ``lease``, played from ``source``."""
    return {
        "record_id": uuid.uuid4().hex,
        "board": slug,
        "item": None,
        "label": choice.label,
        "source": f"{choice.kind}:{choice.notice_id or choice.schedule_id or choice.playlist or ''}",
        "show_version": doc.version if doc is not None else None,
        "lease": lease,
        "mode": source,
        "planned_start": now.isoformat(),
        "actual_start": None,
        "frames_sent": 0,
        "frames_acked": 0,
        "interrupted": False,
        "error": None,
        "gap_ms": None,
    }


def name_item(record: dict[str, Any], item: ShowItem, doc: Show) -> None:
    """The item the record is the proof of, and when it should end."""
    record["item"] = item.id
    record["content"] = item.label  # proof of play names what showed
    record["planned_end"] = (
        datetime.fromisoformat(record["planned_start"]) + timedelta(seconds=planned_seconds(item, doc))
    ).isoformat()


def item_end(item: ShowItem, start: float) -> float:
    """When (monotonic) the item may end at the earliest.

    An item with passes ends with its last frame; otherwise at its duration at the earliest
    (a still frame stays that long; a scroll longer than that runs to its end).
    """
    if item.passes is not None:
        return start
    return start + float(10 if item.duration is None else item.duration)
