"""One schema per record: its fields, their types and bounds, and the rules it must pass.

The JSON API (``signage.web.api``) and the playlist files (``signage.bundle``) both load
through these, so a slogan's speed, a schedule's days or a phase's dates are refused by the
same check with the same message wherever they come from. The API's schemas are thin
subclasses that add what only the API has (a record's ``version``, ids of other rows); the
files' add what only files have (keys naming other tables, the file's spellings of a key).

Names (``data_key``) may differ between the formats; a check that involves several fields
reports under the name the caller wrote (``self.said_as``).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, ClassVar

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from drivers.pixels import DEFAULT_PITCH_MM, DEFAULT_VIEWING_M
from signage import campaigns, holidays, rules
from signage.message import N_
from signage.models import ALL_WEEKDAYS, DEFAULT_TIMEZONE
from signage.problem import Problem
from signage.recurrence import REPEATS, Rule
from signage.render.banner import FITS
from signage.schemas.fields import (
    Choice,
    Clock,
    Day,
    Flag,
    Many,
    Number,
    Tables,
    Text,
    Weekdays,
    Whole,
)

#: Effects an urgent notice may have (it must be read at once: no effect that hides it).
NOTICE_EFFECTS = ("static", "blink", "scroll-left")
#: The longest an urgent notice lasts, in minutes (a month).
MAX_MINUTES = 60 * 24 * 31
#: Instants a notice may name: any real one, and far from the limits of ``datetime``.
FIRST_INSTANT, LAST_INSTANT = datetime(2000, 1, 1), datetime(2099, 12, 1)
#: A schedule's priority: higher wins.
PRIORITY = (-1000, 1000)
NAME_LIMIT = 120  # Playlist.name, Banner.name, Board.name are String(120)
KEY_LIMIT = 80  # keys naming slogans and banners in files


class Record(Schema):
    """A record's schema: ``wording`` says whose words refuse a value ("api" or "toml")."""

    wording: ClassVar[str] = "api"

    def said_as(self, name: str) -> str:
        """The name the caller wrote for the field ``name`` (its ``data_key``)."""
        field = self.fields.get(name)
        return (field.data_key or name) if field is not None else name

    def refuse(self, problems: dict[str, Any], name: str, template: str, **params: Any) -> None:
        """Add a problem of the field ``name`` (said under the caller's name of it)."""
        problems.setdefault(self.said_as(name), []).append(Problem("", template, **params))


class SloganSchema(Record):
    text = Text(
        required=True,
        rule=rules.slogan_text,
        metadata={"description": "NFC Vietnamese, at most 2000 characters"},
    )
    effect = Text(load_default="auto", rule=rules.effect)
    speed = Whole(load_default=32, rule=rules.speed)
    color = Text(load_default="#ff0000", rule=rules.color)
    source = Text(
        load_default="",
        rule=rules.slogan_source,
        metadata={
            "description": "the document the slogan comes from, e.g. KH 17/KH-BQLKKT (at most 200 characters)"
        },
    )


class ItemSchema(Record):
    """A playlist item: how long it plays (or how many passes of its scroll), on or off."""

    duration = Number(load_default=10.0, rule=rules.duration)
    passes = Number(load_default=None, allow_none=True, rule=rules.passes)
    enabled = Flag(load_default=True)


class PlaylistSchema(Record):
    name = Text(NAME_LIMIT, empty=False, required=True)
    items = Tables(ItemSchema, load_default=list)


class BannerSchema(Record):
    """What a banner has besides its image: a name for lists and how the board fits it."""

    name = Text(
        NAME_LIMIT, plain=True, load_default="", metadata={"description": "shown in lists; empty: 'banner'"}
    )
    fit = Choice(FITS, load_default="fit")


class BrightnessStepSchema(Record):
    at = Clock(required=True, metadata={"description": "HH:MM local"})
    level = Whole(0, 100, required=True, metadata={"description": "percent, from ``at`` until the next step"})


def time_zone(default: str | None) -> Text:
    """A board's IANA time zone (``default`` when it is left out)."""
    return Text(
        64,
        rule=rules.timezone,
        load_default=default,
        metadata={"description": "an IANA zone, e.g. Asia/Ho_Chi_Minh"},
    )


