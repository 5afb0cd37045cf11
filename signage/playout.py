"""Playout on RQ: one queue per board, one job per item played, the port kept open.

Shape (see docs/operations.md and ../shared/architecture.md): a ``SimpleWorker`` per board
runs the jobs in its own process, so the serial link stays open between items (opening a
port toggles DTR and resets many controllers). Each job enqueues the next one when it
starts, so a restarted worker finds the next item already waiting. What a job plays comes
from ``schedule.what_plays(show, now)``: an urgent notice, a scheduled playlist or the
fallback. Free of Flask and of the database.

Faults handled here:
- one player per board: a Redis lease (``signage:lease:SLUG``, TTL ``LEASE_TTL``) with a
  fencing token; a heartbeat thread renews it only while the play loop makes progress,
  and the loop checks it before every frame, so a player that lost it stops writing at
  once and a dead or stuck one is replaced within ``LEASE_TTL`` seconds;
- Redis gone: RQ's own loop would retry for ever with the board frozen, so the worker
  leaves it and plays the disk-cached show in an offline loop until Redis answers again;
- a newer show (a publish, an urgent notice) ends the running item at the next frame;
- a notice that starts or expires ends the running item at the next frame too;
- so does an administrator's test-pattern request (``show.test_pattern_key``, no publish):
  the pattern plays until that key expires, then the schedule again;
- a stuck play loop: the in-process watchdog exits (status 70) so systemd or the launcher
  restarts the worker.
"""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker, get_current_job
from rq.exceptions import DequeueTimeout, StopRequested

from drivers import Board, LinkError, PortError, open_board
from drivers.pixels import BoardSpec, GeometryError
from signage import keep_playing, schedule, show
from signage.readback import is_blank
from signage.render import RenderError, render_item, timing
from signage.render.cache import CACHE as RENDER_CACHE
from signage.render.testpattern import test_pattern

log = logging.getLogger(__name__)

#: How often a held frame checks for a newer show, a notice, the lease or a stop (seconds).
POLL = 0.02
#: How often the version in Redis is read while an item plays (seconds).
VERSION_POLL = 0.04
#: What a board does (and how long) when it has nothing to play, before looking again.
IDLE_SECONDS = 2.0
#: Pause after a link error before trying the board again.
LINK_RETRY = 0.3
#: Upper bound of one job: an item longer than this is cut (RQ kills the job at its timeout).
JOB_TIMEOUT = 3 * 3600
#: Render cache bound in a worker (bytes): a board's playlist fits; see run_worker.
WORKER_RENDER_CACHE_BYTES = 4 * 1024 * 1024
PROOF_KEEP = 10_000
#: Lease time to live; a dead player's board is free again after this long.
LEASE_TTL = 3.0
#: The heartbeat thread's period (lease renewal, status heartbeat).
BEAT = 0.5
#: The lease is renewed only if the play loop moved within this many seconds.
PROGRESS_FRESH = 8.0
#: The worker exits (to be restarted) when its play loop has not moved for this long.
WATCHDOG_SECONDS = 30.0
#: How long a link may try to deliver one frame before the item gives up on it.
GIVE_UP_AFTER = 3.0
#: Seconds between read-backs while a notice blinks or scrolls, so the notice page (which
#: asks every two seconds) can confirm it; each read-back holds the next frame back by one
#: round trip, so other items are read back only once, after their last frame.
NOTICE_READBACK_EVERY = 2.0

_player: Player | None = None

RENEW = """
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end
return 0
"""


def queue_name(slug: str) -> str:
    return f"signage:board:{slug}"


def cache_dir() -> Path:
    """Where this worker keeps the last show of each board (``SIGNAGE_INSTANCE``/shows)."""
    return Path(os.environ.get("SIGNAGE_INSTANCE", "instance")) / "shows"


def utc_now() -> datetime:
    return datetime.now(UTC)


