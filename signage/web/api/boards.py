"""API for boards and their live status."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from signage.db import get_db
from signage.models import Board
from signage.web.api import SECURITY
from signage.web.api.auth import token_required
from signage.web.api.helpers import errors, no_such
from signage.web.api.schemas import BoardOut, BoardStatusOut
from signage.web.dashboard import board_status
from signage.web.health_view import status_word

blp = Blueprint("api_boards", __name__, url_prefix="/api", description="Boards and their status")


@blp.route("/boards")
class Boards(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, BoardOut(many=True))
    @errors(blp)
    def get(self) -> list[Board]:
        """Every board with its geometry and link settings."""
        return list(get_db().scalars(select(Board).order_by(Board.slug)))


@blp.route("/boards/<slug>/status")
class BoardStatus(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, BoardStatusOut)
    @errors(blp, 404)
    def get(self, slug: str) -> dict[str, Any]:
        """What the board's worker last reported: item, link, heartbeat age, ``ok`` and ``state``."""
        if get_db().scalar(select(Board.id).where(Board.slug == slug)) is None:
            no_such("board", slug)
        status = board_status(slug)
        return {**status, "state": status_word(status)}
