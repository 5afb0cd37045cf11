"""Banners: upload with validation, a preview at the board's colour depth, delete."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug import Response as WResponse

from drivers.pixels import BoardSpec
from signage.banners import store_banner
from signage.db import get_db
from signage.models import Banner, Board
from signage.render import RenderError, render_item
from signage.render.preview import frame_png
from signage.web.access import role_required
from signage.web.bin import confirm_or_delete
from signage.web.forms import BannerForm
from signage.web.messages import say
from signage.web.page_cache import cached_page

bp = Blueprint("banners", __name__, url_prefix="/banners")


@bp.route("/")
@role_required("viewer")
@cached_page(60)
def index() -> str:
    banners = get_db().scalars(select(Banner).order_by(Banner.id.desc())).all()
    return render_template("banners/index.html", banners=banners)


@bp.route("/new", methods=["GET", "POST"])
@role_required("editor")
def new() -> str | WResponse:
    form = BannerForm()
    if form.validate_on_submit():
        data = form.image.data.read()
        try:
            banner, created = store_banner(get_db(), form.name.data, data, form.fit.data)
        except RenderError as exc:
            form.image.errors.append(say(exc))
        else:
            get_db().commit()
            if created:
                flash(_("Banner saved."), "info")
            else:
                flash(_("This image is already here as banner %(name)s.", name=banner.name), "info")
            return redirect(url_for("banners.index"))
    return render_template("banners/form.html", form=form), 200 if not form.errors else 422


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
    return Response(frame_png(frame.image, scale), mimetype="image/png",
                    headers={"Cache-Control": "no-store"})


@bp.route("/<id:banner_id>/delete", methods=["GET", "POST"])
@role_required("editor")
def delete(banner_id: int) -> str | WResponse:
    """Asks first (what the boards lose), then moves the banner to the bin."""
    return confirm_or_delete("banner", get_db().get(Banner, banner_id) or abort(404))
