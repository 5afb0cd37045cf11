"""What one board plays now, and the proof record of each play.

``Player.play`` plays one item (or waits a moment when there is nothing, or when it may
not write): the show in memory (refreshed when the status thread saw a newer one), the
schedule's choice at this moment, the cursor of each playlist (kept across restarts), the
open link (reopened only when the board's settings change, behind the per-board port
lock), and a ``Pacer`` for the frames. It calls Redis only to fetch a newly published
show; everything else goes through memory to the status thread.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

from drivers import Board, DriverError, LinkError, PortError, open_board
from drivers.board_scroll import BoardScroll, Capabilities
from drivers.pixels import BoardSpec, GeometryError
from signage import keep_playing, schedule, show
from signage.player import clock, onboard
from signage.player.lease import Lease, PortLock
from signage.player.pacer import NOTICE_READBACK_EVERY, Pacer, Stop, wait_until
from signage.player.proof import ProofJournal
from signage.player.showcache import ShowCache
from signage.player.status import BoardStatus, Heartbeat
from signage.render import RenderError, render_item, timing
from signage.show import Show, ShowBoard, ShowItem

log = logging.getLogger(__name__)

#: What a board does (and how long) when it has nothing to play, before looking again.
IDLE_SECONDS = 2.0
#: Pause after a link error before trying the board again.
LINK_RETRY = 0.3
#: How long a link may try to deliver one frame before the item gives up on it.
GIVE_UP_AFTER = 3.0
#: Faults that mean the board cannot be reached with the settings in the show.
LINK_FAULTS = (GeometryError, PortError, LinkError, KeyError, ValueError)


class PortBusy(PortError):
    """Another process on this machine has the board's port (it holds the port lock)."""


def instance_dir() -> Path:
    return Path(os.environ.get("SIGNAGE_INSTANCE", "instance"))


def planned_seconds(item: ShowItem, doc: Show) -> float:
    """How long the item should play on this board (a scroll's passes estimated from its length)."""
    try:
        return timing.item_seconds(item.render(), doc.board.spec()).seconds
    except (RenderError, GeometryError, KeyError, TypeError, ValueError):
        return float(item.duration or 10)


