"""The board's status for the admin, and the one thread that talks to Redis for the player.

The play loop never waits on Redis: it writes status fields, the mirror image, cursors and
proof records into memory, and reads what this thread last saw (the newest show's stamp,
a test-pattern request, whether Redis answers). The thread:

- reads the show stamp and the test-pattern key when Redis says one of them changed
  (``watch.Watch``: no polling), else every ``POLL`` (one round trip), and wakes the play loop
  (``Player.wake``) when they did;
- every ``BEAT``: renews the lease, writes the heartbeat, the cursors and new proof records
  (and every ``PROOF_CHECK`` looks for dead workers' journals and a Redis that lost them);
- pushes a changed status field within ``PUSH_EVERY``; the counts and read-backs the play
  loop reports every few frames (``ROUTINE``), and the mirror, wait for the next beat;
- on any Redis error (refused, timed out, lost) marks Redis gone, which moves the play
  loop to the cached show at its next frame, and pings every ``RETRY`` until it answers;
- exits the process (status 70) when the play loop has not moved for ``WATCHDOG_SECONDS``,
  and tells systemd's watchdog the loop is alive while it moves.
"""

from __future__ import annotations

import io
import json
import logging
import os
import threading
import time
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError

from signage import show
from signage.player import notify
from signage.player.watch import POLL, Watch

if TYPE_CHECKING:
    from PIL import Image

    from signage.player.state import PlayerState
    from signage.show import ShowItem

log = logging.getLogger(__name__)

#: How often they are read anyway when it can (a change it failed to tell is seen this late).
POLL_WATCHED = 2.0
#: The lease renewal, heartbeat and proof push period (seconds); the lease lasts 3.
BEAT = 1.0
#: With no new proof record, how often the journal is pushed anyway: it then looks for the
#: journals of dead workers and whether Redis lost what it was given (seconds).
PROOF_CHECK = 5.0
#: Longest a status field from the play loop waits to be pushed (seconds).
PUSH_EVERY = 0.25
#: Fields the play loop reports every few frames: on their own they wait for the next beat (a
#: second at most), with the mirror, so a scroll costs one Redis push a second, not three.
ROUTINE = frozenset({"frames", "acked", "errors", "gap_ms", "readback", "readback_at"})
#: How often a gone Redis is asked again (seconds).
RETRY = 0.2
#: The lease is renewed only if the play loop moved within this many seconds.
PROGRESS_FRESH = 8.0
#: The worker exits (to be restarted) when its play loop has not moved for this long.
WATCHDOG_SECONDS = 30.0


class BoardStatus:
    """Status fields and mirror image, kept in memory by the play loop, pushed by the thread."""

    def __init__(self) -> None:
        self.current: dict[str, Any] = {}
        self._dirty: dict[str, Any] = {}
        self._image: Image.Image | None = None
        self._urgent = False
        self._lock = threading.Lock()

    def update(self, **fields: Any) -> None:
        with self._lock:
            self.current.update(fields)
            self._dirty.update(fields)
            if not ROUTINE.issuperset(fields):
                self._urgent = True

    def item_started(self, kind: str, label: str, item: ShowItem, record: dict[str, Any]) -> None:
        """An item's first frame goes out: what it is, since when, from which show.

        A notice played again (its next scroll pass, its next hour) is still on since it
        began, so the read-backs of its earlier passes keep confirming it.
        """
        current = self.current
        going_on = (
            kind == "notice" and current.get("source") == record["source"] and current.get("link") == "up"
        )
        since = current.get("since") if going_on else None
        self.update(
            item=record["item"],
            text=item.text,
            label=item.label or label,
            kind=kind,
            source=record["source"],
            since=since or time.time(),
            link="up",
            error=None,
            version=record["show_version"],
            frames=0,
        )

    def mirror(self, image: Image.Image) -> None:
        """What the board was last sent (copied: a renderer may reuse its image)."""
        copy = image.copy()
        with self._lock:
            self._image = copy

    def take(self, everything: bool = True) -> tuple[dict[str, Any], Image.Image | None]:
        """The fields changed and the mirror image since the last call; nothing unless
        ``everything`` (the beat) or a field other than the ``ROUTINE`` ones changed."""
        with self._lock:
            if not (everything or self._urgent):
                return {}, None
            fields, image = self._dirty, self._image
            self._dirty, self._image, self._urgent = {}, None, False
        return fields, image

    def give_back(self, fields: dict[str, Any]) -> None:
        """Fields a failed push could not write go out with the next one."""
        with self._lock:
            self._dirty = {**fields, **self._dirty}
            self._urgent = True


