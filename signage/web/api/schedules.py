"""API for schedules (lịch phát): the same checks as the admin's schedule form.

A schedule names its playlist and phase by id, its board by slug (as ``/api/boards`` lists
them) and its group by id (``/api/groups``). Every check runs before anything is written,
and all problems come back at once, each under the field it is about.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from signage.models import ALL_WEEKDAYS, Schedule
from signage.services import schedules as service
from signage.web.api import SECURITY
from signage.web.api.auth import token_required
from signage.web.api.helpers import (
    answered,
    as_utc,
    errors,
    instant,
    named,
    no_such,
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


#: The keys the schema has already made into ``rule``: the service gets the rule, not these.
REPEAT_KEYS = ("repeat", "repeat_month", "repeat_day", "repeat_leap", "repeat_days", "rule")


def _data(body: dict[str, Any]) -> service.ScheduleData:
    """The body as the service takes it: the board by slug, the yearly rule as the schema parsed it."""
    fields_ = {k: v for k, v in body.items() if k not in ("board", "version", *REPEAT_KEYS)}
    return service.ScheduleData(board_slug=body.get("board"), repeat=body["rule"] or "daily", **fields_)


def _saved(entry: Schedule) -> dict[str, Any]:
    return {**schedule_json(entry), **publish_report()}


@blp.route("/schedules")
class Schedules(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, ScheduleOut(many=True))
    @errors(blp)
    def get(self) -> list[dict[str, Any]]:
        """Every schedule, the highest priority first."""
        return [schedule_json(s) for s in service.every_schedule(get_db())]

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.arguments(ScheduleIn)
    @blp.response(201, ScheduleSaved)
    @errors(blp)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Schedule a playlist; the boards it concerns get their new show at once."""
        with answered():
            entry = service.save_schedule(get_db(), _data(data))
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
        with answered(named("schedule", entry_id)):
            service.save_schedule(get_db(), _data(data), entry, version=data.get("version"))
        return _saved(entry)

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.response(204)
    @errors(blp, 404, 409)
    def delete(self, entry_id: int) -> None:
        """Delete a schedule (to the bin, restorable for 30 days); its boards go back to what else
        matches, or their own playlist."""
        entry = _schedule(entry_id)
        with answered(named("schedule", entry_id)):
            service.delete_schedule(get_db(), entry)
        publish_report()