class Player:
    """Everything one board's worker process keeps between items: show, link, cursors, lease."""

    def __init__(self, slug: str, redis: Redis, cache: Path | None = None) -> None:
        self.slug = slug
        self.redis = redis
        # a cache folder given alone (tests) holds the locks and journal too
        base = instance_dir() if cache is None else cache
        self.cache_dir = cache or base / "shows"
        self.owner = f"{os.uname().nodename}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease = Lease(redis, slug, self.owner, folder=base / "locks")
        self.port_lock = PortLock(slug, base / "locks")
        #: How the link is opened: ``drivers.open_board``, or a shared line's (``drivers.bus.Buses``).
        self.open_board: Callable[..., Board] = open_board
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
        self.link: Board | None = None
        self.link_key: tuple | None = None
        self.level_sent: int | None = None
        self.caps: Capabilities | None = None  # what the board said it can do (PING), per link
        self.caps_link: Board | None = None
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
    def link_for(self, board: ShowBoard) -> Board:
        """The open link of the board, reopened only when its settings changed."""
        spec = board.spec()
        url, protocol, baud, address = board.link()
        key = (url, protocol, spec, baud, address)
        if self.link is not None and self.link_key == key:
            return self.link
        if self.link is not None:
            log.info("board %s: settings changed, reopening the link", self.slug)
            self.close_link()
        if not self.port_lock.acquire():
            raise PortBusy(
                f"another process on this machine has board {self.slug}'s port (lock {self.port_lock.path})"
            )
        try:
            self.link = self.open_board(
                key[0], key[1], spec, baud=key[3], address=key[4], give_up_after=GIVE_UP_AFTER
            )
        except BaseException:
            self.port_lock.release()
            raise
        self.link_key = key
        self.level_sent = None
        log.info("board %s: link open on %s (%s, %s baud)", self.slug, key[0], key[1], key[3])
        return self.link

    def close_link(self) -> None:
        if self.link is not None:
            try:
                self.link.close()
            except Exception:  # a dying link must not stop the worker
                log.exception("board %s: error while closing the link", self.slug)
        self.link = None
        self.link_key = None
        self.port_lock.release()

    # -- playing --------------------------------------------------------------------------
    def interrupter(
        self,
        doc: Show | None,
        choice: schedule.Choice,
        source: str,  # noqa: ANN201
        item: ShowItem | None = None,
    ):
        """A check run before every frame and while a frame is held; memory only, except one
        fetch of each newly published show to see whether it leaves the item as it is."""
        notice_key = choice.key if choice.kind == "notice" else None
        kept: list[Any] = [None]  # the newer show's stamp once it was found to leave the item be
        live_notice = NoticeClock(doc)

        def interrupted() -> bool:
            self.touch()
            if self.stop.is_set() or not self.lease.may_write():
                return True
            if source == "offline" and self.redis_ok:
                return True  # Redis is back: hand over to RQ
            if self.pattern_wanted() or (self.newer_show() and not self.keeps(doc, choice, item, kept)):
                return True
            return live_notice() != notice_key

        interrupted.wake = self.wake  # type: ignore[attr-defined]  # wait_until waits on it
        return interrupted

    def keeps(
        self, doc: Show | None, choice: schedule.Choice, item: ShowItem | None, kept: list[Any]
    ) -> bool:
        """Whether the newer show leaves the playing item as it is (``signage.keep_playing``):
        a publish that did not change it, nor what the schedule chooses, does not cut it short."""
        stamp = self.seen_stamp
        if stamp != kept[0]:
            try:  # read only: the disk copy is refreshed when the show is taken up (refresh)
                new = self.cache.peek(self.redis)
            except RedisError as exc:
                self.went_offline(exc)
                return False
            if not keep_playing.still_plays(doc, new, choice.key, item, clock.utc_now()):
                return False
            kept[0] = stamp
        return True

    def play(self, source: str = "rq") -> dict[str, Any]:
        """Play one item (or wait a moment when there is nothing); returns the proof record."""
        from signage.player.pattern import play_test_pattern

        self.touch()
        doc = self.refresh()
        request = self.pattern_request
        if doc is not None and self.pattern_wanted() and request is not None:
            left = request["left"] - (time.monotonic() - request["read_at"])
            if left > 0:
                return play_test_pattern(self, doc, request, left, source)
        now = clock.utc_now()
        choice, item = self.choose(doc, now)
        record = self.new_record(choice, doc, now, source)
        start = time.monotonic()
        interrupted = self.interrupter(doc, choice, source, item)
        if item is None or doc is None or not self.lease.may_write():
            return self.wait(choice, doc, record, start, interrupted)
        return self.play_item(doc, choice, item, record, start, interrupted)

    def new_record(
        self, choice: schedule.Choice, doc: Show | None, now: datetime, source: str
    ) -> dict[str, Any]:
        return {
            "record_id": uuid.uuid4().hex,
            "board": self.slug,
            "item": None,
            "label": choice.label,
            "source": f"{choice.kind}:{choice.notice_id or choice.schedule_id or choice.playlist or ''}",
            "show_version": doc.version if doc is not None else None,
            "lease": self.lease.token,
            "mode": source,
            "planned_start": now.isoformat(),
            "actual_start": None,
            "frames_sent": 0,
            "frames_acked": 0,
            "interrupted": False,
            "error": None,
            "gap_ms": None,
        }

    def wait(
        self,
        choice: schedule.Choice,
        doc: Show | None,
        record: dict[str, Any],
        start: float,
        interrupted,
    ) -> dict[str, Any]:  # noqa: ANN001
        """Nothing to play (or not ours to play): off hours blank the board; wait a moment."""
        if not self.lease.may_write():
            choice = schedule.Choice("idle", label="waiting for the lease")
        elif choice.kind == "off" and not self.was_off:
            self.switch_off(doc)
        self.status.update(item=None, label=choice.label, kind=choice.kind, since=time.time())
        record["interrupted"] = wait_until(start + IDLE_SECONDS, interrupted)
        return self.finish(record, start)

    def open_link(self, doc: Show, record: dict[str, Any]) -> tuple[Board, BoardSpec] | None:
        """The board's link and size, or None (said in the status and record) when unreachable."""
        try:
            return self.link_for(doc.board), doc.board.spec()
        except LINK_FAULTS as exc:
            record["error"] = f"link: {exc}"
            log.error("board %s: cannot reach the board: %s", self.slug, exc)
            self.status.update(item=record["item"], since=time.time(), link="down", error=str(exc))
            return None

    def play_item(
        self,
        doc: Show,
        choice: schedule.Choice,
        item: ShowItem,
        record: dict[str, Any],
        start: float,
        interrupted,
    ) -> dict[str, Any]:  # noqa: ANN001
        """One item's frames on the board, from the first frame (a full one) to its end."""
        self.was_off = False
        record["item"] = item.id
        record["content"] = item.label  # proof of play names what showed
        record["planned_end"] = (
            datetime.fromisoformat(record["planned_start"]) + timedelta(seconds=planned_seconds(item, doc))
        ).isoformat()
        opened = self.open_link(doc, record)
        if opened is None:
            record["interrupted"] = wait_until(start + IDLE_SECONDS, interrupted)
            return self.finish(record, start)
        link, spec = opened
        self.report_start(choice, item, record)
        self.journal.append(record, "begin")  # a kill mid-item leaves this, marked interrupted
        # An item with passes ends with its last frame; otherwise at its duration at the
        # earliest (a still frame stays that long; a scroll longer than that runs to its end).
        end = (
            start
            if item.passes is not None
            else start + float(10 if item.duration is None else item.duration)
        )
        pacer = Pacer(
            link,
            record,
            start,
            may_write=self.lease.may_write,
            interrupted=interrupted,
            report=self.status.update,
            mirror=self.status.mirror,
            last_end=self.last_end,
        )
        try:
            self.set_brightness(doc, link, clock.utc_now())
            frames = render_item(self.with_image(item), spec, now=clock.board_now(doc))
            every = NOTICE_READBACK_EVERY if choice.kind == "notice" else None
            scroll = self.board_scroll(link, item, spec, doc)
            if scroll is None:
                pacer.play(frames, end, every)
            else:
                pacer.play_on_board(scroll, frames, end, every, self.caps)
        except RenderError as exc:
            record["error"] = f"render: {exc}"
            log.error("board %s: item %s cannot be rendered: %s; skipping it", self.slug, record["item"], exc)
            wait_until(time.monotonic() + 0.5, interrupted)
        except DriverError as exc:  # the link, or a board that refuses a command (a NACK)
            self.link_lost(record, exc, interrupted)
        pacer.close(self.link)
        if not self.lease.may_write() and not self.stop.is_set():
            log.error("board %s: lease lost; link closed, no more writes", self.slug)
            self.close_link()
        self.last_end = time.monotonic() if record["frames_sent"] else self.last_end
        return self.finish(record, start)

    def board_scroll(self, link: Board, item: ShowItem, spec: BoardSpec, doc: Show) -> BoardScroll | None:
        """The item as a scroll the board steps itself, when the board lists SCROLL (asked
        once per open link) and the item is one (``onboard.scroll_for``); else None."""
        if not onboard.enabled():
            return None
        if self.caps_link is not link:
            self.caps, self.caps_link = onboard.board_caps(link), link
        if self.caps is None or onboard.SCROLL not in self.caps.commands:
            return None
        return onboard.scroll_for(link, item, spec, clock.board_now(doc))

    def report_start(self, choice: schedule.Choice, item: ShowItem, record: dict[str, Any]) -> None:
        # a notice played again (its next scroll pass, its next hour) is still on since it began,
        # so the read-backs of its earlier passes keep confirming it
        current = self.status.current
        going_on = (
            choice.kind == "notice"
            and current.get("source") == record["source"]
            and current.get("link") == "up"
        )
        since = current.get("since") if going_on else None
        self.status.update(
            item=record["item"],
            text=item.text,
            label=item.label or choice.label,
            kind=choice.kind,
            source=record["source"],
            since=since or time.time(),
            link="up",
            error=None,
            version=record["show_version"],
            frames=0,
        )

    def link_lost(self, record: dict[str, Any], exc: DriverError, interrupted) -> None:  # noqa: ANN001
        """The board stopped answering mid-item: say so, close the link, retry shortly."""
        record["error"] = f"link: {exc}"
        log.error("board %s: link lost during item %s: %s", self.slug, record["item"], exc)
        self.status.update(link="down", error=str(exc))
        self.close_link()
        wait_until(time.monotonic() + LINK_RETRY, interrupted)

    def set_brightness(self, doc: Show, link: Board, now: datetime) -> None:
        """Send the brightness of the time table when it changed (percent -> 0..255)."""
        level = round(schedule.brightness(doc, now) * 255 / 100)
        if level != self.level_sent:
            link.brightness(level)
            self.level_sent = level
            self.status.update(brightness=level)

    def switch_off(self, doc: Show | None) -> None:
        """Outside on/off hours: blank the board and turn it down."""
        try:
            link = self.link_for(doc.board if doc is not None else ShowBoard())
            link.clear()
            link.brightness(0)
            self.level_sent = 0
            self.was_off = True
            log.info("board %s: off hours; board blanked", self.slug)
        except LINK_FAULTS as exc:
            log.error("board %s: could not switch the board off: %s", self.slug, exc)
            self.close_link()

    def with_image(self, item: ShowItem) -> dict[str, Any]:
        """The item as the renderer takes it: banners name their image by hash; hand it the bytes."""
        if not item.is_banner:
            return item.render()
        sha = item.image or ""
        try:
            data = self.cache.blob(self.redis if self.redis_ok else None, sha)
        except RedisError as exc:
            self.went_offline(exc)
            data = self.cache.blob(None, sha)
        if data is None:
            raise RenderError(f"banner image {sha[:12]} is missing from the show")
        return item.render(data)

    def finish(self, record: dict[str, Any], start: float) -> dict[str, Any]:
        """Close the record and journal it as proof of play (pushed to Redis by the status thread)."""
        record["actual_end"] = clock.utc_now().isoformat()
        record["seconds"] = round(time.monotonic() - start, 3)
        if record["item"] is not None:  # waiting is not playing: no proof record
            self.journal.append(record)
        return record


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