class Lease:
    """One player per board: a Redis key with a short TTL holding ``token:owner``.

    The token comes from a counter, so every acquisition has a larger one (a fencing
    token: the status names the token of the player that writes). ``may_write`` is checked
    before every frame and needs no Redis round trip: it is true while the last renewal is
    younger than the TTL, or while Redis is unreachable for a player that had the lease
    (nobody else can take it then; the port itself is the board's only other guard).
    """

    def __init__(self, redis: Redis, slug: str, owner: str, ttl: float = LEASE_TTL) -> None:
        self.redis, self.slug, self.owner, self.ttl = redis, slug, owner, ttl
        self.token: int | None = None
        self.valid_until = 0.0
        self.offline = False
        self._renew = redis.register_script(RENEW)

    @property
    def value(self) -> str:
        return f"{self.token}:{self.owner}"

    def acquire(self) -> bool:
        """Take the lease if it is free (raises RedisError when Redis is unreachable)."""
        if self.token is not None:
            return self.renew()
        token = int(self.redis.incr(show.token_key(self.slug)))
        taken = self.redis.set(show.lease_key(self.slug), f"{token}:{self.owner}", nx=True,
                               px=int(self.ttl * 1000))
        if taken:
            self.token = token
            self.valid_until = time.monotonic() + self.ttl - 0.5
            self.offline = False
            log.info("board %s: lease taken (token %d)", self.slug, token)
            return True
        return False

    def renew(self) -> bool:
        """Extend the lease; False (and writing stops) when another player has it."""
        began = time.monotonic()
        result = int(self._renew(keys=[show.lease_key(self.slug)], args=[self.value, int(self.ttl * 1000)]))
        self.offline = False
        if result == 0:
            holder = self.redis.get(show.lease_key(self.slug))
            log.error("board %s: lease lost to %s; stopping writes", self.slug, holder)
            self.token = None
            self.valid_until = 0.0
            return False
        if result == 2:
            log.warning("board %s: lease key was gone (Redis restarted?); taken again", self.slug)
        self.valid_until = began + self.ttl - 0.5
        return True

    def may_write(self) -> bool:
        """Whether this player may send a frame now (no Redis round trip)."""
        if self.offline:
            return True
        return self.token is not None and time.monotonic() < self.valid_until

    def release(self) -> None:
        """Give the lease back on a clean stop, so a successor starts at once."""
        if self.token is None:
            return
        try:
            if self.redis.get(show.lease_key(self.slug)) == self.value.encode():
                self.redis.delete(show.lease_key(self.slug))
        except RedisError:
            pass
        self.token = None


