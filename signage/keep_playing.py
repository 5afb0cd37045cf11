"""Whether a newly published show leaves the item on the board as it is.

Every publish used to cut the playing item short, even a re-import of unchanged data or the
deletion of an unrelated slogan. The worker now asks this when a newer show appears and plays
on when the answer is yes: the same choice (schedule, fallback or notice) still wins now, and
the item playing is in it unchanged. A changed or removed item, another schedule, or a notice
that now pre-empts ends it at once as before. Pure: no Redis, no Flask.
"""

from __future__ import annotations

from datetime import datetime

from signage import schedule
from signage.show import Show, ShowItem


def still_plays(
    old: Show | None, new: Show | None, choice_key: str, item: ShowItem | None, now: datetime
) -> bool:
    """True when ``new`` would choose ``choice_key`` now and still holds ``item`` unchanged."""
    if old is None or new is None or item is None:
        return False
    if old.board != new.board:
        return False  # size, colour, port...: the frames themselves change
    choice = schedule.what_plays(new, now)
    if choice.key != choice_key:
        return False
    if choice.kind == "notice":
        return old.notice(choice.notice_id) == new.notice(choice.notice_id)
    return any(candidate == item for candidate in choice.items)
