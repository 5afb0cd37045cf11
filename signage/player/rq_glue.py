"""RQ around the player: one queue per board, one job per item played, the port kept open.

A ``SimpleWorker`` per board runs the jobs in its own process, so the serial link stays
open between items (opening a port toggles DTR and resets many controllers); the boards
of one RS-485 line share a process, each with its own worker in a thread
(``signage.player.bus``). Each job enqueues the next one when it starts, so a restarted
worker finds the next item already waiting; the job's result is the proof record.

Only RQ's public API is used (but for ``ThreadBoardWorker``, see there):
``Queue.enqueue``, a ``Queue`` subclass whose ``dequeue_any`` (a public class method,
chosen with the worker's ``queue_class``) never blocks and turns a Redis error or a lost
lease into ``StopRequested`` (RQ's own dequeue loop would retry a dead Redis for ever with
the board frozen), a ``SimpleWorker`` subclass whose ``request_stop`` also stops the item,
and ``Worker.work``. When ``work`` returns, ``serve_board`` decides: take the lease again,
or play the cached show offline until Redis answers (the status thread says when).
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Iterable
from typing import Any

from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry
from rq import Queue, SimpleWorker, get_current_job
from rq.exceptions import StopRequested
from rq.timeouts import TimerDeathPenalty

from signage.player.player import Player
from signage.render.cache import CACHE as RENDER_CACHE

log = logging.getLogger(__name__)

#: Upper bound of one job: an item longer than this is cut (RQ kills the job at its timeout).
JOB_TIMEOUT = 3 * 3600
#: Render cache bound in a worker (bytes): a board's playlist fits; see run_worker.
WORKER_RENDER_CACHE_BYTES = 4 * 1024 * 1024
#: Connect and socket timeout of every Redis call the worker makes (seconds): a hung Redis
#: costs one such wait, then the board plays its cached show.
REDIS_TIMEOUT = 0.3
#: How often an empty queue is looked at again (the chain is restarted at once).
EMPTY_WAIT = 0.1

#: The players of this process by board slug: one, or one per board of a shared line.
_players: dict[str, Player] = {}


def adopt(player: Player) -> Player:
    """Make ``player`` the one this process's jobs for its board run on (``play_item``)."""
    _players[player.slug] = player
    return player


def queue_name(slug: str) -> str:
    return f"signage:board:{slug}"


def enqueue_next(queue: Queue, slug: str, position: int) -> None:
    """Queue the next item unless one is already waiting (one chain per board)."""
    if queue.count == 0:
        queue.enqueue(
            play_item,
            slug,
            position,
            job_timeout=JOB_TIMEOUT,
            result_ttl=600,
            failure_ttl=24 * 3600,
            description=f"play {slug} #{position}",
        )


def play_item(slug: str, position: int) -> dict[str, Any]:
    """The RQ job: queue the next play, then play one item; the result is the proof record."""
    job = get_current_job()
    player = _players.get(slug)
    if player is None:
        redis: Redis = job.connection if job is not None else Redis()
        player = _players[slug] = Player(slug, redis)
        player.load_cursors()
        player.start_heartbeat()
    try:
        enqueue_next(Queue(queue_name(slug), connection=player.redis), slug, position + 1)
    except RedisError as exc:
        log.warning("board %s: could not queue the next item: %s", slug, exc)
    return player.play("rq")


class RedisGone(StopRequested):
    """Leave RQ's loop to play the cached show (or to wait for the lease again)."""


class BoardQueue(Queue):
    """A board's queue; ``player`` is set on the instance the worker listens on."""

    player: Player | None = None

    @classmethod
    def dequeue_any(
        cls, queues: Iterable[Queue], timeout: int | None, connection: Redis, *args: Any, **kwargs: Any
    ) -> Any:
        """The next play job, without blocking; a Redis error or a lost lease leaves RQ's loop."""
        queues = list(queues)
        player = next((q.player for q in queues if isinstance(q, BoardQueue) and q.player), None)
        while True:
            if player is not None:
                player.touch()
                if player.stop.is_set() or not player.lease.may_write() or not player.redis_ok:
                    raise RedisGone()
            try:
                result = super().dequeue_any(queues, None, connection, *args, **kwargs)
                if result is not None or timeout is None:
                    return result  # burst mode: nothing queued means done
                if player is not None:
                    enqueue_next(queues[0], player.slug, 0)  # the chain broke (Redis lost it?)
            except RedisError as exc:
                if player is not None:
                    player.went_offline(exc)
                raise RedisGone() from exc
            time.sleep(EMPTY_WAIT)


