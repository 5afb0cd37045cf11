"""Proof of play on local disk first, in Redis later, so neither a kill nor a Redis loss loses one.

Each worker process appends to its own journal, ``INSTANCE/proof/SLUG/OWNER.jsonl``, one
JSON line per event, and holds an ``flock`` on it while it lives:

- ``{"phase": "begin", ...}`` when an item starts: if the process dies mid-item, this line
  becomes the record, marked interrupted;
- the finished record (no ``phase``) when the item ends.

The journal is fsynced at most ``FSYNC_EVERY`` seconds after a write, and only fsynced
lines are pushed to the board's proof list in Redis (what ``collect_proof`` stores, once
per ``record_id``). A journal whose lock is free belongs to a dead process: the next one
pushes its records (and its orphan begins, as interrupted) and deletes it. When Redis has
lost its data (the marker key is gone) this process's journal is pushed again from the
start; ``record_id`` keeps the database from storing a record twice.

When the disk cannot be written, records wait in memory and go to Redis directly; the
journal is tried again with backoff and the state is logged once per change.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from collections import deque
from pathlib import Path
from typing import Any

from redis import Redis

from signage import show

log = logging.getLogger(__name__)

PROOF_KEEP = 10_000
#: Longest a written record waits for its fsync (seconds).
FSYNC_EVERY = 1.0
#: A journal this large (bytes), once pushed, starts over.
ROTATE_BYTES = 4 * 1024 * 1024
#: Backoff bounds for retrying a journal the disk refused (seconds).
RETRY_FIRST, RETRY_MAX = 1.0, 30.0


#: The marker's time to live (seconds): refreshed at every push, gone with its worker.
MARKER_TTL = 24 * 3600


def marker_key(slug: str, owner: str) -> str:
    """Present while Redis keeps what this worker gave it; gone after it lost its data.

    One per worker: a standby pushing its empty journal must not tell the player that
    Redis still has the player's records."""
    return f"signage:proof-mark:{slug}:{owner}"


def journal_dir(slug: str) -> Path:
    return Path(os.environ.get("SIGNAGE_INSTANCE", "instance")) / "proof" / slug


def _safe(owner: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in owner)


