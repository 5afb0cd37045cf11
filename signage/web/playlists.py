"""Playlists (danh sách phát): items in order, how long each plays, on/off, all without JavaScript.

Every change to a playlist carries the fingerprint of the playlist as the user saw it; a
playlist someone else changed meanwhile is not touched, and the page says so.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug import Response

from signage import rules
from signage.models import Banner, Playlist, PlaylistItem, Slogan
from signage.playlist_time import QuickTotal, has_passes, playlist_time, quick_totals
from signage.web.access import role_required
from signage.web.concurrency import fingerprint
from signage.web.db import get_db
from signage.web.forms import ActionForm, AddItemForm, ItemTimingForm, PlaylistForm, translate
from signage.web.page_cache import cached_page
from signage.web.publishing import publish_changes
from signage.web.slogans import append_item

bp = Blueprint("playlists", __name__, url_prefix="/playlists")
#: Matches shown at a time under "add": enough to pick from, small enough to keep the page light.
SEARCH_PAGE = 10


@bp.route("/", methods=["GET", "POST"])
@role_required("viewer")
@cached_page(60)
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
    playlists = get_db().scalars(select(Playlist).order_by(Playlist.name)).all()
    return render_template(
        "playlists/index.html",
        playlists=playlists,
        form=form,
        totals=quick_totals(get_db()),
        no_items=QuickTotal(0, 0.0, True),
    )


def _load(playlist_id: int) -> Playlist:
    items = selectinload(Playlist.items)
    options = [items.selectinload(PlaylistItem.slogan), items.selectinload(PlaylistItem.banner)]
    return get_db().get(Playlist, playlist_id, options=options) or abort(404)


def _matches(q: str, page: int) -> tuple[list[tuple[str, int, str]], int, int]:
    """One page of slogans then banners whose text or name holds ``q`` (all when empty), newest first.

    Returns (kind, id, label) rows, the page shown and the number of pages.
    """
    db = get_db()
    slogans, banners = select(Slogan.id, Slogan.text), select(Banner.id, Banner.name)
    if q:
        slogans = slogans.where(func.lower(Slogan.text).contains(q.lower()))
        banners = banners.where(func.lower(Banner.name).contains(q.lower()))
    n_slogans = db.scalar(select(func.count()).select_from(slogans.subquery())) or 0
    n_banners = db.scalar(select(func.count()).select_from(banners.subquery())) or 0
    pages = max(1, -(-(n_slogans + n_banners) // SEARCH_PAGE))
    page = min(max(page, 1), pages)
    start = (page - 1) * SEARCH_PAGE
    rows = [
        ("slogan", i, text)
        for i, text in db.execute(slogans.order_by(Slogan.id.desc()).offset(start).limit(SEARCH_PAGE))
    ]
    if len(rows) < SEARCH_PAGE:
        rest = banners.order_by(Banner.id.desc()).offset(max(0, start - n_slogans))
        rows += [("banner", i, name) for i, name in db.execute(rest.limit(SEARCH_PAGE - len(rows)))]
    return rows, page, pages


@bp.route("/<id:playlist_id>")
@role_required("viewer")
@cached_page(60)
def show(playlist_id: int) -> str:
    """The items with their times and the total; editors also get a search to add content."""
    playlist = _load(playlist_id)
    times = playlist_time(get_db(), playlist)
    q = request.args.get("q", "").strip()[:200]
    matches: list[tuple[str, int, str]] = []
    page, pages = 1, 1
    if current_user.has_role("editor"):
        matches, page, pages = _matches(q, request.args.get("page", 1, type=int))
    action = ActionForm(formdata=None, base_version=fingerprint(playlist))
    return render_template(
        "playlists/show.html",
        playlist=playlist,
        action=action,
        times=times,
        has_passes=has_passes,
        matches=matches,
        q=q,
        page=page,
        pages=pages,
    )


def _back(playlist_id: int) -> Response:
    """To the playlist, keeping the search the user was on (it came with the form)."""
    q, page = request.form.get("q", "").strip(), request.form.get("page", type=int)
    args: dict[str, Any] = {k: v for k, v in (("q", q), ("page", page)) if v}
    return redirect(url_for("playlists.show", playlist_id=playlist_id, **args))


def _unchanged(playlist: Playlist, form: ActionForm | ItemTimingForm | None = None) -> bool:
    """A valid form posted on the playlist as the user saw it; else say why nothing happened."""
    form = form or ActionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return False
    if form.base_version.data != fingerprint(playlist):
        flash(
            _(
                "The playlist was changed by someone else meanwhile; nothing was changed. "
                "Here it is as it is now."
            ),
            "error",
        )
        return False
    return True


def _item(playlist_id: int, item_id: int) -> PlaylistItem:
    item = get_db().get(PlaylistItem, item_id)
    if item is None or item.playlist_id != playlist_id:
        abort(404)
    return item


def _timing(
    form: ItemTimingForm, content: Slogan | Banner | None, label: str
) -> tuple[float | None, int | None]:
    """The form's (duration, passes) for an item; flashes the problem and returns (None, None)."""
    try:
        duration, passes = form.timing()
    except rules.InvalidInput as exc:
        flash(_("%(item)s: %(problem)s", item=label, problem=translate(exc)), "error")
        return None, None
    if passes is not None and not has_passes(content):
        flash(
            _(
                "%(item)s: only a slogan that scrolls or blinks can play for a number of passes; "
                "give it a duration in seconds.",
                item=label,
            ),
            "error",
        )
        return None, None
    return duration, passes


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


