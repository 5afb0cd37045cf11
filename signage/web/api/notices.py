"""API for urgent notices (thông báo khẩn): list, publish at once, cancel. Approvers write.

A notice cannot wait for a review, so it is sent with ``publish_notices``: only the notice
part of each board's show changes, and drafts waiting for an approver stay off the boards.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, g
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from redis.exceptions import RedisError

from signage import schedule as pure
from signage.models import UrgentNotice
from signage.publish import publish_notices
from signage.services import notices as service
from signage.services.notices import NoticeData
from signage.web.access import get_redis
from signage.web.api import SECURITY
from signage.web.api.auth import token_required
from signage.web.api.helpers import answered, as_utc, errors, instant, no_such
from signage.web.api.schemas import NoticeIn, Published
from signage.web.db import get_db

blp = Blueprint("api_notices", __name__, url_prefix="/api", description="Urgent notices")


class NoticeOut(Schema):
    id = fields.Integer()
    text = fields.String(allow_none=True)
    effect = fields.String()
    color = fields.String()
    all_boards = fields.Boolean()
    boards = fields.List(fields.String(), metadata={"description": "slugs (empty with all_boards)"})
    starts_at = instant()
    expires_at = instant()
    cancelled_at = instant(allow_none=True)
    active = fields.Boolean(metadata={"description": "on the boards now"})
    created_by = fields.String(allow_none=True)
    created_at = instant()


class NoticeSaved(NoticeOut, Published):
    """A notice and the boards it was sent to."""


def notice_json(notice: UrgentNotice) -> dict[str, Any]:
    return {
        "id": notice.id,
        "text": notice.text,
        "effect": notice.effect,
        "color": notice.color,
        "all_boards": notice.all_boards,
        "boards": [b.slug for b in notice.boards],
        "starts_at": as_utc(notice.starts_at),
        "expires_at": as_utc(notice.expires_at),
        "cancelled_at": as_utc(notice.cancelled_at),
        "active": service.is_active(notice),
        "created_by": notice.created_by.username if notice.created_by is not None else None,
        "created_at": as_utc(notice.created_at),
    }


def _naive_utc(value: datetime) -> datetime:
    """An API time as the naive UTC the database keeps; a naive one is the office's local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(current_app.config.get("TIMEZONE", pure.DEFAULT_TIMEZONE)))
    return value.astimezone(UTC).replace(tzinfo=None)


def _notice(notice_id: int) -> UrgentNotice:
    return get_db().get(UrgentNotice, notice_id) or no_such("notice", notice_id)


def send_notice(notice: UrgentNotice) -> dict[str, Any]:
    """Send the notice part of its boards' shows now; say which boards got which version."""
    board_ids = service.board_ids(notice)
    db = get_db()
    db.expire_all()  # send what was committed
    try:
        versions = publish_notices(db, get_redis(), board_ids)
    except RedisError as exc:
        return {
            "published": {},
            "publish_error": _("saved, not yet published: Redis does not answer (%(problem)s)", problem=exc),
        }
    return {"published": versions, "publish_error": None}


@blp.route("/notices")
class Notices(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, NoticeOut(many=True))
    @errors(blp)
    def get(self) -> list[dict[str, Any]]:
        """The latest 100 notices, newest first, with whether each is on the boards now."""
        return [notice_json(n) for n in service.recent_notices(get_db())]

    @token_required("approver")
    @blp.doc(security=SECURITY)
    @blp.arguments(NoticeIn)
    @blp.response(201, NoticeSaved)
    @errors(blp)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Put a notice on the boards at once, above every schedule, until it expires or is cancelled."""
        given = NoticeData(
            text=data["text"],
            effect=data["effect"],
            color=data["color"],
            all_boards=data["all_boards"],
            board_slugs=data["boards"],
            starts_at=_naive_utc(data["starts_at"]) if data["starts_at"] else None,
            expires_at=_naive_utc(data["expires_at"]) if data["expires_at"] else None,
            minutes=data["minutes"],
            created_by_id=g.api_user.id,
        )
        with answered():
            notice = service.create_notice(get_db(), given)
        return {**notice_json(notice), **send_notice(notice)}


@blp.route("/notices/<id:notice_id>")
class NoticeById(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, NoticeOut)
    @errors(blp, 404)
    def get(self, notice_id: int) -> dict[str, Any]:
        """One notice."""
        return notice_json(_notice(notice_id))

    @token_required("approver")
    @blp.doc(security=SECURITY)
    @blp.response(204)
    @errors(blp, 404)
    def delete(self, notice_id: int) -> None:
        """Cancel a notice, as the admin's "Huỷ" does: its boards return to their schedule, and it
        waits in the bin ("Thùng rác") while its time lasts (``POST /api/bin/notice/<id>/restore``).
        Deleting twice changes nothing."""
        notice = _notice(notice_id)
        if service.cancel_notice(get_db(), notice):
            send_notice(notice)


@blp.route("/notices/<id:notice_id>/cancel")
class NoticeCancel(MethodView):
    @token_required("approver")
    @blp.doc(security=SECURITY)
    @blp.response(200, NoticeSaved)
    @errors(blp, 404)
    def post(self, notice_id: int) -> dict[str, Any]:
        """End a notice now; its boards return to their schedule. Cancelling twice changes nothing."""
        notice = _notice(notice_id)
        if not service.cancel_notice(get_db(), notice):
            return {**notice_json(notice), "published": {}, "publish_error": None}
        return {**notice_json(notice), **send_notice(notice)}
