"""What plays on a board at a moment, and the timeline over a range: pure, no DB, no Redis.

Input is the board's show document (format 2, see ``signage.show``) so the worker decides
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

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from signage.recurrence import Rule

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
    items: list[dict[str, Any]] = field(default_factory=list, compare=False, hash=False)

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


def zone(doc: dict[str, Any]) -> ZoneInfo:
    """The board's time zone from the show (default Asia/Ho_Chi_Minh)."""
    return ZoneInfo((doc.get("board") or {}).get("timezone") or DEFAULT_TIMEZONE)


def _aware(t: datetime) -> datetime:
    if t.tzinfo is None:
        raise ValueError("give an aware datetime (with tzinfo), not a naive one")
    return t


def _parse_time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _parse_instant(value: str) -> datetime:
    t = datetime.fromisoformat(value)
    return t if t.tzinfo is not None else t.replace(tzinfo=ZoneInfo("UTC"))


def _day_ok(entry: dict[str, Any], day: date) -> bool:
    """The schedule covers local ``day`` by its dates, weekdays and yearly rule."""
    first, last = _parse_date(entry.get("starts_on")), _parse_date(entry.get("ends_on"))
    if first is not None and day < first:
        return False
    if last is not None and day > last:
        return False
    if str(day.isoweekday()) not in (entry.get("weekdays") or "1234567"):
        return False
    rule = Rule.from_json(entry.get("repeat"))
    return rule is None or rule.covers(day)


def occurrences(entry: dict[str, Any], first: date, last: date) -> list[tuple[date, date]]:
    """The yearly occurrences of a show's schedule that share a day with ``first``..``last`` and
    with the schedule's own dates (none for a daily schedule), for the timeline and the CLI."""
    rule = Rule.from_json(entry.get("repeat"))
    if rule is None:
        return []
    own_first, own_last = _parse_date(entry.get("starts_on")), _parse_date(entry.get("ends_on"))
    first = max(first, own_first) if own_first else first
    last = min(last, own_last) if own_last else last
    return list(rule.occurrences(first, last)) if first <= last else []


def yearly_ahead(
    doc: dict[str, Any], after: date, count: int = 3
) -> list[tuple[dict[str, Any], Rule, list[tuple[date, date]]]]:
    """Each yearly schedule of the show with its next ``count`` occurrences from ``after`` on."""
    found = []
    for entry in doc.get("schedules") or []:
        rule = Rule.from_json(entry.get("repeat"))
        if rule is not None:
            ahead = occurrences(entry, after, after + timedelta(days=366 * count))
            found.append((entry, rule, ahead[:count]))
    return found


def in_window(start: time | None, end: time | None, local: datetime, day_ok: Any) -> bool:
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


def schedule_matches(entry: dict[str, Any], local: datetime) -> bool:
    """Whether one schedule of the show covers wall time ``local``."""
    return in_window(
        _parse_time(entry.get("start_time")),
        _parse_time(entry.get("end_time")),
        local,
        lambda d: _day_ok(entry, d),
    )


def rank(entry: dict[str, Any]) -> tuple[int, int, int]:
    """Sort key of the tie-break: priority, then specificity, then the newest id."""
    return (int(entry.get("priority", 0)), SPECIFICITY.get(entry.get("target", "all"), 0), int(entry["id"]))


def active_notices(doc: dict[str, Any], t: datetime) -> list[dict[str, Any]]:
    """Notices in force at ``t``, the one to show first."""
    live = [
        n
        for n in doc.get("notices") or []
        if _parse_instant(n["starts_at"]) <= t < _parse_instant(n["expires_at"])
    ]
    return sorted(live, key=lambda n: (_parse_instant(n["starts_at"]), n["id"]), reverse=True)


def notice_item(notice: dict[str, Any], t: datetime) -> dict[str, Any]:
    """The show item of a notice, held until it expires (at most an hour per play)."""
    left = (_parse_instant(notice["expires_at"]) - t).total_seconds()
    duration = max(0.5, min(left, 3600.0))
    if notice.get("image"):
        return {
            "kind": "banner",
            "image": notice["image"],
            "fit": "fit",
            "id": f"notice:{notice['id']}",
            "duration": duration,
            "name": notice.get("text") or "notice",
        }
    item = {
        "kind": "slogan",
        "text": notice.get("text") or "",
        "effect": notice.get("effect", "static"),
        "color": notice.get("color", "#ff0000"),
        "speed": notice.get("speed", 32),
        "id": f"notice:{notice['id']}",
        "duration": duration,
    }
    if str(item["effect"]).startswith("scroll-"):
        # one pass at a time, again and again until it expires: a scroll played "for the
        # duration" runs once and then leaves the board empty for the rest of the hour
        item["passes"] = 1
    return item


