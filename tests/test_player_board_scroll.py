"""The player hands a scroll to a board that steps it itself (SCROLL), and keeps everything true.

Real parts: the private redis-server, the board simulator (the firmware's receiver core, in
this process, recording every frame it shows) over TCP, and the player with its status
thread. A board that lists SCROLL in its PING answer gets the strip once and shows each of
the renderer's frames, bit for bit, on its own clock; the mirror, the status and the proof
of play say what it showed (its read-backs); a notice published mid-scroll stops it at once;
a board that does not list SCROLL (an older firmware) gets SHIFT steps as before.
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from redis import Redis

from drivers.framing import crc32
from drivers.pixels import BoardSpec
from drivers.simulator import Simulator
from firmware import core
from signage import show
from signage.player import clock, pacer
from signage.player.player import Player
from signage.redis_server import PrivateRedis
from signage.render import render_item

SPEC = BoardSpec(192, 32, "mono")
SCROLLING = {
    "kind": "slogan",
    "id": "s1",
    "text": "CỬA KHẨU HỮU NGHỊ",
    "effect": "scroll-left",
    "speed": 150,  # 3 px a step, 50 steps a second: about two seconds
    "passes": 1,
}


def board_doc(
    url: str, items: list[dict[str, Any]], notices: list[dict[str, Any]] = (), baud: int = 115200
) -> dict[str, Any]:
    return {
        "format": 2,
        "board": {
            "slug": "gate",
            "width": SPEC.width,
            "height": SPEC.height,
            "color": SPEC.color,
            "protocol": "native",
            "port_url": url,
            "baud": baud,
        },
        "playlists": {"1": {"name": "main", "items": items}},
        "fallback": "1",
        "schedules": [],
        "notices": list(notices),
    }


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[Simulator]:
    with Simulator("native", SPEC, listen="tcp://127.0.0.1:0", baud=None, record=tmp_path / "rec") as s:
        yield s


@pytest.fixture
def player(redis: Redis, tmp_path: Path) -> Iterator[Player]:
    p = Player("gate", redis, tmp_path / "worker")
    assert p.lease.acquire()
    p.start_heartbeat()
    yield p
    p.stop.set()
    p.close_link()


def recorded(folder: Path) -> list[bytes]:
    """Every frame the simulated board showed, in order, packed."""
    out = []
    for line in (folder / "frames.jsonl").read_text().splitlines():
        with Image.open(folder / json.loads(line)["file"]) as img:
            out.append(SPEC.pack(img))
    return out


def mirror(redis: Redis) -> bytes:
    with Image.open(io.BytesIO(redis.get(show.mirror_key("gate")))) as img:
        return SPEC.pack(img)


def status(redis: Redis) -> dict[str, Any]:
    return {k.decode(): json.loads(v) for k, v in redis.hgetall(show.status_key("gate")).items()}


def test_a_board_that_scrolls_gets_the_strip_once_and_shows_every_frame(
    redis: Redis, sim: Simulator, player: Player, tmp_path: Path
) -> None:
    show.store(redis, "gate", board_doc(sim.url, [SCROLLING]))
    want = [SPEC.pack(f.image) for f in render_item(SCROLLING, SPEC)]
    record = player.play()
    ops = sim.stats()["ops"]
    assert ops.get("scroll") == 1 and "shift" not in ops and "frame" not in ops  # one packet, no steps
    time.sleep(0.1)  # the recorder writes after the step
    assert recorded(tmp_path / "rec") == want  # every step the renderer's frame, in order, no other
    assert record["board_scroll"] and not record["interrupted"] and record["error"] is None
    assert record["frames_sent"] == record["frames_acked"] == len(want)  # confirmed by read-back
    took = datetime.fromisoformat(record["actual_end"]) - datetime.fromisoformat(record["actual_start"])
    assert took >= timedelta(seconds=(len(want) - 1) / 50)  # it ran at the renderer's pace
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and status(redis).get("frames") != len(want):
        time.sleep(0.05)
    st = status(redis)
    assert st["frames"] == len(want) and st["readback"] == f"{crc32(want[-1]):08x}"
    assert mirror(redis) == want[-1]  # the mirror shows the board's last step
    assert player.link is not None and player.link.verify()  # the host knows what the board shows


def test_the_mirror_follows_the_step_the_board_reads_back(
    redis: Redis, sim: Simulator, player: Player, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pacer, "BOARD_LOOK_EVERY", 0.3)
    item = {**SCROLLING, "speed": 100}
    show.store(redis, "gate", board_doc(sim.url, [item]))
    frames = {SPEC.pack(f.image) for f in render_item(item, SPEC)}
    seen: list[bytes] = []
    thread = threading.Thread(target=player.play, daemon=True)
    thread.start()
    while thread.is_alive():
        raw = redis.get(show.mirror_key("gate"))
        if raw is not None:
            with Image.open(io.BytesIO(raw)) as img:
                packed = SPEC.pack(img)
            if not seen or seen[-1] != packed:
                seen.append(packed)
        time.sleep(0.05)
    assert len(seen) >= 5 and set(seen) <= frames  # mirror moved along, each one of the scroll's frames


def test_a_notice_published_mid_scroll_stops_the_board_at_once(
    redis: Redis, sim: Simulator, player: Player
) -> None:
    slow = {**SCROLLING, "speed": 50, "passes": 5}  # about a minute on the board's own clock
    doc = board_doc(sim.url, [slow])
    show.store(redis, "gate", doc)
    records: list[dict[str, Any]] = []
    thread = threading.Thread(target=lambda: records.append(player.play()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (sim.stats()["scroll_step"] or 0) < 20:
        time.sleep(0.02)
    assert (sim.stats()["scroll_step"] or 0) >= 20  # the board is scrolling by itself
    now = datetime.now(UTC)
    notice = {
        "id": 7,
        "kind": "slogan",
        "text": "TẠM DỪNG",
        "effect": "static",
        "duration": 1,
        "starts_at": now.isoformat(),
        "expires_at": (now + timedelta(minutes=5)).isoformat(),
    }
    published = time.monotonic()
    show.store(redis, "gate", board_doc(sim.url, [slow], [notice]))
    while time.monotonic() < published + 2 and sim.stats()["scroll_step"] is not None:
        time.sleep(0.01)
    stopped = time.monotonic() - published
    assert sim.stats()["scroll_step"] is None, "the board still scrolls"
    assert stopped < 0.5, stopped  # the status thread's next look, then CLEAR
    thread.join(5)
    (record,) = records
    assert record["interrupted"] and record["board_scroll"]
    assert 20 <= record["frames_sent"] < len(list(render_item(slow, SPEC)))  # the steps it showed
    assert record["frames_acked"] == record["frames_sent"]
    assert sim.framebuffer().getbbox() is None and mirror(redis) == SPEC.pack(SPEC.blank())
    want = SPEC.pack(next(iter(render_item(notice, SPEC))).image)
    thread = threading.Thread(target=lambda: records.append(player.play()), daemon=True)
    thread.start()  # then the notice, as a still frame, until it expires or the player stops
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and SPEC.pack(sim.framebuffer()) != want:
        time.sleep(0.02)
    assert SPEC.pack(sim.framebuffer()) == want
    player.stop.set()
    thread.join(5)
    assert records[-1]["source"] == "notice:7"


@pytest.mark.parametrize("why", ["old board", "switched off"])
def test_a_board_without_scroll_gets_shift_steps(
    redis: Redis, sim: Simulator, player: Player, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    if why == "old board":
        full = core.Receiver.status  # a version-1 board: geometry, brightness, CRC, nothing more
        monkeypatch.setattr(core.Receiver, "status", lambda self: b"\x01" + full(self)[1:11])
    else:
        monkeypatch.setenv("SIGNAGE_BOARD_SCROLL", "off")
    show.store(redis, "gate", board_doc(sim.url, [SCROLLING]))
    want = [SPEC.pack(f.image) for f in render_item(SCROLLING, SPEC)]
    record = player.play()
    ops = sim.stats()["ops"]
    assert "scroll" not in ops and ops.get("shift", 0) >= len(want) // 2  # the host stepped it
    time.sleep(0.1)
    got = recorded(tmp_path / "rec")
    assert got[-1] == want[-1] and set(got) <= set(want)
    assert "board_scroll" not in record and record["frames_sent"] == len(want)
    if why == "old board":  # it was asked once, and said nothing of SCROLL
        assert player.caps is not None and player.caps.version == 1 and not player.caps.commands
    else:
        assert player.caps is None  # not even asked


def test_a_worker_process_plays_a_scroll_on_the_board_side(
    redis: Redis, redis_server: PrivateRedis, tmp_path: Path
) -> None:
    """The real parts end to end: ``signage sim`` and ``signage worker`` (RQ) processes."""
    from tests.processes import Simulator as SimProcess
    from tests.processes import start_worker, stop_process, wait_until

    sim = SimProcess()
    worker = None
    try:
        show.store(redis, "gate", board_doc(sim.port_url, [SCROLLING]))
        want = [SPEC.pack(f.image) for f in render_item(SCROLLING, SPEC)]
        worker = start_worker("gate", redis_server.url, tmp_path / "worker")

        def proof() -> list[dict[str, Any]]:
            return [json.loads(r) for r in redis.lrange(show.proof_key("gate"), 0, -1)]

        assert wait_until(lambda: any(r.get("board_scroll") for r in proof()), 30), proof()
        done = next(r for r in proof() if r.get("board_scroll"))
        assert done["frames_sent"] == done["frames_acked"] == len(want) and not done["interrupted"]
        stats = sim.stats()
        assert stats["ops"].get("scroll", 0) >= 1 and "shift" not in stats["ops"]
        assert stats["frames"] >= len(want)  # each step shown is a frame the board applied
    finally:
        if worker is not None:
            stop_process(worker)
        sim.stop()


def test_off_hours_published_mid_scroll_stop_the_board_and_dim_it(
    redis: Redis, sim: Simulator, player: Player
) -> None:
    slow = {**SCROLLING, "speed": 50, "passes": 5}
    doc = board_doc(sim.url, [slow])
    show.store(redis, "gate", doc)
    records: list[dict[str, Any]] = []
    thread = threading.Thread(target=lambda: records.append(player.play()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (sim.stats()["scroll_step"] or 0) < 10:
        time.sleep(0.02)
    assert (sim.stats()["scroll_step"] or 0) >= 10
    local = clock.board_now(show.Show.from_json(doc))  # on in an hour, off in two: off now
    hours = {
        "on": (local + timedelta(hours=1)).strftime("%H:%M"),
        "off": (local + timedelta(hours=2)).strftime("%H:%M"),
    }
    show.store(redis, "gate", {**doc, "hours": hours})
    thread.join(5)
    assert records and records[0]["interrupted"] and sim.stats()["scroll_step"] is None
    off = player.play()  # off hours: the board blanked and turned down
    assert off["item"] is None and sim.stats()["brightness"] == 0 and sim.framebuffer().getbbox() is None


def test_a_strip_longer_on_the_wire_than_the_give_up_time_still_goes_at_9600_baud(
    redis: Redis, player: Player, tmp_path: Path
) -> None:
    """A long marquee's strip takes seconds at 9600 baud; that is wire time, not a dead board."""
    long_text = "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG CỘNG SẢN VIỆT NAM " * 2
    item = {**SCROLLING, "text": long_text, "speed": 1000}  # 20 px a step: a short play of a long strip
    with Simulator("native", SPEC, listen="pty", baud=9600) as slow:
        show.store(redis, "gate", board_doc(slow.url, [item], baud=9600))
        want = [SPEC.pack(f.image) for f in render_item(item, SPEC)]
        record = player.play()
        assert record["error"] is None and record["board_scroll"], record
        assert record["frames_sent"] == record["frames_acked"] == len(want)
        assert slow.stats()["ops"].get("scroll") == 1
        player.close_link()
