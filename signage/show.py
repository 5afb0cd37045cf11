"""The show: one self-contained, versioned JSON document per board, as the worker plays it.

It lives in Redis (where publishing puts it) and in a file on the worker's disk (so the
board keeps playing what it last had when Redis or the network is gone). This module is
free of Flask and of the database: a worker next to the board needs only this.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from pathlib import Path
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

#: The show format this code plays; a newer one is refused and the last good show kept.
#: 1: one playlist (``items``). 2: adds ``playlists`` (id -> name, items), ``fallback``,
#: ``schedules``, ``notices``, ``hours`` and ``brightness`` (see ``signage.schedule``);
#: format-1 documents are still played, as a fallback playlist with nothing scheduled.
#: 3: a schedule may carry ``repeat``, a yearly rule (``signage.recurrence``); a format-2
#: worker would play such a schedule every day, so a show is format 3 only when it has one.
SHOW_FORMAT = 3
PREFIX = "signage"


def show_key(slug: str) -> str:
    return f"{PREFIX}:show:{slug}"


def version_key(slug: str) -> str:
    return f"{PREFIX}:show-version:{slug}"


def blob_key(sha256: str) -> str:
    return f"{PREFIX}:blob:{sha256}"


def status_key(slug: str) -> str:
    return f"{PREFIX}:status:{slug}"


def mirror_key(slug: str) -> str:
    return f"{PREFIX}:mirror:{slug}"


def proof_key(slug: str) -> str:
    return f"{PREFIX}:proof:{slug}"


def lease_key(slug: str) -> str:
    return f"{PREFIX}:lease:{slug}"


def token_key(slug: str) -> str:
    return f"{PREFIX}:lease-token:{slug}"


def cursor_key(slug: str) -> str:
    return f"{PREFIX}:cursor:{slug}"


def test_pattern_key(slug: str) -> str:
    """A test-pattern request (JSON: id, by, seconds); it expires when the pattern should end.

    Set by the admin's button, read by the board's worker before and during every item,
    never part of the show: it pre-empts whatever plays, like a notice, without a publish.
    """
    return f"{PREFIX}:test-pattern:{slug}"


class ShowError(ValueError):
    """A show document this worker cannot play."""


def check(doc: Any) -> dict[str, Any]:
    """Refuse a document that is not a show of a format we know; upgrade older formats."""
    if not isinstance(doc, dict) or "board" not in doc:
        raise ShowError("not a show document (needs 'board')")
    fmt = doc.get("format")
    if not isinstance(fmt, int) or fmt > SHOW_FORMAT:
        raise ShowError(f"show format {fmt!r} is newer than this worker's {SHOW_FORMAT}; upgrade the worker")
    if fmt < 2:
        if not isinstance(doc.get("items"), list):
            raise ShowError("not a show document (format 1 needs 'items')")
        return upgrade(doc)
    if not isinstance(doc.get("playlists"), dict) or not isinstance(doc.get("schedules", []), list):
        raise ShowError("not a show document (format 2 needs 'playlists' and 'schedules')")
    return doc


def upgrade(doc: dict[str, Any]) -> dict[str, Any]:
    """A format-1 show as format 2: its one playlist becomes the fallback, nothing scheduled."""
    return {
        **doc,
        "format": 2,
        "playlists": {"default": {"name": doc.get("playlist") or "default", "items": doc["items"]}},
        "fallback": "default",
        "schedules": [],
        "notices": [],
        "hours": None,
        "brightness": [],
    }


def store(redis: Redis, slug: str, doc: dict[str, Any], blobs: dict[str, bytes] | None = None) -> int:
    """Put a new version of a board's show into Redis and return its version number."""
    version = int(redis.incr(version_key(slug)))
    # The id, not the version number, tells a worker the show changed: a Redis restarted
    # without its data counts versions from 1 again.
    doc = {**doc, "version": version, "publish_id": uuid.uuid4().hex}
    with redis.pipeline() as pipe:
        for sha, data in (blobs or {}).items():
            pipe.set(blob_key(sha), data)
        pipe.set(show_key(slug), json.dumps(doc, ensure_ascii=False))
        pipe.set(publish_id_key(slug), doc["publish_id"])
        pipe.execute()
    return version


def publish_id_key(slug: str) -> str:
    return f"{PREFIX}:show-id:{slug}"


def current_stamp(redis: Redis, slug: str) -> str | None:
    """Publish id and version of the newest show; None when Redis cannot say or has none."""
    try:
        pid, version = redis.mget(publish_id_key(slug), version_key(slug))
    except RedisError:
        return None
    if not pid:
        return None
    return f"{_as_bytes(pid).decode()}/{int(version or 0)}"


def current_version(redis: Redis, slug: str) -> int | None:
    """The newest published version, or None when Redis cannot say."""
    try:
        raw = redis.get(version_key(slug))
    except RedisError:
        return None
    return int(raw) if raw is not None else 0


def cache_path(cache_dir: Path, slug: str) -> Path:
    return cache_dir / f"{slug}.json"


def _save_cache(cache_dir: Path, slug: str, doc: dict[str, Any]) -> None:
    """Write atomically: a power cut mid-write must not leave a broken cache."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_path(cache_dir, slug)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False))
    os.replace(tmp, target)


def load(redis: Redis, slug: str, cache_dir: Path) -> dict[str, Any] | None:
    """The board's show from Redis (refreshing the disk copy), else the disk copy, else None."""
    try:
        raw = redis.get(show_key(slug))
    except RedisError as exc:
        log.warning("board %s: Redis unreachable (%s); playing the cached show", slug, exc)
        raw = None
    if raw is not None:
        try:
            doc = check(json.loads(raw))
        except (ValueError, ShowError) as exc:
            log.error("board %s: refusing the published show: %s; keeping the last good one", slug, exc)
        else:
            _save_cache(cache_dir, slug, doc)
            return doc
    path = cache_path(cache_dir, slug)
    if path.exists():
        try:
            return check(json.loads(path.read_text()))
        except (ValueError, ShowError) as exc:
            log.error("board %s: cached show %s unusable: %s", slug, path, exc)
    return None


def load_blob(redis: Redis, sha256: str, cache_dir: Path) -> bytes | None:
    """A banner's bytes by content hash, from Redis or the worker's disk."""
    path = cache_dir / "blobs" / sha256
    if path.exists():
        return path.read_bytes()
    try:
        data = redis.get(blob_key(sha256))
    except RedisError:
        return None
    if data is None:
        return None
    blob = _as_bytes(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(blob)
    return blob


def _as_bytes(value: bytes | str) -> bytes:
    """A Redis reply as bytes, also from a client made with ``decode_responses``."""
    return value.encode() if isinstance(value, str) else value
