"""API for the bin ("Thùng rác"): what was deleted in the last 30 days, and bringing it back.

``DELETE`` of a slogan, banner, playlist, schedule or board group moves it here, as the admin's
Delete button does; a cancelled urgent notice waits here while its time lasts. Restoring
needs the role that may delete the kind: editors for content and schedules, administrators
for groups, approvers for notices.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import g
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from signage.models import UrgentNotice
from signage.services import bin as trash
from signage.services import notices as notice_service
from signage.web.api import SECURITY
from signage.web.api.auth import token_required
from signage.web.api.helpers import answered, as_utc, errors, instant
from signage.web.api.notices import send_notice
from signage.web.api.schemas import Published
from signage.web.db import get_db
from signage.web.publishing import publish_report

blp = Blueprint("api_bin", __name__, url_prefix="/api", description="The bin: deleted content, restore")

#: Who may restore (and delete) each kind.
ROLES = {
    "slogan": "editor",
    "banner": "editor",
    "playlist": "editor",
    "schedule": "editor",
    "group": "admin",
    "notice": "approver",
}


class BinnedOut(Schema):
    kind = fields.String(metadata={"description": "slogan, banner, playlist, schedule, group or notice"})
    id = fields.Integer()
    name = fields.String(metadata={"description": "the slogan's text, the banner's or schedule's name..."})
    deleted_at = instant(metadata={"description": "for a notice: when it was cancelled"})
    deleted_by = fields.String(allow_none=True)


class RestoredOut(BinnedOut, Published):
    """What came back from the bin, and the boards it was published to."""


def _name(kind: str, row: Any) -> str:
    if kind == "slogan":
        return str(row.text)
    if kind == "notice":
        return str(row.text or f"#{row.id}")
    return str(row.name or f"#{row.id}")


def binned_json(kind: str, row: Any) -> dict[str, Any]:
    notice = isinstance(row, UrgentNotice)
    return {
        "kind": kind,
        "id": row.id,
        "name": _name(kind, row),
        "deleted_at": as_utc(row.cancelled_at if notice else row.deleted_at),
        "deleted_by": None if notice else row.deleted_by,
    }


def _may(role: str) -> None:
    user = g.api_user
    if not user.has_role(role):
        abort(
            403,
            message=_(
                "this needs the %(role)s role; the token's user is %(user_role)s",
                role=role,
                user_role=user.role,
            ),
        )


def _not_in_bin() -> NoReturn:
    abort(404, message=_("This is not in the bin (any more)."))
    raise AssertionError  # abort raises; this keeps type checkers sure of it


@blp.route("/bin")
class Bin(MethodView):
    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.response(200, BinnedOut(many=True))
    @errors(blp)
    def get(self) -> list[dict[str, Any]]:
        """What waits in the bin (deleted in the last 30 days), newest first per kind, of the kinds
        the token's user may restore."""
        db, user = get_db(), g.api_user
        out = [
            binned_json(kind, row)
            for kind, model in trash.MODELS.items()
            if user.has_role(ROLES[kind])
            for row in trash.binned(db, model)
        ]
        if user.has_role(ROLES["notice"]):
            out += [binned_json("notice", n) for n in notice_service.binned_notices(db)]
        return out


@blp.route("/bin/<kind>/<id:row_id>/restore")
class Restore(MethodView):
    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.response(200, RestoredOut)
    @errors(blp, 404, 422)
    def post(self, kind: str, row_id: int) -> dict[str, Any]:
        """Bring a row back from the bin as it was when deleted (a notice: back on its boards).

        A schedule whose playlist or board group is in the bin is refused (422) until that
        comes back."""
        if kind not in ROLES:
            _not_in_bin()
        _may(ROLES[kind])
        db = get_db()
        if kind == "notice":
            notice = db.get(UrgentNotice, row_id)
            if notice is None or not notice_service.in_bin(notice):
                _not_in_bin()
            said = binned_json(kind, notice)
            notice_service.restore_notice(db, notice)
            return {**said, **send_notice(notice)}
        row = trash.find_binned(db, trash.MODELS[kind], row_id)
        if row is None:
            _not_in_bin()
        said = binned_json(kind, row)
        with answered():
            trash.restore(db, row)
        return {**said, **publish_report()}
