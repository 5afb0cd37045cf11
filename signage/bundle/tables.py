"""The record schemas as playlist files write them: file words, file spellings, file-only keys.

Each table of a file loads through the record's schema of ``signage.schemas`` (the same one
the API uses), subclassed here only for what files have and the API has not: keys that name
other tables (a schedule's ``playlist``), the file's spelling of a key (``start`` for
``starts_on``, ``hours = "07:00-22:00"``, ``on = "10/3"``), and the file format's history
(format 1 files hold fewer keys). The reader (``signage.bundle.read``) maps the error paths
these give to lines of the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import time
from typing import Any, ClassVar

from marshmallow import ValidationError, fields, pre_load, validates_schema

from signage.bundle.spec import FILE_FORMAT
from signage.message import N_
from signage.problem import Problem
from signage.render.banner import FITS
from signage.schemas import records
from signage.schemas.fields import Choice, Day, Tables, Text, Whole, clock, file_text, refuse

#: The format of the file being read (format 1 files may hold only the first importer's keys).
FORMAT: ContextVar[int] = ContextVar("FORMAT", default=FILE_FORMAT)
#: The keys format 1 has, per table; format 2 has every key of the schemas.
FORMAT_1_KEYS: dict[str, set[str]] = {
    "": {"format", "slogans", "playlists"},
    "slogans": {"key", "text", "effect", "speed", "color"},
    "playlists": {"name", "items"},
    "items": {"slogan", "duration"},
}
#: marshmallow's own words that a file's reader says in its own (translatable) words.
LIBRARY_WORDS = {"Missing data for required field.": N_("required")}
DAY_MONTH_RE = re.compile(r"^(\d{1,2})/(\d{1,2})$")


def unknown_keys(data: Mapping[str, Any], known: set[str], kind: str) -> dict[str, list[Problem]]:
    """A problem for each key of ``data`` the table ``kind`` does not have in this file's format."""
    allowed = known if FORMAT.get() >= FILE_FORMAT else known & FORMAT_1_KEYS.get(kind, set())
    problems: dict[str, list[Problem]] = {}
    for key in sorted(set(data) - allowed):
        if key in known:
            problems[key] = [
                Problem(
                    "",
                    N_("unknown key (format 2 only: write format = 2 at the top); known: %(known)s"),
                    known=", ".join(sorted(allowed)),
                )
            ]
        else:
            problems[key] = [
                Problem("", N_("unknown key; known: %(known)s"), known=", ".join(sorted(allowed)))
            ]
    return problems


class FileTable(records.Record):
    """A table of a playlist file: refused in the file's words, its keys as the format has them."""

    wording = "toml"
    kind: ClassVar[str] = ""

    @pre_load
    def _a_table_of_known_keys(self, data: Any, **_kwargs: Any) -> Any:
        if not isinstance(data, dict):
            raise ValidationError(
                Problem(
                    "",
                    N_("expected a table ({ ... } or [[%(kind)s]]), got %(value)r"),
                    kind=self.kind,
                    value=data,
                )
            )
        known = {field.data_key or name for name, field in self.load_fields.items()}
        if problems := unknown_keys(data, known, self.kind):
            raise ValidationError(problems)
        return data


def _key() -> Text:
    return Text(records.KEY_LIMIT, empty=False, required=True)


def _ref(limit: int) -> Text:
    """A key or name of another table (checked once every file is read)."""
    return Text(limit, empty=False, load_default=None)


class SloganTable(FileTable, records.SloganSchema):
    kind = "slogans"
    key = _key()
    font = Text(60, empty=False, load_default=None)


class BannerTable(FileTable, records.BannerSchema):
    kind = "banners"
    key = _key()
    image = Text(255, empty=False, required=True)
    name = Text(records.NAME_LIMIT, empty=False, plain=True, load_default=None)
    fit = Choice(FITS, load_default="fit")


