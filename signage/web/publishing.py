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
from collections.abc import Iterable

from flask import current_app, flash, g
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from redis.exceptions import RedisError
from sqlalchemy import select

from signage import approval
from signage.audit import actor
from signage.models import Board, User
from signage.reach import reach
from signage.web.access import get_redis
from signage.web.db import get_db

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
        return approval.publish_and_record(
            db, get_redis(), actor.get(), None if approval_required() else playlist_id
        )
    except RedisError as exc:
        log.error("publish failed: %s", exc)
        raise


def hold_reason(user: User | None) -> str | None:
    """Why ``user``'s just-committed save may not go to the boards now (None: it may)."""
    username = getattr(user, "username", "") or ""
    return approval.hold_reason(
        get_db(),
        required=approval_required(),
        may_publish=bool(user is not None and user.has_role("approver")),
        names=approval.own_names(username) | {actor.get()},
    )


def where_it_shows(playlist_ids: Iterable[int]) -> str:
    """Which boards show these playlists and from when, in a sentence (``signage.reach``)."""
    playlist_ids = set(playlist_ids)
    if not playlist_ids:
        return _("No playlist holds it yet, so no board shows it: add it to a playlist.")
    found = reach(get_db(), playlist_ids)
    if not found:
        return _("No board plays this list: add the list to a board or a schedule to show it.")
    parts = []
    for r in found:
        when = format_datetime(r.start, "dd/MM/yyyy HH:mm") if r.start is not None else ""
        if r.start is None:
            parts.append(_("%(board)s now, in its turn in the list", board=r.board))
        elif r.schedule:
            parts.append(
                _(
                    "%(board)s from %(when)s, when the schedule «%(schedule)s» opens",
                    board=r.board,
                    when=when,
                    schedule=r.schedule,
                )
            )
        else:
            parts.append(_("%(board)s from %(when)s", board=r.board, when=when))
    return _("Shown on: %(boards)s.", boards="; ".join(parts))


def publish_changes(playlist_id: int | None = None, *, shows_in: Iterable[int] | None = None) -> None:
    """Publish or keep as a draft, and say in the page which (the change is saved either way).

    ``shows_in``: the playlists the change shows in (default: ``playlist_id``'s); the message
    then says which boards show it and when, or that no board plays the list.
    """
    if shows_in is None and playlist_id is not None:
        shows_in = [playlist_id]
    shows_in = set(shows_in) if shows_in is not None else None
    where = (" " + where_it_shows(shows_in)) if shows_in is not None else ""
    reason = hold_reason(current_user if current_user.is_authenticated else None)
    if reason == approval.HELD_DRAFT:
        flash(_("Saved as a draft. It reaches the boards when an approver publishes it.") + where, "info")
        return
    if reason == approval.HELD_OTHERS:
        # The category makes the flash link the Changes page (see base.html).
        flash(
            _(
                "Saved, but not sent to the boards: changes by other people wait for review. "
                "Review and publish them together on the Changes page."
            )
            + where,
            "pending",
        )
        return
    try:
        versions = publish(playlist_id)
    except RedisError:
        flash(
            _(
                "Saved, but not yet sent to the boards (Redis does not answer). "
                "The boards keep playing what they had; try again."
            ),
            "error",
        )
        return
    if shows_in is not None and not set(shows_in):
        flash(where.strip(), "info")  # published (nothing waits), but no board shows it yet
    elif shows_in is not None:
        flash(_("Sent to the boards.") + where, "info")
    elif versions:
        flash(_("Sent to the boards: %(boards)s", boards=", ".join(board_names(versions))), "info")


def board_names(versions: dict[str, int]) -> list[str]:
    """The names staff gave the boards a publish reached (their slugs are for the machines)."""
    names = dict(get_db().execute(select(Board.slug, Board.name).where(Board.slug.in_(list(versions)))).all())
    return [names.get(slug, slug) for slug in versions]


def publish_report(playlist_id: int | None = None) -> dict[str, object]:
    """Publish or keep as a draft, and say in the API's answer which (in the request's language)."""
    reason = hold_reason(g.get("api_user"))
    if reason == approval.HELD_DRAFT:
        return {
            "published": {},
            "publish_error": None,
            "pending_approval": True,
            "pending_reason": _(
                "saved as a draft: it reaches the boards when an approver publishes it (POST /api/publish)"
            ),
        }
    if reason == approval.HELD_OTHERS:
        return {
            "published": {},
            "publish_error": None,
            "pending_approval": True,
            "pending_reason": _(
                "saved, not published: changes by other people wait for review "
                "(GET /api/changes, then POST /api/publish)"
            ),
        }
    try:
        return {
            "published": publish(playlist_id),
            "publish_error": None,
            "pending_approval": False,
            "pending_reason": None,
        }
    except RedisError as exc:
        return {
            "published": {},
            "publish_error": _("saved, not yet published: Redis does not answer (%(problem)s)", problem=exc),
            "pending_approval": False,
            "pending_reason": None,
        }
