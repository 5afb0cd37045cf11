"""API for schedules (lịch phát): the same checks as the admin's schedule form.

A schedule names its playlist and phase by id, its board by slug (as ``/api/boards`` lists
them) and its group by id (``/api/groups``). Every check runs before anything is written,
and all problems come back at once, each under the field it is about.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask.views import MethodView
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema
from sqlalchemy import select

from signage import holidays
from signage.models import ALL_WEEKDAYS, Board, BoardGroup, Phase, Playlist, Schedule
from signage.recurrence import REPEATS
from signage.rules import InvalidInput
from signage.web.api import SECURITY
from signage.web.api.auth import token_required
from signage.web.api.helpers import (
    as_utc,
    board_ref,
    check_version,
    errors,
    instant,
    missing,
    named,
    no_such,
    plain_name,
    refuse,
    version_field,
)
from signage.web.api.schemas import Published
from signage.web.concurrency import fingerprint
from signage.web.db import get_db
from signage.web.messages import say
from signage.web.publishing import publish_report

blp = Blueprint("api_schedules", __name__, url_prefix="/api", description="Schedules")

ROW_ID = validate.Range(min=1, max=2**31 - 1)
LOCAL_DATE = "the board's local date, inclusive (YYYY-MM-DD)"
HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
#: Validators whose messages are ours, said in the request's language when they refuse.
TIME_OF_DAY = validate.Regexp(HHMM, error=lazy_gettext("Write the time as HH:MM, e.g. 22:00."))
WEEKDAYS = [
    validate.Length(min=1, error=lazy_gettext("choose at least one weekday")),
    validate.Length(max=7, error=lazy_gettext("at most the 7 days of a week")),
]


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _reference() -> fields.Integer:
    return fields.Integer(load_default=None, allow_none=True, strict=True, validate=ROW_ID)


class ScheduleIn(Schema):
    name = fields.String(
        load_default="",
        validate=validate.And(validate.Length(max=200), plain_name),
        metadata={"description": "empty: the playlist's name"},
    )
    playlist_id = fields.Integer(required=True, strict=True, validate=ROW_ID)
    board = fields.String(
        load_default=None,
        allow_none=True,
        validate=board_ref,
        metadata={"description": "a board's slug; null with no group: all boards"},
    )
    group_id = _reference()
    phase_id = _reference()
    starts_on = fields.Date(load_default=None, allow_none=True, metadata={"description": LOCAL_DATE})
    ends_on = fields.Date(load_default=None, allow_none=True, metadata={"description": LOCAL_DATE})
    weekdays = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1, max=7)),
        load_default=lambda: [1, 2, 3, 4, 5, 6, 7],
        validate=WEEKDAYS,
        metadata={"description": "ISO weekdays, 1 = Monday .. 7 = Sunday"},
    )
    start_time = fields.String(
        load_default=None,
        allow_none=True,
        validate=TIME_OF_DAY,
        metadata={"description": "HH:MM local; null with end_time null: all day"},
    )
    end_time = fields.String(
        load_default=None,
        allow_none=True,
        validate=TIME_OF_DAY,
        metadata={"description": "HH:MM local; not after start_time: runs overnight"},
    )
    priority = fields.Integer(
        load_default=0,
        strict=True,
        validate=validate.Range(min=-1000, max=1000),
        metadata={"description": "higher wins"},
    )
    enabled = fields.Boolean(load_default=True)
    repeat = fields.String(
        load_default="daily",
        metadata={
            "description": "daily: every day of the range on the weekdays given; yearly: each year from "
            "repeat_day/repeat_month; lunar: the same in the Vietnamese lunar calendar",
            "enum": list(REPEATS),
        },
    )
    repeat_month = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        metadata={"description": "1-12, for yearly and lunar"},
    )
    repeat_day = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        metadata={"description": "1-31 (lunar: 1-30), for yearly and lunar"},
    )
    repeat_leap = fields.Boolean(
        load_default=False,
        metadata={"description": "lunar only: in the leap month in years that repeat that month"},
    )
    repeat_days = fields.Integer(
        load_default=1, strict=True, metadata={"description": "how many days each occurrence lasts (1-60)"}
    )

    @validates_schema
    def check_together(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """The form's checks that involve two fields, under the field the user must fix."""
        problems: dict[str, list[str]] = {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            problems["ends_on"] = [_("the end date comes before the start date")]
        if (data.get("start_time") is None) != (data.get("end_time") is None):
            problems["end_time"] = [_("give both daily times, or neither (all day)")]
        if data.get("board") is not None and data.get("group_id") is not None:
            problems["group_id"] = [_("choose a board or a group, not both")]
        try:
            holidays.check(
                data.get("repeat"),
                data.get("repeat_month"),
                data.get("repeat_day"),
                data.get("repeat_leap", False),
                data.get("repeat_days", 1),
            )
        except InvalidInput as exc:
            problems[exc.field] = [say(exc)]
        if problems:
            raise ValidationError(problems)

    @post_load
    def convert(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        for key in ("start_time", "end_time"):
            if data.get(key) is not None:
                data[key] = datetime.strptime(data[key], "%H:%M").time()
        if "weekdays" in data:
            data["weekdays"] = "".join(sorted({str(d) for d in data["weekdays"]}))
        if "name" in data:
            data["name"] = data["name"].strip()
        return data


class ScheduleUpdate(ScheduleIn):
    version = version_field()


class ScheduleOut(Schema):
    id = fields.Integer()
    name = fields.String()
    playlist_id = fields.Integer()
    board = fields.String(allow_none=True)
    group_id = fields.Integer(allow_none=True)
    phase_id = fields.Integer(allow_none=True)
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    weekdays = fields.List(fields.Integer())
    start_time = fields.String(allow_none=True)
    end_time = fields.String(allow_none=True)
    priority = fields.Integer()
    enabled = fields.Boolean()
    repeat = fields.String()
    repeat_month = fields.Integer(allow_none=True)
    repeat_day = fields.Integer(allow_none=True)
    repeat_leap = fields.Boolean()
    repeat_days = fields.Integer()
    created_at = instant()
    version = fields.String(metadata={"description": "send it back with an update (see PUT)"})


class ScheduleSaved(ScheduleOut, Published):
    """A saved schedule and the boards it was published to."""


def schedule_json(entry: Schedule) -> dict[str, Any]:
    """What the API says about a schedule: the same shape it takes, plus id and version."""
    return {
        "id": entry.id,
        "name": entry.name,
        "playlist_id": entry.playlist_id,
        "board": entry.board.slug if entry.board is not None else None,
        "group_id": entry.group_id,
        "phase_id": entry.phase_id,
        "starts_on": entry.starts_on,
        "ends_on": entry.ends_on,
        "weekdays": [int(d) for d in entry.weekdays or ALL_WEEKDAYS],
        "start_time": _hhmm(entry.start_time),
        "end_time": _hhmm(entry.end_time),
        "priority": entry.priority,
        "enabled": entry.enabled,
        "repeat": entry.repeat,
        "repeat_month": entry.repeat_month,
        "repeat_day": entry.repeat_day,
        "repeat_leap": entry.repeat_leap,
        "repeat_days": entry.repeat_days,
        "created_at": as_utc(entry.created_at),
        "version": fingerprint(entry),
    }


def _schedule(entry_id: int) -> Schedule:
    return get_db().get(Schedule, entry_id) or no_such("schedule", entry_id)


def _apply(entry: Schedule, data: dict[str, Any]) -> None:
    """Check every reference, then copy the body onto ``entry``; a refusal writes nothing."""
    db = get_db()
    problems: dict[str, list[str]] = {}
    if db.get(Playlist, data["playlist_id"]) is None:
        problems["playlist_id"] = [missing("playlist", data["playlist_id"])]
    board_id = None
    if data["board"] is not None:
        board_id = db.scalar(select(Board.id).where(Board.slug == data["board"]))
        if board_id is None:
            problems["board"] = [missing("board", data["board"])]
    if data["group_id"] is not None and db.get(BoardGroup, data["group_id"]) is None:
        problems["group_id"] = [missing("group", data["group_id"])]
    if data["phase_id"] is not None and db.get(Phase, data["phase_id"]) is None:
        problems["phase_id"] = [_("no campaign phase %(id)s", id=data["phase_id"])]
    refuse(problems)
    entry.board_id = board_id
    for key in (
        "name",
        "playlist_id",
        "group_id",
        "phase_id",
        "starts_on",
        "ends_on",
        "weekdays",
        "start_time",
        "end_time",
        "priority",
        "enabled",
    ):
        setattr(entry, key, data[key])
    entry.rule = holidays.check(
        data["repeat"], data["repeat_month"], data["repeat_day"], data["repeat_leap"], data["repeat_days"]
    )


def _saved(entry: Schedule) -> dict[str, Any]:
    db = get_db()
    db.add(entry)
    db.commit()
    db.refresh(entry)
    return {**schedule_json(entry), **publish_report()}


@blp.route("/schedules")
class Schedules(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, ScheduleOut(many=True))
    @errors(blp)
    def get(self) -> list[dict[str, Any]]:
        """Every schedule, the highest priority first."""
        query = select(Schedule).order_by(Schedule.priority.desc(), Schedule.id.desc())
        return [schedule_json(s) for s in get_db().scalars(query)]

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.arguments(ScheduleIn)
    @blp.response(201, ScheduleSaved)
    @errors(blp)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Schedule a playlist; the boards it concerns get their new show at once."""
        entry = Schedule()
        _apply(entry, data)
        return _saved(entry)


@blp.route("/schedules/<id:entry_id>")
class ScheduleById(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, ScheduleOut)
    @errors(blp, 404)
    def get(self, entry_id: int) -> dict[str, Any]:
        """One schedule."""
        return schedule_json(_schedule(entry_id))

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.arguments(ScheduleUpdate)
    @blp.response(200, ScheduleSaved)
    @errors(blp, 404, 409)
    def put(self, data: dict[str, Any], entry_id: int) -> dict[str, Any]:
        """Replace a schedule (fields left out take their defaults, as in a new one)."""
        entry = _schedule(entry_id)
        check_version(entry, data.pop("version"), named("schedule", entry_id))
        _apply(entry, data)
        return _saved(entry)

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.response(204)
    @errors(blp, 404)
    def delete(self, entry_id: int) -> None:
        """Delete a schedule; its boards go back to what else matches, or their own playlist."""
        db = get_db()
        db.delete(_schedule(entry_id))
        db.commit()
        publish_report()
