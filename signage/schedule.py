"""What plays on a board at a moment, and the timeline over a range: pure, no DB, no Redis.

Input is the board's typed show (``signage.show.Show``) so the worker decides
alone, even with Redis and the database gone. Order of precedence:

1. an active urgent notice (newest ``starts_at`` wins, then highest id); notices play even
   outside the board's on/off hours, since a gate closure must be seen;
2. outside the on/off hours: nothing (the board is switched off);
3. the matching schedule with the highest priority; equal priorities go to the most specific
   target (a board beats a group, a group beats "all boards"), then to the highest id (the
   most recently created). Schedules whose playlist is empty are skipped, so the board never
   goes dark because of one;
4. the board's fallback playlist (``Board.playlist_id``);
5. idle (nothing at all to play).

Dates and times of day are wall-clock in the board's zone (``board.timezone``, default
Asia/Ho_Chi_Minh); instants are aware datetimes. Local times are computed with zoneinfo
from the instant, so zones with daylight saving are right on both sides of a change. A
daily window whose end is not after its start runs overnight and belongs to the day it
starts on (22:00-06:00 on a Friday-only schedule plays Friday night into Saturday).
A schedule with a ``repeat`` rule (``signage.recurrence``) plays only on the days of its
yearly occurrences (a solar or a lunar date), within its dates and weekdays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from signage.recurrence import Rule
from signage.show import Show, ShowItem, ShowNotice, ShowSchedule

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
SPECIFICITY = {"board": 2, "group": 1, "all": 0}


@dataclass(frozen=True)
class Choice:
    """What a board plays: ``kind`` is notice, schedule, fallback, off or idle."""

    kind: str
    playlist: str | None = None
    schedule_id: int | None = None
    notice_id: int | None = None
    label: str = ""
    items: tuple[ShowItem, ...] = field(default=(), compare=False, hash=False)

    @property
    def key(self) -> str:
        """Identifies the choice; a change of key is a change of what the board plays."""
        return f"{self.kind}:{self.notice_id or self.schedule_id or self.playlist or ''}"


@dataclass(frozen=True)
class Segment:
    """One stretch of a timeline during which the choice stays the same."""

    start: datetime
    end: datetime
    choice: Choice
    #: Other schedules that matched too but lost (ids), so the admin sees overlaps.
    shadowed: tuple[int, ...] = ()


def zone(doc: Show | None) -> ZoneInfo:
    """The board's time zone from the show (default Asia/Ho_Chi_Minh)."""
    return ZoneInfo((doc.board.timezone if doc is not None else None) or DEFAULT_TIMEZONE)


def _aware(t: datetime) -> datetime:
    if t.tzinfo is None:
        raise ValueError("give an aware datetime (with tzinfo), not a naive one")
    return t


def _day_ok(entry: ShowSchedule, day: date) -> bool:
    """The schedule covers local ``day`` by its dates, weekdays and yearly rule."""
    if entry.starts_on is not None and day < entry.starts_on:
        return False
    if entry.ends_on is not None and day > entry.ends_on:
        return False
    if str(day.isoweekday()) not in entry.weekdays:
        return False
    return entry.repeat is None or entry.repeat.covers(day)


def occurrences(entry: ShowSchedule, first: date, last: date) -> list[tuple[date, date]]:
    """The yearly occurrences of a show's schedule that share a day with ``first``..``last`` and
    with the schedule's own dates (none for a daily schedule), for the timeline and the CLI."""
    if entry.repeat is None:
        return []
    first = max(first, entry.starts_on) if entry.starts_on else first
    last = min(last, entry.ends_on) if entry.ends_on else last
    return list(entry.repeat.occurrences(first, last)) if first <= last else []


def yearly_ahead(
    doc: Show, after: date, count: int = 3
) -> list[tuple[ShowSchedule, Rule, list[tuple[date, date]]]]:
    """Each yearly schedule of the show with its next ``count`` occurrences from ``after`` on."""
    found = []
    for entry in doc.schedules:
        if entry.repeat is not None:
            ahead = occurrences(entry, after, after + timedelta(days=366 * count))
            found.append((entry, entry.repeat, ahead[:count]))
    return found


def in_window(start: time | None, end: time | None, local: datetime, day_ok: Callable[[date], bool]) -> bool:
    """Whether wall time ``local`` is inside a daily window whose days pass ``day_ok(date)``."""
    now = local.time().replace(tzinfo=None)
    day = local.date()
    if start is None and end is None:
        return day_ok(day)
    start = start or time(0)
    if end is None or end > start:
        return day_ok(day) and start <= now and (end is None or now < end)
    # Overnight (or a full 24 h when end == start): tonight's part, or last night's tail.
    return (day_ok(day) and now >= start) or (day_ok(day - timedelta(days=1)) and now < end)


def schedule_matches(entry: ShowSchedule, local: datetime) -> bool:
    """Whether one schedule of the show covers wall time ``local``."""
    return in_window(entry.start_time, entry.end_time, local, lambda d: _day_ok(entry, d))


def rank(entry: ShowSchedule) -> tuple[int, int, int]:
    """Sort key of the tie-break: priority, then specificity, then the newest id."""
    return (entry.priority, SPECIFICITY.get(entry.target, 0), entry.id)


