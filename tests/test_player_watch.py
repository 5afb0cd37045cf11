"""The worker's status thread learns of a new show from Redis itself, not by asking 25 times a second.

Against the private redis-server: with a RESP3 client Redis tracks the board's show-stamp
and test-pattern keys (client tracking, broadcast mode) and tells the thread when they
change; between changes it reads them only every ``POLL_WATCHED`` seconds. A publish or a
test pattern is still seen at once, and wakes a play loop waiting on ``Player.wake``. A
client Redis cannot tell (RESP2) polls as before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from redis import Redis

from signage import show
from signage.player.pacer import wait_until
from signage.player.player import Player
from signage.redis_server import PrivateRedis

DOC = {"format": 2, "board": {"slug": "w"}, "playlists": {}, "fallback": None, "schedules": [], "notices": []}


def until(predicate: Callable[[], bool], timeout: float) -> float | None:
    """Seconds until ``predicate`` holds, None if it did not within ``timeout``."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if predicate():
            return time.monotonic() - began
        time.sleep(0.005)
    return None


def reads(redis: Redis) -> int:
    """How many MGETs (the thread's one read of stamp and test pattern) Redis has served."""
    return int(redis.info("commandstats").get("cmdstat_mget", {}).get("calls", 0))


@pytest.fixture(params=[3, 2], ids=["resp3", "resp2"])
def player(
    request: pytest.FixtureRequest, redis: Redis, redis_server: PrivateRedis, tmp_path: Path
) -> Iterator[Player]:
    client = Redis.from_url(redis_server.url, protocol=request.param)
    show.store(redis, "w", DOC)
    p = Player("w", client, tmp_path)
    p.start_heartbeat()
    assert until(lambda: p.seen_stamp is not None, 5) is not None
    yield p
    p.stop.set()


def test_a_publish_is_seen_at_once_and_nothing_is_polled_meanwhile(player: Player, redis: Redis) -> None:
    watched = player.redis.connection_pool.connection_kwargs.get("protocol") == 3
    redis.config_resetstat()
    time.sleep(2.0)
    idle_reads = reads(redis)
    if watched:
        assert idle_reads <= 2, idle_reads  # Redis tells of changes: at most the safety read
    else:
        assert idle_reads >= 20, idle_reads  # no tracking on RESP2: it polls every 40 ms
    for _ in range(3):
        before = player.seen_stamp
        player.wake.clear()
        show.store(redis, "w", DOC)
        took = until(lambda b=before: player.seen_stamp != b, 1.0)
        assert took is not None, "the new show was not seen within 1 s"
        assert player.wake.is_set()  # and a waiting play loop was woken
    player.wake.clear()
    redis.set(show.test_pattern_key("w"), '{"id": "t1", "seconds": 5}', px=5000)
    assert until(lambda: (player.pattern_request or {}).get("id") == "t1", 1.0) is not None
    assert player.wake.is_set()


def test_a_stop_wakes_a_waiting_play_loop(redis: Redis, tmp_path: Path) -> None:
    p = Player("w", redis, tmp_path)
    calls = []

    def interrupted() -> bool:
        calls.append(time.monotonic())
        return p.stop.is_set()

    interrupted.wake = p.wake  # type: ignore[attr-defined]
    threading.Timer(0.3, p.stop.set).start()
    began = time.monotonic()
    assert wait_until(began + 10, interrupted)
    assert time.monotonic() - began < 1.0
    assert len(calls) <= 4  # woken by the stop, not by looking every 20 ms (about 15 looks)