class HoursSchema(Record):
    """A board's settings: its time zone, daily on/off hours (neither: always on), brightness table."""

    timezone = time_zone(DEFAULT_TIMEZONE)
    on = Clock(
        load_default=None,
        allow_none=True,
        metadata={"description": "HH:MM local the board switches on; null: always on"},
    )
    off = Clock(
        load_default=None,
        allow_none=True,
        metadata={"description": "HH:MM local it switches off; before ``on``: overnight on"},
    )
    brightness = Tables(BrightnessStepSchema, load_default=list)

    @validates_schema
    def _pair_and_steps(self, data: dict[str, Any], **_kwargs: Any) -> None:
        problems: dict[str, Any] = {}
        if (data.get("on") is None) != (data.get("off") is None):
            missing = "off" if data.get("off") is None else "on"
            self.refuse(problems, missing, N_("Give both the on and the off time, or neither (always on)."))
        seen: set[time] = set()
        twice: dict[int, dict[str, list[str]]] = {}
        for index, step in enumerate(data.get("brightness") or []):
            if step["at"] in seen:
                twice[index] = {
                    "at": [Problem("", N_("%(time)s is given twice"), time=f"{step['at']:%H:%M}")]
                }
            seen.add(step["at"])
        if twice:
            problems[self.said_as("brightness")] = twice
        if problems:
            raise ValidationError(problems)


class BoardSchema(HoursSchema):
    """A board: its slug and name, geometry, link, how it is seen, and its settings."""

    slug = Text(required=True, rule=rules.board_slug)
    name = Text(NAME_LIMIT, empty=False, required=True)
    width = Whole(required=True)
    height = Whole(required=True)
    color = Text(load_default="mono")
    protocol = Text(load_default="native", rule=rules.protocol)
    port_url = Text(255, empty=False, required=True, rule=rules.port_syntax)
    baud = Whole(load_default=115200, rule=rules.baud)
    address = Whole(0, 127, load_default=1)
    pitch_mm = Number(load_default=DEFAULT_PITCH_MM, rule=rules.pitch_mm, as_written=True)
    viewing_m = Number(load_default=DEFAULT_VIEWING_M, rule=rules.viewing_m, as_written=True)

    @validates_schema
    def _geometry(self, data: dict[str, Any], **_kwargs: Any) -> None:
        try:
            rules.board_geometry(data["width"], data["height"], data["color"])
        except rules.InvalidInput as exc:
            field = exc.field if exc.field in self.fields else "width"
            raise ValidationError({self.said_as(field): [Problem("", exc.template, **exc.params)]}) from None


class GroupSchema(Record):
    name = Text(NAME_LIMIT, plain=True, required=True, rule=campaigns.group_name)
    description = Text(campaigns.DESCRIPTION_LIMIT * 2, load_default="", rule=campaigns.description)
    boards = Many(
        Text(rule=rules.board_slug),
        load_default=list,
        validate=validate.Length(max=1000),
        metadata={"description": "board slugs"},
    )


class CampaignSchema(Record):
    name = Text(campaigns.NAME_LIMIT, plain=True, required=True, rule=campaigns.campaign_name)
    description = Text(campaigns.DESCRIPTION_LIMIT * 2, load_default="", rule=campaigns.description)


class PhaseSchema(Record):
    name = Text(campaigns.NAME_LIMIT, plain=True, required=True, rule=campaigns.phase_name)
    starts_on = Day(required=True, metadata={"description": "first day, local, inclusive"})
    ends_on = Day(required=True, metadata={"description": "last day, local, inclusive"})

    @validates_schema
    def _order(self, data: dict[str, Any], **_kwargs: Any) -> None:
        try:
            campaigns.phase_dates(data["starts_on"], data["ends_on"])
        except rules.InvalidInput as exc:
            raise ValidationError(
                {self.said_as(exc.field): [Problem("", exc.template, **exc.params)]}
            ) from None


LOCAL_DATE = "the board's local date, inclusive (YYYY-MM-DD)"


