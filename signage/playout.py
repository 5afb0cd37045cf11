"""Playout on RQ: one queue per board, one job per item played, the port kept open.

The player lives in ``signage.player`` in parts (lease and fencing, board status, frame
pacer, RQ glue; see its docstring and docs/operations.md). This module keeps the names
other modules, tests and queued jobs (``signage.playout.play_item``) use.

Faults handled (each with its test in tests/test_faults.py and tests/test_fault_suite.py):
- one player per board: a Redis lease with fencing tokens that never go back, and a
  per-board ``flock`` held while the port is open; without Redis only the player that
  held the lease keeps writing;
- Redis refused, hung or emptied: every call has a short timeout and the play loop never
  waits on Redis, so the board plays on from memory and the cached show, and comes back
  as soon as Redis answers;
- a disk that cannot be written: the show stays in memory, writes are retried with
  backoff, the status says why;
- a newer show, a notice or a test-pattern request ends the running item at the next frame;
- a stuck play loop: the status thread exits (status 70) so systemd or the launcher
  restarts the worker; under systemd the loop also feeds ``WatchdogSec``.
"""

from __future__ import annotations

from signage.player.clock import utc_now
from signage.player.lease import LEASE_TTL, Lease, PortLock
from signage.player.pacer import POLL
from signage.player.player import IDLE_SECONDS, Player, planned_seconds
from signage.player.proof import PROOF_KEEP
from signage.player.rq_glue import (
    JOB_TIMEOUT,
    BoardQueue,
    BoardWorker,
    RedisGone,
    enqueue_next,
    play_item,
    queue_name,
    run_worker,
    wait_for_redis,
)
from signage.player.status import BEAT, WATCHDOG_SECONDS, heartbeat_stale

__all__ = [
    "BEAT",
    "IDLE_SECONDS",
    "JOB_TIMEOUT",
    "LEASE_TTL",
    "POLL",
    "PROOF_KEEP",
    "WATCHDOG_SECONDS",
    "BoardQueue",
    "BoardWorker",
    "Lease",
    "Player",
    "PortLock",
    "RedisGone",
    "enqueue_next",
    "heartbeat_stale",
    "planned_seconds",
    "play_item",
    "queue_name",
    "run_worker",
    "utc_now",
    "wait_for_redis",
]
