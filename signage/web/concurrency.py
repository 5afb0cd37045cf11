"""Refuse to overwrite what someone else saved meanwhile (optimistic concurrency).

Each edit form carries a fingerprint of the record as it was when the form was opened;
saving compares it with the record now. This needs no version column, so it works on
every table and on databases created before it existed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import inspect

from signage.models import Playlist


def _state(obj: Any) -> dict[str, Any]:
    values = {attr.key: getattr(obj, attr.key) for attr in inspect(obj).mapper.column_attrs}
    if isinstance(obj, Playlist):  # its order and durations are what playlist edits change
        values["items"] = [(i.id, i.position, i.duration, i.passes, i.enabled) for i in obj.items]
    return values


def fingerprint(obj: Any) -> str:
    """A short digest of the record's saved values."""
    raw = json.dumps(_state(obj), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]
