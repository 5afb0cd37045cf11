"""Playlists (danh sách phát): items in order, durations, reordering without JavaScript."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug import Response

from signage.db import get_db
from signage.models import Banner, Playlist, PlaylistItem, Slogan
from signage.web.access import role_required
from signage.web.concurrency import fingerprint
from signage.web.forms import ActionForm, AddItemForm, PlaylistForm, options
from signage.web.publishing import publish_changes
from signage.web.slogans import append_item

bp = Blueprint("playlists", __name__, url_prefix="/playlists")


@bp.route("/", methods=["GET", "POST"])
@role_required("viewer")
def index() -> str | Response:
    form = PlaylistForm()
    if form.validate_on_submit():
        if not current_user.has_role("editor"):
            abort(403)
        db = get_db()
        if db.scalar(select(Playlist).where(Playlist.name == form.name.data)) is not None:
            form.name.errors.append(_("A playlist with this name exists already."))
        else:
            playlist = Playlist(name=form.name.data)
            db.add(playlist)
            db.commit()
            return redirect(url_for("playlists.show", playlist_id=playlist.id))
    query = select(Playlist).options(selectinload(Playlist.items)).order_by(Playlist.name)
    playlists = get_db().scalars(query).all()
    return render_template("playlists/index.html", playlists=playlists, form=form)


@bp.route("/<id:playlist_id>", methods=["GET", "POST"])
@role_required("viewer")
def show(playlist_id: int) -> str | Response:
    db = get_db()
    items = selectinload(Playlist.items)
    playlist = db.get(Playlist, playlist_id,
                      options=[items.selectinload(PlaylistItem.slogan),
                               items.selectinload(PlaylistItem.banner)]) or abort(404)
    form = AddItemForm()
    slogans = db.execute(select(Slogan.id, Slogan.text).order_by(Slogan.id.desc())).all()
    banners = db.execute(select(Banner.id, Banner.name).order_by(Banner.id.desc())).all()
    form.slogan.choices = options([(0, "—"), *((i, text[:80]) for i, text in slogans)])
    form.banner.choices = options([(0, "—"), *banners])
    if form.validate_on_submit():
        if not current_user.has_role("editor"):
            abort(403)
        model, key = (Slogan, form.slogan.data) if form.slogan.data else (Banner, form.banner.data)
        content = db.get(model, key) or abort(404)
        append_item(playlist, content, form.duration.data)
        db.commit()
        publish_changes(playlist.id)
        return redirect(url_for("playlists.show", playlist_id=playlist.id))
    action = ActionForm(formdata=None, base_version=fingerprint(playlist))
    return render_template("playlists/show.html", playlist=playlist, form=form, action=action)


def _unchanged(playlist: Playlist) -> bool:
    """A valid button press on the playlist as the user saw it; else say why nothing happened."""
    form = ActionForm()
    if not form.validate_on_submit():
        return False
    if form.base_version.data != fingerprint(playlist):
        flash(_("The playlist was changed by someone else meanwhile; nothing was moved or removed. "
                "Here it is as it is now."), "error")
        return False
    return True


def _item(playlist_id: int, item_id: int) -> PlaylistItem:
    item = get_db().get(PlaylistItem, item_id)
    if item is None or item.playlist_id != playlist_id:
        abort(404)
    return item


@bp.route("/<id:playlist_id>/items/<id:item_id>/move/<direction>", methods=["POST"])
@role_required("editor")
def move(playlist_id: int, item_id: int, direction: str) -> Response:
    if direction not in ("up", "down"):
        abort(404)
    item = _item(playlist_id, item_id)
    if _unchanged(item.playlist):
        items = item.playlist.items
        i = items.index(item)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(items):
            other = items[j]
            db = get_db()
            # Swap through a free position: (playlist_id, position) is unique.
            a, b = item.position, other.position
            item.position = -1
            db.flush()
            other.position, item.position = a, b
            db.commit()
            publish_changes(playlist_id)
    return redirect(url_for("playlists.show", playlist_id=playlist_id))


@bp.route("/<id:playlist_id>/items/<id:item_id>/delete", methods=["POST"])
@role_required("editor")
def remove(playlist_id: int, item_id: int) -> Response:
    item = _item(playlist_id, item_id)
    if _unchanged(item.playlist):
        db = get_db()
        db.delete(item)
        db.commit()
        flash(_("Removed from the playlist."), "info")
        publish_changes(playlist_id)
    return redirect(url_for("playlists.show", playlist_id=playlist_id))
