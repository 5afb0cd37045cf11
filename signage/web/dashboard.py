"""The dashboard: each board's live mirror, current item and link health."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from flask import Blueprint, Response, abort, jsonify, render_template
from redis.exceptions import RedisError
from sqlalchemy import select

from signage import schedule, show
from signage.db import get_db
from signage.models import Board
from signage.web.access import get_redis, role_required
from signage.web.page_cache import cached_page

bp = Blueprint("dashboard", __name__)

#: A heartbeat older than this means the board's worker is not playing.
STALE_SECONDS = 15
#: An item still playing this long after the schedule says something else is a fault.
MISMATCH_GRACE = 60


def board_status(slug: str) -> dict:
    """What the board's worker last reported, with ``ok`` false and ``reasons`` when something
    is wrong: a stale heartbeat, a link down, a cache that cannot be written, or a board not
    playing what its schedule says plays now."""
    try:
        raw = get_redis().hgetall(show.status_key(slug))
    except RedisError as exc:
        return {"ok": False, "error": f"Redis unreachable: {exc}", "reasons": ["redis unreachable"]}
    status = {k.decode(): json.loads(v) for k, v in raw.items()}
    beat = status.get("heartbeat")
    status["age"] = round(time.time() - beat, 1) if beat else None
    status.update(expected_now(slug, status.get("item")))
    status["reasons"] = health_reasons(status)
    status["ok"] = not status["reasons"]
    return status


def health_reasons(status: dict) -> list[str]:
    """Why a board's status is not ok (empty when it is), in words for monitoring."""
    reasons = []
    if status.get("age") is None:
        reasons.append("no heartbeat")
    elif status["age"] >= STALE_SECONDS:
        reasons.append(f"heartbeat stale ({status['age']:.0f} s)")
    if status.get("link") == "down":
        reasons.append(f"link down: {status.get('error') or '?'}")
    if status.get("cache"):
        reasons.append(f"cache cannot be written: {status['cache']}")
    expected = status.get("expected") or {}
    playing = status.get("source") if status.get("item") else status.get("kind")
    wanted = expected.get("source") if expected.get("kind") not in ("off", "idle") else expected.get("kind")
    if expected and playing and wanted and playing != wanted and not _settling(status):
        reasons.append(f"plays {playing}, schedule says {wanted}")
    return reasons


def _settling(status: dict) -> bool:
    """A test pattern, or an item begun in the last minute: the schedule may have moved on
    since it began, and the worker follows at the next item (a notice at the next frame)."""
    return status.get("kind") == "test" or time.time() - (status.get("since") or 0) < MISMATCH_GRACE


def expected_now(slug: str, playing: str | None = None) -> dict:
    """What the published show says plays now, the item after ``playing``, and when the schedule
    changes: the comparison staff need to trust that the board does what was published."""
    try:
        raw = get_redis().get(show.show_key(slug))
        doc = show.check(json.loads(raw)) if raw else None
    except (RedisError, ValueError, show.ShowError):
        return {}
    if doc is None:
        return {"expected": None}
    now = datetime.now(UTC)
    choice = schedule.what_plays(doc, now)
    source = f"{choice.kind}:{choice.notice_id or choice.schedule_id or choice.playlist or ''}"
    return {"expected": {"kind": choice.kind, "source": source, "label": choice.label},
            "show_version": doc.get("version"), "change": next_change(doc, now, choice),
            "next": next_item(choice.items, playing) if choice.kind not in ("off", "notice") else None}


def next_item(items: list[dict], current: str | None) -> dict | None:
    """The item after the one playing, in playlist order (the first when nothing matches)."""
    if not items:
        return None
    ids = [item.get("id") for item in items]
    return items[(ids.index(current) + 1) % len(items)] if current in ids else items[0]


def next_change(doc: dict, now: datetime, choice: schedule.Choice) -> dict | None:
    """When the schedule next hands the board to something else, within a week, and to what."""
    for segment in schedule.timeline(doc, now, now + timedelta(days=7)):
        if segment.choice.key != choice.key:
            return {"at": segment.start.timestamp(), "label": segment.choice.label,
                    "kind": segment.choice.kind}
    return None


@bp.app_template_filter("from_epoch")
def from_epoch(seconds: float | None) -> datetime | None:
    """Status times are epoch seconds (cheap for the worker to write); pages show them as dates."""
    return datetime.fromtimestamp(seconds, UTC) if seconds else None


@bp.route("/")
@role_required("viewer")
@cached_page(1)
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
    """Machine-readable status of every board, for monitoring (details only with a login or token)."""
    from signage.web.health_view import health_body

    boards = get_db().scalars(select(Board).order_by(Board.slug)).all()
    return jsonify(health_body({b.slug: board_status(b.slug) for b in boards}))
