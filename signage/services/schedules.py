"""Schedules (lịch phát) and a board's hours (time zone, on/off, brightness): save and delete.

The rules, all checked before anything is written and all reported at once: the playlist,
board, group and phase named exist; the last day is not before the first; both daily times or
neither; at least one weekday; a board or a group, not both; a yearly or lunar rule that
``signage.holidays.check`` accepts. A board's hours: a known time zone, both the on and the off
time or neither, brightness levels 0-100 each at its own time of day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from signage import holidays, rules
from signage.audit import actor
from signage.hours import store_hours
from signage.message import N_
from signage.models import ALL_WEEKDAYS, Board, BoardGroup, Phase, Playlist, Schedule, utcnow
from signage.recurrence import Rule
from signage.rules import InvalidInput
from signage.services import versions
from signage.services.errors import checked, saved, writing


@dataclass(frozen=True)
class ScheduleData:
    """A schedule as a person gives it; the board by id (the admin's list) or by slug (the API)."""

    playlist_id: int | None
    name: str = ""
    board_id: int | None = None
    board_slug: str | None = None
    group_id: int | None = None
    phase_id: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    weekdays: str = ALL_WEEKDAYS
    start_time: time | None = None
    end_time: time | None = None
    priority: int = 0
    enabled: bool = True
    #: "daily", "yearly" or "lunar" with the ``repeat_*`` fields below, which the service checks
    #: (``holidays.check``); or the ``Rule`` a schema already made of them, taken as it is (the
    #: API and the importer: the rule is parsed once on their way).
    repeat: str | Rule = "daily"
    repeat_month: int | None = None
    repeat_day: int | None = None
    repeat_leap: bool = False
    repeat_days: int | None = 1


def playlist_ref(session: Session, playlist_id: int | None) -> int:
    """The id of a playlist that exists."""
    if playlist_id is None or session.get(Playlist, playlist_id) is None:
        raise InvalidInput("playlist_id", N_("no playlist %(id)s"), id=playlist_id)
    return playlist_id


def board_ref(session: Session, board_id: int | None, slug: str | None) -> int | None:
    """The id of the board named by id or slug (None: none named)."""
    if slug is not None:
        found = session.scalar(select(Board.id).where(Board.slug == slug))
        if found is None:
            raise InvalidInput("board", N_("no board %(id)r"), id=slug)
        return found
    if board_id is not None and session.get(Board, board_id) is None:
        raise InvalidInput("board", N_("no board %(id)r"), id=board_id)
    return board_id


def group_ref(session: Session, group_id: int | None) -> int | None:
    """The id of a board group that exists (None: none named)."""
    if group_id is not None and session.get(BoardGroup, group_id) is None:
        raise InvalidInput("group_id", N_("no board group %(id)s"), id=group_id)
    return group_id


def phase_ref(session: Session, phase_id: int | None) -> int | None:
    """The id of a campaign phase that exists (None: none named)."""
    if phase_id is not None and session.get(Phase, phase_id) is None:
        raise InvalidInput("phase_id", N_("no campaign phase %(id)s"), id=phase_id)
    return phase_id


def _rule(data: ScheduleData) -> Rule | None:
    """The schedule's yearly rule (None: daily): as the caller's schema parsed it, else checked here."""
    if isinstance(data.repeat, Rule):
        return data.repeat
    return holidays.check(data.repeat, data.repeat_month, data.repeat_day, data.repeat_leap, data.repeat_days)


def save_schedule(
    session: Session,
    data: ScheduleData,
    entry: Schedule | None = None,
    *,
    version: str | None = None,
    commit: bool = True,
) -> Schedule:
    """Create (``entry`` None) or replace a schedule; ``version`` is what the caller read."""
    if entry is not None:
        versions.check("schedule", version, versions.fingerprint(entry))
    playlist_id, board_id, group_id, phase_id, days, window, wdays, _target, rule = checked(
        lambda: playlist_ref(session, data.playlist_id),
        lambda: board_ref(session, data.board_id, data.board_slug),
        lambda: group_ref(session, data.group_id),
        lambda: phase_ref(session, data.phase_id),
        lambda: rules.date_range(data.starts_on, data.ends_on),
        lambda: rules.daily_window(data.start_time, data.end_time),
        lambda: rules.weekdays(data.weekdays),
        lambda: rules.one_target(
            data.board_id is not None or data.board_slug is not None, data.group_id is not None
        ),
        lambda: _rule(data),
    )
    entry = entry or Schedule()
    entry.name = (data.name or "").strip()
    entry.playlist_id, entry.board_id, entry.group_id, entry.phase_id = (
        playlist_id,
        board_id,
        group_id,
        phase_id,
    )
    entry.starts_on, entry.ends_on = days
    entry.start_time, entry.end_time = window
    entry.weekdays, entry.priority, entry.enabled = wdays, data.priority, bool(data.enabled)
    entry.rule = rule
    session.add(entry)
    saved(session, commit)
    return entry


def delete_schedule(
    session: Session, entry: Schedule, *, version: str | None = None, commit: bool = True
) -> bool:
    """Move a schedule to the bin (True; it can be restored for 30 days): its boards go back to
    whatever else matches, or their own playlist."""
    versions.check("schedule", version, versions.fingerprint(entry))
    entry.deleted_at, entry.deleted_by = utcnow(), actor.get()
    saved(session, commit)
    return True


# --- a board's hours and brightness ----------------------------------------------------


@dataclass(frozen=True)
class HoursData:
    """A board's time zone, daily on/off hours (both None: always on) and brightness table."""

    timezone: str | None
    on: time | None = None
    off: time | None = None
    brightness: Sequence[tuple[time, int]] = ()


def on_off(on: time | None, off: time | None) -> tuple[time | None, time | None]:
    """Both hours or neither (always on); off before on: on overnight."""
    if (on is None) != (off is None):
        raise InvalidInput("off", N_("Give both the on and the off time, or neither (always on)."))
    return on, off


def brightness(steps: Sequence[tuple[time, int]]) -> dict[time, int]:
    """The brightness table: each time of day once, each level a percent; a problem's field is
    ``brightness.<n>``, the step it is about (from 0)."""
    table: dict[time, int] = {}
    problems: list[InvalidInput] = []
    for n, (at, level) in enumerate(steps):
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 100:
            template = N_("brightness %(value)r is not a percent from 0 to 100")
            problems.append(InvalidInput(f"brightness.{n}", template, value=level))
        elif at in table:
            problems.append(InvalidInput(f"brightness.{n}", N_("each time of the brightness table once")))
        table[at] = level
    if problems:
        raise InvalidInput.gather(problems)
    return table


def save_hours(
    session: Session, board: Board, data: HoursData, *, version: str | None = None, commit: bool = True
) -> Board:
    """Replace the board's time zone, hours and brightness table (the old table goes whole).

    They are parts of the board: saving them raises the board's version, so the board's own
    form and a second hours form opened before are refused as stale.
    """
    versions.check("board", version, versions.fingerprint(board))
    zone, hours, table = checked(
        lambda: rules.timezone(data.timezone),
        lambda: on_off(data.on, data.off),
        lambda: brightness(data.brightness),
    )
    with writing(session):  # store_hours flushes on its way
        store_hours(session, board, zone, hours[0], hours[1], table)
        saved(session, commit)
    return board


# --- reading -------------------------------------------------------------------------


def every_schedule(session: Session) -> list[Schedule]:
    """Every schedule, the highest priority first (then the newest), with what each names
    (playlist, board, group, phase) loaded in one query per relation, not one per row."""
    related = (Schedule.playlist, Schedule.board, Schedule.group, Schedule.phase)
    query = select(Schedule).options(*(selectinload(r) for r in related))
    return list(session.scalars(query.order_by(Schedule.priority.desc(), Schedule.id.desc())))


@dataclass(frozen=True)
class Targets:
    """What a schedule can name, as (id, words) pairs: boards by slug, groups, campaign phases."""

    boards: list[tuple[int, str]]
    groups: list[tuple[int, str]]
    phases: list[tuple[int, Phase]]


def targets(session: Session) -> Targets:
    """Every board, group and phase a schedule can name, in the order the form lists them."""
    boards = [(i, s) for i, s in session.execute(select(Board.id, Board.slug).order_by(Board.slug))]
    groups = [
        (i, n) for i, n in session.execute(select(BoardGroup.id, BoardGroup.name).order_by(BoardGroup.name))
    ]
    phases = [(p.id, p) for p in session.scalars(select(Phase).order_by(Phase.campaign_id, Phase.position))]
    return Targets(boards, groups, phases)
