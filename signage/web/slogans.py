"""Slogans (khẩu hiệu): list, write, edit, delete; optionally straight into a playlist."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug import Response
from wtforms.fields.core import Field

from signage import rules
from signage.models import Board, Playlist, Slogan
from signage.reach import playlists_of
from signage.services import InvalidInput, Stale, fingerprint
from signage.services import content as service
from signage.services.content import SloganData
from signage.web.access import role_required
from signage.web.bin import confirm_or_delete
from signage.web.db import get_db
from signage.web.forms import SloganForm, options, translate
from signage.web.page_cache import cached_page
from signage.web.publishing import publish_changes

bp = Blueprint("slogans", __name__, url_prefix="/slogans")


@bp.context_processor
def _colour_boards() -> dict[str, object]:
    """The form asks for a colour only when some board can show one (asked for lazily)."""

    def any_colour_board() -> bool:
        return get_db().scalar(select(Board.id).where(Board.color != "mono").limit(1)) is not None

    return {"any_colour_board": any_colour_board}


PAGE_SIZE = 50


def _playlist_choices() -> list[tuple[int, str]]:
    names = get_db().execute(select(Playlist.id, Playlist.name).order_by(Playlist.name)).all()
    return options([(0, _("— do not add —")), *names])


@bp.route("/")
@role_required("viewer")
@cached_page(60)
def index() -> str:
    """Newest first, a page at a time; ``q`` searches the text."""
    query = select(Slogan)
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(func.lower(Slogan.text).contains(q.lower()))
    db = get_db()
    total = db.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    slogans = db.scalars(query.order_by(Slogan.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    return render_template(
        "slogans/index.html", slogans=slogans.all(), q=q, page=page, pages=pages, total=total
    )


def converted_paste(form: SloganForm) -> bool:
    """Text pasted in TCVN3 or VNI: put the Unicode text in the form for the user to check.

    Not saved at once: detection is a guess (a good one), and a slogan goes up on a public
    board, so the user sees the converted text and saves it with one more click; the
    second save finds Unicode and goes through. Nothing is changed without them seeing it.
    """
    if not form.is_submitted():
        return False
    text, encoding = rules.pasted_text(request.form.get("text"))
    if encoding is None:
        return False
    form.text.data = text
    flash(
        _(
            "The text was in %(encoding)s, an old Vietnamese encoding, and has been converted to "
            "Unicode below. Check it, then save again.",
            encoding=encoding,
        ),
        "info",
    )
    return True


def _data(form: SloganForm) -> SloganData:
    return SloganData(form.text.data, form.effect.data, form.speed.data, form.color.data, form.source.data)


def _saved(form: SloganForm, slogan: Slogan | None) -> Slogan | None:
    """Save through the service; None (each problem under its field) when it refuses.

    A form some of whose boxes could not be read (letters in the speed) is not saved, but the
    service still says what it thinks of the others, so every problem shows at once.
    """
    if not form.is_submitted():
        return None
    readable = form.validate_on_submit()
    options = {"playlist_id": form.playlist.data or None, "duration": form.duration.data}
    try:
        if not readable:
            service.check_slogan(get_db(), _data(form), **options)
            return None
        version = form.base_version.data if slogan is not None else None
        return service.save_slogan(get_db(), _data(form), slogan, version=version, **options)
    except InvalidInput as exc:
        for problem in exc.problems:
            target = getattr(form, problem.field, None)
            field = target if isinstance(target, Field) else form.text
            if not field.errors:  # a box the form could not read says that, not the rule
                field.errors.append(translate(problem))
        return None


@bp.route("/new", methods=["GET", "POST"])
@role_required("editor")
def new() -> str | Response | tuple[str, int]:
    form = SloganForm()
    form.playlist.choices = _playlist_choices()
    if converted_paste(form):
        return render_template("slogans/form.html", form=form, slogan=None)
    if _saved(form, None) is not None:
        flash(_("Slogan saved."), "info")
        # in no playlist it reaches no board, but it goes through approval like any save
        playlist_id = form.playlist.data or None
        publish_changes(playlist_id, shows_in=None if playlist_id else set())
        return redirect(url_for("slogans.index"))
    return render_template("slogans/form.html", form=form, slogan=None), 200 if not form.errors else 422


@bp.route("/<id:slogan_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def edit(slogan_id: int) -> str | Response | tuple[str, int]:
    db = get_db()
    slogan = db.get(Slogan, slogan_id) or abort(404)
    form = SloganForm(obj=slogan)
    form.playlist.choices = _playlist_choices()
    if not form.is_submitted():
        form.base_version.data = fingerprint(slogan)
    elif form.base_version.data != fingerprint(slogan):
        return _stale(slogan)
    if converted_paste(form):
        return render_template("slogans/form.html", form=form, slogan=slogan)
    try:
        saved = _saved(form, slogan)
    except Stale:
        return _stale(slogan)
    if saved is not None:
        flash(_("Slogan saved."), "info")
        publish_changes(shows_in=playlists_of(db, slogan_id=saved.id))
        return redirect(url_for("slogans.index"))
    return render_template("slogans/form.html", form=form, slogan=slogan), 200 if not form.errors else 422


def _stale(slogan: Slogan) -> tuple[str, int]:
    """Someone saved the slogan after this form was opened: show theirs, save nothing."""
    flash(
        _(
            "Someone else saved this slogan after you opened it. The form now shows their "
            "version; make your change again."
        ),
        "error",
    )
    form = SloganForm(obj=slogan, formdata=None, base_version=fingerprint(slogan))
    form.playlist.choices = _playlist_choices()
    return render_template("slogans/form.html", form=form, slogan=slogan), 409


@bp.route("/<id:slogan_id>/delete", methods=["GET", "POST"])
@role_required("editor")
def delete(slogan_id: int) -> str | Response | tuple[str, int]:
    """Asks first (what the boards lose), then moves the slogan to the bin."""
    return confirm_or_delete("slogan", get_db().get(Slogan, slogan_id) or abort(404))
