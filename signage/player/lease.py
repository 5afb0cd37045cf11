"""Who may write to a board: a Redis lease with fencing tokens, and a per-board OS lock.

Two guards, because either alone has a hole:

- the Redis lease (``signage:lease:SLUG``, TTL ``LEASE_TTL``) arbitrates between players
  on any machine while Redis answers; its token comes from a counter that never goes back,
  even after Redis loses its data (the acquirer passes the largest token this machine has
  seen, the holder re-seeds the counter when it finds the key gone);
- ``PortLock``, an ``fcntl.flock`` on ``INSTANCE/locks/SLUG.lock`` held for as long as the
  port is open, arbitrates between processes on one machine with or without Redis, and is
  released by the kernel when the holder dies.

Without Redis a player keeps writing only if it held the lease when Redis went away: a
standby that never held it waits, so it cannot become a second writer.
"""

from __future__ import annotations

import fcntl
import logging
import os
import tempfile
import time
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError

from signage import show

log = logging.getLogger(__name__)

#: Lease time to live; a dead player's board is free again after this long.
LEASE_TTL = 3.0

ACQUIRE = """
local t = redis.call('INCR', KEYS[2])
local floor = tonumber(ARGV[3])
if t <= floor then t = floor + 1 redis.call('SET', KEYS[2], t) end
if redis.call('SET', KEYS[1], t .. ':' .. ARGV[1], 'NX', 'PX', ARGV[2]) then return t end
return 0
"""

RENEW = """
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if v then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local c = tonumber(redis.call('GET', KEYS[2]) or '0')
if c < tonumber(ARGV[3]) then redis.call('SET', KEYS[2], ARGV[3]) end
return 2
"""


def lock_dir() -> Path:
    """Where the per-board locks and token floors live (``SIGNAGE_INSTANCE``/locks)."""
    return Path(os.environ.get("SIGNAGE_INSTANCE", "instance")) / "locks"


class TokenFloor:
    """The largest fencing token this machine has used for a board, kept on disk."""

    def __init__(self, folder: Path, slug: str) -> None:
        self.path = folder / f"{slug}.token"

    def read(self) -> int:
        try:
            return int(self.path.read_text().strip() or 0)
        except (OSError, ValueError):
            return 0

    def write(self, token: int) -> None:
        """Best effort: a disk that cannot be written leaves the Redis counter as the floor."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(str(token))
            os.replace(tmp, self.path)
        except OSError:
            pass


class Lease:
    """One player per board: a Redis key with a short TTL holding ``token:owner``.

    ``may_write`` is checked before every frame and needs no Redis round trip: it is true
    while the last renewal is younger than the TTL, or, once Redis is unreachable, if this
    player held the lease at that moment (nobody else can take it then).
    """

    def __init__(
        self, redis: Redis, slug: str, owner: str, ttl: float = LEASE_TTL, folder: Path | None = None
    ) -> None:
        self.redis, self.slug, self.owner, self.ttl = redis, slug, owner, ttl
        self.token: int | None = None
        self.valid_until = 0.0
        self.offline = False
        self.held_offline = False
        self.floor = TokenFloor(folder or lock_dir(), slug)
        self._acquire = redis.register_script(ACQUIRE)
        self._renew = redis.register_script(RENEW)

    @property
    def value(self) -> str:
        return f"{self.token}:{self.owner}"

    def _keys(self) -> list[str]:
        return [show.lease_key(self.slug), show.token_key(self.slug)]

    def acquire(self) -> bool:
        """Take the lease if it is free (raises RedisError when Redis is unreachable)."""
        if self.token is not None:
            return self.renew()
        args: list[str | int] = [self.owner, int(self.ttl * 1000), self.floor.read()]
        token = int(self._acquire(keys=self._keys(), args=args))
        if not token:
            return False
        self.token = token
        self.floor.write(token)
        self.valid_until = time.monotonic() + self.ttl - 0.5
        self.back_online()
        log.info("board %s: lease taken (token %d)", self.slug, token)
        return True

    def renew(self) -> bool:
        """Extend the lease; False (and writing stops) when another player has it."""
        if self.token is None:
            return False
        began = time.monotonic()
        result = int(self._renew(keys=self._keys(), args=[self.value, int(self.ttl * 1000), self.token]))
        self.back_online()
        if result == 0:
            log.error("board %s: lease lost to another player; stopping writes", self.slug)
            self.token = None
            self.valid_until = 0.0
            return False
        if result == 2:
            log.warning("board %s: lease key was gone (Redis restarted?); taken again", self.slug)
        self.valid_until = began + self.ttl - 0.5
        return True

    def go_offline(self) -> None:
        """Redis went away: keep writing only if the lease was ours at that moment."""
        if not self.offline:
            self.held_offline = self.token is not None and time.monotonic() < self.valid_until
            self.offline = True

    def back_online(self) -> None:
        self.offline = False
        self.held_offline = False

    def may_write(self) -> bool:
        """Whether this player may send a frame now (no Redis round trip)."""
        if self.offline:
            return self.held_offline
        return self.token is not None and time.monotonic() < self.valid_until

    def release(self) -> None:
        """Give the lease back on a clean stop, so a successor starts at once."""
        if self.token is None:
            return
        try:
            if self.redis.get(show.lease_key(self.slug)) == self.value.encode():
                self.redis.delete(show.lease_key(self.slug))
        except RedisError:
            pass
        self.token = None


class PortLock:
    """An exclusive ``flock`` per board, held while this process has the board's port open.

    The kernel drops it when the process dies, even by SIGKILL; a process frozen by
    SIGSTOP keeps it (and the port), which is why the watchdog escalates to SIGKILL.
    A read-only instance folder still works when the lock file exists (flock needs no
    write access); without one the lock goes to the system's temporary folder.
    """

    def __init__(self, slug: str, folder: Path | None = None) -> None:
        self.slug = slug
        self.folder = folder or lock_dir()
        self.fd: int | None = None
        self.path: Path | None = None

    @property
    def held(self) -> bool:
        return self.fd is not None

    def _open(self) -> int:
        fallback = Path(tempfile.gettempdir()) / f"signage-locks-{os.getuid()}"
        for folder in (self.folder, fallback):
            path = folder / f"{self.slug}.lock"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                try:
                    fd = os.open(path, os.O_RDONLY)
                except OSError:
                    continue
            self.path = path
            return fd
        raise OSError(f"no folder for the lock of board {self.slug}")

    def acquire(self) -> bool:
        """Take the lock if no other process holds it (never blocks)."""
        if self.fd is not None:
            return True
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self.fd = fd
        try:  # who has the port, for the watchdog (a read-only lock file cannot say)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass
        return True

    def release(self) -> None:
        if self.fd is not None:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            finally:
                os.close(self.fd)
                self.fd = None


def port_holder(slug: str, folder: Path | None = None) -> int | None:
    """The PID of the process holding the board's port lock, or None when it is free or unknown."""
    path = (folder or lock_dir()) / f"{slug}.lock"
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            text = os.pread(fd, 32, 0).decode(errors="replace").strip()
            return int(text) if text.isdigit() else None
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None  # nobody holds it
    finally:
        os.close(fd)
