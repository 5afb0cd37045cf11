"""Which boards show a playlist, and from when: what a save message tells the person who saved.

"Sent to the boards: demo (v2)" read as "it is on the board" even when no board played the
list. This answers the real question from each board's compiled show and the schedule's own
timeline (``signage.schedule.timeline``, what the worker follows): a board plays the list now,
from a later instant (a schedule opening, a notice ending, the board switching on), or not
within the horizon. Flask-free; the web layer words the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage import schedule
from signage.models import Board, PlaylistItem
from signage.publish import compile_show
from signage.show import Show

#: How far ahead a save message looks for the next time a list plays (a campaign's phases
#: are months long; a year would cost a save ~4x the work for a message about next spring).
HORIZON = timedelta(days=100)


@dataclass(frozen=True)
class Reach:
    """One board that plays the list: from ``start`` (None: now), chosen by ``schedule`` (a name)."""

    board: str
    start: datetime | None
    schedule: str | None


def playlists_of(session: Session, *, slogan_id: int | None = None, banner_id: int | None = None) -> set[int]:
    """The playlists that hold this slogan or banner (enabled entries only: others never play)."""
    query = select(PlaylistItem.playlist_id).where(PlaylistItem.enabled.is_(True))
    if slogan_id is not None:
        query = query.where(PlaylistItem.slogan_id == slogan_id)
    elif banner_id is not None:
        query = query.where(PlaylistItem.banner_id == banner_id)
    else:
        return set()
    return set(session.scalars(query))


def reach(
    session: Session, playlist_ids: Iterable[int], now: datetime | None = None, horizon: timedelta = HORIZON
) -> list[Reach]:
    """The boards that play any of these playlists within ``horizon``, soonest first."""
    keys = {str(p) for p in playlist_ids}
    return (
        _first_plays(
            session,
            lambda doc: bool(keys & set(doc.playlists)),
            lambda c: c.kind in ("schedule", "fallback") and c.playlist in keys,
            now,
            horizon,
        )
        if keys
        else []
    )


def schedule_reach(
    session: Session, schedule_id: int, now: datetime | None = None, horizon: timedelta = HORIZON
) -> list[Reach]:
    """The boards this schedule decides within ``horizon`` (it wins there), soonest first."""
    return _first_plays(
        session,
        lambda doc: doc.schedule(schedule_id) is not None,
        lambda c: c.kind == "schedule" and c.schedule_id == schedule_id,
        now,
        horizon,
    )


def _first_plays(
    session: Session,
    may: Callable[[Show], bool],
    plays: Callable[[schedule.Choice], bool],
    now: datetime | None,
    horizon: timedelta,
) -> list[Reach]:
    """Per board whose show ``may`` contain it, the first segment of its timeline that ``plays`` it."""
    now = now or datetime.now(UTC)
    found: list[Reach] = []
    for board in session.scalars(select(Board).order_by(Board.name)):
        doc, _blobs = compile_show(board, session)
        if not may(doc):
            continue  # not in the board's show at all: skip the timeline
        for segment in schedule.timeline(doc, now, now + horizon):
            if plays(segment.choice):
                found.append(
                    Reach(
                        board.name,
                        None if segment.start <= now else segment.start,
                        segment.choice.label if segment.choice.kind == "schedule" else None,
                    )
                )
                break
    return sorted(found, key=lambda r: (r.start is not None, r.start or now, r.board))
