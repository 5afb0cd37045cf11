"""Banners: upload with validation, a preview at the board's colour depth, delete."""

from __future__ import annotations

import base64
import uuid

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from redis.exceptions import RedisError
from sqlalchemy import select
from werkzeug import Response as WResponse
from wtforms.fields.core import Field

from drivers.pixels import BoardSpec
from signage.banners import is_colourful
from signage.models import Banner, Board
from signage.reach import playlists_of
from signage.render import RenderError, render_item
from signage.render.preview import frame_png
from signage.services import InvalidInput
from signage.services import content as service
from signage.web.access import get_redis, role_required
from signage.web.bin import confirm_or_delete
from signage.web.db import get_db
from signage.web.forms import BannerForm
from signage.web.messages import say
from signage.web.page_cache import cached_page
from signage.web.publishing import publish_changes
from signage.web.words import led_rgb

bp = Blueprint("banners", __name__, url_prefix="/banners")


@bp.route("/")
@role_required("viewer")
@cached_page(60)
def index() -> str:
    banners = get_db().scalars(select(Banner).order_by(Banner.id.desc())).all()
    return render_template("banners/index.html", banners=banners)


#: How long an upload waits in Redis for the "save anyway" of its colour warning.
HELD_SECONDS = 15 * 60


def _held_key(token: str) -> str:
    return f"signage:banner-upload:{token}"


def _save(form: BannerForm, data: bytes) -> WResponse | None:
    """Store the banner; None (with the problem on the form) when the bytes are refused."""
    try:
        banner, created = service.upload_banner(get_db(), form.name.data, data, form.fit.data)
    except InvalidInput as exc:
        for problem in exc.problems:
            target = getattr(form, problem.field, None)
            (target if isinstance(target, Field) else form.image).errors.append(say(problem))
        return None
    if created:
        flash(_("Banner saved."), "info")
        # approval as for every save: an approver's goes out, an editor's waits (issue #16.10)
        publish_changes(shows_in=playlists_of(get_db(), banner_id=banner.id))
    else:
        flash(_("This image is already here as banner %(name)s.", name=banner.name), "info")
    return redirect(url_for("banners.index"))


def _one_colour_looks(data: bytes, fit: str) -> list[tuple[Board, str]]:
    """How each one-colour board would show the picture (a data: URI PNG in its LED colour)."""
    looks = []
    for board in get_db().scalars(select(Board).where(Board.color == "mono").order_by(Board.name)):
        spec = BoardSpec(board.width, board.height, board.color)
        frame = next(iter(render_item({"kind": "banner", "image": data, "fit": fit}, spec)))
        png = frame_png(frame.image, 3, led_rgb(board.led_color))
        looks.append((board, "data:image/png;base64," + base64.b64encode(png).decode()))
    return looks


@bp.route("/new", methods=["GET", "POST"])
@role_required("editor")
def new() -> str | WResponse | tuple[str, int]:
    """Upload; a colour picture meant for a one-colour board is shown as that board will show
    it (dithered, in its LED colour) with a warning, and saved only when staff say so."""
    form = BannerForm()
    held = request.form.get("held", "")
    if held and request.method == "POST":  # "save anyway" after the warning
        return _save_held(form, held)
    if form.validate_on_submit():
        data = form.image.data.read()
        try:
            looks = _one_colour_looks(data, form.fit.data) if is_colourful(data) else []
        except RenderError as exc:
            form.image.errors.append(say(exc))
            return render_template("banners/form.html", form=form), 422
        if not looks:
            return _save(form, data) or (render_template("banners/form.html", form=form), 422)
        token = uuid.uuid4().hex
        try:
            get_redis().set(_held_key(token), data, ex=HELD_SECONDS)
        except RedisError:
            return _save(form, data) or (render_template("banners/form.html", form=form), 422)
        return render_template("banners/form.html", form=form, looks=looks, held=token), 200
    return render_template("banners/form.html", form=form), 200 if not form.errors else 422


def _save_held(form: BannerForm, token: str) -> WResponse | tuple[str, int]:
    """Save the upload that waited for the warning's answer, with the name and fit then shown."""
    form.image.validators = []  # the file was checked when it came; it is not sent twice
    try:
        raw = get_redis().get(_held_key(token)) if token.isalnum() else None
        data = raw.encode() if isinstance(raw, str) else raw  # str only from a decoding client
    except RedisError:
        data = None
    if data is None:
        form.image.errors = [_("The picture waited too long and is gone; choose it again.")]
        return render_template("banners/form.html", form=form), 422
    if not form.validate_on_submit():
        return render_template("banners/form.html", form=form), 422
    saved = _save(form, data)
    if saved is None:
        return render_template("banners/form.html", form=form), 422
    get_redis().delete(_held_key(token))
    return saved


@bp.route("/<id:banner_id>/preview.png")
@role_required("viewer")
def preview(banner_id: int) -> Response:
    """The banner as a board shows it: its size and colour depth, magnified with round LEDs."""
    db = get_db()
    banner = db.get(Banner, banner_id) or abort(404)
    slug = request.args.get("board")
    board = db.scalar(select(Board).where(Board.slug == slug) if slug else select(Board).order_by(Board.id))
    spec = BoardSpec(board.width, board.height, board.color) if board else BoardSpec(192, 32, "mono")
    try:
        frame = next(iter(render_item({"kind": "banner", "image": banner.data, "fit": banner.fit}, spec)))
    except RenderError as exc:
        return Response(say(exc), status=422, mimetype="text/plain")
    scale = min(max(request.args.get("scale", 3, type=int), 1), 8)
    led = led_rgb(board.led_color if board else None)
    return Response(
        frame_png(frame.image, scale, led), mimetype="image/png", headers={"Cache-Control": "no-store"}
    )


@bp.route("/<id:banner_id>/delete", methods=["GET", "POST"])
@role_required("editor")
def delete(banner_id: int) -> str | WResponse:
    """Asks first (what the boards lose), then moves the banner to the bin."""
    return confirm_or_delete("banner", get_db().get(Banner, banner_id) or abort(404))
