"""``signage demo``: Redis, the simulator, the admin and a worker, supervised, in one command."""

from __future__ import annotations

import logging
import os
import socket
import sys
import time
import urllib.request

from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from signage import config
from signage.approval import publish_and_record
from signage.db import create_schema, make_engine, session_scope
from signage.launcher import Child, Supervisor
from signage.models import Board
from signage.playout import heartbeat_stale, wait_for_redis
from signage.redis_server import PrivateRedis
from signage.seed import DEMO_SLUG, ensure_admin, ensure_demo_board

log = logging.getLogger(__name__)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def answers(url: str) -> bool:
    """True when ``url`` answers 200: how the launcher knows a web child is ready."""
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def demo_line(session: Session, demo: Board, old_port: str | None) -> list[Board]:
    """The boards of the demo's simulated line: the demo board first, then any board staff put
    on its port (the demo board's port of the last start) that can share it.

    Such boards move to the demo's new port with it; a board the simulator cannot play on
    the line (another protocol, size or colour, an address already taken) is left alone.
    """
    line = [demo]
    if not old_port or old_port == demo.port_url:
        return line
    others = session.scalars(select(Board).where(Board.port_url == old_port).order_by(Board.slug))
    for board in others:
        if board.id == demo.id:
            continue
        same_kind = (board.protocol, board.width, board.height, board.color) == (
            "native",
            demo.width,
            demo.height,
            demo.color,
        )
        if not same_kind or board.address in {b.address for b in line}:
            log.warning("board %s stays off the demo's line (protocol, size or address)", board.slug)
            continue
        board.port_url = demo.port_url
        line.append(board)
    session.flush()
    return line


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "signage.cli", *args]


def run_demo(host: str, port: int, sim_port: int, instance: str | None) -> None:
    """Start everything, print where to look, and supervise until Ctrl-C or SIGTERM."""
    began = time.monotonic()
    inst = config.instance_dir(instance)
    logs = inst / "logs"
    logs.mkdir(exist_ok=True)
    sup = Supervisor()
    sup.install_signal_handlers()
    try:
        redis_url = os.environ.get("REDIS_URL")
        if not redis_url:
            private = PrivateRedis(inst / "redis")
            sup.start(Child("redis", private.argv(), log_file=logs / "redis.log", ready=private.ping))
            redis_url = private.url
        redis = Redis.from_url(redis_url)
        wait_for_redis(redis, give_up=20)
        env = {**os.environ, "REDIS_URL": redis_url, "SIGNAGE_INSTANCE": str(inst), "PYTHONUNBUFFERED": "1"}

        serial_port = free_port()
        engine = make_engine(config.database_url(inst))
        create_schema(engine)
        with session_scope(engine) as session:
            username, password = ensure_admin(session)
            old_port = session.scalar(select(Board.port_url).where(Board.slug == DEMO_SLUG))
            board = ensure_demo_board(session, f"socket://127.0.0.1:{serial_port}")
            line = demo_line(session, board, old_port)
            size = f"{board.width}x{board.height}"
            color = board.color
            slugs = [b.slug for b in line]
            addresses = ",".join(str(b.address) for b in line)

        view = f"http://{host}:{sim_port}/"
        sim_argv = _command(
            "sim",
            "--protocol",
            "native",
            "--size",
            size,
            "--color",
            color,
            "--listen",
            f"tcp://127.0.0.1:{serial_port}",
            "--http",
            f"{host}:{sim_port}",
            "--address",
            addresses,  # the boards of the demo's line: one simulated RS-485 line
        )
        sup.start(
            Child(
                "simulator",
                sim_argv,
                env=env,
                log_file=logs / "simulator.log",
                ready=lambda: answers(view + "stats.json"),
            )
        )
        with session_scope(engine) as session:
            # Recorded, so the seeded content is not "pending" and the admin's saves publish at once.
            publish_and_record(session, redis, "demo")
        admin = f"http://{host}:{port}/"
        sup.start(
            Child(
                "admin",
                _command("serve", "--host", host, "--port", str(port)),
                env=env,
                log_file=logs / "admin.log",
                ready=lambda: answers(admin + "login"),
            )
        )
        sup.start(  # one worker for the line: it owns the port and plays each board of it
            Child(
                "worker",
                _command("worker", "--board", ":".join(slugs)),
                env=env,
                log_file=logs / "worker.log",
                stale=lambda: any(heartbeat_stale(redis, slug) for slug in slugs),
            )
        )
    except BaseException:
        sup.stop_all()
        raise
    if sup.stopping:
        sup.stop_all()
        return
    print(f"admin on {admin}", flush=True)
    print(f"simulator view on {view}", flush=True)
    for board_on_line in line[1:]:
        where = f"{view}frame.png?address={board_on_line.address}"
        print(f"board {board_on_line.slug} on the same line: {where}", flush=True)
    if password:
        print(f"login: {username} / {password}   (shown once; only its hash is stored)", flush=True)
    else:
        print(f"login: {username} (password as set before, or SIGNAGE_ADMIN_PASSWORD)", flush=True)
    print(
        f"instance {inst}; logs in {logs}; started in {time.monotonic() - began:.1f} s; Ctrl-C stops",
        flush=True,
    )
    sup.run()
    print("stopped", flush=True)
