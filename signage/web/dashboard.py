"""The dashboard: each board's live mirror, current item and link health."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template
from flask_babel import format_datetime
from flask_babel import gettext as _
from PIL import Image
from redis.exceptions import RedisError
from sqlalchemy import select

from signage import schedule, show
from signage.models import Board
from signage.show import Show, ShowItem
from signage.web.access import get_redis, role_required
from signage.web.db import get_db
from signage.web.page_cache import cached_page
from signage.web.words import led_rgb, link_word

bp = Blueprint("dashboard", __name__)

#: A heartbeat older than this means the board's worker is not playing.
STALE_SECONDS = 15
#: An item still playing this long after the schedule says something else is a fault.
MISMATCH_GRACE = 60
#: How long after a publish a board may still finish an item chosen by the show before it.
PUBLISH_GRACE = timedelta(minutes=10)


def board_status(slug: str) -> dict:
    """What the board's worker last reported, with ``ok`` false and ``reasons`` when something
    is wrong: a stale heartbeat, a link down, a cache that cannot be written, or a board not
    playing what its schedule says plays now."""
    try:
        raw = get_redis().hgetall(show.status_key(slug))
    except RedisError as exc:
        return {"ok": False, "error": f"Redis unreachable: {exc}", "reasons": ["redis unreachable"]}
    status = {k.decode() if isinstance(k, bytes) else k: json.loads(v) for k, v in raw.items()}
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
        doc = show.fetch(get_redis(), slug)
    except (RedisError, show.ShowError):
        return {}
    if doc is None:
        return {"expected": None}
    now = datetime.now(UTC)
    choice = schedule.what_plays(doc, now)
    source = f"{choice.kind}:{choice.notice_id or choice.schedule_id or choice.playlist or ''}"
    return {
        "expected": {"kind": choice.kind, "source": source, "label": choice.label},
        "show_version": doc.version,
        "change": next_change(doc, now, choice),
        "next": next_item(choice.items, playing) if choice.kind not in ("off", "notice") else None,
    }


def next_item(items: Sequence[ShowItem], current: str | None) -> dict | None:
    """The item after the one playing, in playlist order (the first when nothing matches),
    as the board's status carries it (JSON)."""
    if not items:
        return None
    ids = [item.id for item in items]
    found = items[(ids.index(current) + 1) % len(items)] if current in ids else items[0]
    return found.to_json()


def next_change(doc: Show, now: datetime, choice: schedule.Choice) -> dict | None:
    """When the schedule next hands the board to something else, within a week, and to what."""
    for segment in schedule.timeline(doc, now, now + timedelta(days=7)):
        if segment.choice.key != choice.key:
            return {
                "at": segment.start.timestamp(),
                "label": segment.choice.label,
                "kind": segment.choice.kind,
            }
    return None


@bp.app_template_filter("from_epoch")
def from_epoch(seconds: float | None) -> datetime | None:
    """Status times are epoch seconds (cheap for the worker to write); pages show them as dates."""
    return datetime.fromtimestamp(seconds, UTC) if seconds else None


def _playing_source(status: dict) -> str | None:
    """What the worker says it plays, spelt as the schedule's keys (None: it has not said)."""
    kind = status.get("kind")
    if kind in ("off", "idle"):  # waiting: the worker leaves the last item's source in place
        return f"{kind}:"
    return str(status["source"]) if status.get("source") else None


def _wrong_choice(slug: str, status: dict) -> str | None:
    """Why the board is not showing what its schedule expects (None: it is, or it cannot tell).

    A board finishes its item before following a schedule change or a publish, so it is wrong
    only when the item began (``since``) after the schedule chose something else and after the
    show was published, or the show is older than any item lasts (``PUBLISH_GRACE``)."""
    expected, playing = status.get("expected"), _playing_source(status)
    if not expected or playing is None or status.get("kind") == "test" or playing == expected["source"]:
        return None
    try:
        doc = show.fetch(get_redis(), slug)
    except (RedisError, show.ShowError):
        return None
    if doc is None:
        return None  # as before: no show to compare with
    since = status.get("since")
    began = datetime.fromtimestamp(since, UTC) if since else None
    if doc is not None and began is not None:
        if schedule.what_plays(doc, began).key == playing:
            return None  # right when it began; it follows the schedule at the end of this item
        published = doc.compiled_at or began
        if began < published and datetime.now(UTC) - published < PUBLISH_GRACE:
            return None  # it began before this show reached it: still finishing that item
    return _(
        "The board plays «%(playing)s» but its schedule says «%(expected)s».",
        playing=_expected_words(status),
        expected=_expected_words(expected),
    )


def _expected_words(expected: dict) -> str:
    """A choice (``kind``, ``label``) in words: the worker's labels for waiting are English codes."""
    if expected.get("kind") == "off":
        return _("switched off (off hours)")
    if expected.get("kind") == "idle":
        return _("nothing to play")
    return expected.get("label") or expected.get("kind") or "—"


