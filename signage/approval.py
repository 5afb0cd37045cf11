"""Drafts and approval: the database is the workspace, the boards play the last published show.

Nothing new is stored for this. A publish is an ``AuditEntry`` with action "publish"
(table "boards", row id the board slugs or "*", ``after`` the JSON of slug -> show
version, ``actor`` who published), and the pending changes are the audit entries on the
tables a show is compiled from that are newer than the last publish. So an editor's
change is a draft simply by not being published yet, and an approver sees exactly what
will go out before it does. Flask-free: the CLI and the demo record their publishes too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from redis import Redis
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signage.models import AuditEntry, utcnow
from signage.publish import publish_all

#: Tables a board's show is compiled from (see ``signage.publish.compile_show``). Users,
#: tokens, urgent notices (published on their own, at once) and proof of play are not drafts.
CONTENT_TABLES = frozenset(
    {
        "slogans",
        "banners",
        "playlists",
        "playlist_items",
        "schedules",
        "campaigns",
        "phases",
        "board_groups",
        "board_group_members",
        "boards",
        "board_settings",
        "brightness_steps",
    }
)
PUBLISH = "publish"
ALL_BOARDS = "*"

#: Why a save was not published at once (``None``: it was published).
HELD_DRAFT = "draft"  # the user may not publish: it waits for an approver
HELD_OTHERS = "others"  # the user may publish, but someone else's change waits for review


def last_publish(session: Session) -> AuditEntry | None:
    """The newest publish entry, or None when nothing was ever published with a record."""
    return session.scalar(
        select(AuditEntry).where(AuditEntry.action == PUBLISH).order_by(AuditEntry.id.desc()).limit(1)
    )


def _pending_query(session: Session):  # noqa: ANN202 - a SQLAlchemy select
    last = select(func.coalesce(func.max(AuditEntry.id), 0)).where(AuditEntry.action == PUBLISH)
    return select(AuditEntry).where(
        AuditEntry.id > last.scalar_subquery(),
        AuditEntry.table.in_(CONTENT_TABLES),
        AuditEntry.action != PUBLISH,
    )


def pending(session: Session, limit: int | None = None) -> list[AuditEntry]:
    """The changes not yet on the boards, oldest first (``limit``: only the first ones)."""
    query = _pending_query(session).order_by(AuditEntry.id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def pending_count(session: Session) -> int:
    """How many changes wait: one indexed count, cheap enough for every page's menu."""
    return int(session.scalar(select(func.count()).select_from(_pending_query(session).subquery())) or 0)


def newest_pending_id(session: Session) -> int:
    """The id of the newest pending change (0: none); a publish form carries it as "seen"."""
    sub = _pending_query(session).subquery()
    return int(session.scalar(select(func.coalesce(func.max(sub.c.id), 0))) or 0)


def own_names(username: str) -> set[str]:
    """The audit actors that are this user: the admin session and the user's API tokens."""
    return {username, f"api:{username}"}


def others_pending(session: Session, names: Iterable[str]) -> int:
    """How many pending changes were made by someone other than ``names``."""
    sub = _pending_query(session).where(AuditEntry.actor.not_in(list(names))).subquery()
    return int(session.scalar(select(func.count()).select_from(sub)) or 0)


def hold_reason(session: Session, *, required: bool, may_publish: bool, names: Iterable[str]) -> str | None:
    """Whether a save that was just committed may go to the boards now, and if not why.

    Approval off: always now. On: an editor's save waits for an approver; an approver's
    save goes now only when nobody else's change is pending, since publishing compiles
    everything in the database and would carry their unseen drafts along.
    """
    if not required:
        return None
    if not may_publish:
        return HELD_DRAFT
    return HELD_OTHERS if others_pending(session, names) else None


def record_publish(
    session: Session, who: str, versions: dict[str, int], all_boards: bool = True
) -> AuditEntry:
    """Write the publish entry that marks every change before it as on the boards."""
    row_id = ALL_BOARDS if all_boards else ",".join(versions)
    if len(row_id) > 40:
        row_id = ALL_BOARDS if all_boards else row_id[:39] + "…"
    entry = AuditEntry(
        at=utcnow(),
        actor=who,
        action=PUBLISH,
        table="boards",
        row_id=row_id,
        before=None,
        after=json.dumps(versions, ensure_ascii=False),
    )
    session.add(entry)
    session.commit()
    return entry


def publish_and_record(
    session: Session, redis: Redis, who: str, playlist_id: int | None = None
) -> dict[str, int]:
    """Publish (every board, or those using ``playlist_id``) and record it; Redis errors propagate.

    The record is written only after Redis took the shows, so a failed publish leaves the
    changes pending and visible.
    """
    versions = publish_all(session, redis, playlist_id)
    record_publish(session, who, versions, all_boards=playlist_id is None)
    return versions


@dataclass
class PublishInfo:
    """The last publish as pages and the API show it."""

    at: Any
    actor: str
    boards: dict[str, int]


def publish_info(entry: AuditEntry | None) -> PublishInfo | None:
    """The last publish entry decoded, or None."""
    if entry is None:
        return None
    try:
        boards = json.loads(entry.after) if entry.after else {}
    except ValueError:
        boards = {}
    return PublishInfo(at=entry.at, actor=entry.actor, boards=boards if isinstance(boards, dict) else {})


def decoded(entries: Iterable[AuditEntry]) -> list[tuple[AuditEntry, dict[str, Any], dict[str, Any]]]:
    """Entries with their before/after JSON decoded, the way the audit log shows them."""
    rows = []
    for e in entries:
        rows.append((e, _load(e.before), _load(e.after)))
    return rows


def _load(raw: str | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {"?": raw}
    return value if isinstance(value, dict) else {"?": value}
