"""The board queues in words, for administrators: each board's player, its waiting plays and
the plays that failed, with a button that puts a failed play back in its queue.

Staff read Vietnamese; rq-dashboard (``signage.web.rqdash``) speaks English and developer
(job ids, registries, tracebacks). This page reads the same things through RQ's public API
only (``Queue``, ``Worker.all``, ``FailedJobRegistry``, ``Job``) and says them in the user's
language: the player's state (playing, waiting, not responding, disconnected), how many plays
wait, when the player last reported, each failed play with its reason in words. The
raw traceback stays under "Technical details", and rq-dashboard one click away.
Putting a failed play back is a POST with the CSRF token, written to the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from redis.exceptions import RedisError
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.worker import BaseWorker, Worker
from werkzeug.wrappers import Response as WResponse

from signage.models import Board
from signage.playout import queue_name
from signage.services import boards as service
from signage.web.access import get_redis, role_required
from signage.web.db import get_db
from signage.web.forms import ActionForm

bp = Blueprint("queues", __name__, url_prefix="/admin/queues")

#: A player that waits between items reports at least this often (it restarts its chain of
#: plays within a second); older than this it is stuck or gone.
IDLE_STALE_SECONDS = 120
#: How many failed plays are listed per board (the newest first).
FAILED_SHOWN = 20
#: The last line of a Python traceback: ``module.Class: message``.
_LAST_LINE = re.compile(r"^(?P<kind>[A-Za-z_][\w.]*)(?::\s*(?P<message>.*))?$")


@dataclass
class Failed:
    """A failed play as the page shows it."""

    id: str
    what: str
    reason: str
    at: datetime | None
    traceback: str


@dataclass
class BoardQueue:
    """One board's queue and player, in words."""

    board: Board
    state: str
    bad: bool
    waiting: int | None
    heartbeat: datetime | None
    workers: int
    failed: list[Failed] = field(default_factory=list)
    failed_total: int = 0


def worker_state(workers: list[BaseWorker], now: datetime) -> tuple[str, bool, datetime | None]:
    """The player's state in words, whether it is a problem, and its last heartbeat (UTC)."""
    if not workers:
        return _("disconnected: no player is connected to this queue"), True, None
    worker = max(workers, key=lambda w: w.last_heartbeat or datetime.min.replace(tzinfo=UTC))
    beat = worker.last_heartbeat
    state = worker.get_state()
    age = (now - beat).total_seconds() if beat is not None else None
    if state == "busy":
        return _("playing"), False, beat
    if age is None or age > IDLE_STALE_SECONDS:
        return _("not responding"), True, beat
    if state == "suspended":
        return _("paused"), True, beat
    if state == "started":
        return _("starting"), False, beat
    return _("waiting for the next item"), False, beat


def reason_words(traceback: str) -> str:
    """Why a play failed, in words, from the last line of its traceback."""
    lines = [line.strip() for line in traceback.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    if "AbandonedJobError" in traceback or "abandoned" in last.lower():
        return _("the player stopped while playing it (restarted or lost power)")
    match = _LAST_LINE.match(last)
    kind = (match.group("kind") if match else "").rsplit(".", 1)[-1]
    message = (match.group("message") if match else last) or ""
    if kind in ("JobTimeoutException", "TimeoutError"):
        return _("it ran longer than the time allowed and was stopped")
    if kind in ("SerialException", "SerialTimeoutException", "BrokenPipeError", "ConnectionResetError"):
        return _("the cable to the board failed: %(detail)s", detail=message or kind)
    if kind.startswith("Redis") or kind in ("ConnectionError",):
        return _("the player lost its connection to the queue server")
    if not last:
        return _("no reason was recorded")
    return _("an error while playing: %(detail)s", detail=message or kind)


def play_words(job: Job) -> str:
    """What the job was for: a board's play by its position, or its description."""
    if (job.func_name or "").endswith(".play_item") and len(job.args) >= 2:
        return _("item %(n)s of the playlist", n=int(job.args[1]) + 1)
    return job.description or job.id


def failed_plays(queue: Queue) -> tuple[list[Failed], int]:
    """The newest failed plays of a queue (at most ``FAILED_SHOWN``) and how many there are."""
    registry = FailedJobRegistry(queue=queue)
    ids = registry.get_job_ids(desc=True)
    shown = []
    for job in Job.fetch_many(ids[:FAILED_SHOWN], connection=queue.connection):
        if job is None:
            continue
        result = job.latest_result()
        traceback = (result.exc_string or "") if result is not None else ""
        shown.append(Failed(job.id, play_words(job), reason_words(traceback), job.ended_at, traceback))
    return shown, len(ids)


def board_queue(board: Board, now: datetime) -> BoardQueue:
    """What RQ knows of one board's queue; Redis errors propagate."""
    queue = Queue(queue_name(board.slug), connection=get_redis())
    workers = Worker.all(queue=queue)
    state, bad, beat = worker_state(workers, now)
    failed, total = failed_plays(queue)
    return BoardQueue(board, state, bad, queue.count, beat, len(workers), failed, total)


@bp.route("/")
@role_required("admin")
def index() -> str:
    boards = sorted(service.every_board(get_db()), key=lambda b: b.name)
    now = datetime.now(UTC)
    try:
        rows = [board_queue(board, now) for board in boards]
        unreachable = False
    except RedisError:
        rows, unreachable = [], True
    from signage.web.rqdash import PREFIX

    return render_template(
        "queues/index.html",
        rows=rows,
        unreachable=unreachable,
        form=ActionForm(),
        technical=PREFIX + "/",
    )


@bp.route("/<slug>/failed/<job_id>/requeue", methods=["POST"])
@role_required("admin")
def requeue(slug: str, job_id: str) -> WResponse:
    """Put a failed play of this board back at the end of its queue; audited."""
    board = service.by_slug(get_db(), slug) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    redis = get_redis()
    try:
        job = Job.fetch(job_id, connection=redis)
        done = service.requeue_failed_play(get_db(), redis, board, job_id, play_words(job))
    except NoSuchJobError:
        done = False
    except RedisError:
        flash(_("The queue server did not answer; nothing was changed."), "error")
        return redirect(url_for("queues.index"))
    if not done:
        flash(_("This failed play is no longer there: it was put back or cleaned up already."), "error")
    else:
        flash(_("The play was put back in the queue of %(board)s.", board=board.name), "info")
    return redirect(url_for("queues.index"))