def push_status(redis: Any, slug: str, fields: dict[str, Any], image: Image.Image | None) -> None:
    """Write status fields (with a heartbeat) and the mirror PNG in one round trip."""
    with redis.pipeline(transaction=False) as pipe:
        if fields:
            fields = {**fields, "heartbeat": time.time()}
            pipe.hset(show.status_key(slug), mapping={k: json.dumps(v) for k, v in fields.items()})
        if image is not None:
            buf = io.BytesIO()
            image.save(buf, "PNG")
            pipe.set(show.mirror_key(slug), buf.getvalue())
        pipe.execute()


class Heartbeat(threading.Thread):
    """The player's Redis side (see the module's docstring)."""

    def __init__(self, player: PlayerState) -> None:
        super().__init__(name=f"heartbeat-{player.slug}", daemon=True)
        self.player = player
        self.next_beat = 0.0
        self.cursors_sent: dict[str, int] = {}
        self.notify_every = notify.watchdog_interval()
        self.notified = 0.0
        self.watch = Watch(player.redis, player.slug)
        self.next_poll = 0.0
        self.next_proof = 0.0
        self.changed = True

    def run(self) -> None:
        """The thread's loop; with ``SIGNAGE_PROFILE`` (a folder) its first
        ``SIGNAGE_PROFILE_SECONDS`` (20) run under cProfile, saved as heartbeat-PID.prof."""
        notify.notify("READY=1")
        folder = os.environ.get("SIGNAGE_PROFILE")
        if folder:
            import cProfile

            with cProfile.Profile() as prof:
                self.loop(time.monotonic() + float(os.environ.get("SIGNAGE_PROFILE_SECONDS", "20")))
            prof.dump_stats(os.path.join(folder, f"heartbeat-{os.getpid()}.prof"))
        self.loop()

    def loop(self, until: float = float("inf")) -> None:
        """Look, beat and push until the player stops (or ``until``, monotonic)."""
        p = self.player
        while not p.stop.is_set() and time.monotonic() < until:
            stalled = time.monotonic() - p.progress
            self.watchdog(stalled)
            if p.redis_ok:
                try:
                    self.online(stalled)
                except RedisError as exc:
                    p.went_offline(exc)
            else:
                self.watch.close()
                self.probe()
            self.pause()
        self.watch.close()

    def pause(self) -> None:
        """Until the next look: on the watch (woken by a change) until the next beat, poll or push."""
        p = self.player
        if not p.redis_ok or self.watch.conn is None:
            p.stop.wait(POLL if p.redis_ok else RETRY)
            self.changed = True
            return
        now = time.monotonic()
        self.changed = self.watch.wait(max(0.0, min(self.next_beat, self.next_poll, now + PUSH_EVERY) - now))

    def watchdog(self, stalled: float) -> None:
        if stalled > WATCHDOG_SECONDS:
            log.critical(
                "board %s: play loop stuck for %.0f s; exiting to be restarted", self.player.slug, stalled
            )
            os._exit(70)
        now = time.monotonic()
        if self.notify_every and stalled < self.notify_every and now - self.notified >= self.notify_every / 2:
            notify.notify("WATCHDOG=1")
            self.notified = now

    def online(self, stalled: float) -> None:
        p = self.player
        if self.changed or time.monotonic() >= self.next_poll:
            self.poll()
            self.next_poll = time.monotonic() + (POLL_WATCHED if self.watch.open() else POLL)
        beat = time.monotonic() >= self.next_beat
        if beat:
            self.next_beat = time.monotonic() + BEAT
            self.beat(stalled)
        fields, image = p.status.take(everything=beat)
        if p.lease.token is None:
            return  # a standby's status must not overwrite the player's
        if fields or image is not None:
            try:
                push_status(p.redis, p.slug, fields, image)
            except RedisError:
                p.status.give_back(fields)
                raise

    def poll(self) -> None:
        """The newest show's stamp and any test-pattern request, in one round trip."""
        p = self.player
        key = show.test_pattern_key(p.slug)
        values = p.redis.mget(show.publish_id_key(p.slug), show.version_key(p.slug), key)
        pid, version, raw = (v.encode() if isinstance(v, str) else v for v in values)
        ttl = p.redis.pttl(key) if raw is not None else -2
        before = (p.seen_stamp, (p.pattern_request or {}).get("id"))
        p.seen_stamp = f"{pid.decode()}/{int(version or 0)}" if pid else None
        p.pattern_request = parse_request(raw, ttl)
        if (p.seen_stamp, (p.pattern_request or {}).get("id")) != before:
            p.wake.set()  # the play loop looks at once

    def beat(self, stalled: float) -> None:
        """Lease, heartbeat, cursors, proof, and the disk cache's retry."""
        p = self.player
        # Only the lease holder beats: a waiting worker must not make a dead board look alive.
        held = p.lease.token is not None
        if stalled < PROGRESS_FRESH and held and not p.lease.renew():
            p.wake.set()  # lost: the play loop stops writing at once
        if stalled < PROGRESS_FRESH and p.lease.token is not None:
            p.status.update(lease=p.lease.token, owner=p.owner, mode="rq", cache=p.disk_trouble())
            if p.cursors != self.cursors_sent:
                # a comprehension, not dict(): redis types the keys as its own union, refusing dict[str, int]
                p.redis.hset(show.cursor_key(p.slug), mapping={k: v for k, v in p.cursors.items()})
                self.cursors_sent = dict(p.cursors)
        if p.journal.pending() or time.monotonic() >= self.next_proof:
            p.journal.push(p.redis)
            self.next_proof = time.monotonic() + PROOF_CHECK
        p.cache.retry()

    def probe(self) -> None:
        """Redis was gone: back as soon as it answers (and the lease, if we had it, is ours)."""
        p = self.player
        try:
            p.redis.ping()
            if p.lease.token is not None:
                p.lease.renew()
            p.seen_stamp = p.doc_version  # read afresh by the next poll
        except RedisError:
            p.journal.sync()
            p.cache.retry()
            return
        log.info("board %s: Redis answers again", p.slug)
        p.redis_ok = True
        p.wake.set()


