"""The dashboard: each board's live mirror, current item and link health."""

from __future__ import annotations

import json
import time

from flask import Blueprint, Response, abort, jsonify, render_template
from redis.exceptions import RedisError
from sqlalchemy import select

from signage import show
from signage.db import get_db
from signage.models import Board
from signage.web.access import get_redis, role_required

bp = Blueprint("dashboard", __name__)

#: A heartbeat older than this means the board's worker is not playing.
STALE_SECONDS = 15


def board_status(slug: str) -> dict:
    """What the board's worker last reported, with ``ok`` false when it went quiet."""
    try:
        raw = get_redis().hgetall(show.status_key(slug))
    except RedisError as exc:
        return {"ok": False, "error": f"Redis unreachable: {exc}"}
    status = {k.decode(): json.loads(v) for k, v in raw.items()}
    beat = status.get("heartbeat")
    status["age"] = round(time.time() - beat, 1) if beat else None
    status["ok"] = bool(beat) and status["age"] < STALE_SECONDS and status.get("link") != "down"
    status.update(expected_now(slug))
    return status


def expected_now(slug: str) -> dict:
    """What the board's published show says should play now (the schedule), for comparison."""
    from datetime import UTC, datetime

    from signage import schedule

    try:
        raw = get_redis().get(show.show_key(slug))
        doc = show.check(json.loads(raw)) if raw else None
    except (RedisError, ValueError, show.ShowError):
        return {}
    if doc is None:
        return {"expected": None}
    choice = schedule.what_plays(doc, datetime.now(UTC))
    source = f"{choice.kind}:{choice.notice_id or choice.schedule_id or choice.playlist or ''}"
    return {"expected": {"kind": choice.kind, "source": source, "label": choice.label},
            "show_version": doc.get("version")}


@bp.route("/")
@role_required("viewer")
def index() -> str:
    boards = get_db().scalars(select(Board).order_by(Board.slug)).all()
    try:  # proof of play waits in Redis until someone looks; store it now
        from signage.publish import collect_proof

        collect_proof(get_db(), get_redis())
    except RedisError:
        pass
    return render_template("dashboard.html", boards=[(b, board_status(b.slug)) for b in boards])


@bp.route("/boards/<slug>/mirror.png")
@role_required("viewer")
def mirror(slug: str) -> Response:
    try:
        data = get_redis().get(show.mirror_key(slug))
    except RedisError:
        data = None
    if data is None:
        abort(404)
    return Response(data, mimetype="image/png", headers={"Cache-Control": "no-store"})


@bp.route("/health")
def health() -> Response:
    """Machine-readable status of every board, for monitoring."""
    boards = get_db().scalars(select(Board).order_by(Board.slug)).all()
    statuses = {b.slug: board_status(b.slug) for b in boards}
    return jsonify({"ok": all(s["ok"] for s in statuses.values()), "boards": statuses})