class Player:
    """Everything one board's worker process keeps between items: show, link, cursors, lease."""

    def __init__(self, slug: str, redis: Redis, cache: Path | None = None) -> None:
        self.slug = slug
        self.redis = redis
        self.cache = cache or cache_dir()
        self.owner = f"{os.uname().nodename}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease = Lease(redis, slug, self.owner)
        self.queue = Queue(queue_name(slug), connection=redis)
        self.stop = threading.Event()
        self.redis_ok = True
        self.doc: dict[str, Any] | None = None
        self.doc_version: str | None = None  # publish id of the show in hand
        self.cursors: dict[str, int] = {}
        self.link: Board | None = None
        self.link_key: tuple | None = None
        self.level_sent: int | None = None
        self.was_off = False
        self.progress = time.monotonic()
        self.last_end: float | None = None
        self.pending: deque[str] = deque(maxlen=PROOF_KEEP)
        self.current: dict[str, Any] = {}
        self.pattern_done: str | None = None  # id of the last test pattern shown to its end
        self._beat: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- the heartbeat thread ----------------------------------------------------------
    def start_heartbeat(self) -> None:
        """Renew the lease, publish the status heartbeat, and guard against a stuck loop."""
        if self._beat is None:
            self._beat = threading.Thread(target=self._heartbeat, name=f"heartbeat-{self.slug}", daemon=True)
            self._beat.start()

    def _heartbeat(self) -> None:
        while not self.stop.is_set():
            stalled = time.monotonic() - self.progress
            if stalled > WATCHDOG_SECONDS:
                log.critical("board %s: play loop stuck for %.0f s; exiting to be restarted",
                             self.slug, stalled)
                os._exit(70)
            try:
                self.redis.ping()
                # Only the lease holder beats: a waiting worker must not make a dead board look alive.
                if stalled < PROGRESS_FRESH and self.lease.token is not None and self.lease.renew():
                    fields: dict[str, Any] = {"heartbeat": time.time(), "lease": self.lease.token,
                                              "owner": self.owner, "mode": "rq"}
                    self.redis.hset(show.status_key(self.slug),
                                    mapping={k: json.dumps(v) for k, v in fields.items()})
                if not self.redis_ok:
                    log.info("board %s: Redis answers again", self.slug)
                self.redis_ok = True
                self._flush_pending()
            except RedisError as exc:
                if self.redis_ok:
                    log.warning("board %s: Redis unreachable (%s); playing the cached show", self.slug, exc)
                self.redis_ok = False
                self.lease.offline = True
            self.stop.wait(BEAT)

    def _flush_pending(self) -> None:
        """Proof-of-play records made while Redis was gone go in once it is back."""
        if not self.pending:
            return
        key = show.proof_key(self.slug)
        with self._lock:
            records = list(self.pending)
            self.pending.clear()
        self.redis.lpush(key, *records)
        self.redis.ltrim(key, 0, PROOF_KEEP - 1)

    def touch(self) -> None:
        """The play loop is alive (read by the heartbeat thread and the watchdog)."""
        self.progress = time.monotonic()

    # -- show, status, link ------------------------------------------------------------
    def refresh(self) -> dict[str, Any] | None:
        """The show to play: reloaded only when Redis has a newly published one (else the cached)."""
        if self.doc is None or self.newer_show():
            seen = show.current_stamp(self.redis, self.slug) if self.redis_ok else None
            doc = show.load(self.redis if self.redis_ok else _Unreachable(), self.slug, self.cache)
            if doc is not None:
                self.doc = doc
            # A refused (e.g. newer-format) show is remembered as seen, so it does not
            # interrupt every frame of the cached one we keep playing.
            self.doc_version = seen
        return self.doc

    def newer_show(self) -> bool:
        """Whether Redis holds a show other than the one playing (no Redis, or none there: no)."""
        seen = show.current_stamp(self.redis, self.slug) if self.redis_ok else None
        return seen is not None and seen != self.doc_version

    def status(self, **fields: Any) -> None:
        """Status of the board for the admin; a Redis outage must not stop the board."""
        self.current.update(fields)
        if not self.redis_ok:
            return
        fields["heartbeat"] = time.time()
        try:
            self.redis.hset(show.status_key(self.slug), mapping={k: json.dumps(v) for k, v in fields.items()})
        except RedisError:
            pass

    def mirror(self, image: Any) -> None:
        """Keep what the board was last sent, as PNG, for the admin's live mirror."""
        if not self.redis_ok:
            return
        buf = io.BytesIO()
        image.save(buf, "PNG")
        try:
            self.redis.set(show.mirror_key(self.slug), buf.getvalue())
        except RedisError:
            pass

    def link_for(self, board: dict[str, Any]) -> Board:
        """The open link of the board, reopened only when its settings changed."""
        spec = BoardSpec(board["width"], board["height"], board.get("color", "mono"))
        key = (board["port_url"], board["protocol"], spec, board.get("baud", 115200), board.get("address", 1))
        if self.link is not None and self.link_key == key:
            return self.link
        if self.link is not None:
            log.info("board %s: settings changed, reopening the link", self.slug)
            self.close_link()
        self.link = open_board(key[0], key[1], spec, baud=key[3], address=key[4], give_up_after=GIVE_UP_AFTER)
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

    # -- choosing and playing ----------------------------------------------------------
    def choose(self, doc: dict[str, Any] | None,
               now: datetime) -> tuple[schedule.Choice, dict[str, Any] | None]:
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
        if self.redis_ok:
            try:
                self.redis.hset(show.cursor_key(self.slug), key, index + 1)
            except RedisError:
                pass
        return choice, choice.items[index]

    def load_cursors(self) -> None:
        try:
            raw = self.redis.hgetall(show.cursor_key(self.slug))
            self.cursors = {k.decode(): int(v) for k, v in raw.items()}
        except (RedisError, ValueError):
            pass

    def interrupter(self, doc: dict[str, Any], choice: schedule.Choice, source: str,
                    item: dict[str, Any] | None = None) -> Callable[[], bool]:
        """A cheap check run before every frame and while a frame is held."""
        notice_key = choice.key if choice.kind == "notice" else None
        next_version_check = [0.0]
        kept: list[Any] = [None]  # the newer show's stamp once it was found to leave the item be

        def interrupted() -> bool:
            self.touch()
            if self.stop.is_set() or not self.lease.may_write():
                return True
            if source == "offline" and self.redis_ok:
                return True  # Redis is back: hand over to RQ
            now = time.monotonic()
            if now >= next_version_check[0]:
                next_version_check[0] = now + VERSION_POLL
                if self.pattern_wanted() or (self.newer_show() and not self._keeps(doc, choice, item, kept)):
                    return True
            notices = schedule.active_notices(doc, utc_now())
            live = f"notice:{notices[0]['id']}" if notices else None
            return live != notice_key

        return interrupted

    def _keeps(self, doc: dict[str, Any], choice: schedule.Choice, item: dict[str, Any] | None,
               kept: list[Any]) -> bool:
        """Whether the newer show in Redis leaves the playing item as it is (``keep_playing``);
        each newer show is loaded and judged once per item."""
        stamp = show.current_stamp(self.redis, self.slug) if self.redis_ok else None
        if stamp is None:
            return False
        if stamp != kept[0]:
            try:  # read only: the disk copy is refreshed when the show is taken up (refresh)
                raw = self.redis.get(show.show_key(self.slug))
                new = show.check(json.loads(raw)) if raw is not None else None
            except (RedisError, ValueError, show.ShowError):
                new = None
            if not keep_playing.still_plays(doc, new, choice.key, item, utc_now()):
                return False
            kept[0] = stamp
        return True

    def play(self, source: str = "rq") -> dict[str, Any]:
        """Play one item (or wait a moment when there is nothing); returns the proof record."""
        self.touch()
        doc = self.refresh()
        request = self.test_request()
        if request is not None and doc is not None and request.get("id") != self.pattern_done:
            left = self._pattern_left(request)
            if left > 0:
                return self.play_test_pattern(doc, request, left, source)
        now = utc_now()
        choice, item = self.choose(doc, now)
        record: dict[str, Any] = {
            "record_id": uuid.uuid4().hex, "board": self.slug, "item": None, "label": choice.label,
            "source": f"{choice.kind}:{choice.notice_id or choice.schedule_id or choice.playlist or ''}",
            "show_version": (doc or {}).get("version"), "lease": self.lease.token, "mode": source,
            "planned_start": now.isoformat(), "actual_start": None, "frames_sent": 0, "frames_acked": 0,
            "interrupted": False, "error": None, "gap_ms": None,
        }
        start = time.monotonic()
        interrupted = self.interrupter(doc or {}, choice, source, item)
        if item is None:
            if choice.kind == "off" and not self.was_off and self.lease.may_write():
                self._switch_off(doc)
            self.status(item=None, label=choice.label, kind=choice.kind, since=time.time())
            record["interrupted"] = _wait_until(start + IDLE_SECONDS, interrupted)
            return self.finish(record, start)
        self.was_off = False
        record["item"] = item.get("id")
        record["content"] = item.get("text") or item.get("name")  # proof of play names what showed
        record["planned_end"] = (now + timedelta(seconds=planned_seconds(item, doc))).isoformat()
        try:
            spec = BoardSpec(doc["board"]["width"], doc["board"]["height"], doc["board"].get("color", "mono"))
            link = self.link_for(doc["board"])
        except (GeometryError, PortError, LinkError, KeyError, ValueError) as exc:
            record["error"] = f"link: {exc}"
            log.error("board %s: cannot reach the board: %s", self.slug, exc)
            self.status(item=record["item"], since=time.time(), link="down", error=str(exc))
            record["interrupted"] = _wait_until(start + IDLE_SECONDS, interrupted)
            return self.finish(record, start)
        acked_before = link.stats.get("acked", 0)
        # a notice played again (its next scroll pass, its next hour) is still on since it began,
        # so the read-backs of its earlier passes keep confirming it
        going_on = (choice.kind == "notice" and self.current.get("source") == record["source"]
                    and self.current.get("link") == "up")
        since = self.current.get("since") if going_on else None
        self.status(item=record["item"], text=item.get("text"),
                    label=item.get("text") or item.get("name") or choice.label,
                    kind=choice.kind, source=record["source"], since=since or time.time(), link="up",
                    error=None, version=record["show_version"], frames=0)
        # An item with passes ends with its last frame; otherwise at its duration at the
        # earliest (a still frame stays that long; a scroll longer than that runs to its end).
        end = start if item.get("passes") is not None else start + float(item.get("duration", 10))
        lateness: list[float] = []  # how late each frame left, against its planned time
        # a notice is read back at its first lit frame, then every few seconds while it moves
        readback_next = time.monotonic() if choice.kind == "notice" else None
        read_back = False
        try:
            self._brightness(doc, link, now)
            for frame in render_item(self._with_image(item), spec):
                if _wait_until(start + frame.at, interrupted):
                    record["interrupted"] = True
                    break
                if not self.lease.may_write():  # fencing: checked right before the write
                    record["interrupted"] = True
                    break
                lateness.append(time.monotonic() - (start + frame.at))
                if record["frames_sent"] == 0 and self.last_end is not None:
                    record["gap_ms"] = round((time.monotonic() - self.last_end) * 1000, 1)
                link.show(frame.image, frame.op)  # the renderer's scroll hint saves the driver a search
                record["frames_sent"] += 1
                if record["frames_sent"] == 1:
                    record["actual_start"] = utc_now().isoformat()
                    if self.last_end is not None:  # with the wire time of the first frame
                        record["gap_acked_ms"] = round((time.monotonic() - self.last_end) * 1000, 1)
                if record["frames_sent"] == 1 or record["frames_sent"] % 30 == 0:
                    self.mirror(frame.image)
                    self.status(frames=record["frames_sent"], acked=link.stats.get("acked", 0),
                                errors=link.stats.get("errors", 0), link="up", gap_ms=record["gap_ms"])
                if readback_next is not None and time.monotonic() >= readback_next \
                        and not is_blank(frame.image):  # a dark board proves nothing
                    self._readback(link)
                    read_back = True
                    readback_next = time.monotonic() + NOTICE_READBACK_EVERY
                end = max(end, start + frame.at + frame.hold)
            else:
                if not read_back and end - time.monotonic() > 0.5 and self.lease.may_write():
                    self._readback(link)
                record["interrupted"] = _wait_until(end, interrupted)
        except RenderError as exc:
            record["error"] = f"render: {exc}"
            log.error("board %s: item %s cannot be rendered: %s; skipping it", self.slug, record["item"], exc)
            _wait_until(time.monotonic() + 0.5, interrupted)
        except LinkError as exc:
            record["error"] = f"link: {exc}"
            log.error("board %s: link lost during item %s: %s", self.slug, record["item"], exc)
            self.status(link="down", error=str(exc))
            self.close_link()
            _wait_until(time.monotonic() + LINK_RETRY, interrupted)
        record["frames_acked"] = (self.link.stats.get("acked", 0) - acked_before) if self.link is link else 0
        if len(lateness) > 1:
            lateness.sort()
            record["late_ms"] = {"p50": round(lateness[len(lateness) // 2] * 1000, 2),
                                 "p99": round(lateness[int(len(lateness) * 0.99)] * 1000, 2),
                                 "max": round(lateness[-1] * 1000, 2)}
        if not self.lease.may_write() and not self.stop.is_set():
            log.error("board %s: lease lost; link closed, no more writes", self.slug)
            self.close_link()
        self.last_end = time.monotonic() if record["frames_sent"] else self.last_end
        return self.finish(record, start)

    def test_request(self) -> dict[str, Any] | None:
        """The administrator's test-pattern request for this board, if one is in force."""
        if not self.redis_ok:
            return None
        try:
            raw = self.redis.get(show.test_pattern_key(self.slug))
        except RedisError:
            return None
        if raw is None:
            return None
        try:
            request = json.loads(raw)
        except ValueError:
            request = None
        return request if isinstance(request, dict) else {"id": raw.decode(errors="replace")}

    def pattern_wanted(self) -> bool:
        """Whether a test pattern not yet shown waits (the running item then ends at once)."""
        request = self.test_request()
        return request is not None and request.get("id") != self.pattern_done

    def _pattern_left(self, request: dict[str, Any]) -> float:
        """Seconds the test pattern still has (its key's time to live; 0 when it is gone)."""
        try:
            ttl = int(self.redis.pttl(show.test_pattern_key(self.slug)))
        except RedisError:
            return 0.0
        if ttl == -1:  # set without an expiry: the seconds it asks for
            return float(request.get("seconds") or 15)
        return max(ttl, 0) / 1000

    def play_test_pattern(self, doc: dict[str, Any], request: dict[str, Any], left: float,
                          source: str) -> dict[str, Any]:
        """Show the test pattern until its request expires (or a new press replaces it).

        It goes before everything, notices too: someone is looking at the board and asked
        for it, for seconds. Off hours the board is lit for it and blanked again afterwards.
        """
        now = utc_now()
        start = time.monotonic()
        by = str(request.get("by") or "?")
        record: dict[str, Any] = {
            "record_id": uuid.uuid4().hex, "board": self.slug, "item": "test-pattern",
            "label": f"test pattern ({by})", "source": "test-pattern", "show_version": doc.get("version"),
            "lease": self.lease.token, "mode": source, "planned_start": now.isoformat(),
            "planned_end": (now + timedelta(seconds=left)).isoformat(), "actual_start": None,
            "frames_sent": 0, "frames_acked": 0, "interrupted": False, "error": None, "gap_ms": None,
        }
        wanted, ended = request.get("id"), [False]
        next_check = [0.0]

        def interrupted() -> bool:
            self.touch()
            if self.stop.is_set() or not self.lease.may_write():
                return True
            if time.monotonic() >= next_check[0]:
                next_check[0] = time.monotonic() + VERSION_POLL
                current = self.test_request()
                if current is None or current.get("id") != wanted:
                    ended[0] = current is None  # expired: the pattern is over, not cut short
                    return True
            return False

        try:
            spec = BoardSpec(doc["board"]["width"], doc["board"]["height"], doc["board"].get("color", "mono"))
            link = self.link_for(doc["board"])
        except (GeometryError, PortError, LinkError, KeyError, ValueError) as exc:
            record["error"] = f"link: {exc}"
            self.status(item="test-pattern", since=time.time(), link="down", error=str(exc))
            record["interrupted"] = _wait_until(start + IDLE_SECONDS, interrupted)
            return self.finish(record, start)
        acked_before = link.stats.get("acked", 0)
        self.status(item="test-pattern", text=None, label=record["label"], kind="test", source="test-pattern",
                    since=time.time(), link="up", error=None, version=record["show_version"], frames=0)
        end, at = start + left, start
        try:
            level = round(schedule.brightness(doc, now) * 255 / 100) or 255  # lit even when dimmed to 0
            link.brightness(level)
            self.level_sent, self.was_off = level, False  # the schedule sets both again afterwards
            frames = test_pattern(spec, self.slug)
            while not record["interrupted"] and at < end:
                frame = frames[record["frames_sent"] % len(frames)]
                if not self.lease.may_write():
                    record["interrupted"] = True
                    break
                link.show(frame.image)
                record["frames_sent"] += 1
                if record["frames_sent"] == 1:
                    record["actual_start"] = utc_now().isoformat()
                self.mirror(frame.image)
                self.status(frames=record["frames_sent"], acked=link.stats.get("acked", 0), link="up")
                at += frame.hold
                record["interrupted"] = _wait_until(min(at, end), interrupted) and not ended[0]
                if ended[0]:
                    break
        except LinkError as exc:
            record["error"] = f"link: {exc}"
            log.error("board %s: link lost during the test pattern: %s", self.slug, exc)
            self.status(link="down", error=str(exc))
            self.close_link()
            _wait_until(time.monotonic() + LINK_RETRY, interrupted)
        record["frames_acked"] = (self.link.stats.get("acked", 0) - acked_before) if self.link is link else 0
        if not record["interrupted"]:
            self.pattern_done = wanted  # its key may outlive it by a few ms: do not start it again
        log.info("board %s: test pattern by %s shown (%d frames)", self.slug, by, record["frames_sent"])
        self.last_end = time.monotonic() if record["frames_sent"] else self.last_end
        return self.finish(record, start)

    def _brightness(self, doc: dict[str, Any], link: Board, now: datetime) -> None:
        """Send the brightness of the time table when it changed (percent -> 0..255)."""
        level = round(schedule.brightness(doc, now) * 255 / 100)
        if level != self.level_sent:
            link.brightness(level)
            self.level_sent = level
            self.status(brightness=level)

    def _switch_off(self, doc: dict[str, Any] | None) -> None:
        """Outside on/off hours: blank the board and turn it down."""
        try:
            link = self.link_for(doc["board"])
            link.clear()
            link.brightness(0)
            self.level_sent = 0
            self.was_off = True
            log.info("board %s: off hours; board blanked", self.slug)
        except (LinkError, PortError, GeometryError, KeyError, ValueError) as exc:
            log.error("board %s: could not switch the board off: %s", self.slug, exc)
            self.close_link()

    def _readback(self, link: Board) -> None:
        try:
            crc = link.readback()
        except LinkError:
            return
        if crc is not None:  # with its time, so the admin can tell it belongs to the item since ``since``
            self.status(readback=f"{crc:08x}", readback_at=time.time())

    def _with_image(self, item: dict[str, Any]) -> dict[str, Any]:
        """Banners name their image by hash; hand the renderer the bytes."""
        if item.get("kind") != "banner":
            return item
        conn = self.redis if self.redis_ok else _Unreachable()
        data = show.load_blob(conn, item["image"], self.cache)
        if data is None:
            raise RenderError(f"banner image {item['image'][:12]} is missing from the show")
        return {**item, "image": data}

    def finish(self, record: dict[str, Any], start: float) -> dict[str, Any]:
        """Close the record and keep it as proof of play (queued in memory while Redis is gone)."""
        record["actual_end"] = utc_now().isoformat()
        record["seconds"] = round(time.monotonic() - start, 3)
        raw = json.dumps(record, ensure_ascii=False)
        if record["item"] is None:
            return record  # waiting is not playing: no proof record
        try:
            if not self.redis_ok:
                raise RedisError("offline")
            key = show.proof_key(self.slug)
            self.redis.lpush(key, raw)
            self.redis.ltrim(key, 0, PROOF_KEEP - 1)
        except RedisError:
            with self._lock:
                self.pending.append(raw)
        return record

    def ensure_chain(self) -> None:
        """Queue a play job when none is waiting (first start, or Redis lost its data)."""
        if self.queue.count == 0:
            enqueue_next(self.queue, self.slug, 0)


class _Unreachable:
    """Stands in for Redis while it is down, so loaders go straight to the disk cache."""

    def get(self, key: str) -> None:
        raise RedisError("Redis unreachable")


def planned_seconds(item: dict[str, Any], doc: dict[str, Any]) -> float:
    """How long the item should play on this board (a scroll's passes estimated from its length)."""
    try:
        board = doc["board"]
        spec = BoardSpec(board["width"], board["height"], board.get("color", "mono"))
        return timing.item_seconds(item, spec).seconds
    except (RenderError, GeometryError, KeyError, TypeError, ValueError):
        return float(item.get("duration") or 10)


def enqueue_next(queue: Queue, slug: str, position: int) -> None:
    """Queue the next item unless one is already waiting (one chain per board)."""
    if queue.count == 0:
        queue.enqueue_call(
            play_item, args=(slug, position), timeout=JOB_TIMEOUT, result_ttl=600,
            failure_ttl=24 * 3600, description=f"play {slug} #{position}",
        )


def _wait_until(deadline: float, interrupted: Callable[[], bool]) -> bool:
    """Sleep until ``deadline`` (monotonic); True if interrupted on the way."""
    while True:
        if interrupted():
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(POLL, left))


def play_item(slug: str, position: int) -> dict[str, Any]:
    """The RQ job: queue the next play, then play one item; the result is the proof record."""
    global _player
    job = get_current_job()
    if _player is None or _player.slug != slug:
        redis: Redis = job.connection if job is not None else Redis()
        _player = Player(slug, redis)
        _player.load_cursors()
        _player.start_heartbeat()
    try:
        enqueue_next(_player.queue, slug, position + 1)
    except RedisError as exc:
        log.warning("board %s: could not queue the next item: %s", slug, exc)
    return _player.play("rq")


class RedisGone(StopRequested):
    """Leave RQ's loop (which would retry for ever) to play from the disk cache."""


class BoardWorker(SimpleWorker):
    """An RQ ``SimpleWorker`` that stops the item on a stop request and leaves when Redis goes."""

    player: Player | None = None

    def request_stop(self, signum: Any, frame: Any) -> None:  # noqa: D401 - RQ's hook
        if self.player is not None:
            self.player.stop.set()
        super().request_stop(signum, frame)

    def dequeue_job_and_maintain_ttl(self, timeout: int | None, max_idle_time: int | None = None) -> Any:
        """Wait for the next play job; keep the chain alive; give up on Redis errors at once."""
        player = self.player
        while True:
            if player is not None:
                player.touch()
                if player.stop.is_set():
                    return None
                if not player.lease.may_write():
                    raise RedisGone()  # the lease went (stuck, or taken): back to the outer loop
            try:
                self.heartbeat()
                result = self.queue_class.dequeue_any(
                    self._ordered_queues, 1, connection=self.connection, job_class=self.job_class,
                    serializer=self.serializer, death_penalty_class=self.death_penalty_class)
                if result is not None:
                    return result
            except DequeueTimeout:
                pass
            except (RedisError, OSError) as exc:
                log.warning("board worker: Redis error while waiting for a job: %s", exc)
                if player is not None:
                    player.redis_ok = False
                    player.lease.offline = True
                raise RedisGone() from exc
            if timeout is None:
                return None  # burst mode: nothing queued means done
            if player is not None:
                try:
                    player.ensure_chain()  # the chain broke (Redis lost the queue?): start it again
                except RedisError as exc:
                    raise RedisGone() from exc


def heartbeat_stale(redis: Redis, slug: str, older_than: float = 15.0) -> bool:
    """For watchdogs: the board's player has not beaten for ``older_than`` s (Redis down: no)."""
    try:
        raw = redis.hget(show.status_key(slug), "heartbeat")
    except RedisError:
        return False
    return raw is None or time.time() - float(json.loads(raw)) > older_than


def wait_for_redis(redis: Redis, what: str = "Redis", give_up: float | None = None) -> None:
    """Block until Redis answers, retrying with backoff and saying so in the log."""
    delay, began = 0.2, time.monotonic()
    while True:
        try:
            redis.ping()
            return
        except RedisError as exc:
            if give_up is not None and time.monotonic() - began > give_up:
                raise
            log.warning("%s not reachable (%s); retrying in %.1f s", what, exc, delay)
            time.sleep(delay)
            delay = min(delay * 2, 10.0)


def run_worker(slug: str, redis_url: str, *, burst: bool = False) -> None:
    """Run the worker of one board until stopped (``signage worker --board SLUG``)."""
    global _player
    # One board's playlist fits a small cache; the renderer's default is sized for the admin's
    # previews of many boards, and a worker left at it grows for days towards that bound.
    RENDER_CACHE.max_bytes = min(RENDER_CACHE.max_bytes, WORKER_RENDER_CACHE_BYTES)
    redis = Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)
    player = _player = Player(slug, redis)
    player.load_cursors()

    def _stop(signum: int, _frame: Any) -> None:
        log.info("board %s: %s received; stopping", slug, signal.Signals(signum).name)
        player.stop.set()

    def _own_signals() -> None:
        # RQ installs its handlers in work() and leaves them; outside it, ours apply.
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)

    _own_signals()
    try:
        redis.ping()
    except RedisError as exc:
        log.warning("board %s: Redis unreachable at start (%s); playing the cached show", slug, exc)
        player.redis_ok = False
        player.lease.offline = True
    player.start_heartbeat()
    waiting_logged = False
    runs = 0
    try:
        while not player.stop.is_set():
            player.touch()
            if not player.redis_ok:
                player.play("offline")
                continue
            try:
                if not player.lease.acquire():
                    if not waiting_logged:
                        log.info("board %s: another player holds the lease; waiting", slug)
                        waiting_logged = True
                    player.stop.wait(0.2)
                    continue
                waiting_logged = False
                player.ensure_chain()
            except RedisError as exc:
                log.warning("board %s: Redis error (%s); playing the cached show", slug, exc)
                player.redis_ok = False
                player.lease.offline = True
                continue
            runs += 1
            name = f"signage-{slug}-{player.owner}-{runs}"
            worker = BoardWorker([player.queue], connection=redis, name=name)
            worker.player = player
            log.info("board %s: RQ worker %s on queue %s (lease %s)", slug, worker.name, player.queue.name,
                     player.lease.token)
            try:
                worker.work(burst=burst, logging_level="INFO", with_scheduler=False)
            except (RedisError, OSError) as exc:
                log.warning("board %s: RQ loop left on a Redis error: %s", slug, exc)
                player.redis_ok = False
                player.lease.offline = True
            _own_signals()
            if burst:
                break
            if not player.stop.is_set() and not player.redis_ok:
                log.warning("board %s: Redis unreachable; playing the cached show until it returns", slug)
    finally:
        player.stop.set()
        player.lease.release()
        player.close_link()
