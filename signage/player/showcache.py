"""The board's show: fetched from Redis, kept in memory, copied to disk when the disk allows.

The disk copy is what a worker plays when it starts without Redis. Writing it must never
stop the board: a read-only or full instance folder keeps the show in memory, the write
is tried again with backoff (``retry``, from the status thread), the state is logged once
per change, and ``error`` says why for the board's status (and so ``/health``).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from redis import Redis

from signage import show
from signage.show import Show

log = logging.getLogger(__name__)

RETRY_FIRST, RETRY_MAX = 1.0, 60.0


class ShowCache:
    """The disk copy of one board's show and of its banner images."""

    def __init__(self, slug: str, folder: Path) -> None:
        self.slug, self.folder = slug, folder
        self.unsaved: Show | None = None
        self.blobs: dict[str, bytes] = {}
        self.error: str | None = None
        self.retry_at = 0.0
        self.backoff = RETRY_FIRST

    def fetch(self, redis: Redis) -> Show | None:
        """The published show from Redis, kept on disk (None if none or refused); raises RedisError."""
        doc = self.peek(redis)
        if doc is not None:
            self.save(doc)
        return doc

    def peek(self, redis: Redis) -> Show | None:
        """The published show from Redis without touching the disk copy (the one playing stays
        there until the new one is taken up); None if none or refused; raises RedisError."""
        try:
            return show.fetch(redis, self.slug)
        except show.ShowError as exc:
            log.error("board %s: refusing the published show: %s; keeping the last good one", self.slug, exc)
            return None

    def read(self) -> Show | None:
        """The disk copy (or the one the disk refused, still in memory)."""
        if self.unsaved is not None:
            return self.unsaved
        try:
            return show.read_cache(self.folder, self.slug)
        except (OSError, show.ShowError) as exc:
            path = show.cache_path(self.folder, self.slug)
            log.error("board %s: cached show %s unusable: %s", self.slug, path, exc)
            return None

    def save(self, doc: Show) -> None:
        """Write the disk copy now, or keep it for ``retry``."""
        self.unsaved = doc
        self.retry(force=True)

    def retry(self, force: bool = False) -> None:
        """Write the show the disk refused, once its backoff has passed."""
        if self.unsaved is None or (not force and time.monotonic() < self.retry_at):
            return
        try:
            show.save_cache(self.folder, self.slug, self.unsaved)
        except OSError as exc:
            reason = f"{exc.strerror or exc} ({self.folder})"
            if reason != self.error:
                log.error("board %s: cannot write the show cache: %s; playing from memory", self.slug, reason)
            self.error = reason
            self.retry_at = time.monotonic() + self.backoff
            self.backoff = min(self.backoff * 2, RETRY_MAX)
            return
        if self.error is not None:
            log.info("board %s: show cache written again", self.slug)
        self.unsaved, self.error, self.backoff = None, None, RETRY_FIRST

    def blob(self, redis: Redis | None, sha256: str) -> bytes | None:
        """A banner's bytes: memory, disk, then Redis (copied to disk when it can be)."""
        if sha256 in self.blobs:
            return self.blobs[sha256]
        path = self.folder / "blobs" / sha256
        try:
            data: bytes | None = path.read_bytes()
        except OSError:
            raw = redis.get(show.blob_key(sha256)) if redis is not None else None
            data = raw.encode() if isinstance(raw, str) else raw  # str only from a decoding client
            if data is not None:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
                except OSError:
                    pass  # kept in memory below; the show cache's state already says why
        if data is not None:
            self.blobs[sha256] = data
        return data
