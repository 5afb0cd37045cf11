"""Fault tests with real processes (redis-server, `signage worker`, `signage sim`): each one
checks what the simulated board shows afterwards."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from redis import Redis

from drivers.pixels import BoardSpec
from signage import show
from signage.demo import free_port
from signage.redis_server import PrivateRedis
from signage.render import render_item
from tests.conftest import stop_process
from tests.processes import LineReader, Simulator, alive, same_pixels, start_worker, wait_until

pytestmark = pytest.mark.slow
SPEC = BoardSpec(192, 32, "mono")


def slogan(text: str, duration: float = 1.0, id_: str | None = None) -> dict:
    return {
        "kind": "slogan",
        "text": text,
        "effect": "static",
        "duration": duration,
        "id": id_ or f"slogan:{text}",
    }


def picture(item: dict) -> Image.Image:
    return next(iter(render_item(item, SPEC))).image


def publish(
    redis: Redis,
    slug: str,
    port_url: str,
    fallback: list[dict],
    *,
    schedules: list | None = None,
    playlists: dict | None = None,
    notices: list | None = None,
) -> int:
    doc = {
        "format": 2,
        "board": {
            "slug": slug,
            "width": 192,
            "height": 32,
            "color": "mono",
            "protocol": "native",
            "port_url": port_url,
            "baud": 115200,
            "address": 1,
            "timezone": "Asia/Ho_Chi_Minh",
        },
        "playlists": {"fb": {"name": "fallback", "items": fallback}, **(playlists or {})},
        "fallback": "fb",
        "schedules": schedules or [],
        "notices": notices or [],
        "hours": None,
        "brightness": [],
    }
    return show.store(redis, slug, doc)


def showing(sim: Simulator, *items: dict) -> bool:
    try:
        frame = sim.frame()
    except OSError:
        return False
    return any(same_pixels(frame, picture(i)) for i in items)


def frames(sim: Simulator) -> int:
    try:
        return sim.stats()["frames"]
    except OSError:
        return -1


def test_worker_sigkill_mid_item_second_worker_takes_over_alone(redis, redis_server, tmp_path) -> None:  # noqa: ANN001
    sim = Simulator()
    a_item, b_item = slogan("MỘT", 1.5), slogan("HAI", 1.5)
    publish(redis, "k", sim.port_url, [a_item, b_item])
    first = start_worker("k", redis_server.url, tmp_path / "a")
    first_out = LineReader(first)
    second = None
    try:
        assert wait_until(lambda: frames(sim) >= 2, 20), "\n".join(first_out.seen)
        second = start_worker("k", redis_server.url, tmp_path / "b")
        second_out = LineReader(second)
        assert wait_until(lambda: any("holds the lease" in line for line in _drain(second_out)), 15), (
            "\n".join(second_out.seen)
        )
        time.sleep(2)  # both alive: only the first may write
        assert not any("link open" in line for line in _drain(second_out)), "\n".join(second_out.seen)
        os.kill(first.pid, signal.SIGKILL)  # in the middle of an item
        first.wait(5)
        killed = time.monotonic()
        assert wait_until(lambda: any("link open" in line for line in _drain(second_out)), 10), "\n".join(
            second_out.seen
        )
        before = frames(sim)
        assert wait_until(lambda: frames(sim) > before + 1, 10)
        assert time.monotonic() - killed < 10
        assert wait_until(lambda: showing(sim, a_item, b_item), 5)
        assert alive(second.pid)
    finally:
        stop_process(first)
        if second is not None:
            stop_process(second)
        sim.stop()


def test_redis_stopped_then_back_board_keeps_playing_and_takes_new_publishes(tmp_path) -> None:  # noqa: ANN001
    server = PrivateRedis(tmp_path / "redis").start()
    redis = Redis.from_url(server.url)
    sim = Simulator()
    one, two = slogan("MỘT", 1.0), slogan("HAI", 1.0)
    publish(redis, "r", sim.port_url, [one, two])
    worker = start_worker("r", server.url, tmp_path / "w")
    out = LineReader(worker)
    try:
        assert wait_until(lambda: frames(sim) >= 2, 20), "\n".join(out.seen)
        server.stop()
        seen = set()
        began = time.monotonic()
        while time.monotonic() - began < 30:  # Redis down for 30 s: the items keep alternating
            seen.add(frames(sim))
            time.sleep(1)
            assert alive(worker.pid), "\n".join(_drain(out))
        assert len(seen) >= 15, f"board stalled without Redis: frame counts {sorted(seen)}"
        assert showing(sim, one, two)
        server.start()
        back = time.monotonic()
        new = slogan("MỚI", 5.0)
        publish(redis, "r", sim.port_url, [new])
        assert wait_until(lambda: showing(sim, new), 5), "\n".join(_drain(out))
        assert time.monotonic() - back < 5
    finally:
        stop_process(worker)
        sim.stop()
        server.stop()


def test_simulator_killed_and_restarted_frames_again_within_2_s(redis, redis_server, tmp_path) -> None:  # noqa: ANN001
    port = free_port()
    sim = Simulator(f"tcp://127.0.0.1:{port}")
    one, two = slogan("MỘT", 0.5), slogan("HAI", 0.5)
    publish(redis, "s", sim.port_url, [one, two])
    worker = start_worker("s", redis_server.url, tmp_path / "w")
    out = LineReader(worker)
    try:
        assert wait_until(lambda: frames(sim) >= 2, 20), "\n".join(out.seen)
        sim.proc.send_signal(signal.SIGKILL)
        sim.proc.wait(5)
        time.sleep(3)  # the cable is out for a while
        sim = Simulator(f"tcp://127.0.0.1:{port}")
        back = time.monotonic()
        assert wait_until(lambda: frames(sim) >= 1, 2.0), "\n".join(_drain(out))
        assert time.monotonic() - back <= 2.0
        assert wait_until(lambda: showing(sim, one, two), 3)
        assert alive(worker.pid)
    finally:
        stop_process(worker)
        sim.stop()


def test_three_boards_three_workers_each_its_own_schedule(redis, redis_server, tmp_path) -> None:  # noqa: ANN001
    sims = [Simulator() for _ in range(3)]
    workers: list[subprocess.Popen] = []
    day = {"id": 1, "playlist": "day", "target": "board", "weekdays": "1234567", "priority": 5}
    never = {
        "id": 2,
        "playlist": "day",
        "target": "all",
        "weekdays": "1234567",
        "priority": 5,
        "starts_on": "2001-01-01",
        "ends_on": "2001-01-02",
    }
    content = [slogan("BẢNG A", 30), slogan("BẢNG B", 30), slogan("BẢNG C", 30)]
    try:
        publish(
            redis,
            "g1",
            sims[0].port_url,
            [slogan("SAI", 30)],
            schedules=[day],
            playlists={"day": {"name": "day", "items": [content[0]]}},
        )
        publish(redis, "g2", sims[1].port_url, [content[1]])
        publish(
            redis,
            "g3",
            sims[2].port_url,
            [content[2]],
            schedules=[never],
            playlists={"day": {"name": "day", "items": [slogan("SAI", 30)]}},
        )
        workers = [start_worker(f"g{i + 1}", redis_server.url, tmp_path / f"w{i}") for i in range(3)]
        for sim, item in zip(sims, content, strict=True):
            assert wait_until(lambda s=sim, i=item: showing(s, i), 20)
        os.kill(workers[0].pid, signal.SIGKILL)
        workers[0].wait(5)
        # The others play on undisturbed: a republish still reaches them at once.
        fresh = [slogan("MỚI B", 30), slogan("MỚI C", 30)]
        publish(redis, "g2", sims[1].port_url, [fresh[0]])
        publish(redis, "g3", sims[2].port_url, [fresh[1]])
        assert wait_until(lambda: showing(sims[1], fresh[0]) and showing(sims[2], fresh[1]), 5)
        assert showing(sims[0], content[0])  # the dead worker's board keeps its last frame
        assert all(alive(w.pid) for w in workers[1:])
    finally:
        for w in workers:
            stop_process(w)
        for s in sims:
            s.stop()


def test_urgent_notice_preempts_at_once_and_expires_by_itself(redis, redis_server, tmp_path) -> None:  # noqa: ANN001
    sim = Simulator()
    normal = slogan("BÌNH THƯỜNG", 60)
    publish(redis, "u", sim.port_url, [normal])
    worker = start_worker("u", redis_server.url, tmp_path / "w")
    out = LineReader(worker)
    try:
        assert wait_until(lambda: showing(sim, normal), 20), "\n".join(out.seen)
        now = datetime.now(UTC)
        notice = {
            "id": 9,
            "text": "ĐÓNG CỬA",
            "effect": "static",
            "starts_at": now.isoformat(),
            "expires_at": (now + timedelta(seconds=4)).isoformat(),
        }
        sent = time.monotonic()
        publish(redis, "u", sim.port_url, [normal], notices=[notice])
        expected = slogan("ĐÓNG CỬA", 4, "notice:9")
        assert wait_until(lambda: showing(sim, expected), 2, interval=0.02), "\n".join(_drain(out))
        latency = time.monotonic() - sent
        assert latency < 1.0
        assert wait_until(lambda: showing(sim, normal), 6), "\n".join(_drain(out))
        assert time.monotonic() - sent < 6
    finally:
        stop_process(worker)
        sim.stop()


def _drain(reader: LineReader) -> list[str]:
    while not reader.lines.empty():
        reader.seen.append(reader.lines.get().rstrip("\n"))
    return reader.seen


def test_power_cut_everything_killed_then_started_schedule_item_within_15_s(tmp_path) -> None:  # noqa: ANN001
    server = PrivateRedis(tmp_path / "redis").start()
    redis = Redis.from_url(server.url)
    port = free_port()
    sim = Simulator(f"tcp://127.0.0.1:{port}")
    now_item, wrong = slogan("BÂY GIỜ", 30), slogan("SAI", 30)
    always = {"id": 4, "playlist": "now", "target": "board", "weekdays": "1234567", "priority": 1}
    publish(
        redis,
        "p",
        sim.port_url,
        [wrong],
        schedules=[always],
        playlists={"now": {"name": "now", "items": [now_item]}},
    )
    worker = start_worker("p", server.url, tmp_path / "w")
    out = LineReader(worker)
    try:
        assert wait_until(lambda: showing(sim, now_item), 20), "\n".join(out.seen)
        for proc in (worker, sim.proc, server.process):  # the power goes, all at once
            proc.send_signal(signal.SIGKILL)
        for proc in (worker, sim.proc, server.process):
            proc.wait(5)
        server.process = None
        began = time.monotonic()
        server.start()  # comes back empty (no persistence): the worker has its disk copy
        sim = Simulator(f"tcp://127.0.0.1:{port}")
        worker = start_worker("p", server.url, tmp_path / "w")
        out = LineReader(worker)
        assert wait_until(lambda: showing(sim, now_item), 15), "\n".join(_drain(out))
        assert time.monotonic() - began < 15
    finally:
        stop_process(worker)
        sim.stop()
        server.stop()


def test_off_hours_blank_the_board_and_brightness_follows_the_table(redis, redis_server, tmp_path) -> None:  # noqa: ANN001
    sim = Simulator()
    item = slogan("SÁNG", 30)
    local = datetime.now(UTC).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    soon = (local + timedelta(hours=1)).strftime("%H:%M")
    publish(redis, "h", sim.port_url, [item])
    doc = show.check(json.loads(redis.get(show.show_key("h"))))
    doc["brightness"] = [{"at": "00:00", "level": 40}]
    show.store(redis, "h", doc)
    worker = start_worker("h", redis_server.url, tmp_path / "w")
    out = LineReader(worker)
    try:
        assert wait_until(lambda: showing(sim, item), 20), "\n".join(out.seen)
        assert wait_until(lambda: sim.stats()["brightness"] == round(40 * 255 / 100), 5), sim.stats()
        doc["hours"] = {"on": soon, "off": local.strftime("%H:%M")}  # off since this minute, on in an hour
        show.store(redis, "h", doc)
        assert wait_until(lambda: sim.frame().getbbox() is None, 5), "\n".join(_drain(out))
        assert sim.stats()["brightness"] == 0
        doc["hours"] = None
        show.store(redis, "h", doc)
        assert wait_until(lambda: showing(sim, item), 5)
        assert wait_until(lambda: sim.stats()["brightness"] == round(40 * 255 / 100), 5)
    finally:
        stop_process(worker)
        sim.stop()
