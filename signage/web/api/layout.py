"""API: how a saved slogan is laid out on a board (the facts ``signage render --json`` prints)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields
from sqlalchemy import select

from drivers.pixels import BoardSpec
from signage.models import Board, Slogan
from signage.render import RenderError
from signage.render.facts import layout_facts
from signage.web.api import SECURITY
from signage.web.api.auth import token_required
from signage.web.api.helpers import errors, no_such
from signage.web.db import get_db
from signage.web.messages import say

blp = Blueprint("api_layout", __name__, url_prefix="/api", description="How slogans are laid out on boards")


class LayoutQuery(Schema):
    board = fields.String(
        load_default=None,
        metadata={
            "description": "board slug (default: the first board); its size, pitch and viewing distance count"
        },
    )


@blp.route("/slogans/<id:slogan_id>/layout")
class SloganLayout(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.arguments(LayoutQuery, location="query")
    @blp.response(200, {"type": "object", "additionalProperties": True})
    @errors(blp, 404, 422)
    def get(self, args: dict[str, Any], slogan_id: int) -> Response:
        """The layout chosen for the slogan on a board: effect, font, size in px and cm, how far
        its letters read, its lines, and the legibility warnings in the request's language."""
        db = get_db()
        slogan = db.get(Slogan, slogan_id) or no_such("slogan", slogan_id)
        query = select(Board).order_by(Board.id).limit(1)
        if args["board"]:
            query = select(Board).where(Board.slug == args["board"])
        board = db.scalar(query)
        if board is None and args["board"]:
            no_such("board", args["board"])
        spec = BoardSpec.of(board) if board is not None else BoardSpec(192, 32, "mono")
        try:
            return jsonify(layout_facts(slogan.show_item(), spec, say=say))
        except RenderError as exc:
            abort(422, message=say(exc))
            raise AssertionError from None
