"""The audit log: every change to the content and settings, with who made it.

One SQLAlchemy hook records creates, updates and deletes of every table (except the log
itself and the high-volume proof of play) as they are flushed, so no view can forget to.
Who acted comes from a context variable: the web layer sets the logged-in user, the CLI
its own name; the default is "system". Binary data and password hashes are never copied.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

from sqlalchemy import LargeBinary, event, inspect
from sqlalchemy.orm import Session

from signage.models import AuditEntry, Base, utcnow

actor: ContextVar[str] = ContextVar("signage_actor", default="system")
SKIP_TABLES = {"audit_log", "proof_of_play"}
HIDDEN = {"password_hash", "token_sha256"}
#: Bookkeeping, not content: a record's version counter (``signage.models.Versioned``) moves with
#: every change, so it would only repeat what the entry already says.
UNRECORDED = {"row_version"}


@contextmanager
def acting_as(name: str) -> Iterator[None]:
    """Attribute the changes made inside the block to ``name``."""
    token = actor.set(name)
    try:
        yield
    finally:
        actor.reset(token)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _columns(obj: Base) -> Iterator[tuple[str, Any]]:
    """Column attributes worth recording: no binary data, no version counter."""
    for attr in inspect(obj).mapper.column_attrs:
        column = attr.columns[0]
        if not isinstance(column.type, LargeBinary) and attr.key not in UNRECORDED:
            yield attr.key, column


def _value(obj: Base, key: str) -> Any:
    return "(hidden)" if key in HIDDEN else _plain(getattr(obj, key))


def _memberships(obj: Base) -> Iterator[str]:
    """Many-to-many collections (a group's boards, a notice's boards): a change there is a change of
    the row itself for the people reading the log, though no column of it moves."""
    for rel in inspect(obj).mapper.relationships:
        if rel.secondary is not None:
            yield rel.key


def _ids(objects: Any) -> list[str]:
    return sorted(_row_id(o) for o in objects)


def _snapshot(obj: Base) -> dict[str, Any]:
    """Every recorded column and membership of a row (for creates and deletes)."""
    data = {k: _value(obj, k) for k, _ in _columns(obj)}
    loaded = inspect(obj).dict  # never load a collection here: a deleted row's links are gone already
    data.update({k: _ids(loaded[k]) for k in _memberships(obj) if k in loaded})
    return data


def _changes(obj: Base) -> tuple[dict[str, Any], dict[str, Any]]:
    """Before and after of the columns and memberships that changed in this flush."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    state = inspect(obj)
    for key, _column in _columns(obj):
        history = state.attrs[key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            before[key] = "(hidden)" if key in HIDDEN else _plain(old)
            after[key] = _value(obj, key)
    for key in _memberships(obj):
        history = state.attrs[key].history
        if history.has_changes():
            before[key] = _ids([*history.unchanged, *history.deleted])
            after[key] = _ids([*history.unchanged, *history.added])
    return before, after


def _row_id(obj: Base) -> str:
    state = inspect(obj)
    identity = state.identity or state.mapper.primary_key_from_instance(obj)  # new rows: their fresh key
    return ",".join(str(part) for part in identity) if all(p is not None for p in identity) else "?"


def _dump(data: dict[str, Any] | None) -> str | None:
    return json.dumps(data, ensure_ascii=False, default=str) if data is not None else None


@event.listens_for(Session, "after_flush")
def _record(session: Session, _context: Any) -> None:
    """Write one entry per changed row, in the same transaction as the change."""
    rows = []
    who = actor.get()
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table is None or table in SKIP_TABLES:
                continue
            if action == "create":
                before, after = None, _snapshot(obj)
            elif action == "delete":
                before, after = _snapshot(obj), None
            else:
                if not session.is_modified(obj, include_collections=True):
                    continue
                before, after = _changes(obj)
                if not after:
                    continue
            rows.append(
                {
                    "at": utcnow(),
                    "actor": who,
                    "action": action,
                    "table": table,
                    "row_id": _row_id(obj),
                    "before": _dump(before),
                    "after": _dump(after),
                }
            )
    if rows:
        session.connection().execute(AuditEntry.__table__.insert(), rows)
