"""One worker for the boards of one RS-485 line: one process owns the port, one player per board.

Boards on one pair cannot each have a worker of their own: two processes cannot share a
serial port (the first opens it exclusively; the second would fight it for the line).
So the worker of a line (``signage worker --board gate-n-1:gate-n-2``, systemd unit
``signage-worker@gate-n-1:gate-n-2``) runs every board of it in one process:

- one ``Player`` per board in a thread of its own, each exactly the player of a board on
  a port of its own: its show and schedule, its lease, port lock, status, mirror and proof
  journal in Redis, its RQ queue and (thread-run) RQ worker, its status thread; the
  dashboard sees each board as before;
- one ``drivers.bus.Buses`` for all of them: boards with the same port URL share one
  ``Link``, and each call of a board holds the line's turn until its packets are answered
  (``drivers/bus.py``); a port that drops is reopened once and every board resyncs;
- the main thread owns the signals (SIGTERM and SIGINT stop every board) and systemd's
  watchdog: ``WATCHDOG=1`` only while every board's play loop moves, so one stuck board
  gets the whole line restarted (each status thread also exits the process, status 70,
  after ``WATCHDOG_SECONDS`` without progress, as in a one-board worker).

A board thread that dies of an unexpected error stops the others and the process exits
with status 1, to be restarted whole by systemd or the launcher.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from typing import Any

from drivers.bus import Buses
from signage.player import notify
from signage.player.player import Player
from signage.player.rq_glue import (
    WORKER_RENDER_CACHE_BYTES,
    Runner,
    adopt,
    serve_board,
    worker_redis,
)
from signage.render.cache import CACHE as RENDER_CACHE

log = logging.getLogger(__name__)

#: How often the main thread looks at the boards (and feeds systemd's watchdog), seconds.
LOOK_EVERY = 0.2


class BusWorker:
    """The worker of one line: a player thread per board, shared ports, one set of signals."""

    def __init__(self, slugs: list[str], redis_url: str, *, burst: bool = False) -> None:
        if len(set(slugs)) != len(slugs) or not slugs:
            raise ValueError(f"boards {slugs}: name each board of the line once")
        self.buses = Buses()
        self.runners: list[Runner] = []
        for slug in slugs:
            redis = worker_redis(redis_url)  # a client per board: none waits on another's call
            player = adopt(Player(slug, redis))
            player.board_link.open_board = self.buses.open_board
            self.runners.append(Runner(player, redis, burst, threaded=True))
        self.failed: list[tuple[str, BaseException]] = []
        self.threads: list[threading.Thread] = []
        self.notified = 0.0

    @property
    def players(self) -> list[Player]:
        return [r.player for r in self.runners]

    def stop(self) -> None:
        """Every board ends its item at the next frame and its thread leaves its loop."""
        for player in self.players:
            player.stop.set()

    def own_signals(self) -> None:
        """SIGTERM and SIGINT stop every board of the line (main thread only)."""

        def on_signal(signum: int, _frame: Any) -> None:
            log.info("line of %s: %s received; stopping", self.names, signal.Signals(signum).name)
            self.stop()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)

    @property
    def names(self) -> str:
        return ", ".join(p.slug for p in self.players)

    def _serve(self, runner: Runner) -> None:
        try:
            serve_board(runner)
        except BaseException as exc:  # noqa: BLE001 - one board's crash restarts the line's worker
            log.exception("board %s: player thread failed; stopping the line's worker", runner.player.slug)
            self.failed.append((runner.player.slug, exc))
            self.stop()

    def start(self) -> None:
        """Start a player thread per board."""
        for runner in self.runners:
            t = threading.Thread(target=self._serve, args=(runner,), name=f"board-{runner.player.slug}")
            t.start()
            self.threads.append(t)
        log.info("line worker: boards %s in one process", self.names)

    def feed_watchdog(self, every: float | None) -> None:
        """``WATCHDOG=1`` to systemd while every board's play loop moves."""
        now = time.monotonic()
        if not every or now - self.notified < every / 2:
            return
        if all(now - p.progress < every for p in self.players):
            notify.notify("WATCHDOG=1")
            self.notified = now

    def run(self) -> int:
        """Play until stopped; the exit status (1 when a board's thread failed)."""
        RENDER_CACHE.max_bytes = min(RENDER_CACHE.max_bytes, WORKER_RENDER_CACHE_BYTES * len(self.runners))
        self.own_signals()
        self.start()
        notify.notify("READY=1")
        every = notify.watchdog_interval()
        try:
            while any(t.is_alive() for t in self.threads):
                self.feed_watchdog(every)
                for t in self.threads:
                    t.join(LOOK_EVERY / len(self.threads))
        finally:
            self.stop()
            for t in self.threads:
                t.join(10)
        return 1 if self.failed else 0


def run_bus_worker(slugs: list[str], redis_url: str, *, burst: bool = False) -> int:
    """Run the worker of the boards ``slugs`` (one line) until stopped; the exit status."""
    return BusWorker(slugs, redis_url, burst=burst).run()