def is_on(doc: dict[str, Any], t: datetime) -> bool:
    """Whether the board is inside its on/off hours (no hours: always on)."""
    hours = doc.get("hours") or {}
    on, off = _parse_time(hours.get("on")), _parse_time(hours.get("off"))
    if on is None and off is None:
        return True
    return in_window(on, off, _aware(t).astimezone(zone(doc)), lambda d: True)


def brightness(doc: dict[str, Any], t: datetime) -> int:
    """Brightness in percent at ``t`` from the daily step table (no table: 100)."""
    steps = sorted((time.fromisoformat(s["at"]), int(s["level"])) for s in doc.get("brightness") or [])
    if not steps:
        return 100
    now = _aware(t).astimezone(zone(doc)).time().replace(tzinfo=None)
    level = steps[-1][1]  # before the first step of the day, the last one of yesterday holds
    for at, value in steps:
        if at <= now:
            level = value
    return max(0, min(100, level))


def _playlist_items(doc: dict[str, Any], key: str | None) -> list[dict[str, Any]]:
    if key is None:
        return []
    entry = (doc.get("playlists") or {}).get(str(key))
    return list(entry.get("items") or []) if entry else []


def _playlist_name(doc: dict[str, Any], key: str | None) -> str:
    entry = (doc.get("playlists") or {}).get(str(key)) if key is not None else None
    return (entry or {}).get("name") or str(key)


def matching_schedules(doc: dict[str, Any], t: datetime) -> list[dict[str, Any]]:
    """Schedules covering ``t`` with a non-empty playlist, the winner first."""
    local = _aware(t).astimezone(zone(doc))
    found = [
        s
        for s in doc.get("schedules") or []
        if schedule_matches(s, local) and _playlist_items(doc, s.get("playlist"))
    ]
    return sorted(found, key=rank, reverse=True)


def what_plays(doc: dict[str, Any], t: datetime) -> Choice:
    """The choice for the board of ``doc`` at aware instant ``t`` (see the module docstring)."""
    t = _aware(t)
    notices = active_notices(doc, t)
    if notices:
        n = notices[0]
        return Choice(
            "notice", notice_id=int(n["id"]), label=n.get("text") or "notice", items=[notice_item(n, t)]
        )
    if not is_on(doc, t):
        return Choice("off", label="off hours")
    winners = matching_schedules(doc, t)
    if winners:
        s = winners[0]
        key = str(s["playlist"])
        return Choice(
            "schedule",
            playlist=key,
            schedule_id=int(s["id"]),
            label=s.get("name") or _playlist_name(doc, key),
            items=_playlist_items(doc, key),
        )
    fallback = doc.get("fallback")
    items = _playlist_items(doc, fallback)
    if items:
        return Choice("fallback", playlist=str(fallback), label=_playlist_name(doc, fallback), items=items)
    return Choice("idle", label="nothing to play")


def _boundaries(doc: dict[str, Any], start: datetime, end: datetime) -> list[datetime]:
    """Every instant in [start, end) where the choice may change."""
    tz = zone(doc)
    times: set[time] = {time(0)}
    for s in doc.get("schedules") or []:
        for key in ("start_time", "end_time"):
            if s.get(key):
                times.add(time.fromisoformat(s[key]))
    hours = doc.get("hours") or {}
    for key in ("on", "off"):
        if hours.get(key):
            times.add(time.fromisoformat(hours[key]))
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
    for n in doc.get("notices") or []:
        for key in ("starts_at", "expires_at"):
            moment = _parse_instant(n[key])
            if start < moment < end:
                found.add(moment)
    return sorted(found)


def timeline(doc: dict[str, Any], start: datetime, end: datetime) -> list[Segment]:
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
            tuple(int(s["id"]) for s in matching_schedules(doc, at) if int(s["id"]) != choice.schedule_id)
            if choice.kind != "off"
            else ()
        )
        if segments and segments[-1].choice.key == choice.key and segments[-1].shadowed == shadowed:
            segments[-1] = Segment(segments[-1].start, until, segments[-1].choice, shadowed)
        else:
            segments.append(Segment(at, until, choice, shadowed))
    return segments