def active_notices(doc: Show, t: datetime) -> list[ShowNotice]:
    """Notices in force at ``t``, the one to show first."""
    live = [n for n in doc.notices if n.starts_at <= t < n.expires_at]
    return sorted(live, key=lambda n: (n.starts_at, n.id), reverse=True)


def notice_item(notice: ShowNotice, t: datetime) -> ShowItem:
    """The show item of a notice, held until it expires (at most an hour per play)."""
    left = (notice.expires_at - t).total_seconds()
    duration = max(0.5, min(left, 3600.0))
    if notice.image:
        return ShowItem(
            kind="banner",
            image=notice.image,
            fit="fit",
            id=f"notice:{notice.id}",
            duration=duration,
            name=notice.text or "notice",
        )
    effect = notice.effect or "static"
    return ShowItem(
        kind="slogan",
        text=notice.text or "",
        effect=effect,
        color=notice.color or "#ff0000",
        speed=32,
        id=f"notice:{notice.id}",
        duration=duration,
        # one pass at a time, again and again until it expires: a scroll played "for the
        # duration" runs once and then leaves the board empty for the rest of the hour
        passes=1 if effect.startswith("scroll-") else None,
    )


def is_on(doc: Show, t: datetime) -> bool:
    """Whether the board is inside its on/off hours (no hours: always on)."""
    hours = doc.hours
    if hours is None or (hours.on is None and hours.off is None):
        return True
    return in_window(hours.on, hours.off, _aware(t).astimezone(zone(doc)), lambda d: True)


def brightness(doc: Show, t: datetime) -> int:
    """Brightness in percent at ``t`` from the daily step table (no table: 100)."""
    steps = sorted((s.at, s.level) for s in doc.brightness)
    if not steps:
        return 100
    now = _aware(t).astimezone(zone(doc)).time().replace(tzinfo=None)
    level = steps[-1][1]  # before the first step of the day, the last one of yesterday holds
    for at, value in steps:
        if at <= now:
            level = value
    return max(0, min(100, level))


def matching_schedules(doc: Show, t: datetime) -> list[ShowSchedule]:
    """Schedules covering ``t`` with a non-empty playlist, the winner first."""
    local = _aware(t).astimezone(zone(doc))
    found = [s for s in doc.schedules if schedule_matches(s, local) and doc.playlist_items(s.playlist)]
    return sorted(found, key=rank, reverse=True)


def what_plays(doc: Show, t: datetime) -> Choice:
    """The choice for the board of ``doc`` at aware instant ``t`` (see the module docstring)."""
    t = _aware(t)
    notices = active_notices(doc, t)
    if notices:
        n = notices[0]
        return Choice("notice", notice_id=n.id, label=n.text or "notice", items=(notice_item(n, t),))
    if not is_on(doc, t):
        return Choice("off", label="off hours")
    winners = matching_schedules(doc, t)
    if winners:
        s = winners[0]
        return Choice(
            "schedule",
            playlist=s.playlist,
            schedule_id=s.id,
            label=s.name or doc.playlist_name(s.playlist),
            items=doc.playlist_items(s.playlist),
        )
    items = doc.playlist_items(doc.fallback)
    if items:
        return Choice("fallback", playlist=doc.fallback, label=doc.playlist_name(doc.fallback), items=items)
    return Choice("idle", label="nothing to play")


def _boundaries(doc: Show, start: datetime, end: datetime) -> list[datetime]:
    """Every instant in [start, end) where the choice may change."""
    tz = zone(doc)
    times: set[time] = {time(0)}
    for s in doc.schedules:
        times |= {t for t in (s.start_time, s.end_time) if t is not None}
    if doc.hours is not None:
        times |= {t for t in (doc.hours.on, doc.hours.off) if t is not None}
    found = {start}
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    while day <= last:
        for tm in times:
            # fold=0 picks the first of two repeated wall times; a missing one (spring forward)
            # maps to the instant after the gap, where the local clock shows the later time.
            moment = datetime.combine(day, tm, tzinfo=tz).astimezone(start.tzinfo)
            if start < moment < end:
                found.add(moment)
        day += timedelta(days=1)
    for n in doc.notices:
        for moment in (n.starts_at, n.expires_at):
            if start < moment < end:
                found.add(moment)
    return sorted(found)


def timeline(doc: Show, start: datetime, end: datetime) -> list[Segment]:
    """What the board plays from ``start`` to ``end``, merged into segments (for the admin)."""
    start, end = _aware(start), _aware(end)
    if end <= start:
        raise ValueError("the end of a timeline must come after its start")
    points = _boundaries(doc, start, end)
    segments: list[Segment] = []
    for i, at in enumerate(points):
        until = points[i + 1] if i + 1 < len(points) else end
        choice = what_plays(doc, at)
        shadowed = (
            tuple(s.id for s in matching_schedules(doc, at) if s.id != choice.schedule_id)
            if choice.kind != "off"
            else ()
        )
        if segments and segments[-1].choice.key == choice.key and segments[-1].shadowed == shadowed:
            segments[-1] = Segment(segments[-1].start, until, segments[-1].choice, shadowed)
        else:
            segments.append(Segment(at, until, choice, shadowed))
    return segments
