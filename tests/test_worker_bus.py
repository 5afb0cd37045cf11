"""Two boards on one RS-485 line, played by one worker (``signage worker --board a:b``).

Real parts: a private redis-server, a ``signage sim --address 1,2`` process (one TCP
line, two boards; it serves one client at a time, as one serial port would), the line's
worker process with its RQ workers, and the boards' shows published from the database.
"""

from __future__ import annotations

import io
import json
import socket
import subprocess
import time
from pathlib import Path

from PIL import Image
from redis import Redis

from signage import show
from signage.launcher import split_boards, worker_groups
from signage.models import Board, Playlist, PlaylistItem, Slogan
from signage.publish import publish_all
from signage.redis_server import PrivateRedis
from signage.render import render_item
from tests.conftest import GATE_SPEC, gate
from tests.processes import (
    LineReader,
    Simulator,
    environ,
    same_pixels,
    signage_command,
    stop_process,
    wait_until,
)

TEXTS = {"cong-vao": "LỐI VÀO", "cong-ra": "LỐI RA"}
ADDRESSES = {"cong-vao": 1, "cong-ra": 2}


def line_board(db, slug: str, port_url: str) -> Board:  # noqa: ANN001
    """A board of the line: its own playlist of one short slogan (2 s, so plays repeat)."""
    playlist = Playlist(name=f"Danh sách {slug}")
    playlist.items.append(PlaylistItem(slogan=Slogan(text=TEXTS[slug]), position=0, duration=2))
    board = gate(playlist, port_url, slug)
    board.name, board.address = f"Cổng {slug}", ADDRESSES[slug]
    db.add_all([playlist, board])
    db.commit()
    return board


def still(text: str) -> Image.Image:
    item = {"kind": "slogan", "text": text, "effect": "auto", "duration": 2}
    return next(iter(render_item(item, GATE_SPEC))).image


def status(redis: Redis, slug: str) -> dict:
    return {k.decode(): json.loads(v) for k, v in redis.hgetall(show.status_key(slug)).items()}


def mirror(redis: Redis, slug: str) -> Image.Image | None:
    raw = redis.get(show.mirror_key(slug))
    return Image.open(io.BytesIO(raw)).convert("1") if raw else None


def test_board_lists_for_one_line() -> None:
    assert split_boards(("gate-n-1:gate-n-2",)) == ["gate-n-1", "gate-n-2"]
    assert split_boards(("a", "b,c", "a")) == ["a", "b", "c"]
    pairs = [
        ("a", "/dev/ttyUSB0"),
        ("b", "socket://10.0.0.5:4001"),
        ("c", "pty:/dev/ttyUSB0"),
        ("d", " /dev/ttyUSB0"),
    ]
    assert worker_groups(pairs) == [["a", "c", "d"], ["b"]]