class ProofJournal:
    """One process's append-only journal of one board's plays, and the push to Redis."""

    def __init__(self, slug: str, owner: str, folder: Path | None = None) -> None:
        self.slug = slug
        self.folder = folder or journal_dir(slug)
        self.owner = owner
        self.path = self.folder / f"{_safe(owner)}.jsonl"
        self.fd: int | None = None
        self.written = 0  # bytes appended
        self.synced = 0  # bytes known to be on disk
        self.sent = 0  # bytes pushed to Redis
        self.last_sync = 0.0
        self.memory: deque[str] = deque(maxlen=PROOF_KEEP)  # records the disk refused
        self.error: str | None = None
        self.retry_at = 0.0
        self.backoff = RETRY_FIRST
        self._pushed_dead: list[Path] = []

    # -- writing (play thread) -----------------------------------------------------------
    def _open(self) -> int | None:
        """The journal file's descriptor, opened if need be; None while the disk refuses."""
        if self.fd is not None:
            return self.fd
        if time.monotonic() < self.retry_at:
            return None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self._failed(exc)
            return None
        self.fd = fd
        self.written = self.synced = self.sent = os.fstat(fd).st_size
        return fd

    def _failed(self, exc: OSError) -> None:
        reason = f"{exc.strerror or exc} ({self.folder})"
        if self.error != reason:
            log.error(
                "board %s: proof journal cannot be written: %s; keeping records in memory", self.slug, reason
            )
        self.error = reason
        self.retry_at = time.monotonic() + self.backoff
        self.backoff = min(self.backoff * 2, RETRY_MAX)
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def append(self, record: dict[str, Any], phase: str | None = None) -> None:
        """Append one event; the disk first, memory if the disk refuses."""
        line = json.dumps({**record, "phase": phase} if phase else record, ensure_ascii=False)
        fd = self._open()
        if fd is not None:
            data = (line + "\n").encode()
            try:
                os.write(fd, data)
                self.written += len(data)
                if time.monotonic() - self.last_sync >= FSYNC_EVERY:
                    self.sync()
                if self.error is not None:
                    log.info("board %s: proof journal written again", self.slug)
                self.error, self.backoff = None, RETRY_FIRST
                return
            except OSError as exc:
                self._failed(exc)
        if phase is None:
            self.memory.append(line)

    def sync(self) -> None:
        """fsync what was written (bounded: at most ``FSYNC_EVERY`` after a write)."""
        if self.fd is None or self.synced == self.written:
            return
        try:
            os.fsync(self.fd)
        except OSError as exc:
            self._failed(exc)
            return
        self.synced, self.last_sync = self.written, time.monotonic()

    # -- pushing (status thread) -----------------------------------------------------------
    def pending(self) -> bool:
        """Whether records wait to go to Redis (appended since the last push, or in memory)."""
        return bool(self.memory) or self.written != self.sent

    def push(self, redis: Redis) -> int:
        """Push fsynced records (and memory's) to Redis; returns how many (raises RedisError)."""
        self.sync()
        if not redis.exists(marker_key(self.slug, self.owner)):
            self.sent = 0  # Redis lost its data (or never had ours): everything again
        records = self._dead_journals() + self._own_unsent()
        records += list(self.memory)
        if records:
            key = show.proof_key(self.slug)
            redis.lpush(key, *records)
            redis.ltrim(key, 0, PROOF_KEEP - 1)
        redis.set(marker_key(self.slug, self.owner), "1", ex=MARKER_TTL)
        self.memory.clear()
        self.sent = self.synced
        for path in self._pushed_dead:
            path.unlink(missing_ok=True)
        self._rotate()
        return len(records)

    def _own_unsent(self) -> list[str]:
        if self.synced <= self.sent:
            return []
        try:
            with open(self.path, "rb") as f:
                f.seek(self.sent)
                chunk = f.read(self.synced - self.sent)
        except OSError:
            return []
        return [line for line in _records(chunk) if line is not None]

    def _dead_journals(self) -> list[str]:
        """Records of journals whose process is gone (their lock is free)."""
        self._pushed_dead = []
        try:
            paths = sorted(p for p in self.folder.glob("*.jsonl") if p != self.path)
        except OSError:
            return []
        records: list[str] = []
        for path in paths:
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue  # a live process's journal
            with os.fdopen(fd, "rb") as f:
                records += finished_or_interrupted(f.read())
            self._pushed_dead.append(path)
        return records

    def _rotate(self) -> None:
        if self.fd is None or self.sent < ROTATE_BYTES or self.sent != self.written:
            return
        try:
            os.ftruncate(self.fd, 0)
        except OSError:
            return
        self.written = self.synced = self.sent = 0

    def close(self) -> None:
        if self.fd is not None:
            self.sync()
            os.close(self.fd)
            self.fd = None


def _records(chunk: bytes) -> list[str | None]:
    """Finished records in ``chunk`` (begin lines give None)."""
    out: list[str | None] = []
    for raw in chunk.splitlines():
        try:
            record = json.loads(raw)
        except ValueError:
            continue  # a torn last line from a power cut
        out.append(None if record.get("phase") else raw.decode())
    return out


def finished_or_interrupted(chunk: bytes) -> list[str]:
    """A dead journal's records: the finished ones, and each begin without its end, interrupted."""
    finished: dict[str, str] = {}
    begun: dict[str, dict[str, Any]] = {}
    for raw in chunk.splitlines():
        try:
            record = json.loads(raw)
        except ValueError:
            continue
        rid = str(record.get("record_id"))
        if record.pop("phase", None):
            begun[rid] = record
        else:
            finished[rid] = raw.decode()
    for rid, record in begun.items():
        if rid not in finished:
            record.update(interrupted=True, error=record.get("error") or "worker stopped during the item")
            finished[rid] = json.dumps(record, ensure_ascii=False)
    return list(finished.values())
