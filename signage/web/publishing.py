"""Publish after a saved change, unless it must wait for an approver; say in the page what happened.

With ``APPROVAL_REQUIRED`` on (the default) an editor's save stays a draft in the
database, and an approver's save goes out only when nobody else's change is pending
(publishing compiles everything, so it would carry their unseen drafts along); the
Changes page (``signage.web.changes``) is where an approver reviews and publishes them.
Off, every save publishes at once as before. Either way a publish is recorded
(``signage.approval``), which is what makes "pending" mean "not on the boards yet".
Urgent notices do not come through here: they send only the notice part of each show
(``signage.publish.publish_notices``), so they neither wait nor carry drafts out.
"""

from __future__ import annotations

import logging

from flask import current_app, flash, g
from flask_babel import gettext as _
from flask_login import current_user
from redis.exceptions import RedisError

from signage import approval
from signage.audit import actor
from signage.db import get_db
from signage.web.access import get_redis

log = logging.getLogger(__name__)


def approval_required() -> bool:
    """Whether saves wait for an approver (the ``APPROVAL_REQUIRED`` setting)."""
    return bool(current_app.config.get("APPROVAL_REQUIRED", True))


def publish(playlist_id: int | None = None) -> dict[str, int]:
    """Publish now and record it, as the acting user; raises ``RedisError`` when Redis is away.

    With approval on every board is published: a narrower publish would still mark older
    pending changes (to other boards) as sent.
    """
    db = get_db()
    db.expire_all()  # compile from what was committed, in the order the database now holds
    try:
        return approval.publish_and_record(db, get_redis(), actor.get(),
                                           None if approval_required() else playlist_id)
    except RedisError as exc:
        log.error("publish failed: %s", exc)
        raise


def hold_reason(user: object) -> str | None:
    """Why ``user``'s just-committed save may not go to the boards now (None: it may)."""
    username = getattr(user, "username", "") or ""
    return approval.hold_reason(get_db(), required=approval_required(),
                                may_publish=bool(user is not None and user.has_role("approver")),
                                names=approval.own_names(username) | {actor.get()})


def publish_changes(playlist_id: int | None = None) -> None:
    """Publish or keep as a draft, and say in the page which (the change is saved either way)."""
    reason = hold_reason(current_user if current_user.is_authenticated else None)
    if reason == approval.HELD_DRAFT:
        flash(_("Saved as a draft. It reaches the boards when an approver publishes it."), "info")
        return
    if reason == approval.HELD_OTHERS:
        # The category makes the flash link the Changes page (see base.html).
        flash(_("Saved, but not sent to the boards: changes by other people wait for review. "
                "Review and publish them together on the Changes page."), "pending")
        return
    try:
        versions = publish(playlist_id)
    except RedisError:
        flash(_("Saved, but not yet sent to the boards (Redis does not answer). "
                "The boards keep playing what they had; try again."), "error")
        return
    if versions:
        sent = ", ".join(f"{s} (v{v})" for s, v in versions.items())
        flash(_("Sent to the boards: %(boards)s", boards=sent), "info")


def publish_report(playlist_id: int | None = None) -> dict[str, object]:
    """Publish or keep as a draft, and say in the API's answer which (in the request's language)."""
    reason = hold_reason(g.get("api_user"))
    if reason == approval.HELD_DRAFT:
        return {"published": {}, "publish_error": None, "pending_approval": True,
                "pending_reason": _("saved as a draft: it reaches the boards when an approver publishes "
                                    "it (POST /api/publish)")}
    if reason == approval.HELD_OTHERS:
        return {"published": {}, "publish_error": None, "pending_approval": True,
                "pending_reason": _("saved, not published: changes by other people wait for review "
                                    "(GET /api/changes, then POST /api/publish)")}
    try:
        return {"published": publish(playlist_id), "publish_error": None, "pending_approval": False,
                "pending_reason": None}
    except RedisError as exc:
        return {"published": {}, "publish_error": _("saved, not yet published: Redis does not answer "
                                                    "(%(problem)s)", problem=exc),
                "pending_approval": False, "pending_reason": None}