@bp.route("/<id:playlist_id>/items", methods=["POST"])
@role_required("editor")
def add(playlist_id: int) -> Response:
    """Append the slogan or banner picked from the search, for the seconds or passes given."""
    playlist = _load(playlist_id)
    form = AddItemForm()
    if _unchanged(playlist, form):
        db = get_db()
        content: Slogan | Banner | None = (
            db.get(Slogan, form.content_id.data)
            if form.kind.data == "slogan"
            else db.get(Banner, form.content_id.data)
        )
        if content is None:
            flash(_("That slogan or banner was deleted meanwhile; nothing was added."), "error")
            return _back(playlist_id)
        label = _short(content.text if isinstance(content, Slogan) else content.name)
        duration, passes = _timing(form, content, label)
        if duration is None and passes is None:
            return _back(playlist_id)
        # By passes, the duration still applies where the slogan fits the board and stays still.
        item = append_item(playlist, content, duration if duration is not None else 10.0)
        item.passes = passes
        db.commit()
        flash(_("Added to the playlist: %(item)s", item=label), "info")
        publish_changes(playlist_id)
    return _back(playlist_id)


@bp.route("/<id:playlist_id>/items/<id:item_id>/timing", methods=["POST"])
@role_required("editor")
def timing(playlist_id: int, item_id: int) -> Response:
    """Play an item for a number of seconds, or for a number of passes of its scroll."""
    item = _item(playlist_id, item_id)
    form = ItemTimingForm()
    if _unchanged(item.playlist, form):
        duration, passes = _timing(form, item.slogan or item.banner, _short(item.label))
        if duration is not None or passes is not None:
            if duration is not None:
                item.duration = duration
            item.passes = passes  # seconds: back to the duration (kept while it played by passes)
            get_db().commit()
            publish_changes(playlist_id)
    return _back(playlist_id)


@bp.route("/<id:playlist_id>/items/<id:item_id>/toggle", methods=["POST"])
@role_required("editor")
def toggle(playlist_id: int, item_id: int) -> Response:
    """Switch an item off (it stays in its place, the boards skip it) or back on."""
    item = _item(playlist_id, item_id)
    if _unchanged(item.playlist):
        item.enabled = not item.enabled
        get_db().commit()
        flash(
            _("Switched on: %(item)s", item=_short(item.label))
            if item.enabled
            else _("Switched off (the boards skip it): %(item)s", item=_short(item.label)),
            "info",
        )
        publish_changes(playlist_id)
    return _back(playlist_id)


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
    return _back(playlist_id)


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
    return _back(playlist_id)
