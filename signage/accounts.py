"""Accounts: sessions that can be ended, the events worth auditing, password changes.

Flask-free, so the CLI and the admin end sessions the same way. A browser's session cookie
carries a random token; the database keeps its SHA-256 in ``user_sessions`` with when it
began, when it was last seen and a stamp of the user's password hash and role. Every
request looks the row up (one indexed join with the user), so deleting it, deactivating
the user or changing their password or role ends the session at its next request in every
admin process, whatever process made the change.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, bindparam, delete, select, update
from sqlalchemy.orm import Session

from signage.models import AuditEntry, User, UserSession, utcnow

#: Why a session ended, as the login page tells the user.
ENDED, INACTIVE, CHANGED, EXPIRED, IDLE = "ended", "inactive", "changed", "expired", "idle"
#: The last-seen time is written at most this often (a write per click would cost every page).
TOUCH_EVERY = timedelta(seconds=60)

_users, _sessions = User.__table__, UserSession.__table__
#: The session row and its user in one query, with Core (read on every request).
SESSION_ROW = (
    select(
        _users,
        _sessions.c.id.label("session_id"),
        _sessions.c.stamp,
        _sessions.c.created_at.label("session_created_at"),
        _sessions.c.last_seen_at,
    )
    .join(_sessions, _sessions.c.user_id == _users.c.id)
    .where(_sessions.c.token_sha256 == bindparam("digest"))
)
USER_COLUMNS = tuple(c.key for c in _users.columns)


def digest(token: str) -> str:
    """What is stored of a session token (the cookie holds the token itself)."""
    return hashlib.sha256(token.encode()).hexdigest()


def stamp(password_hash: str, role: str) -> str:
    """A digest of what, when it changes, ends the user's sessions."""
    return hashlib.sha256(f"{password_hash}\x00{role}".encode()).hexdigest()


@dataclass(frozen=True)
class Lifetimes:
    """How long a session may last from login, and without a request."""

    absolute: timedelta
    idle: timedelta


def start_session(db: Session, user: User, address: str, lifetimes: Lifetimes) -> str:
    """A new session for ``user``; returns the token for the cookie (stored only hashed).

    Sessions past their lifetimes are purged here, so the table stays as small as the
    number of people signed in.
    """
    now = utcnow()
    db.execute(
        delete(UserSession).where(
            (UserSession.created_at < now - lifetimes.absolute)
            | (UserSession.last_seen_at < now - lifetimes.idle)
        )
    )
    token = secrets.token_urlsafe(32)
    db.execute(
        _sessions.insert().values(
            user_id=user.id,
            token_sha256=digest(token),
            stamp=stamp(user.password_hash, user.role),
            created_at=now,
            last_seen_at=now,
            address=address[:64],
        )
    )
    db.execute(update(_users).where(_users.c.id == user.id).values(last_login_at=now))
    return token


def check_session(db: Session, token: str, lifetimes: Lifetimes) -> tuple[User | None, str | None]:
    """The (detached, read-only) user of a session token, or None and why it ended.

    A session that ended is deleted; a live one has its last-seen time moved on (at most
    once a minute). The caller commits.
    """
    row = db.connection().execute(SESSION_ROW, {"digest": digest(token)}).mappings().first()
    if row is None:
        return None, ENDED
    now = utcnow()
    reason = None
    if not row["active"]:
        reason = INACTIVE
    elif row["stamp"] != stamp(row["password_hash"], row["role"]):
        reason = CHANGED
    elif now - row["session_created_at"] > lifetimes.absolute:
        reason = EXPIRED
    elif now - row["last_seen_at"] > lifetimes.idle:
        reason = IDLE
    if reason is not None:
        db.execute(delete(UserSession).where(UserSession.id == row["session_id"]))
        return None, reason
    if now - row["last_seen_at"] > TOUCH_EVERY:
        db.execute(update(_sessions).where(_sessions.c.id == row["session_id"]).values(last_seen_at=now))
    return User(**{key: row[key] for key in USER_COLUMNS}), None


def end_session(db: Session, token: str) -> None:
    """End one session (logout)."""
    db.execute(delete(UserSession).where(UserSession.token_sha256 == digest(token)))


def end_all_sessions(db: Session, user_id: int) -> int:
    """End every session of a user ("sign out everywhere", deactivation); returns how many."""
    result = db.execute(delete(UserSession).where(UserSession.user_id == user_id))
    assert isinstance(result, CursorResult)  # a DELETE's result always is; it has the rowcount
    return result.rowcount or 0


def live_sessions(db: Session, lifetimes: Lifetimes) -> dict[int, int]:
    """How many sessions each user has that have not yet run out."""
    now = utcnow()
    rows = db.execute(
        select(UserSession.user_id, UserSession.id).where(
            UserSession.created_at >= now - lifetimes.absolute,
            UserSession.last_seen_at >= now - lifetimes.idle,
        )
    )
    counts: dict[int, int] = {}
    for user_id, _id in rows:
        counts[user_id] = counts.get(user_id, 0) + 1
    return counts


def record(
    db: Session,
    who: str,
    action: str,
    table: str,
    row_id: object,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Write an account event (a login, a refusal, a revoked token) to the audit log.

    Changes of rows are audited by ``signage.audit`` on their own; this is for what changes
    no row the log would show (a failed login) or is written with Core (sessions).
    """
    db.execute(
        AuditEntry.__table__.insert().values(
            at=at or utcnow(),
            actor=who[:80],
            action=action[:10],
            table=table,
            row_id=str(row_id)[:40],
            before=None,
            after=json.dumps(detail, ensure_ascii=False) if detail is not None else None,
        )
    )