class ItemTable(FileTable, records.ItemSchema):
    kind = "items"
    slogan = _ref(records.KEY_LIMIT)
    banner = _ref(records.KEY_LIMIT)

    @validates_schema
    def _slogan_or_banner(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if (data["slogan"] is None) == (data["banner"] is None):
            raise ValidationError(Problem("", N_('give either slogan = "key" or banner = "key"')), "slogan")
        if data["banner"] is not None and data["passes"] is not None:
            raise ValidationError(
                Problem("", N_("a banner plays for a duration; passes are for slogans that scroll")), "passes"
            )


class PlaylistTable(FileTable, records.PlaylistSchema):
    kind = "playlists"
    items = Tables(
        ItemTable, N_('expected a list such as [{ slogan = "key", duration = 10 }]'), load_default=list
    )


class BrightnessTable(FileTable, records.BrightnessStepSchema):
    kind = "brightness"


class BoardTable(FileTable, records.BoardSchema):
    kind = "boards"
    playlist = _ref(records.NAME_LIMIT)
    timezone = records.time_zone(None)  # none: the board has no settings of its own
    brightness = Tables(
        BrightnessTable, N_('expected a list such as [{ at = "06:00", level = 60 }]'), load_default=list
    )


class GroupTable(FileTable, records.GroupSchema):
    kind = "groups"


class PhaseTable(FileTable, records.PhaseSchema):
    kind = "phases"
    starts_on = Day(required=True, data_key="start")
    ends_on = Day(required=True, data_key="end")


class CampaignTable(FileTable, records.CampaignSchema):
    kind = "campaigns"
    phases = Tables(PhaseTable, N_("expected [[campaigns.phases]] tables"), load_default=list)


class Window(fields.Field):
    """Daily hours "07:00-22:00" as (start, end); "22:00-06:00" runs overnight."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        parts = re.split(r"\s*[-–]\s*", value.strip()) if isinstance(value, str) else []
        if len(parts) != 2:
            raise refuse(N_('expected a window such as "07:00-22:00", got %(value)r'), value=value)
        start, end = clock(parts[0]), clock(parts[1])
        if start == end:
            raise refuse(
                N_("%(value)r starts and ends at the same time; leave hours out to play all day"), value=value
            )
        return start, end


class DayMonth(fields.Field):
    """A day of every year as day/month: "2/9" or "02/09" (lunar or solar as ``repeat`` says)."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        m = DAY_MONTH_RE.match(value.strip()) if isinstance(value, str) else None
        if not m:
            raise refuse(
                N_('expected a day and month such as "10/3" (day/month), got %(value)r'), value=value
            )
        return int(m[1]), int(m[2])


class PhaseRef(fields.Field):
    """A campaign's phase by its name, or by its number (1 = the first)."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            if not 1 <= value <= 1000:
                raise refuse(N_("%(value)s is outside %(low)s..%(high)s"), value=value, low=1, high=1000)
            return value
        return file_text(value, 200, empty=False)


#: Where a problem of a schedule's schema field is said in a file.
SCHEDULE_KEYS = {
    "repeat_day": "on",
    "repeat_month": "on",
    "start_time": "hours",
    "end_time": "hours",
    "group_id": "group",
}


class ScheduleTable(FileTable, records.ScheduleSchema):
    kind = "schedules"
    group_key = "group"
    playlist = Text(records.NAME_LIMIT, empty=False, required=True)
    group = _ref(records.NAME_LIMIT)
    campaign = _ref(200)
    phase = PhaseRef(load_default=None)
    starts_on = Day(load_default=None, data_key="start")
    ends_on = Day(load_default=None, data_key="end")
    hours = Window(load_default=None)
    on = DayMonth(load_default=None)
    repeat_leap = records.Flag(load_default=False, data_key="leap")
    repeat_days = Whole(load_default=1, data_key="days")

    class Meta:
        exclude = ("start_time", "end_time", "repeat_month", "repeat_day")

    def said_as(self, name: str) -> str:
        return SCHEDULE_KEYS.get(name) or super().said_as(name)

    def has_group(self, data: dict[str, Any]) -> bool:
        return data.get("group") is not None

    def times(self, data: dict[str, Any]) -> tuple[time | None, time | None]:
        return data.get("hours") or (None, None)

    def day_month(self, data: dict[str, Any]) -> tuple[int | None, int | None]:
        return data.get("on") or (None, None)

    @validates_schema
    def _campaign_and_phase(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if (data.get("campaign") is None) != (data.get("phase") is None):
            raise ValidationError(
                Problem("", N_("a schedule in a campaign names both campaign and phase")),
                "phase" if data.get("phase") is None else "campaign",
            )


#: The tables of a file, in the order they are read.
TABLES: dict[str, type[FileTable]] = {
    "boards": BoardTable,
    "groups": GroupTable,
    "slogans": SloganTable,
    "banners": BannerTable,
    "playlists": PlaylistTable,
    "campaigns": CampaignTable,
    "schedules": ScheduleTable,
}
