"""The bin ("Thùng rác"): a delete moves a row there, a restore brings it back, a purge ends it.

Slogans, banners, playlists, schedules and board groups are ``SoftDeleted``: a delete stamps
``deleted_at``/``deleted_by`` and every query stops seeing the row, so the boards lose it at
the next publish, yet it can be brought back as it was for ``BIN_DAYS`` days. After that
``purge`` removes it for good (``signage purge-bin``, run daily by its systemd timer). The
session's audit hook records each move, so the change log says who binned and who restored.
A schedule comes back only with what it plays and targets: while its playlist or its board
group is in the bin, restoring it is refused (``InvalidInput``) and says which to bring back first.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.audit import actor
from signage.message import N_
from signage.models import BIN_DAYS, Banner, BoardGroup, Playlist, Schedule, Slogan, SoftDeleted, utcnow
from signage.services.errors import InvalidInput

log = logging.getLogger(__name__)

#: The kinds of rows that go to the bin, by the word the bin's addresses use.
MODELS: dict[str, type[SoftDeleted]] = {
    "slogan": Slogan,
    "banner": Banner,
    "playlist": Playlist,
    "schedule": Schedule,
    "group": BoardGroup,
}

_Row = TypeVar("_Row", bound=SoftDeleted)


def cutoff(now: datetime | None = None) -> datetime:
    """The oldest ``deleted_at`` still in the bin (naive UTC, as the database keeps it)."""
    return (now or utcnow()) - timedelta(days=BIN_DAYS)


def to_bin(session: Session, row: SoftDeleted, *, commit: bool = True) -> None:
    """Move ``row`` to the bin in the current actor's name; it stops showing at the next publish."""
    row.deleted_at, row.deleted_by = utcnow(), actor.get()
    _done(session, commit)


def find_binned(session: Session, model: type[_Row], row_id: int) -> _Row | None:
    """A row of ``model`` that is in the bin, or None (never was, restored, or purged)."""
    row = session.get(model, row_id, execution_options={"include_deleted": True})
    return row if row is not None and row.deleted_at is not None else None


def restore(session: Session, row: SoftDeleted, *, commit: bool = True) -> None:
    """Bring ``row`` back from the bin as it was when it was deleted.

    A schedule whose playlist or board group is in the bin is refused (``InvalidInput``): it
    would play nothing, or on boards no one can see in the admin; that one comes back first.
    """
    if isinstance(row, Schedule):
        _check_parts(session, row)
    row.deleted_at, row.deleted_by = None, None
    _done(session, commit)


def _check_parts(session: Session, schedule: Schedule) -> None:
    playlist = find_binned(session, Playlist, schedule.playlist_id)
    if playlist is not None:
        raise InvalidInput(
            "playlist",
            N_("its playlist %(name)s is in the bin; bring the playlist back first"),
            name=f"«{playlist.name}»",
        )
    group = find_binned(session, BoardGroup, schedule.group_id) if schedule.group_id is not None else None
    if group is not None:
        raise InvalidInput(
            "group",
            N_("its board group %(name)s is in the bin; bring the group back first"),
            name=f"«{group.name}»",
        )


def binned(session: Session, model: type[_Row], now: datetime | None = None) -> list[_Row]:
    """What of ``model`` waits in the bin (deleted in the last ``BIN_DAYS`` days), newest first."""
    query = (
        select(model)
        .where(model.deleted_at.is_not(None), model.deleted_at >= cutoff(now))
        .order_by(model.deleted_at.desc())
        .execution_options(include_deleted=True)
    )
    return list(session.scalars(query))


def purge(session: Session, now: datetime | None = None) -> dict[str, list[str]]:
    """Remove for good every row deleted more than ``BIN_DAYS`` days before ``now``.

    Returns, per kind, a short description of each row removed (also logged), so the
    command and the log say what went. A slogan or banner takes its playlist entries with it
    (they were already skipped while it was in the bin).
    """
    limit = cutoff(now)
    purged: dict[str, list[str]] = {}
    for kind, model in MODELS.items():
        query = (
            select(model)
            .where(model.deleted_at.is_not(None), model.deleted_at < limit)
            .execution_options(include_deleted=True)
        )
        for row in session.scalars(query).all():
            what = f"{kind} {_describe(row)} (deleted {row.deleted_at:%Y-%m-%d} by {row.deleted_by})"
            if isinstance(row, BoardGroup | Playlist) and _targeted(session, row):
                # removing it would take the schedules that use it along (ON DELETE CASCADE)
                log.warning("kept in the bin, schedules still use it: %s", what)
                continue
            purged.setdefault(kind, []).append(what)
            log.info("purged from the bin: %s", what)
            session.delete(row)
    session.commit()
    return purged


def _targeted(session: Session, row: BoardGroup | Playlist) -> bool:
    """Whether any schedule (in the bin or not) still targets the group or plays the playlist."""
    column = Schedule.group_id if isinstance(row, BoardGroup) else Schedule.playlist_id
    query = select(Schedule.id).where(column == row.id).execution_options(include_deleted=True)
    return session.scalar(query.limit(1)) is not None


def _describe(row: Any) -> str:
    label = getattr(row, "text", None) or getattr(row, "name", None) or ""
    label = label if len(label) <= 40 else label[:39] + "…"
    return f"#{row.id} «{label}»" if label else f"#{row.id}"


def _done(session: Session, commit: bool) -> None:
    if commit:
        session.commit()
    else:
        session.flush()