def card(board: Board, status: dict) -> dict[str, Any]:
    """One board's card in the user's language: the page draws it, ``live.json`` refreshes it."""
    age = status.get("age")
    reasons: list[str] = []
    if status.get("error") and str(status["error"]).startswith("Redis"):
        reasons.append(_("The admin cannot reach Redis, so it cannot tell what the board does."))
    elif age is None:
        reasons.append(_("No player has run this board yet: start the board's worker."))
    elif age >= STALE_SECONDS:
        reasons.append(
            _(
                "No sign of life from the board's player for %(seconds)d s: it has stopped "
                "or its computer is off.",
                seconds=int(age),
            )
        )
    elif status.get("link") == "down":
        reasons.append(
            _("The board does not answer on its cable: %(error)s", error=status.get("error") or "—")
        )
    wrong = _wrong_choice(board.slug, status) if not reasons else None
    if wrong:
        reasons.append(wrong)
    expected, change, upcoming = status.get("expected"), status.get("change"), status.get("next")
    since = from_epoch(status.get("since"))
    return {
        "bad": bool(reasons),
        "state": _("not playing") if reasons else _("playing"),
        "reason": " ".join(reasons),
        # waiting (off hours, nothing to play) the worker clears the item but leaves the last text
        "now": (status.get("text") if status.get("item") else None) or _expected_words(status),
        "since": _("since %(time)s", time=format_datetime(since, "HH:mm:ss dd/MM")) if since else "",
        "next": (upcoming.get("text") or upcoming.get("name") or "") if upcoming else "",
        "scheduled": _expected_words(expected) if expected else "—",
        "then": _(
            "from %(time)s: %(label)s",
            label=_expected_words(change),
            time=format_datetime(from_epoch(change["at"]), "HH:mm dd/MM/yyyy"),
        )
        if change
        else "",
        "heartbeat": _("%(seconds)s s ago", seconds=age) if age is not None else "—",
        "link": link_word(status.get("link")),
    }


def _cards() -> dict[str, tuple[Board, dict[str, Any], dict]]:
    return {
        b.slug: (b, card(b, st), st)
        for b in get_db().scalars(select(Board).order_by(Board.slug))
        for st in (board_status(b.slug),)
    }


@bp.route("/")
@role_required("viewer")
@cached_page(1)
def index() -> str:
    try:  # proof of play waits in Redis until someone looks; store it now
        from signage.publish import collect_proof

        collect_proof(get_db(), get_redis())
    except RedisError:
        pass
    return render_template("dashboard.html", boards=list(_cards().values()))


@bp.route("/live.json")
@role_required("viewer")
def live() -> Response:
    """Every board's card as words, for the dashboard's script to refresh with the mirror."""
    return jsonify({slug: c for slug, (_b, c, _st) in _cards().items()})


@bp.route("/boards/<slug>/mirror.png")
@role_required("viewer")
def mirror(slug: str) -> Response:
    try:
        raw = get_redis().get(show.mirror_key(slug))
        data = raw.encode() if isinstance(raw, str) else raw  # str only from a decoding client
    except RedisError:
        data = None
    board = (
        get_db()
        .execute(select(Board.width, Board.height, Board.color, Board.led_color).where(Board.slug == slug))
        .first()
    )
    if board is None:
        abort(404)
    if data is None:  # nothing shown yet (no worker, or Redis lost it): a dark board, not a broken image
        buf = io.BytesIO()
        Image.new("L", (board.width, board.height), 0).save(buf, "PNG")
        data = buf.getvalue()
    if board.color == "mono":
        data = in_led_colour(data, led_rgb(board.led_color))
    return Response(data, mimetype="image/png", headers={"Cache-Control": "no-store"})


def in_led_colour(png: bytes, led: tuple[int, int, int]) -> bytes:
    """A one-colour frame as the board shows it: lit pixels in its LED colour, not white.

    The worker keeps the frame it sent (one bit a pixel, lit or not); only the admin knows
    which colour the modules light in, so the colour is put on here."""
    with Image.open(io.BytesIO(png)) as image:
        mask = image.convert("L")
    lit = Image.composite(Image.new("RGB", mask.size, led), Image.new("RGB", mask.size, 0), mask)
    out = io.BytesIO()
    lit.save(out, "PNG", compress_level=1)
    return out.getvalue()


@bp.route("/health")
def health() -> Response:
    """Machine-readable status of every board, for monitoring (details only with a login or token)."""
    from signage.web.health_view import health_body

    boards = get_db().scalars(select(Board).order_by(Board.slug)).all()
    return jsonify(health_body({b.slug: board_status(b.slug) for b in boards}))