class BoardWorker(SimpleWorker):
    """An RQ ``SimpleWorker`` whose stop request also stops the item playing."""

    queue_class = BoardQueue
    player: Player | None = None

    def heartbeat(self, *args: Any, **kwargs: Any) -> Any:
        """RQ's worker heartbeat; a Redis error leaves RQ's loop (which would sleep and retry)."""
        try:
            return super().heartbeat(*args, **kwargs)
        except RedisError as exc:
            if self.player is not None:
                self.player.went_offline(exc)
            raise RedisGone() from exc

    def subscribe(self) -> None:
        """No command channel: its thread sleeps 2 s on every Redis error and RQ's teardown
        waits for it, which held the board still; a board's worker is stopped by SIGTERM."""

    def request_stop(self, signum: Any, frame: Any) -> None:  # noqa: D401 - RQ's hook
        if self.player is not None:
            self.player.stop.set()
        super().request_stop(signum, frame)


class ThreadBoardWorker(BoardWorker):
    """A ``BoardWorker`` run in a thread of a line's worker (several boards, one process).

    Signals reach only the main thread, which stops every board (``player.stop``), and
    Python lets only the main thread install handlers, so this worker installs none; the
    job timeout is a timer thread instead of SIGALRM for the same reason.
    """

    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self) -> None:
        """None: the line's main thread owns SIGTERM and SIGINT (see the class docstring)."""


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


class Runner:
    """The worker process's outer loop: RQ while Redis answers and the lease is ours."""

    def __init__(self, player: Player, redis: Redis, burst: bool, *, threaded: bool = False) -> None:
        self.player, self.redis, self.burst = player, redis, burst
        self.threaded = threaded  # one board of a line's worker: no signal handlers of its own
        self.queue = BoardQueue(queue_name(player.slug), connection=redis)
        self.queue.player = player
        self.waiting_logged = False
        self.runs = 0

    def own_signals(self) -> None:
        """RQ installs its handlers in work() and leaves them; outside it, ours apply."""
        if self.threaded:
            return

        def stop(signum: int, _frame: Any) -> None:
            log.info("board %s: %s received; stopping", self.player.slug, signal.Signals(signum).name)
            self.player.stop.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    def step(self) -> bool:
        """One turn: play offline, wait for the lease, or run RQ; False when done (burst)."""
        player = self.player
        player.touch()
        if not player.redis_ok:
            player.play("offline")
            return True
        try:
            if not player.lease.acquire():
                if not self.waiting_logged:
                    log.info("board %s: another player holds the lease; waiting", player.slug)
                    self.waiting_logged = True
                player.stop.wait(0.2)
                return True
            self.waiting_logged = False
            enqueue_next(self.queue, player.slug, 0)
        except RedisError as exc:
            player.went_offline(exc)
            return True
        self.work()
        return not self.burst

    def work(self) -> None:
        player = self.player
        self.runs += 1
        worker = (ThreadBoardWorker if self.threaded else BoardWorker)(
            [self.queue], connection=self.redis, name=f"signage-{player.slug}-{player.owner}-{self.runs}"
        )
        worker.player = player
        log.info(
            "board %s: RQ worker %s on queue %s (lease %s)",
            player.slug,
            worker.name,
            self.queue.name,
            player.lease.token,
        )
        try:
            worker.work(burst=self.burst, logging_level="WARNING", with_scheduler=False)  # no line per item
        except (RedisError, OSError) as exc:
            player.went_offline(exc)
        self.own_signals()


def worker_redis(url: str) -> Redis:
    """The worker's Redis client: short timeouts and no retries (redis-py retries three
    times with backoff by default, which turned a 0.3 s timeout into seconds of frozen board)."""
    return Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT, retry=Retry(NoBackoff(), 0)
    )


def run_worker(slug: str, redis_url: str, *, burst: bool = False) -> None:
    """Run the worker of one board until stopped (``signage worker --board SLUG``)."""
    # One board's playlist fits a small cache; the renderer's default is sized for the admin's
    # previews of many boards, and a worker left at it grows for days towards that bound.
    RENDER_CACHE.max_bytes = min(RENDER_CACHE.max_bytes, WORKER_RENDER_CACHE_BYTES)
    redis = worker_redis(redis_url)
    player = adopt(Player(slug, redis))
    runner = Runner(player, redis, burst)
    runner.own_signals()
    serve_board(runner)


def serve_board(runner: Runner) -> None:
    """Play one board until its player stops: RQ while Redis answers, the cached show otherwise."""
    player = runner.player
    try:
        runner.redis.ping()
        player.load_cursors()
    except RedisError as exc:
        player.went_offline(exc)
    player.start_heartbeat(tell_systemd=not runner.threaded)
    try:
        while not player.stop.is_set() and runner.step():
            pass
    finally:
        player.stop.set()
        player.lease.release()
        player.close_link()
        player.journal.close()
