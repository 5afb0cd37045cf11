"""A record's version as an edit form or an API client last read it (optimistic concurrency).

Versioned records (``signage.models.Versioned``) carry a counter the database raises at every
save; their version is that counter, written as a string. The guarantee is the UPDATE's:
it names the version the session read, so a save racing another is refused by the database
(``signage.services.errors.saved`` turns that into ``Stale``). ``check`` adds the part before
the request: a form or an API client that read an older version is refused up front, with
nothing written. Other records have no counter; their version is a digest of their values.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import inspect

from signage.models import Versioned
from signage.services.errors import Stale


def _state(obj: Any) -> dict[str, Any]:
    return {attr.key: getattr(obj, attr.key) for attr in inspect(obj).mapper.column_attrs}


def fingerprint(obj: Any) -> str:
    """The record's version: its counter ("3"); a digest of its values for an unversioned record."""
    if isinstance(obj, Versioned):
        return str(obj.row_version or 0)
    raw = json.dumps(_state(obj), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def check(kind: str, given: str | None, now: str) -> None:
    """Refuse (``Stale``) a write made against version ``given`` when the record is at ``now``.

    ``None`` means the caller did not say what it read (the API allows overwriting).
    """
    if given is not None and given != now:
        raise Stale(kind, given, now)


def combined(records: list[Any]) -> str:
    """One version for a record with its parts (a campaign and its phases, in order): "4.1.2"."""
    return ".".join(fingerprint(r) for r in records)
