"""A record's version as an edit form or an API client last read it (optimistic concurrency).

The version is a digest of the record's saved values (a playlist's items included), so it
needs no column and works on every table; ``check`` refuses a write made against an older one.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import inspect

from signage.models import Playlist
from signage.services.errors import Stale


def _state(obj: Any) -> dict[str, Any]:
    values = {attr.key: getattr(obj, attr.key) for attr in inspect(obj).mapper.column_attrs}
    if isinstance(obj, Playlist):  # its order and durations are what playlist edits change
        values["items"] = [(i.id, i.position, i.duration, i.passes, i.enabled) for i in obj.items]
    return values


def fingerprint(obj: Any) -> str:
    """A short digest of the record's saved values."""
    raw = json.dumps(_state(obj), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def check(kind: str, given: str | None, now: str) -> None:
    """Refuse (``Stale``) a write made against version ``given`` when the record is at ``now``.

    ``None`` means the caller did not say what it read (the API allows overwriting).
    """
    if given is not None and given != now:
        raise Stale(kind, given, now)


def combined(records: list[Any]) -> str:
    """One version for a record with its parts (a campaign and its phases, in order)."""
    parts = "|".join(fingerprint(r) for r in records)
    return hashlib.sha256(parts.encode()).hexdigest()[:32]
