"""``signage demo``: Redis, the simulator, the admin and a worker, supervised, in one command."""

from __future__ import annotations

import logging
import os
import socket
import sys
import time
import urllib.request

from redis import Redis

from signage import config
from signage.approval import publish_and_record
from signage.db import create_schema, make_engine, session_scope
from signage.launcher import Child, Supervisor
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
            board = ensure_demo_board(session, f"socket://127.0.0.1:{serial_port}")
            size = f"{board.width}x{board.height}"
            color = board.color

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
        sup.start(
            Child(
                "worker",
                _command("worker", "--board", DEMO_SLUG),
                env=env,
                log_file=logs / "worker.log",
                stale=lambda: heartbeat_stale(redis, DEMO_SLUG),
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
