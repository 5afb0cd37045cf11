"""API for the approval workflow: what waits to be published, and the approver's publish.

The same rules as the Changes page (``signage.web.changes``): anyone with a token may
read the list; an approver publishes, and may pass the newest change id they reviewed
(``seen``) so a draft saved meanwhile is not published unseen.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from redis.exceptions import RedisError
from webargs.flaskparser import abort  # flask_smorest.abort itself, from the package with its types

from signage import approval
from signage.web.api import SECURITY
from signage.web.api.auth import token_required
from signage.web.api.helpers import instant
from signage.web.db import get_db
from signage.web.publishing import approval_required, publish

blp = Blueprint(
    "api_changes",
    __name__,
    url_prefix="/api",
    description="Changes waiting for an approver, and publishing them",
)
#: At most this many changes in one answer; ``count`` says how many wait in all.
LIMIT = 500


class ChangeOut(Schema):
    id = fields.Integer()
    at = instant()
    actor = fields.String(metadata={"description": "who saved it (api:NAME for a token)"})
    action = fields.String(metadata={"description": "create, update or delete"})
    table = fields.String()
    row_id = fields.String()
    before = fields.Dict(metadata={"description": "the changed columns before"})
    after = fields.Dict(metadata={"description": "the changed columns after"})


class LastPublishOut(Schema):
    at = instant()
    actor = fields.String()
    boards = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "board slug -> show version published"},
    )


class ChangesOut(Schema):
    approval_required = fields.Boolean(metadata={"description": "whether saves wait for an approver"})
    count = fields.Integer(metadata={"description": "how many changes are not yet on the boards"})
    seen = fields.Integer(metadata={"description": "the newest change's id: pass it to POST /api/publish"})
    last_publish = fields.Nested(LastPublishOut, allow_none=True)
    changes = fields.List(fields.Nested(ChangeOut), metadata={"description": "oldest first"})


class PublishIn(Schema):
    seen = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=0, max=2**63 - 1),
        metadata={"description": "refuse (409) if a change newer than this id waits"},
    )


class PublishOut(Schema):
    published = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "board slug -> show version now on it"},
    )


@blp.route("/changes")
class Changes(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, ChangesOut)
    def get(self) -> dict[str, Any]:
        """The changes saved but not yet on the boards, and the last publish."""
        db = get_db()
        rows = approval.decoded(approval.pending(db, limit=LIMIT))
        last = approval.publish_info(approval.last_publish(db))
        return {
            "approval_required": approval_required(),
            "count": approval.pending_count(db),
            "seen": approval.newest_pending_id(db),
            "last_publish": vars(last) if last is not None else None,
            "changes": [
                {
                    "id": e.id,
                    "at": e.at,
                    "actor": e.actor,
                    "action": e.action,
                    "table": e.table,
                    "row_id": e.row_id,
                    "before": before,
                    "after": after,
                }
                for e, before, after in rows
            ],
        }


@blp.route("/publish")
class Publish(MethodView):
    @token_required("approver")
    @blp.doc(security=SECURITY)
    @blp.arguments(PublishIn)
    @blp.response(200, PublishOut)
    @blp.alt_response(409, description="a change newer than `seen` waits: review it first")
    @blp.alt_response(503, description="Redis does not answer: nothing was published")
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Approve and publish every pending change to every board, recorded under the token's user."""
        newest = approval.newest_pending_id(get_db())
        if data.get("seen") is not None and newest > data["seen"]:
            abort(
                409,
                message=_(
                    "change %(newest)s was saved after the %(seen)s you reviewed; "
                    "nothing was published (GET /api/changes again)",
                    newest=newest,
                    seen=data["seen"],
                ),
            )
        try:
            return {"published": publish()}
        except RedisError as exc:
            abort(503, message=_("nothing was published: Redis does not answer (%(problem)s)", problem=exc))
