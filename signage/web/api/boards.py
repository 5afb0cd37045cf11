"""API for boards and their live status."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from signage.hours import read_hours
from signage.models import Board
from signage.services import boards as service_boards
from signage.services import schedules as service
from signage.web.api import SECURITY
from signage.web.api.auth import token_required
from signage.web.api.helpers import answered, errors, named, no_such
from signage.web.api.schemas import BoardOut, BoardStatusOut, HoursIO, Published
from signage.web.dashboard import board_status
from signage.web.db import get_db
from signage.web.health_view import status_word
from signage.web.publishing import publish_report

blp = Blueprint("api_boards", __name__, url_prefix="/api", description="Boards and their status")


class HoursSaved(HoursIO, Published):
    """The hours as saved, and the boards they were published to."""


def _board(slug: str) -> Board:
    board = service_boards.by_slug(get_db(), slug)
    if board is None:
        no_such("board", slug)
    return board


def _clock(value: str | time) -> time:
    return value if isinstance(value, time) else datetime.strptime(value, "%H:%M").time()


def _time(value: str | time | None) -> time | None:
    return _clock(value) if value else None


@blp.route("/boards")
class Boards(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, BoardOut(many=True))
    @errors(blp)
    def get(self) -> list[Board]:
        """Every board with its geometry and link settings."""
        return service_boards.every_board(get_db())


@blp.route("/boards/<slug>/status")
class BoardStatus(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, BoardStatusOut)
    @errors(blp, 404)
    def get(self, slug: str) -> dict[str, Any]:
        """What the board's worker last reported: item, link, heartbeat age, ``ok`` and ``state``."""
        _board(slug)
        status = board_status(slug)
        return {**status, "state": status_word(status)}


@blp.route("/boards/<slug>/hours")
class BoardHours(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, HoursIO)
    def get(self, slug: str) -> dict[str, Any]:
        """The board's time zone, on/off hours and brightness table."""
        return read_hours(get_db(), _board(slug))

    @token_required("admin")
    @blp.doc(security=SECURITY)
    @blp.arguments(HoursIO)
    @blp.response(200, HoursSaved)
    @errors(blp, 404, 409, 422)
    def put(self, data: dict[str, Any], slug: str) -> dict[str, Any]:
        """Replace the board's hours and brightness table, then publish (or wait for approval)."""
        board = _board(slug)
        steps = [(_clock(s["at"]), s["level"]) for s in data["brightness"]]
        with answered(named("board", slug)):
            service.save_hours(
                get_db(),
                board,
                service.HoursData(data["timezone"], _time(data["on"]), _time(data["off"]), steps),
            )
        return {**read_hours(get_db(), board), **publish_report()}
