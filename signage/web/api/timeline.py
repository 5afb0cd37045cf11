"""API for a board's timeline: what it plays, segment by segment, and when its yearly schedules play next.

The timeline runs ``signage.schedule.timeline`` on the show the board would be sent now,
the same pure function its worker runs, so a script sees what the board will do.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from signage import schedule as pure
from signage.models import Board
from signage.publish import compile_show
from signage.web.api import SECURITY
from signage.web.api.auth import token_required
from signage.web.api.helpers import errors, no_such
from signage.web.db import get_db

blp = Blueprint("api_timeline", __name__, url_prefix="/api", description="Timelines")

#: Dates a timeline may start on: wide enough for any campaign, narrow enough to stay valid dates.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 1)


class TimelineQuery(Schema):
    from_ = fields.Date(
        data_key="from",
        load_default=None,
        allow_none=True,
        validate=validate.Range(
            min=FIRST_DAY,
            max=LAST_DAY,
            error=lazy_gettext("give a date from %(first)s to %(last)s", first=FIRST_DAY, last=LAST_DAY),
        ),
        metadata={"description": "first day (the board's local date, YYYY-MM-DD); default today"},
    )
    days = fields.Integer(load_default=7, validate=validate.Range(min=1, max=62))


class SegmentOut(Schema):
    start = fields.DateTime(metadata={"description": "in the board's time zone, with its offset"})
    end = fields.DateTime()
    kind = fields.String(metadata={"description": "notice, off, schedule, fallback or idle"})
    label = fields.String()
    playlist_id = fields.Integer(allow_none=True)
    schedule_id = fields.Integer(allow_none=True)
    notice_id = fields.Integer(allow_none=True)
    shadowed = fields.List(fields.Integer(), metadata={"description": "schedules that matched too but lost"})


class OccurrenceOut(Schema):
    first = fields.Date(metadata={"description": "the board's local date"})
    last = fields.Date(metadata={"description": "included"})


class YearlyOut(Schema):
    schedule_id = fields.Integer()
    name = fields.String()
    repeat = fields.String(metadata={"description": "yearly (solar date) or lunar"})
    repeat_month = fields.Integer()
    repeat_day = fields.Integer()
    repeat_leap = fields.Boolean()
    repeat_days = fields.Integer()
    next = fields.List(
        fields.Nested(OccurrenceOut),
        metadata={
            "description": "the next three occurrences from the first day on, within the schedule's own dates"
        },
    )


class TimelineOut(Schema):
    board = fields.String()
    timezone = fields.String()
    days = fields.Integer()
    segments = fields.List(fields.Nested(SegmentOut))
    yearly = fields.List(
        fields.Nested(YearlyOut),
        metadata={"description": "the board's schedules that come back every year, and when they play next"},
    )


def _segment(segment: pure.Segment, tz: Any) -> dict[str, Any]:
    choice = segment.choice
    return {
        "start": segment.start.astimezone(tz),
        "end": segment.end.astimezone(tz),
        "kind": choice.kind,
        "label": choice.label,
        "playlist_id": int(choice.playlist) if choice.playlist else None,
        "schedule_id": choice.schedule_id,
        "notice_id": choice.notice_id,
        "shadowed": list(segment.shadowed),
    }


@blp.route("/boards/<slug>/timeline")
class Timeline(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.arguments(TimelineQuery, location="query")
    @blp.response(200, TimelineOut)
    @errors(blp, 404)
    def get(self, args: dict[str, Any], slug: str) -> dict[str, Any]:
        """What the board plays, segment by segment, from local midnight of ``from`` for ``days`` days."""
        db = get_db()
        board = db.scalar(select(Board).where(Board.slug == slug)) or no_such("board", slug)
        doc, _blobs = compile_show(board, db)
        tz = pure.zone(doc)
        first = args["from_"] or datetime.now(tz).date()
        start = datetime.combine(first, time(0), tzinfo=tz)
        segments = pure.timeline(doc, start, start + timedelta(days=args["days"]))
        yearly = [
            {
                "schedule_id": entry.id,
                "name": entry.name or "",
                "repeat": rule.kind,
                "repeat_month": rule.month,
                "repeat_day": rule.day,
                "repeat_leap": rule.leap,
                "repeat_days": rule.days,
                "next": [{"first": a, "last": b} for a, b in found],
            }
            for entry, rule, found in pure.yearly_ahead(doc, first)
        ]
        return {
            "board": board.slug,
            "timezone": tz.key,
            "days": args["days"],
            "segments": [_segment(s, tz) for s in segments],
            "yearly": yearly,
        }
