"""Boards (bảng điện tử): geometry, colour model, protocol, port; administrators only."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug import Response

from signage.db import get_db
from signage.models import Board, Playlist
from signage.web.access import role_required
from signage.web.concurrency import fingerprint
from signage.web.forms import BoardForm, options
from signage.web.publishing import publish_changes

bp = Blueprint("boards", __name__, url_prefix="/boards")

FIELDS = ("slug", "name", "width", "height", "color", "protocol", "port_url", "baud", "address")


def _form(board: Board | None, **kwargs: object) -> BoardForm:
    form = BoardForm(obj=board, **kwargs)
    names = get_db().execute(select(Playlist.id, Playlist.name).order_by(Playlist.name)).all()
    form.playlist.choices = options([(0, _("— none —")), *names])
    if board is not None and (not form.is_submitted() or "formdata" in kwargs):
        form.playlist.data = board.playlist_id or 0
    return form


def _save(form: BoardForm, board: Board | None) -> str | Response:
    db = get_db()
    taken = db.scalar(select(Board).where(Board.slug == form.slug.data))
    if taken is not None and taken is not board:
        form.slug.errors.append(_("This slug is already used by another board."))
        return render_template("boards/form.html", form=form, board=board), 422
    board = board or Board()
    for name in FIELDS:
        setattr(board, name, getattr(form, name).data)
    board.playlist_id = form.playlist.data or None
    db.add(board)
    db.commit()
    flash(_("Board saved."), "info")
    publish_changes()
    return redirect(url_for("boards.index"))


@bp.route("/")
@role_required("viewer")
def index() -> str:
    return render_template("boards/index.html", boards=get_db().scalars(select(Board).order_by(Board.slug)))


@bp.route("/new", methods=["GET", "POST"])
@role_required("admin")
def new() -> str | Response:
    form = _form(None)
    if form.validate_on_submit():
        return _save(form, None)
    return render_template("boards/form.html", form=form, board=None), 200 if not form.errors else 422


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@role_required("admin")
def edit(slug: str) -> str | Response:
    board = get_db().scalar(select(Board).where(Board.slug == slug)) or abort(404)
    form = _form(board)
    current = fingerprint(board)
    if not form.is_submitted():
        form.base_version.data = current
    elif form.base_version.data != current:
        flash(_("Someone else saved this board after you opened it. The form now shows their "
                "version; make your change again."), "error")
        form = _form(board, formdata=None)
        form.base_version.data = current
        return render_template("boards/form.html", form=form, board=board), 409
    if form.validate_on_submit():
        return _save(form, board)
    return render_template("boards/form.html", form=form, board=board), 200 if not form.errors else 422