def parse_request(raw: bytes | None, ttl: int) -> dict[str, Any] | None:
    """A test-pattern request with ``left`` (its seconds to go), or None."""
    if raw is None:
        return None
    try:
        request = json.loads(raw)
    except ValueError:
        request = None
    if not isinstance(request, dict):
        request = {"id": raw.decode(errors="replace")}
    if ttl == -1:  # set without an expiry: the seconds it asks for
        left = float(request.get("seconds") or 15)
    else:
        left = max(int(ttl), 0) / 1000
    return {**request, "left": left, "read_at": time.monotonic()}


def heartbeat_stale(redis: Any, slug: str, older_than: float = 15.0) -> bool:
    """For watchdogs: the board's player has not beaten for ``older_than`` s (Redis down: no)."""
    try:
        raw = redis.hget(show.status_key(slug), "heartbeat")
    except RedisError:
        return False
    return raw is None or time.time() - float(json.loads(raw)) > older_than


def lease_pid(redis: Any, slug: str) -> int | None:
    """The PID of the board's lease holder from its status, when it runs on this machine."""
    try:
        raw = redis.hget(show.status_key(slug), "owner")
        parts = str(json.loads(raw)).split(":") if raw else []
    except (RedisError, ValueError):
        return None
    if len(parts) != 3 or parts[0] != os.uname().nodename or not parts[1].isdigit():
        return None
    return int(parts[1])