class ScheduleSchema(Record):
    """When a playlist plays: days, weekdays, daily hours, priority and how it repeats."""

    name = Text(200, plain=True, load_default="", metadata={"description": "empty: the playlist's name"})
    board = Text(
        load_default=None,
        allow_none=True,
        rule=rules.board_slug,
        metadata={"description": "a board's slug; null with no group: all boards"},
    )
    starts_on = Day(load_default=None, allow_none=True, metadata={"description": LOCAL_DATE})
    ends_on = Day(load_default=None, allow_none=True, metadata={"description": LOCAL_DATE})
    weekdays = Weekdays(
        load_default=ALL_WEEKDAYS, metadata={"description": "ISO weekdays, 1 = Monday .. 7 = Sunday"}
    )
    start_time = Clock(
        load_default=None,
        allow_none=True,
        metadata={"description": "HH:MM local; null with end_time null: all day"},
    )
    end_time = Clock(
        load_default=None,
        allow_none=True,
        metadata={"description": "HH:MM local; not after start_time: runs overnight"},
    )
    priority = Whole(*PRIORITY, load_default=0, metadata={"description": "higher wins"})
    enabled = Flag(load_default=True)
    repeat = Choice(
        REPEATS,
        load_default="daily",
        metadata={
            "description": "daily: every day of the range on the weekdays given; yearly: each year from "
            "repeat_day/repeat_month; lunar: the same in the Vietnamese lunar calendar"
        },
    )
    repeat_month = Whole(
        load_default=None, allow_none=True, metadata={"description": "1-12, for yearly and lunar"}
    )
    repeat_day = Whole(
        load_default=None,
        allow_none=True,
        metadata={"description": "1-31 (lunar: 1-30), for yearly and lunar"},
    )
    repeat_leap = Flag(
        load_default=False,
        metadata={"description": "lunar only: in the leap month in years that repeat that month"},
    )
    repeat_days = Whole(
        load_default=1, metadata={"description": "how many days each occurrence lasts (1-60)"}
    )

    #: The key a problem of the target (board or group) is said under.
    group_key: ClassVar[str] = "group_id"

    def has_group(self, data: dict[str, Any]) -> bool:
        return data.get("group_id") is not None

    @validates_schema
    def _together(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """The checks that involve two fields, under the field the user must fix; the yearly
        rule they make is kept as ``data["rule"]`` (None: daily), so nobody parses it again
        (marshmallow validates the very dict it returns)."""
        problems: dict[str, list[str]] = {}
        start, end = self.times(data)
        together = (
            lambda: rules.date_range(data.get("starts_on"), data.get("ends_on")),
            lambda: rules.daily_window(start, end),
            lambda: rules.one_target(data.get("board") is not None, self.has_group(data)),
        )
        for check in together:
            try:
                check()
            except rules.InvalidInput as exc:
                field = self.group_key if exc.field == "group_id" else exc.field
                self.refuse(problems, field, exc.template, **exc.params)
        try:
            # Parsed once, here: what loads carries the rule, and the service takes it as it is.
            data["rule"] = self.repeat_rule(data)
        except rules.InvalidInput as exc:
            self.refuse(problems, exc.field, exc.template, **exc.params)
        if problems:
            raise ValidationError(problems)

    def times(self, data: dict[str, Any]) -> tuple[time | None, time | None]:
        """The daily start and end (files write them as one ``hours`` window)."""
        return data.get("start_time"), data.get("end_time")

    def day_month(self, data: dict[str, Any]) -> tuple[int | None, int | None]:
        """The day and month a yearly or lunar schedule comes back on (files write ``on = "10/3"``)."""
        return data.get("repeat_day"), data.get("repeat_month")

    def repeat_rule(self, data: dict[str, Any]) -> Rule | None:
        """The schedule's ``signage.recurrence.Rule`` (None: daily), checked by ``holidays.check``."""
        day, month = self.day_month(data)
        return holidays.check(
            data.get("repeat"),
            month,
            day,
            data.get("repeat_leap", False),
            data.get("repeat_days", 1),
        )

    @post_load
    def _name(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        if "name" in data:
            data["name"] = data["name"].strip()
        return data


def plausible(value: datetime) -> None:
    """Years a notice can be about (a year 1 or 9999 would overflow on the way to UTC)."""
    if not FIRST_INSTANT <= value.replace(tzinfo=None) <= LAST_INSTANT:
        raise ValidationError(Problem("", N_("give a time from 2000 to 2099")))


def _instant() -> fields.DateTime:
    return fields.DateTime(
        load_default=None,
        allow_none=True,
        validate=plausible,
        metadata={"description": "ISO 8601; without an offset it is the office's local time"},
    )


class NoticeSchema(Record):
    """An urgent notice: its text, how it shows, on which boards, and for how long."""

    text = Text(
        required=True,
        rule=rules.slogan_text,
        metadata={"description": "NFC Vietnamese, at most 2000 characters"},
    )
    effect = Choice(NOTICE_EFFECTS, load_default="static")
    color = Text(load_default="#ff0000", rule=rules.color)
    all_boards = Flag(
        load_default=None,
        allow_none=True,
        metadata={"description": "default: true when no boards are listed"},
    )
    boards = Many(
        Text(rule=rules.board_slug),
        load_default=list,
        validate=validate.Length(max=1000),
        metadata={"description": "board slugs"},
    )
    starts_at = _instant()
    minutes = Whole(
        1,
        MAX_MINUTES,
        load_default=60,
        metadata={"description": "how long it lasts, unless expires_at is given"},
    )
    expires_at = _instant()


__all__ = [
    "BannerSchema",
    "BoardSchema",
    "BrightnessStepSchema",
    "CampaignSchema",
    "GroupSchema",
    "HoursSchema",
    "ItemSchema",
    "NoticeSchema",
    "PhaseSchema",
    "PlaylistSchema",
    "Record",
    "ScheduleSchema",
    "SloganSchema",
]
