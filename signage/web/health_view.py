"""What ``/health`` shows to whom: monitoring without a login sees only status words.

The full status of a board names the item playing and the next one, the text of an urgent
notice scheduled ahead, the worker's host and process: nothing for a stranger on the LAN.
Anonymous callers get ``ok`` and one word per board; a logged-in user or an API token
(``Authorization: Bearer``) of an active user gets everything.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user
from sqlalchemy import select

from signage.models import ApiToken, User
from signage.web.api.auth import digest
from signage.web.db import get_db

PLAYING, LINK_DOWN, STALE, OFFLINE = "playing", "link down", "stale", "offline"
#: A heartbeat older than this (seconds) says the worker is gone, not just late.
OFFLINE_SECONDS = 300


def status_word(status: dict[str, Any]) -> str:
    """One word for a board's state: playing, link down, stale (late heartbeat) or offline."""
    from signage.web.dashboard import STALE_SECONDS

    age = status.get("age")
    if age is None or age >= OFFLINE_SECONDS:
        return OFFLINE
    if age >= STALE_SECONDS:  # what it said about its link is as old as its heartbeat
        return STALE
    return LINK_DOWN if status.get("link") == "down" else PLAYING


def may_see_details() -> bool:
    """A logged-in user, or a bearer token of an active user."""
    if current_user.is_authenticated:
        return True
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    found = get_db().scalar(
        select(User.active)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_sha256 == digest(token.strip()))
    )
    return bool(found)


def health_body(statuses: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The answer of ``/health``: everything for those who may see it, else the words only."""
    ok = all(s.get("ok") for s in statuses.values())
    if may_see_details():
        return {"ok": ok, "boards": {slug: {**s, "state": status_word(s)} for slug, s in statuses.items()}}
    return {"ok": ok, "boards": {slug: {"state": status_word(s)} for slug, s in statuses.items()}}