def test_one_worker_plays_two_boards_on_one_line_and_survives_a_drop(
    db,  # noqa: ANN001
    redis: Redis,
    redis_server: PrivateRedis,
    tmp_path: Path,
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        listen = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    sim = Simulator(listen, "--address", "1,2")
    worker = None
    want = {slug: still(text) for slug, text in TEXTS.items()}
    slugs = list(TEXTS)
    wrong: list[str] = []

    def both_show() -> bool:
        frames = {slug: sim.frame(ADDRESSES[slug]) for slug in slugs}
        for slug, other in ((slugs[0], slugs[1]), (slugs[1], slugs[0])):
            if same_pixels(frames[slug], want[other]):
                wrong.append(f"board {slug} showed {TEXTS[other]!r}")
        return all(same_pixels(frames[slug], want[slug]) for slug in slugs)

    try:
        for slug in slugs:
            line_board(db, slug, sim.port_url)
        publish_all(db, redis)
        worker = subprocess.Popen(
            signage_command("worker", "--board", ":".join(slugs)),
            env=environ(REDIS_URL=redis_server.url, SIGNAGE_INSTANCE=str(tmp_path / "worker")),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        out = LineReader(worker)
        assert wait_until(both_show, 40), "\n".join(out.seen)
        assert not wrong, wrong
        # each board is its own board to the dashboard: status, lease, mirror, proof
        for slug in slugs:
            assert wait_until(lambda slug=slug: {"link", "owner"} <= status(redis, slug).keys(), 10)
            assert status(redis, slug)["link"] == "up"
            got = mirror(redis, slug)
            assert got is not None and same_pixels(got, want[slug])
            assert redis.get(show.lease_key(slug)) is not None
        owners = {status(redis, slug)["owner"].split(":")[1] for slug in slugs}
        assert owners == {str(worker.pid)}  # one process owns the line
        for slug in slugs:
            assert wait_until(lambda slug=slug: redis.llen(show.proof_key(slug)) > 0, 15)
            records = [json.loads(r) for r in redis.lrange(show.proof_key(slug), 0, -1)]
            assert {r["board"] for r in records} == {slug}
            assert {r["content"] for r in records} == {TEXTS[slug]}
            assert all(not r["error"] for r in records), records
            assert {r["mode"] for r in records} == {"rq"}  # played by RQ jobs, each board its own queue
        boards = sim.stats()["boards"]
        assert not boards["1"]["errors"].get("crc") and not boards["2"]["errors"].get("crc")

        sim.stop()  # the line drops: the board end loses power, the port closes
        sim = Simulator(listen, "--address", "1,2")
        assert wait_until(both_show, 40), "\n".join(out.seen)  # both boards come back by themselves
        assert not wrong, wrong
        assert worker.poll() is None  # the same worker: the line came back, nobody restarted it
        for slug in slugs:
            assert wait_until(lambda slug=slug: status(redis, slug).get("link") == "up", 10)
    finally:
        if worker is not None:
            stop_process(worker)
        sim.stop()
    assert worker.returncode == 0 or worker.returncode == -15, worker.returncode


def test_lines_lists_one_worker_per_port_and_what_cannot_share(db, database_url: str, tmp_path: Path) -> None:  # noqa: ANN001
    from click.testing import CliRunner

    from signage.cli import main

    for slug in TEXTS:
        line_board(db, slug, "/dev/ttyUSB0")
    db.add(gate(None, "socket://10.0.0.5:4001", "ben-xe"))
    db.commit()
    run = CliRunner().invoke(main, ["lines", "--instance", str(tmp_path)], env={"DATABASE_URL": database_url})
    assert run.exit_code == 0, run.output
    assert "signage-worker@cong-ra:cong-vao   port /dev/ttyUSB0" in run.output
    assert "signage-worker@ben-xe   port socket://10.0.0.5:4001" in run.output
    assert "cong-ra: address 2, 115200 baud, native" in run.output
    board = db.get(Board, db.query(Board.id).filter(Board.slug == "cong-ra").scalar())
    board.address, board.baud = 1, 9600
    db.commit()
    run = CliRunner().invoke(main, ["lines", "--instance", str(tmp_path)], env={"DATABASE_URL": database_url})
    assert run.exit_code == 1
    assert "same address" in run.output and "differ in baud" in run.output


def test_the_demo_plays_the_boards_of_its_line_with_one_worker(db) -> None:  # noqa: ANN001
    from signage.demo import demo_line

    old, new = "socket://127.0.0.1:1111", "socket://127.0.0.1:2222"
    demo, second, clash, other = (gate(None, old, slug) for slug in ("demo", "cong-ra", "trung", "khac"))
    second.address, other.address, other.protocol = 2, 3, "tpm2"
    elsewhere = gate(None, "/dev/ttyUSB0", "xa")
    db.add_all([demo, second, clash, other, elsewhere])
    db.commit()
    demo.port_url = new  # what the demo's start does: a fresh port for its simulator
    db.flush()
    line = demo_line(db, demo, old)
    assert [b.slug for b in line] == ["demo", "cong-ra"]  # one simulator --address 1,2, one worker
    assert second.port_url == new
    assert clash.port_url == old and other.port_url == old and elsewhere.port_url == "/dev/ttyUSB0"


def test_the_watchdog_restarts_a_line_once_for_its_stale_boards(
    redis_server: PrivateRedis, tmp_path: Path
) -> None:
    restarts = tmp_path / "restarts.txt"
    watchdog = subprocess.Popen(
        signage_command(
            "watchdog",
            "--board",
            "cong-vao:cong-ra",
            "--board",
            "ben-xe",
            "--stale-after",
            "1",
            "--restart",
            f"sh -c 'echo {{slug}} >> {restarts}'",
        ),
        env=environ(REDIS_URL=redis_server.url, SIGNAGE_INSTANCE=str(tmp_path / "w")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:  # no board has a heartbeat: all are stale; the line's unit restarts once, not per board
        assert wait_until(lambda: restarts.exists() and len(restarts.read_text().split()) >= 2, 10)
        time.sleep(0.5)
    finally:
        stop_process(watchdog)
    assert sorted(restarts.read_text().split()) == ["ben-xe", "cong-vao:cong-ra"]


def test_a_board_of_the_line_that_does_not_answer_leaves_the_other_playing(
    db,  # noqa: ANN001
    redis: Redis,
    redis_server: PrivateRedis,
    tmp_path: Path,
) -> None:
    sim = Simulator("tcp://127.0.0.1:0", "--address", "1")  # the exit board (address 2) is unpowered
    worker = None
    try:
        for slug in TEXTS:
            line_board(db, slug, sim.port_url)
        publish_all(db, redis)
        worker = subprocess.Popen(
            signage_command("worker", "--board", "cong-vao:cong-ra"),
            env=environ(REDIS_URL=redis_server.url, SIGNAGE_INSTANCE=str(tmp_path / "worker")),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        out = LineReader(worker)
        entry = still(TEXTS["cong-vao"])
        assert wait_until(lambda: same_pixels(sim.frame(1), entry), 40), "\n".join(out.seen)
        assert wait_until(lambda: status(redis, "cong-ra").get("link") == "down", 20)
        assert "no answer" in status(redis, "cong-ra")["error"]
        # the entry board plays on, item after item
        assert wait_until(lambda: redis.llen(show.proof_key("cong-vao")) >= 2, 20)
        assert status(redis, "cong-vao")["link"] == "up" and worker.poll() is None
    finally:
        if worker is not None:
            stop_process(worker)
        sim.stop()
