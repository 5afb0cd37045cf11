"""Playlists (danh sách phát): items in order, how long each plays, on/off, all without JavaScript.

Every change to a playlist carries the fingerprint of the playlist as the user saw it; a
playlist someone else changed meanwhile is not touched, and the page says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug import Response

from signage.models import Banner, Playlist, PlaylistItem, Slogan
from signage.playlist_time import QuickTotal, has_passes, playlist_time, quick_totals
from signage.services import InUse, InvalidInput, Stale, fingerprint
from signage.services import playlists as service
from signage.services.playlists import Timing, content_label
from signage.web.access import role_required
from signage.web.bin import confirm_or_delete, refuse_delete
from signage.web.db import get_db
from signage.web.forms import ActionForm, AddItemForm, ItemTimingForm, PlaylistForm, translate
from signage.web.page_cache import cached_page
from signage.web.publishing import publish_changes

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
        try:
            playlist = service.create_playlist(get_db(), form.name.data)
        except InvalidInput as exc:
            form.name.errors += [translate(p) for p in exc.problems]
        else:
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


def _acted(
    playlist: Playlist,
    action: Callable[[str | None], Any],
    form: ActionForm | ItemTimingForm | None = None,
    label: str = "",
) -> Any:
    """Run a button's action on the playlist as the user saw it; None (and the reason said in
    the page) when the form is not valid, the playlist changed meanwhile, or the service refuses."""
    form = form or ActionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return None
    try:
        return action(form.base_version.data)
    except Stale:
        flash(
            _(
                "The playlist was changed by someone else meanwhile; nothing was changed. "
                "Here it is as it is now."
            ),
            "error",
        )
    except InvalidInput as exc:
        for problem in exc.problems:
            said = translate(problem)
            flash(_("%(item)s: %(problem)s", item=label, problem=said) if label else said, "error")
    return None


def _item(playlist_id: int, item_id: int) -> PlaylistItem:
    item = get_db().get(PlaylistItem, item_id)
    if item is None or item.playlist_id != playlist_id:
        abort(404)
    return item


def _timing(form: ItemTimingForm) -> Timing:
    return Timing(form.amount.data, form.unit.data)


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


@bp.route("/<id:playlist_id>/items", methods=["POST"])
@role_required("editor")
def add(playlist_id: int) -> Response:
    """Append the slogan or banner picked from the search, for the seconds or passes given."""
    playlist = _load(playlist_id)
    form = AddItemForm()
    label = _short(content_label(get_db(), form.kind.data, form.content_id.data) or "")
    item = _acted(
        playlist,
        lambda version: service.add_item(
            get_db(), playlist, form.kind.data, form.content_id.data, _timing(form), version=version
        ),
        form,
        label,
    )
    if item is not None:
        flash(_("Added to the playlist: %(item)s", item=label), "info")
        publish_changes(playlist_id)
    return _back(playlist_id)


@bp.route("/<id:playlist_id>/items/<id:item_id>/timing", methods=["POST"])
@role_required("editor")
def timing(playlist_id: int, item_id: int) -> Response:
    """Play an item for a number of seconds, or for a number of passes of its scroll."""
    item = _item(playlist_id, item_id)
    form = ItemTimingForm()
    label = _short(item.label)
    if _acted(
        item.playlist,
        lambda version: service.set_timing(get_db(), item, _timing(form), version=version),
        form,
        label,
    ):
        publish_changes(playlist_id)
    return _back(playlist_id)


@bp.route("/<id:playlist_id>/items/<id:item_id>/toggle", methods=["POST"])
@role_required("editor")
def toggle(playlist_id: int, item_id: int) -> Response:
    """Switch an item off (it stays in its place, the boards skip it) or back on."""
    item = _item(playlist_id, item_id)
    on = _acted(item.playlist, lambda version: service.toggle_item(get_db(), item, version=version))
    if on is not None:
        flash(
            _("Switched on: %(item)s", item=_short(item.label))
            if on
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
    step = -1 if direction == "up" else 1
    if _acted(item.playlist, lambda version: service.move_item(get_db(), item, step, version=version)):
        publish_changes(playlist_id)
    return _back(playlist_id)


@bp.route("/<id:playlist_id>/items/<id:item_id>/delete", methods=["POST"])
@role_required("editor")
def remove(playlist_id: int, item_id: int) -> Response:
    item = _item(playlist_id, item_id)
    if _acted(item.playlist, lambda version: service.remove_item(get_db(), item, version=version)):
        flash(_("Removed from the playlist."), "info")
        publish_changes(playlist_id)
    return _back(playlist_id)


@bp.route("/<id:playlist_id>/delete", methods=["GET", "POST"])
@role_required("editor")
def delete(playlist_id: int) -> str | Response:
    """Asks first, then moves the playlist to the bin (it can be brought back for 30 days).

    While a schedule plays it or a board falls back to it, the page says which and what each
    board plays of it, and offers no delete: the boards would lose their list.
    """
    playlist = get_db().get(Playlist, playlist_id) or abort(404)
    back = url_for("playlists.show", playlist_id=playlist.id)
    try:
        service.check_playlist_unused(get_db(), playlist)
    except InUse as exc:
        if request.method == "GET":
            return refuse_delete("playlist", playlist, translate(exc.reason), back)
        flash(
            _(
                "The playlist %(name)s was not deleted: %(problem)s",
                name=f"«{playlist.name}»",
                problem=translate(exc.reason),
            ),
            "error",
        )
        return redirect(back)
    return confirm_or_delete("playlist", playlist)
