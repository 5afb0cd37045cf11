"""Whether the playing item must end now: the check the pacer runs before every frame.

It looks at memory only (what the status thread last saw), except one fetch of each newly
published show, to see whether that show leaves the playing item as it is. An item ends
when the player stops, the lease is not ours, Redis comes back to an offline player, a
test pattern waits, a newer show changes what plays, or a notice starts or ends.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from redis.exceptions import RedisError

from signage import keep_playing, schedule
from signage.player import clock
from signage.show import Show, ShowItem

if TYPE_CHECKING:
    from signage.player.state import PlayerState


class Interrupter:
    """``interrupted()`` for one item; ``wake`` is the event ``pacer.wait_until`` waits on."""

    def __init__(
        self,
        player: PlayerState,
        doc: Show | None,
        choice: schedule.Choice,
        source: str,
        item: ShowItem | None = None,
    ) -> None:
        self.player, self.doc, self.choice, self.item = player, doc, choice, item
        self.offline = source == "offline"
        self.notice_key = choice.key if choice.kind == "notice" else None
        self.kept: str | None = None  # the newer show's stamp once it was found to leave the item be
        self.live_notice = NoticeClock(doc)
        self.wake: threading.Event = player.wake

    def __call__(self) -> bool:
        """True when the item must end at once (the player's loop is alive: it asked)."""
        p = self.player
        p.touch()
        if p.stop.is_set() or not p.lease.may_write():
            return True
        if self.offline and p.redis_ok:
            return True  # Redis is back: hand over to RQ
        if p.pattern_wanted() or (p.newer_show() and not self.keeps()):
            return True
        return self.live_notice() != self.notice_key

    def keeps(self) -> bool:
        """Whether the newer show leaves the playing item as it is (``signage.keep_playing``):
        a publish that did not change it, nor what the schedule chooses, does not cut it short."""
        p = self.player
        stamp = p.seen_stamp
        if stamp != self.kept:
            try:  # read only: the disk copy is refreshed when the show is taken up (refresh)
                new = p.cache.peek(p.redis)
            except RedisError as exc:
                p.went_offline(exc)
                return False
            if not keep_playing.still_plays(self.doc, new, self.choice.key, self.item, clock.utc_now()):
                return False
            self.kept = stamp
        return True


class NoticeClock:
    """Which notice is in force, worked out again only when one can start or end.

    The play loop asks before every frame (32 times a second for a scroll); a notice's
    start or end is the only thing that changes the answer, so between those instants the
    last answer stands. It is still worked out every ``RECHECK`` seconds, so a jump of the
    wall clock (NTP after a long power cut) is seen within that time.
    """

    RECHECK = 1.0

    def __init__(self, doc: Show | None) -> None:
        self.doc = doc
        self.notices = doc.notices if doc is not None else ()
        self.valid_until = float("-inf")  # monotonic time the last answer holds until
        self.answer: str | None = None

    def __call__(self) -> str | None:
        """The key (``notice:ID``) of the notice to show now, or None."""
        if self.doc is None or not self.notices:
            return None
        mono = time.monotonic()
        if mono < self.valid_until:
            return self.answer
        now = clock.utc_now()
        live = schedule.active_notices(self.doc, now)
        self.answer = f"notice:{live[0].id}" if live else None
        edges = [t for n in self.notices for t in (n.starts_at, n.expires_at) if t > now]
        hold = min([self.RECHECK, *((t - now).total_seconds() for t in edges)])
        self.valid_until = mono + hold
        return self.answer
