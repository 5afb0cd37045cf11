"""The lease and the player's choices, against the private redis-server (no worker process)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from redis import Redis

from signage import show
from signage.playout import Lease, Player, heartbeat_stale


def test_one_lease_holder_with_growing_fencing_tokens(redis: Redis) -> None:
    a, b = Lease(redis, "x", "a", ttl=0.6), Lease(redis, "x", "b", ttl=0.6)
    assert a.acquire() and a.may_write()
    assert not b.acquire() and not b.may_write()
    first = a.token
    time.sleep(0.7)  # a stopped renewing (dead or stuck): the lease runs out
    assert not a.may_write()  # and a knows it without asking Redis
    assert b.acquire() and b.token > first
    assert not a.renew() and a.token is None and not a.may_write()  # a finds out and stays out
    b.release()
    assert redis.get(show.lease_key("x")) is None


def test_lease_survives_a_redis_that_lost_its_data(redis: Redis) -> None:
    a = Lease(redis, "y", "a")
    assert a.acquire()
    redis.delete(show.lease_key("y"))  # what a restart without persistence looks like
    assert a.renew() and redis.get(show.lease_key("y")) == a.value.encode()


def test_player_rotates_each_playlist_and_switches_to_a_notice(redis: Redis, tmp_path: Path) -> None:
    items = [{"kind": "slogan", "text": t, "id": t, "duration": 1} for t in ("a", "b", "c")]
    now = datetime.now(UTC)
    doc = {
        "format": 2,
        "board": {"slug": "p"},
        "playlists": {"1": {"name": "x", "items": items}},
        "fallback": "1",
        "schedules": [],
        "notices": [],
    }
    player = Player("p", redis, tmp_path)
    picked = [player.choose(show.Show.from_json(doc), now)[1].text for _ in range(4)]
    assert picked == ["a", "b", "c", "a"]
    restarted = Player("p", redis, tmp_path)
    restarted.load_cursors()  # a new worker goes on where the old one stopped
    assert restarted.choose(show.Show.from_json(doc), now)[1].text == "b"
    doc["notices"] = [
        {
            "id": 1,
            "text": "KHẨN",
            "starts_at": now.isoformat(),
            "expires_at": (now + timedelta(minutes=1)).isoformat(),
        }
    ]
    choice, item = restarted.choose(show.Show.from_json(doc), now)
    assert choice.kind == "notice" and item is not None and item.text == "KHẨN"


def test_player_reads_the_disk_cache_when_redis_is_gone(redis: Redis, tmp_path: Path) -> None:
    doc = {"format": 2, "board": {"slug": "c"}, "playlists": {}, "fallback": None, "schedules": []}
    show.store(redis, "c", doc)
    player = Player("c", redis, tmp_path)
    assert player.refresh().publish_id
    gone = Player("c", Redis(unix_socket_path=str(tmp_path / "nothing.sock")), tmp_path)
    gone.redis_ok = False
    assert gone.refresh().publish_id == player.doc.publish_id


def test_heartbeat_staleness(redis: Redis) -> None:
    assert heartbeat_stale(redis, "nobody")
    redis.hset(show.status_key("z"), "heartbeat", str(time.time()))
    assert not heartbeat_stale(redis, "z")
    redis.hset(show.status_key("z"), "heartbeat", str(time.time() - 60))
    assert heartbeat_stale(redis, "z")


def test_wall_clock_step_moves_the_schedule_and_nothing_stalls(
    redis: Redis, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    """An NTP step of +-5 min: the schedule follows the wall clock, pacing the monotonic one."""
    import threading
    from zoneinfo import ZoneInfo

    from drivers.pixels import BoardSpec
    from drivers.simulator import Simulator
    from signage.player import clock

    spec = BoardSpec(192, 32, "mono")
    sim = Simulator("native", spec, listen="tcp://127.0.0.1:0", baud=None).start()
    local = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    start = (local + timedelta(minutes=2)).replace(second=0, microsecond=0)
    a = {"kind": "slogan", "text": "A", "effect": "static", "duration": 0.3, "id": "a"}
    b = {**a, "text": "B", "id": "b"}
    doc = {
        "format": 2,
        "board": {
            "slug": "w",
            "width": 192,
            "height": 32,
            "color": "mono",
            "protocol": "native",
            "port_url": sim.url,
            "baud": 115200,
        },
        "playlists": {"1": {"name": "a", "items": [a]}, "2": {"name": "b", "items": [b]}},
        "fallback": "1",
        "notices": [],
        "schedules": [
            {
                "id": 1,
                "playlist": "2",
                "target": "board",
                "weekdays": "1234567",
                "priority": 1,
                "start_time": start.strftime("%H:%M"),
                "end_time": (start + timedelta(minutes=10)).strftime("%H:%M"),
            }
        ],
    }
    show.store(redis, "w", doc)
    offset = [timedelta(0)]
    real = clock.utc_now
    monkeypatch.setattr(clock, "utc_now", lambda: real() + offset[0])
    player = Player("w", redis, tmp_path)
    assert player.lease.acquire()
    played: list[str] = []

    def loop() -> None:
        while not player.stop.is_set():
            player.lease.renew()
            played.append(player.play("rq")["item"])

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        time.sleep(1.0)
        assert played and set(played) == {"a"}
        offset[0] = timedelta(minutes=5)  # the clock jumps forward into the window
        frames = sim.stats()["frames"]
        time.sleep(1.5)
        assert played[-1] == "b" and sim.stats()["frames"] > frames
        offset[0] = timedelta(minutes=-5)  # and back, before the window
        time.sleep(1.5)
        assert played[-1] == "a"
    finally:
        player.stop.set()
        thread.join(5)
        player.close_link()
        sim.stop()
