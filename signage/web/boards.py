"""Boards (bảng điện tử): geometry, colour model, protocol, port, and a test-pattern button;
administrators only."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from redis.exceptions import RedisError
from werkzeug import Response

from signage.models import Board
from signage.rules import InvalidInput
from signage.services import Stale, fingerprint
from signage.services import boards as service
from signage.web.access import get_redis, role_required
from signage.web.dashboard import STALE_SECONDS, board_status
from signage.web.db import get_db
from signage.web.forms import BoardForm, options, translate
from signage.web.publishing import publish_changes

bp = Blueprint("boards", __name__, url_prefix="/boards")

FIELDS = (
    "slug",
    "name",
    "width",
    "height",
    "color",
    "led_color",
    "protocol",
    "port_url",
    "baud",
    "address",
    "pitch_mm",
    "viewing_m",
)


def _form(board: Board | None, **kwargs: object) -> BoardForm:
    form = BoardForm(obj=board, **kwargs)
    names = service.playlist_names(get_db())
    form.playlist.choices = options([(0, _("— none —")), *names])
    if board is not None and (not form.is_submitted() or "formdata" in kwargs):
        form.playlist.data = board.playlist_id or 0
    return form


def _save(form: BoardForm, board: Board | None) -> str | Response | tuple[str, int]:
    data = service.BoardData(
        **{name: getattr(form, name).data for name in FIELDS}, playlist_id=form.playlist.data or None
    )
    try:
        service.save_board(get_db(), data, board, version=form.base_version.data if board else None)
    except InvalidInput as exc:
        for problem in exc.problems:
            field = getattr(form, {"size": "width"}.get(problem.field, problem.field), None)
            (field if field is not None else form.slug).errors.append(translate(problem))
        return render_template("boards/form.html", form=form, board=board), 422
    except Stale:
        return _stale(board)
    flash(_("Board saved."), "info")
    publish_changes()
    return redirect(url_for("boards.index"))


def _stale(board: Board | None) -> tuple[str, int]:
    """The form again with the board as it is now, saying someone else saved it meanwhile."""
    flash(
        _(
            "Someone else saved this board after you opened it. The form now shows their "
            "version; make your change again."
        ),
        "error",
    )
    get_db().expire_all()
    form = _form(board, formdata=None)
    form.base_version.data = fingerprint(board) if board is not None else ""
    return render_template("boards/form.html", form=form, board=board), 409


@bp.route("/")
@role_required("viewer")
def index() -> str:
    return render_template("boards/index.html", boards=service.every_board(get_db()))


@bp.route("/new", methods=["GET", "POST"])
@role_required("admin")
def new() -> str | Response | tuple[str, int]:
    form = _form(None)
    if form.validate_on_submit():
        return _save(form, None)
    return render_template("boards/form.html", form=form, board=None), 200 if not form.errors else 422


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@role_required("admin")
def edit(slug: str) -> str | Response | tuple[str, int]:
    board = service.by_slug(get_db(), slug) or abort(404)
    form = _form(board)
    if not form.is_submitted():
        form.base_version.data = fingerprint(board)
    elif form.base_version.data != fingerprint(board):
        return _stale(board)
    if form.validate_on_submit():
        return _save(form, board)
    return render_template("boards/form.html", form=form, board=board), 200 if not form.errors else 422


#: How long the test pattern stays on the board unless the app's config says otherwise (seconds).
TEST_PATTERN_SECONDS = 15


@bp.route("/<slug>/test-pattern", methods=["POST"])
@role_required("admin")
def test_pattern(slug: str) -> Response:
    """Put the test pattern on the board for a few seconds, then back to its schedule.

    The request goes to the board's worker through a Redis key that expires when the
    pattern should end (``show.test_pattern_key``), not through a publish: nothing of the
    show changes, and content drafts stay drafts. Who pressed it goes into the audit log.
    """
    db = get_db()
    board = service.by_slug(db, slug) or abort(404)
    from_edit = request.form.get("back") == "edit"
    back = url_for("boards.edit", slug=slug) if from_edit else url_for("boards.index")
    seconds = int(current_app.config.get("TEST_PATTERN_SECONDS", TEST_PATTERN_SECONDS))
    try:
        service.request_test_pattern(db, get_redis(), board, seconds)
    except RedisError:
        flash(_("The test pattern was not sent: Redis does not answer. Try again."), "error")
        return redirect(back)
    status = board_status(board.slug)
    if status.get("age") is None:
        flash(
            _(
                "Test pattern requested, but no worker has ever played board %(slug)s; it shows only "
                "if its worker starts within %(seconds)d s.",
                slug=board.slug,
                seconds=seconds,
            ),
            "error",
        )
    elif status["age"] >= STALE_SECONDS:
        flash(
            _(
                "Test pattern requested, but no worker is playing board %(slug)s (last heartbeat "
                "%(age)s s ago); it shows only if its worker starts within %(seconds)d s.",
                slug=board.slug,
                age=round(status["age"]),
                seconds=seconds,
            ),
            "error",
        )
    elif status.get("link") == "down":
        flash(
            _(
                "Test pattern sent, but the worker of board %(slug)s cannot reach the board: %(error)s",
                slug=board.slug,
                error=status.get("error") or "?",
            ),
            "error",
        )
    else:
        flash(
            _(
                "Test pattern sent: board %(slug)s shows it for %(seconds)d s, then returns to its schedule.",
                slug=board.slug,
                seconds=seconds,
            ),
            "info",
        )
    return redirect(back)
