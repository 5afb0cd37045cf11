"""Urgent notices (thông báo khẩn): send, cancel (to the bin), bring back.

A notice pre-empts every schedule on its boards from ``starts_at`` until ``expires_at``
(naive UTC, as the database keeps instants) or until it is cancelled. The rules: the
text is a slogan's (``rules.slogan_text``), the effect one a notice can have, the colour
``#rrggbb``; the boards are all boards or a list of existing ones, not both and not
neither; it expires after it starts and is not over already. A cancelled notice whose time
is not over waits in the bin, from which an approver can put it back on its boards.

Sending the notice part of the boards' shows stays with the caller (``publish_notices``),
which knows how to say what happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from signage import rules
from signage.message import N_
from signage.models import BIN_DAYS, Board, UrgentNotice, utcnow
from signage.schemas.records import MAX_MINUTES, NOTICE_EFFECTS
from signage.services.errors import InvalidInput, checked


@dataclass(frozen=True)
class NoticeData:
    """What an approver gives for a notice; instants are naive UTC (None: start now).

    Boards by id (the admin's boxes) or by slug (the API); ``all_boards`` None means
    "all boards unless some are listed". ``expires_at`` None: ``minutes`` after the start.
    """

    text: str | None
    effect: str | None = "static"
    color: str | None = "#ff0000"
    all_boards: bool | None = None
    board_ids: Sequence[int] = ()
    board_slugs: Sequence[str] = ()
    starts_at: datetime | None = None
    expires_at: datetime | None = None
    minutes: int | None = 60
    created_by_id: int | None = None


def notice_effect(value: str | None) -> str:
    return rules.one_of("effect", value, NOTICE_EFFECTS, rules.UNKNOWN_EFFECT)


def notice_boards(session: Session, data: NoticeData) -> tuple[bool, list[Board]]:
    """(all boards?, the boards listed): every listed board exists; all or a list, not both."""
    listed = bool(data.board_ids or data.board_slugs)
    everywhere = data.all_boards if data.all_boards is not None else not listed
    boards: list[Board] = []
    problems: list[InvalidInput] = []
    if data.board_ids:
        found = list(session.scalars(select(Board).where(Board.id.in_(data.board_ids))))
        boards += found
        known_ids = {b.id for b in found}
        missing: list[object] = [i for i in data.board_ids if i not in known_ids]
    else:
        missing = []
    if data.board_slugs:
        found = list(session.scalars(select(Board).where(Board.slug.in_(data.board_slugs))))
        boards += found
        known_slugs = {b.slug for b in found}
        missing += sorted({s for s in data.board_slugs if s not in known_slugs})
    problems += [InvalidInput("boards", N_("no board %(id)r"), id=ref) for ref in missing[:5]]
    if not problems and everywhere and boards:
        problems.append(InvalidInput("boards", N_("list boards or set all_boards, not both")))
    elif not problems and not everywhere and not boards:
        problems.append(InvalidInput("boards", N_("list the boards, or set all_boards")))
    if problems:
        raise InvalidInput.gather(problems)
    return everywhere, [] if everywhere else boards


def notice_times(data: NoticeData, now: datetime) -> tuple[datetime, datetime]:
    """(starts, expires) in naive UTC: it expires after it starts and is not over already."""
    starts = data.starts_at or now
    if data.expires_at is not None:
        expires = data.expires_at
    else:
        minutes = data.minutes
        if minutes is None or not 1 <= minutes <= MAX_MINUTES:
            raise InvalidInput(
                "minutes",
                N_("a notice lasts 1 to %(high)d minutes, not %(value)r"),
                value=minutes,
                high=MAX_MINUTES,
            )
        expires = starts + timedelta(minutes=minutes)
    if expires <= starts:
        raise InvalidInput("expires_at", N_("the notice must expire after it starts"))
    if expires <= now:
        raise InvalidInput("expires_at", N_("this notice would already be over"))
    return starts, expires


def create_notice(
    session: Session, data: NoticeData, *, now: datetime | None = None, commit: bool = True
) -> UrgentNotice:
    """Save a notice after checking every rule; all the problems at once when any fails."""
    now = now or utcnow()
    text, effect, color, targets, times = checked(
        lambda: rules.slogan_text(data.text),
        lambda: notice_effect(data.effect),
        lambda: rules.color(data.color),
        lambda: notice_boards(session, data),
        lambda: notice_times(data, now),
    )
    everywhere, boards = targets
    starts, expires = times
    notice = UrgentNotice(
        text=text,
        effect=effect,
        color=color,
        all_boards=everywhere,
        boards=boards,
        starts_at=starts,
        expires_at=expires,
        created_by_id=data.created_by_id,
    )
    session.add(notice)
    _done(session, commit)
    return notice


def is_over(notice: UrgentNotice, now: datetime | None = None) -> bool:
    """Cancelled, or its time is up: no board shows it any more."""
    return notice.cancelled_at is not None or notice.expires_at <= (now or utcnow())


def is_active(notice: UrgentNotice, now: datetime | None = None) -> bool:
    """On its boards now."""
    now = now or utcnow()
    return notice.cancelled_at is None and notice.starts_at <= now < notice.expires_at


def cancel_notice(session: Session, notice: UrgentNotice, *, commit: bool = True) -> bool:
    """End a notice now (it goes to the bin while its time lasts); False when it was cancelled
    already, which changes nothing."""
    if notice.cancelled_at is not None:
        return False
    notice.cancelled_at = utcnow()
    _done(session, commit)
    return True


def in_bin(notice: UrgentNotice, now: datetime | None = None) -> bool:
    """Cancelled in the last ``BIN_DAYS`` days and not expired: it can be brought back."""
    now = now or utcnow()
    return (
        notice.cancelled_at is not None
        and notice.cancelled_at >= now - timedelta(days=BIN_DAYS)
        and notice.expires_at > now
    )


def restore_notice(session: Session, notice: UrgentNotice, *, commit: bool = True) -> None:
    """Put a cancelled notice back on its boards; refused (``InvalidInput``) when it is not in
    the bin (not cancelled, or its time is over)."""
    if not in_bin(notice):
        raise InvalidInput(
            "notice",
            N_("This notice cannot be brought back: it is not cancelled, or its time is over."),
        )
    notice.cancelled_at = None
    _done(session, commit)


def binned_notices(session: Session, now: datetime | None = None) -> list[UrgentNotice]:
    """The cancelled notices that can still come back, newest cancel first."""
    now = now or utcnow()
    query = (
        select(UrgentNotice)
        .where(
            UrgentNotice.cancelled_at.is_not(None),
            UrgentNotice.cancelled_at >= now - timedelta(days=BIN_DAYS),
            UrgentNotice.expires_at > now,
        )
        .order_by(UrgentNotice.cancelled_at.desc())
    )
    return list(session.scalars(query))


def recent_notices(session: Session, limit: int = 100) -> list[UrgentNotice]:
    """The latest notices, newest first (the notice list and the API's), each row's boards
    loaded in one query for all rows rather than one each."""
    query = select(UrgentNotice).options(selectinload(UrgentNotice.boards))
    return list(session.scalars(query.order_by(UrgentNotice.id.desc()).limit(limit)))


def next_turn(session: Session, now: datetime) -> datetime | None:
    """The next moment after ``now`` any notice starts or ends (None: none will), in one Core
    query (a third of the ORM's cost: the notice list asks on every view)."""
    starts = select(func.min(UrgentNotice.starts_at)).where(UrgentNotice.starts_at > now)
    ends = select(func.min(UrgentNotice.expires_at)).where(UrgentNotice.expires_at > now)
    both = select(starts.scalar_subquery(), ends.scalar_subquery())
    turns = [t for t in session.connection().execute(both).one() if t]
    return min(turns, default=None)


def target_boards(session: Session, notice: UrgentNotice) -> list[Board]:
    """The boards a notice names (every board for an all-boards notice), by slug."""
    if notice.all_boards:
        return list(session.scalars(select(Board).order_by(Board.slug)))
    return list(notice.boards)


def board_ids(notice: UrgentNotice) -> list[int] | None:
    """The boards whose shows a change of this notice touches (None: all of them)."""
    return None if notice.all_boards else [b.id for b in notice.boards]


def _done(session: Session, commit: bool) -> None:
    if commit:
        session.commit()
    else:
        session.flush()


def showing_banner(session: Session, banner_id: int, now: datetime | None = None) -> list[UrgentNotice]:
    """The notices not over yet that show this banner: deleting it darkens them."""
    query = select(UrgentNotice).where(
        UrgentNotice.banner_id == banner_id,
        UrgentNotice.cancelled_at.is_(None),
        UrgentNotice.expires_at > (now or utcnow()),
    )
    return list(session.scalars(query))
