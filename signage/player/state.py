"""What one board's player keeps between items, shared with its status thread.

The show in hand and the newest one the status thread saw, a test-pattern request, the
cursor of each playlist (kept across restarts in Redis), the lease, the open link, the
show cache, the proof journal and the status fields. Only ``refresh`` (a newly published
show) and ``load_cursors`` ask Redis; the rest is memory.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

from drivers import Board
from drivers.board_scroll import Capabilities
from signage import schedule, show
from signage.player.board_link import BoardLink
from signage.player.lease import Lease, PortLock
from signage.player.pacer import Stop
from signage.player.proof import ProofJournal
from signage.player.showcache import ShowCache
from signage.player.status import BoardStatus, Heartbeat
from signage.show import Show, ShowBoard, ShowItem

log = logging.getLogger(__name__)


def instance_dir() -> Path:
    return Path(os.environ.get("SIGNAGE_INSTANCE", "instance"))


class PlayerState:
    """Everything one board's worker process keeps between items: show, link, cursors, lease.

    The status thread reads and writes it too (``status.Heartbeat``); ``Player`` plays from it.
    """

    def __init__(self, slug: str, redis: Redis, cache: Path | None = None) -> None:
        self.slug = slug
        self.redis = redis
        # a cache folder given alone (tests) holds the locks and journal too
        base = instance_dir() if cache is None else cache
        self.cache_dir = cache or base / "shows"
        self.owner = f"{os.uname().nodename}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease = Lease(redis, slug, self.owner, folder=base / "locks")
        self.port_lock = PortLock(slug, base / "locks")
        #: The open link, what was set on it and what the board can do (``board_link``).
        self.board_link = BoardLink(slug, self.port_lock)
        self.journal = ProofJournal(slug, self.owner, base / "proof" / slug)
        self.cache = ShowCache(slug, self.cache_dir)
        self.status = BoardStatus()
        self.wake = threading.Event()  # something a waiting play loop looks at may have changed
        self.stop = Stop(self.wake)
        self.redis_ok = True
        self.doc: Show | None = None
        self.doc_version: str | None = None  # publish id of the show in hand
        self.seen_stamp: str | None = None  # the newest one the status thread saw
        self.pattern_request: dict[str, Any] | None = None
        self.pattern_done: str | None = None  # id of the last test pattern shown to its end
        self.cursors: dict[str, int] = {}
        self.was_off = False
        self.progress = time.monotonic()
        self.last_end: float | None = None
        self._beat: Heartbeat | None = None

    # -- state shared with the status thread --------------------------------------------
    def start_heartbeat(self, *, tell_systemd: bool = True) -> None:
        """Start the status thread (lease, heartbeat, show watch, proof push, watchdog).

        ``tell_systemd=False``: a line's worker feeds systemd's watchdog for all its boards.
        """
        if self._beat is None:
            self._beat = Heartbeat(self)
            if not tell_systemd:
                self._beat.notify_every = None
            self._beat.start()

    def touch(self) -> None:
        """The play loop is alive (read by the status thread and the watchdog)."""
        self.progress = time.monotonic()

    def went_offline(self, exc: BaseException) -> None:
        """Redis failed (refused, timed out, lost): play the cached show from the next frame."""
        if self.redis_ok:
            log.warning("board %s: Redis unreachable (%s); playing the cached show", self.slug, exc)
        self.redis_ok = False
        self.lease.go_offline()
        self.wake.set()

    def disk_trouble(self) -> str | None:
        """Why the show cache or the proof journal cannot be written, if they cannot."""
        return self.cache.error or self.journal.error

    @property
    def current(self) -> dict[str, Any]:
        return self.status.current

    # -- the show -------------------------------------------------------------------------
    def refresh(self) -> Show | None:
        """The show to play: fetched only when Redis has a newly published one (else the cached)."""
        if self.doc is not None and not self.newer_show():
            return self.doc
        doc, seen = None, None
        if self.redis_ok:
            try:
                # the status thread's stamp once it has one (it may not have polled yet)
                seen = self.seen_stamp or show.current_stamp(self.redis, self.slug)
                doc = self.cache.fetch(self.redis)
            except RedisError as exc:
                self.went_offline(exc)
        if doc is None and self.doc is None:
            doc = self.cache.read()
        if doc is not None:
            self.doc = doc
        # A refused (e.g. newer-format) show is remembered as seen, so it does not
        # interrupt every frame of the cached one we keep playing.
        self.doc_version = seen
        return self.doc

    def newer_show(self) -> bool:
        """Whether the status thread saw a show other than the one playing."""
        return self.redis_ok and self.seen_stamp is not None and self.seen_stamp != self.doc_version

    def pattern_wanted(self) -> bool:
        """Whether a test pattern not yet shown waits (the running item then ends at once)."""
        request = self.pattern_request
        return self.redis_ok and request is not None and request.get("id") != self.pattern_done

    # -- choosing -------------------------------------------------------------------------
    def choose(self, doc: Show | None, now: datetime) -> tuple[schedule.Choice, ShowItem | None]:
        """What to play now and which item of it (cursors per playlist, kept across restarts)."""
        if doc is None:
            return schedule.Choice("idle", label="no show yet"), None
        choice = schedule.what_plays(doc, now)
        if not choice.items:
            return choice, None
        if choice.kind == "notice":
            return choice, choice.items[0]
        key = f"{choice.kind}:{choice.playlist}"
        index = self.cursors.get(key, 0) % len(choice.items)
        self.cursors[key] = index + 1
        if self._beat is None and self.redis_ok:  # no status thread to write it (a one-off player)
            try:
                self.redis.hset(show.cursor_key(self.slug), key, index + 1)
            except RedisError as exc:
                self.went_offline(exc)
        return choice, choice.items[index]

    def load_cursors(self) -> None:
        try:
            raw = self.redis.hgetall(show.cursor_key(self.slug))
            self.cursors = {k.decode() if isinstance(k, bytes) else k: int(v) for k, v in raw.items()}
        except (RedisError, ValueError):
            pass

    # -- the link -------------------------------------------------------------------------
    @property
    def link(self) -> Board | None:
        """The board's open link, or None."""
        return self.board_link.link

    @property
    def caps(self) -> Capabilities | None:
        """What the board said it can do (PING), asked once per open link."""
        return self.board_link.caps

    def link_for(self, board: ShowBoard) -> Board:
        """The open link of the board, reopened only when its settings changed."""
        return self.board_link.open(board)

    def close_link(self) -> None:
        self.board_link.close()
