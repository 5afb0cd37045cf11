"""API for schedules (lịch phát): the same checks as the admin's schedule form.

A schedule names its playlist and phase by id, its board by slug (as ``/api/boards`` lists
them) and its group by id (``/api/groups``). Every check runs before anything is written,
and all problems come back at once, each under the field it is about.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from signage import holidays
from signage.models import ALL_WEEKDAYS, Board, BoardGroup, Phase, Playlist, Schedule
from signage.web.api import SECURITY
from signage.web.api.auth import token_required
from signage.web.api.helpers import (
    as_utc,
    check_version,
    errors,
    instant,
    missing,
    named,
    no_such,
    refuse,
)
from signage.web.api.schemas import Published, ScheduleIn, ScheduleUpdate
from signage.web.concurrency import fingerprint
from signage.web.db import get_db
from signage.web.publishing import publish_report

blp = Blueprint("api_schedules", __name__, url_prefix="/api", description="Schedules")


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


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
