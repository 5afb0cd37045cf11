"""The fault fixes of issue #14 that need no worker process: the board's resync rule, the
lease's tokens after Redis loses its data, the offline rule, the port lock between
processes, the proof journal, the board's time zone, and the watchdog's SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw
from redis import Redis

from drivers.native import (
    FRAME,
    PING,
    SHIFT,
    SYNC,
    NativeReceiver,
    decode_packet,
    encode_packet,
    pixels_payload,
)
from drivers.pixels import BoardSpec
from signage import show
from signage.launcher import Child, stopped, terminate
from signage.player import clock
from signage.player.lease import Lease, PortLock
from signage.player.player import Player
from signage.player.proof import ProofJournal, marker_key
from signage.render import render_item

SPEC = BoardSpec(32, 16, "mono")


def _packet(seq: int, cmd: int, payload: bytes = b"") -> bytes:
    return encode_packet(1, seq, cmd, payload)


def _status(answer: list[bytes]) -> tuple[int, bytes]:
    _addr, _seq, status, payload = decode_packet(answer[0][:-1])
    return status, payload


def test_a_restarted_host_whose_sequence_wraps_onto_old_answers_still_gets_every_shift_applied() -> None:
    """The cause of the column-offset frames after a worker restart (issue #14, row 5).

    The board kept its last 8 answers across a SYNC jump; 256 packets later the new
    sequence reused one of their numbers with the same SHIFT body (a scroll repeats), the
    board took it for a retransmission and did not apply it: a column off from then on,
    and a ``sequence`` NACK for the next packet.
    """
    picture = Image.new("1", SPEC.size)
    ImageDraw.Draw(picture).rectangle((3, 2, 9, 12), fill=1)
    strip = Image.new("1", (1, SPEC.height))
    shift = bytes((0xFF, 0)) + pixels_payload(strip, "mono", transpose=True)  # one column left
    board = NativeReceiver(SPEC)
    board.feed(_packet(5, FRAME | SYNC, pixels_payload(picture, "mono")))
    assert _status(board.feed(_packet(6, SHIFT, shift)))[0] == 0x06
    board.feed(_packet(200, FRAME | SYNC, pixels_payload(picture, "mono")))  # a new worker
    for seq in [*range(201, 256), *range(0, 6)]:
        assert _status(board.feed(_packet(seq, PING)))[0] == 0x06
    assert _status(board.feed(_packet(6, SHIFT, shift)))[0] == 0x06
    fresh = NativeReceiver(SPEC)
    fresh.feed(_packet(1, FRAME | SYNC, pixels_payload(picture, "mono")))
    fresh.feed(_packet(2, SHIFT, shift))
    assert board.fb.tobytes() == fresh.fb.tobytes()  # the shift was applied, once
    assert _status(board.feed(_packet(7, PING)))[0] == 0x06  # and no sequence NACK after it
    assert board.errors["sequence"] == 0


def test_fencing_tokens_keep_growing_after_redis_loses_its_data(redis: Redis, tmp_path: Path) -> None:
    first = Lease(redis, "t", "a", folder=tmp_path)
    assert first.acquire()
    token = first.token
    first.release()
    redis.flushall()  # a restart without persistence: the counter is gone
    again = Lease(redis, "t", "b", folder=tmp_path)
    assert again.acquire() and again.token > token
    holder = again.token
    redis.flushall()  # while held: the holder re-seeds the counter when it renews
    assert again.renew()
    elsewhere = Lease(redis, "t", "c", folder=tmp_path / "other-machine")
    assert not elsewhere.acquire()
    redis.delete(show.lease_key("t"))
    assert elsewhere.acquire() and elsewhere.token > holder


def test_without_redis_only_the_player_that_held_the_lease_writes(redis: Redis, tmp_path: Path) -> None:
    holder, standby = Lease(redis, "o", "a", folder=tmp_path), Lease(redis, "o", "b", folder=tmp_path)
    assert holder.acquire() and not standby.acquire()
    holder.go_offline()
    standby.go_offline()
    assert holder.may_write()
    assert not standby.may_write()  # the two-writer fault: a standby played the cached show


def test_the_port_lock_is_one_process_at_a_time_and_freed_by_a_kill(tmp_path: Path) -> None:
    code = (
        "import sys, time; from pathlib import Path; from signage.player.lease import PortLock;"
        "lock = PortLock('b', Path(sys.argv[1])); print(lock.acquire(), flush=True); time.sleep(60)"
    )
    other = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "True"
        mine = PortLock("b", tmp_path)
        assert not mine.acquire()
        other.send_signal(signal.SIGSTOP)  # frozen: still holds it
        assert not mine.acquire()
        other.kill()
        other.wait(5)
        assert mine.acquire()  # the kernel let go of it with the process
        mine.release()
    finally:
        other.kill()
        other.wait(5)


def test_a_killed_players_interrupted_item_keeps_its_record(redis: Redis, tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from signage.player.proof import ProofJournal;"
        "j = ProofJournal('p', 'dead', Path(sys.argv[1]));"
        "j.append({'record_id': 'done', 'item': 'a', 'interrupted': False});"
        "j.append({'record_id': 'cut', 'item': 'b', 'interrupted': False}, 'begin'); j.sync();"
        "import os; os.kill(os.getpid(), 9)"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=False)
    journal = ProofJournal("p", "alive", tmp_path)
    journal.append({"record_id": "mine", "item": "c", "interrupted": False})
    assert journal.push(redis) == 3
    records = {r["record_id"]: r for r in map(json.loads, redis.lrange(show.proof_key("p"), 0, -1))}
    assert set(records) == {"done", "cut", "mine"}
    assert records["cut"]["interrupted"] and "worker stopped" in records["cut"]["error"]
    assert not records["done"]["interrupted"]
    assert list(tmp_path.glob("*.jsonl")) == [journal.path]  # the dead one's journal is done with


def test_proof_survives_redis_losing_its_data_before_collection(redis: Redis, tmp_path: Path) -> None:
    journal = ProofJournal("q", "w", tmp_path)
    journal.append({"record_id": "r1", "item": "a"})
    assert journal.push(redis) == 1
    redis.flushall()  # not yet collected: Redis restarted without its data
    journal.append({"record_id": "r2", "item": "b"})
    assert journal.push(redis) == 2  # both again: the marker was gone with the data
    assert redis.exists(marker_key("q", "w")) and not redis.exists(marker_key("q", "standby"))
    assert {json.loads(r)["record_id"] for r in redis.lrange(show.proof_key("q"), 0, -1)} == {"r1", "r2"}


def test_a_read_only_journal_keeps_records_in_memory_and_says_why_once(
    redis: Redis, tmp_path: Path, caplog
) -> None:  # noqa: ANN001
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    journal = ProofJournal("r", "w", blocked / "proof")
    for i in range(5):
        journal.append({"record_id": f"m{i}", "item": "a"})
    assert journal.error and "proof" in journal.error
    assert sum("proof journal cannot be written" in r.message for r in caplog.records) == 1
    assert journal.push(redis) == 5


def test_live_tokens_are_drawn_on_the_boards_clock_whatever_tz_the_worker_has(
    redis: Redis, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        moment = datetime(2026, 1, 1, 18, 15, tzinfo=UTC)  # 01:15 on 2 January in Kon Tum
        monkeypatch.setattr(clock, "utc_now", lambda: moment)
        doc = show.Show(show.ShowBoard(timezone="Asia/Ho_Chi_Minh"))
        local = clock.board_now(doc)
        assert local.strftime("%H:%M %d/%m") == "01:15 02/01"
        item = {"kind": "slogan", "text": "GIỜ {time}", "effect": "static", "duration": 1, "id": "t"}
        drawn = next(iter(render_item(item, BoardSpec(192, 32, "mono"), now=local))).image
        want = next(iter(render_item({**item, "text": "GIỜ 01:15"}, BoardSpec(192, 32, "mono")))).image
        assert drawn.tobytes() == want.tobytes()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_player_draws_in_the_board_zone(redis: Redis, tmp_path: Path) -> None:
    player = Player("z", redis, tmp_path)
    doc = show.Show(show.ShowBoard(timezone="Asia/Ho_Chi_Minh"))
    assert clock.board_now(doc).utcoffset() == ZoneInfo("Asia/Ho_Chi_Minh").utcoffset(datetime.now())
    assert player.disk_trouble() is None


def test_the_launcher_kills_a_stopped_stale_worker_within_2_s(tmp_path: Path) -> None:
    child = Child("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"])
    child.spawn()
    try:
        os.kill(child.process.pid, signal.SIGSTOP)
        deadline = time.monotonic() + 5
        while not stopped(child.process.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        began = time.monotonic()
        child.stop(2.0)
        assert time.monotonic() - began < 2.0 and child.process.returncode == -signal.SIGKILL
    finally:
        if child.alive():
            child.process.kill()


def test_terminate_escalates_to_sigkill_for_a_worker_that_ignores_sigterm() -> None:
    code = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
        "print('up', flush=True); time.sleep(60)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "up"

        def wait(seconds: float) -> bool:
            try:
                proc.wait(seconds)
            except subprocess.TimeoutExpired:
                return False
            return True

        began = time.monotonic()
        assert terminate(proc.pid, wait, 2.0, group=False)
        assert time.monotonic() - began < 3.0 and proc.returncode == -signal.SIGKILL
    finally:
        proc.kill()
        proc.wait()


def test_sd_notify_reaches_systemds_socket_and_reads_its_watchdog_period(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import socket

    from signage.player import notify

    assert not notify.notify("READY=1")  # not under systemd: nothing to do
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(str(path))
        server.settimeout(2)
        monkeypatch.setenv("NOTIFY_SOCKET", str(path))
        assert notify.notify("WATCHDOG=1")
        assert server.recv(64) == b"WATCHDOG=1"
    monkeypatch.setenv("WATCHDOG_USEC", "10000000")
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    assert notify.watchdog_interval() == 5.0
    monkeypatch.setenv("WATCHDOG_PID", "1")  # meant for another process
    assert notify.watchdog_interval() is None


def test_health_names_each_reason_a_board_is_not_ok() -> None:
    from signage.web.dashboard import health_reasons

    now = time.time()
    fine = {
        "age": 1.0,
        "link": "up",
        "item": "a",
        "source": "fallback:fb",
        "since": now - 300,
        "expected": {"kind": "fallback", "source": "fallback:fb"},
    }
    assert health_reasons(fine) == []
    assert health_reasons({**fine, "age": None}) == ["no heartbeat"]
    assert health_reasons({**fine, "age": 40.0}) == ["heartbeat stale (40 s)"]
    assert health_reasons({**fine, "link": "down", "error": "no answer"}) == ["link down: no answer"]
    assert health_reasons({**fine, "cache": "Read-only file system (/srv)"}) == [
        "cache cannot be written: Read-only file system (/srv)"
    ]
    wrong = {**fine, "expected": {"kind": "notice", "source": "notice:9"}}
    assert health_reasons(wrong) == ["plays fallback:fb, schedule says notice:9"]
    assert health_reasons({**wrong, "since": now - 5}) == []  # the item began just before the change
