"""Campaigns, phases and board groups: the checks every input path shares, and a campaign's overview.

The checks follow ``signage.rules``: each returns the cleaned value or raises
``InvalidInput`` naming the field, with an English ``N_`` template the web layer
translates, so the API or the importer can reuse them later and say the same thing.
Flask-free: the CLI and tests call these with a plain session.

Overlapping phases are refused, not merely warned about: the plan's phases follow one
another ("after the provincial congress until the national congress"), so an overlap is
almost always a mistyped date, and it would make two phases' schedules compete on the
shared days with a tie-break nobody chose. A schedule that needs to span phases can name
no phase and give its own dates instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage import schedule as pure
from signage.models import Board, BoardGroup, Campaign, Phase, Schedule
from signage.publish import compile_show
from signage.rules import N_, InvalidInput, day
from signage.show import Show
from signage.text import normalize

NAME_LIMIT = 200  # Campaign.name and Phase.name are String(200)
GROUP_NAME_LIMIT = 120  # BoardGroup.name is String(120)
DESCRIPTION_LIMIT = 5000
#: The overview covers at most this many days (the 2019-2021 congress campaign is ~610).
OVERVIEW_DAYS = 1100


def short_name(value: str | None, limit: int, field_name: str = "name") -> str:
    """A name as every list shows it: NFC, spaces collapsed, not empty, at most ``limit``."""
    cleaned = " ".join(normalize(value or "").split())
    if not cleaned:
        raise InvalidInput(field_name, N_("the name is empty"))
    if len(cleaned) > limit:
        raise InvalidInput(
            field_name,
            N_("the name has %(count)d characters; at most %(limit)d are allowed"),
            count=len(cleaned),
            limit=limit,
        )
    return cleaned


def campaign_name(value: str | None) -> str:
    """NFC, spaces collapsed (so "Đại hội  XIII" and "Đại hội XIII" are one name), not empty."""
    return short_name(value, NAME_LIMIT)


def phase_name(value: str | None) -> str:
    return short_name(value, NAME_LIMIT)


def group_name(value: str | None) -> str:
    return short_name(value, GROUP_NAME_LIMIT)


def description(value: str | None) -> str:
    """Free text, NFC; bounded so a pasted document does not land in every page."""
    cleaned = normalize(value or "").strip()
    if len(cleaned) > DESCRIPTION_LIMIT:
        raise InvalidInput(
            "description",
            N_("the description has %(count)d characters; at most %(limit)d are allowed"),
            count=len(cleaned),
            limit=DESCRIPTION_LIMIT,
        )
    return cleaned


def phase_dates(first: date | None, last: date | None) -> tuple[date, date]:
    """Both days given, the last not before the first (a one-day phase is fine)."""
    if first is None:
        raise InvalidInput("starts_on", N_("give the first day of the phase"))
    if last is None:
        raise InvalidInput("ends_on", N_("give the last day of the phase"))
    if last < first:
        raise InvalidInput(
            "ends_on",
            N_("the last day %(last)s comes before the first day %(first)s"),
            last=day(last),
            first=day(first),
        )
    return first, last


def no_overlap(others: Iterable[Phase], first: date, last: date) -> None:
    """Refuse dates that share a day with another phase of the same campaign (see the module doc)."""
    for other in others:
        if first <= other.ends_on and other.starts_on <= last:
            raise InvalidInput(
                "starts_on",
                N_("these days overlap phase %(name)s (%(first)s – %(last)s) of the same campaign"),
                name=other.name,
                first=day(other.starts_on),
                last=day(other.ends_on),
            )


def unique_campaign_name(session: Session, name: str, campaign: Campaign | None) -> str:
    taken = session.scalar(select(Campaign).where(Campaign.name == name))
    if taken is not None and taken is not campaign:
        raise InvalidInput("name", N_("a campaign named %(name)s exists already"), name=name)
    return name


def unique_phase_name(campaign: Campaign, name: str, phase: Phase | None) -> str:
    """Phase names are unique within a campaign: the importer and schedules refer to phases by name."""
    if any(p.name == name and p is not phase for p in campaign.phases):
        raise InvalidInput("name", N_("this campaign has a phase named %(name)s already"), name=name)
    return name


def unique_group_name(session: Session, name: str, group: BoardGroup | None) -> str:
    taken = session.scalar(select(BoardGroup).where(BoardGroup.name == name))
    if taken is not None and taken is not group:
        raise InvalidInput("name", N_("a board group named %(name)s exists already"), name=name)
    return name


def board_ids(session: Session, raw: Sequence[Any]) -> list[Board]:
    """The boards a form or the API names by id; an id that names no board is refused by value."""
    wanted: list[int] = []
    unknown: list[str] = []
    for value in raw:
        text = str(value).strip()
        if text.isdigit() and len(text) <= 9:
            wanted.append(int(text))
        else:
            unknown.append(text[:20])
    found = {b.id: b for b in session.scalars(select(Board).where(Board.id.in_(wanted)))} if wanted else {}
    unknown += [str(i) for i in wanted if i not in found]
    if unknown:
        raise InvalidInput("boards", N_("there is no board with id %(ids)s"), ids=", ".join(unknown[:5]))
    return sorted({b.id: b for b in found.values()}.values(), key=lambda b: b.slug)


def board_slugs(session: Session, raw: Sequence[str]) -> list[Board]:
    """The boards the API names by slug; a slug that names no board is refused by name."""
    wanted = {str(slug).strip() for slug in raw}
    if not wanted:
        return []
    found = list(session.scalars(select(Board).where(Board.slug.in_(wanted)).order_by(Board.slug)))
    unknown = sorted(wanted - {b.slug for b in found})
    if unknown:
        raise InvalidInput.gather(
            [InvalidInput("boards", N_("no board %(id)r"), id=slug) for slug in unknown[:5]]
        )
    return found


def schedules_using(
    session: Session, *, phases: Iterable[Phase] = (), group: BoardGroup | None = None
) -> list[Schedule]:
    """The schedules that name one of these phases, or this group."""
    phase_ids = [p.id for p in phases if p.id is not None]
    query = select(Schedule).order_by(Schedule.id)
    if group is not None:
        return list(session.scalars(query.where(Schedule.group_id == group.id)))
    if not phase_ids:
        return []
    return list(session.scalars(query.where(Schedule.phase_id.in_(phase_ids))))


def unused(schedules: Sequence[Schedule], what: str) -> None:
    """Refuse to delete what schedules still use.

    Deleting a phase would leave its schedules without dates (they would play every day
    from then on) and deleting a group would delete its schedules with it; both are
    surprises, so the user changes or deletes those schedules first.
    """
    if schedules:
        raise InvalidInput(
            what,
            N_("schedules %(ids)s still use it; change or delete them first"),
            ids=", ".join(f"#{s.id}" for s in schedules[:10]),
        )


# --- the campaign's overview: which playlist plays on which days, per board ----------------


@dataclass
class DayRun:
    """Consecutive days on which a board plays the same playlists (in the order they start)."""

    first: date
    last: date
    plays: tuple[tuple[str, str], ...]  # (kind, playlist name): kind is schedule or fallback
    phase: str = ""

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass
class BoardOverview:
    board: Board
    timezone: str
    runs: list[DayRun] = field(default_factory=list)


def campaign_span(campaign: Campaign) -> tuple[date, date] | None:
    """First and last day of the campaign (None without phases)."""
    if not campaign.phases:
        return None
    return min(p.starts_on for p in campaign.phases), max(p.ends_on for p in campaign.phases)


def _phase_of(phases: Sequence[Phase], when: date) -> str:
    return next((p.name for p in phases if p.starts_on <= when <= p.ends_on), "")


def day_summary(doc: Show, first: date, last: date, phases: Sequence[Phase] = ()) -> list[DayRun]:
    """What a board plays day by day from ``first`` to ``last``, merged into runs of equal days.

    Runs the same pure timeline the worker and the board timeline page use, so it cannot
    disagree with them. Urgent notices and off hours are left out: they are not part of a
    campaign's plan, and a notice lasting an hour would split the days for nothing.
    """
    plan = replace(doc, notices=(), hours=None)
    tz = pure.zone(plan)
    begin = datetime(first.year, first.month, first.day, tzinfo=tz)
    end = begin + timedelta(days=(last - first).days + 1)
    names = {key: plan.playlist_name(key) for key in plan.playlists}
    per_day: dict[date, list[tuple[str, str]]] = {}
    for seg in pure.timeline(plan, begin, end):
        if seg.choice.kind not in ("schedule", "fallback"):
            continue
        label = (seg.choice.kind, names.get(seg.choice.playlist or "", seg.choice.label))
        current = seg.start.astimezone(tz).date()
        stop = (seg.end - timedelta(microseconds=1)).astimezone(tz).date()
        while current <= stop:
            plays = per_day.setdefault(current, [])
            if label not in plays:
                plays.append(label)
            current += timedelta(days=1)
    runs: list[DayRun] = []
    current = first
    while current <= last:
        today, phase = tuple(per_day.get(current, ())), _phase_of(phases, current)
        previous = runs[-1] if runs else None
        if previous and (previous.plays, previous.phase) == (today, phase):
            previous.last = current
        else:
            runs.append(DayRun(current, current, today, phase))
        current += timedelta(days=1)
    return runs


def overview(session: Session, campaign: Campaign) -> tuple[list[BoardOverview], bool]:
    """Each board's day runs over the campaign's dates; True when the span was cut to OVERVIEW_DAYS."""
    span = campaign_span(campaign)
    if span is None:
        return [], False
    first, last = span
    cut = (last - first).days + 1 > OVERVIEW_DAYS
    if cut:
        last = first + timedelta(days=OVERVIEW_DAYS - 1)
    result = []
    # Boards with the same schedules and fallback (e.g. every board of a gate under "all
    # boards" schedules) have the same days: summarise each distinct plan once.
    seen: dict[str, list[DayRun]] = {}
    for board in session.scalars(select(Board).order_by(Board.slug)):
        doc, _blobs = compile_show(board, session)
        tz = pure.zone(doc).key
        key = json.dumps(
            [
                tz,
                doc.fallback,
                [s.to_json() for s in doc.schedules],
                {k: (p.name, bool(p.items)) for k, p in doc.playlists.items()},
            ],
            sort_keys=True,
            default=str,
        )
        if key not in seen:
            seen[key] = day_summary(doc, first, last, campaign.phases)
        result.append(BoardOverview(board, tz, seen[key]))
    return result, cut
