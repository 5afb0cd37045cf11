"""Publish after a saved change, and tell the user when the boards could not be told."""

from __future__ import annotations

import logging

from flask import flash
from flask_babel import gettext as _
from redis.exceptions import RedisError

from signage.db import get_db
from signage.publish import publish_all
from signage.web.access import get_redis

log = logging.getLogger(__name__)


def publish(playlist_id: int | None = None) -> dict[str, int]:
    """Publish the boards a committed change touches; raises ``RedisError`` when Redis is away."""
    db = get_db()
    db.expire_all()  # compile from what was committed, in the order the database now holds
    try:
        return publish_all(db, get_redis(), playlist_id)
    except RedisError as exc:
        log.error("publish failed: %s", exc)
        raise


def publish_changes(playlist_id: int | None = None) -> None:
    """Publish, and say in the page what reached the boards (the change is saved either way)."""
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
    """Publish, and say in the API's answer what reached the boards."""
    try:
        return {"published": publish(playlist_id), "publish_error": None}
    except RedisError as exc:
        return {"published": {}, "publish_error": f"saved, not yet published: Redis does not answer ({exc})"}
