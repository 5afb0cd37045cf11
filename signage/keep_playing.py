"""Whether a newly published show leaves the item on the board as it is.

Every publish used to cut the playing item short, even a re-import of unchanged data or the
deletion of an unrelated slogan. The worker now asks this when a newer show appears and plays
on when the answer is yes: the same choice (schedule, fallback or notice) still wins now, and
the item playing is in it unchanged. A changed or removed item, another schedule, or a notice
that now pre-empts ends it at once as before. Pure: no Redis, no Flask.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from signage import schedule


def still_plays(
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    choice_key: str,
    item: dict[str, Any] | None,
    now: datetime,
) -> bool:
    """True when ``new`` would choose ``choice_key`` now and still holds ``item`` unchanged."""
    if old is None or new is None or item is None:
        return False
    if old.get("board") != new.get("board"):
        return False  # size, colour, port...: the frames themselves change
    choice = schedule.what_plays(new, now)
    if choice.key != choice_key:
        return False
    if choice.kind == "notice":
        return _notice(old, choice.notice_id) == _notice(new, choice.notice_id)
    return any(candidate == item for candidate in choice.items)


def _notice(doc: dict[str, Any], notice_id: int | None) -> dict[str, Any] | None:
    return next((n for n in doc.get("notices") or [] if n.get("id") == notice_id), None)
