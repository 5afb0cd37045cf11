"""Deletes that ask first and can be undone: the confirmation page, the bin ("Thùng rác"), restore.

A delete used to act on one click, and an administrator's reached the boards at once. Now the
Delete button opens a page (plain HTML, no script needed) that names what goes and what the
boards lose because of it; confirming moves the row to the bin (``models.SoftDeleted``), where
editors and administrators can bring it back for ``BIN_DAYS`` days. A cancelled urgent notice
that has not expired yet is in the bin too, and restoring it puts it back on its boards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug import Response

from signage.models import (
    BIN_DAYS,
    Banner,
    BoardGroup,
    Playlist,
    Schedule,
    Slogan,
    SoftDeleted,
    UrgentNotice,
    utcnow,
)
from signage.reach import Reach, playlists_of, reach, schedule_reach
from signage.services import InvalidInput
from signage.services import bin as trash
from signage.services import notices as notice_service
from signage.services.notices import showing_banner
from signage.web.access import role_required
from signage.web.db import get_db
from signage.web.forms import ActionForm, translate
from signage.web.publishing import publish_changes

bp = Blueprint("bin", __name__, url_prefix="/bin")


@dataclass(frozen=True)
class Kind:
    """A kind of row that goes to the bin: its model, its word, its list page, who may delete it."""

    model: type[SoftDeleted]
    word: Any
    index: str
    role: str
    name: Callable[[Any], str]


KINDS = {
    "slogan": Kind(Slogan, _l("slogan"), "slogans.index", "editor", lambda r: r.text),
    "banner": Kind(Banner, _l("banner"), "banners.index", "editor", lambda r: r.name),
    "playlist": Kind(Playlist, _l("playlist"), "playlists.index", "editor", lambda r: r.name),
    "schedule": Kind(
        Schedule,
        _l("schedule"),
        "schedules.index",
        "editor",
        lambda r: r.name or (r.playlist.name if r.playlist is not None else f"#{r.id}"),
    ),
    "group": Kind(BoardGroup, _l("board group"), "groups.index", "admin", lambda r: r.name),
}


def _shows_in(kind: str, row: Any) -> set[int]:
    """The playlists whose boards a change of this row shows on."""
    if kind == "slogan":
        return playlists_of(get_db(), slogan_id=row.id)
    if kind == "banner":
        return playlists_of(get_db(), banner_id=row.id)
    if kind == "schedule":
        return {row.playlist_id}
    if kind == "playlist":
        return {row.id}
    return set()


def _reach(kind: str, row: Any) -> list[Reach]:
    if kind == "schedule":
        return schedule_reach(get_db(), row.id)
    return reach(get_db(), _shows_in(kind, row))


def _when(r: Reach) -> str:
    return format_datetime(r.start, "dd/MM/yyyy HH:mm") if r.start is not None else ""


def board_losses(kind: str, row: Any) -> list[str]:
    """What each board stops showing if this row goes, in sentences (empty: the boards see no change)."""
    lines = []
    for r in _reach(kind, row):
        if r.start is None:
            lines.append(_("%(board)s plays it now: it leaves the board.", board=r.board))
        else:
            lines.append(
                _("%(board)s would play it from %(when)s: it will not.", board=r.board, when=_when(r))
            )
    if kind == "banner":
        notices = showing_banner(get_db(), row.id)
        lines += [_("The urgent notice #%(id)d shows this picture: it goes dark.", id=n.id) for n in notices]
    return lines


def board_plays(kind: str, row: Any) -> list[str]:
    """What each board plays of this row now or later, and what chose it, in sentences."""
    lines = []
    for r in _reach(kind, row):
        why = (
            _("schedule %(name)s", name=f"«{r.schedule}»")
            if r.schedule
            else _("its list for when no schedule plays")
        )
        if r.start is None:
            lines.append(_("%(board)s plays it now: %(why)s.", board=r.board, why=why))
        else:
            lines.append(
                _("%(board)s plays it from %(when)s: %(why)s.", board=r.board, when=_when(r), why=why)
            )
    return lines


def refuse_delete(kind: str, row: Any, problem: str, back: str) -> str:
    """The page a refused delete shows: why it cannot go, and what the boards play of it."""
    spec = KINDS[kind]
    return render_template(
        "bin/confirm.html",
        word=spec.word,
        name=spec.name(row),
        blocked=problem,
        losses=board_plays(kind, row),
        back=back,
        action=ActionForm(),
        days=BIN_DAYS,
        verb=_("Move to the bin"),
    )


def confirm_or_delete(kind: str, row: Any) -> str | Response:
    """GET: the confirmation page. POST (confirmed): move the row to the bin and publish."""
    spec = KINDS[kind]
    if request.method == "GET":
        return render_template(
            "bin/confirm.html",
            word=spec.word,
            name=spec.name(row),
            losses=board_losses(kind, row),
            back=url_for(spec.index),
            action=ActionForm(),
            days=BIN_DAYS,
            verb=_("Move to the bin"),
        )
    if not ActionForm().validate_on_submit():
        flash(_("The form expired; reload the page and try again."), "error")
        return redirect(url_for(spec.index))
    trash.to_bin(get_db(), row)
    flash(
        _(
            "The %(kind)s %(name)s is in the bin; you can bring it back within %(days)d days.",
            kind=spec.word,
            name=f"«{spec.name(row)}»",
            days=BIN_DAYS,
        ),
        "binned",
    )
    publish_changes()
    return redirect(url_for(spec.index))


def confirm_cancel(notice: UrgentNotice) -> str:
    """The confirmation page of cancelling an urgent notice: which boards go back to their schedule."""
    if notice.starts_at > utcnow():
        losses = [
            _(
                "It would start on %(when)s; it will not.",
                when=format_datetime(notice.starts_at, "dd/MM/yyyy HH:mm"),
            )
        ]
    elif notice.all_boards:
        losses = [_("On every board now: they go back to their schedule at once.")]
    else:
        losses = [
            _(
                "On the boards now (%(boards)s): they go back to their schedule at once.",
                boards=", ".join(b.name for b in notice.boards),
            )
        ]
    return render_template(
        "bin/confirm.html",
        word=_("urgent notice"),
        name=notice.text or f"#{notice.id}",
        losses=losses,
        back=url_for("notices.index"),
        action=ActionForm(),
        days=BIN_DAYS,
        verb=_("Cancel the notice"),
    )


@bp.route("/")
@role_required("editor")
def index() -> str:
    """What was deleted in the last ``BIN_DAYS`` days, newest first, each with a restore button."""
    sections = [
        (key, spec, trash.binned(get_db(), spec.model))
        for key, spec in KINDS.items()
        if current_user.has_role(spec.role)
    ]
    notices = notice_service.binned_notices(get_db()) if current_user.has_role("approver") else []
    return render_template(
        "bin/index.html", sections=sections, notices=notices, action=ActionForm(), days=BIN_DAYS
    )


@bp.route("/<kind>/<id:row_id>/restore", methods=["POST"])
@role_required("editor")
def restore(kind: str, row_id: int) -> Response:
    """Bring a row back from the bin (as it was), and publish."""
    if kind == "notice":
        return _restore_notice(row_id)
    spec = KINDS.get(kind) or abort(404)
    if not current_user.has_role(spec.role):
        abort(403)
    row = trash.find_binned(get_db(), spec.model, row_id)
    if row is None:
        flash(_("This is not in the bin (any more)."), "error")
        return redirect(url_for("bin.index"))
    if not ActionForm().validate_on_submit():
        flash(_("The form expired; reload the page and try again."), "error")
        return redirect(url_for("bin.index"))
    try:
        trash.restore(get_db(), row)
    except InvalidInput as exc:
        said = "; ".join(translate(p) for p in exc.problems)
        flash(
            _(
                "The %(kind)s %(name)s was not brought back: %(problem)s",
                kind=spec.word,
                name=f"«{spec.name(row)}»",
                problem=said,
            ),
            "error",
        )
        return redirect(url_for("bin.index"))
    flash(_("The %(kind)s %(name)s is back.", kind=spec.word, name=f"«{spec.name(row)}»"), "info")
    publish_changes(shows_in=_shows_in(kind, row) if kind != "group" else None)
    return redirect(url_for("bin.index"))


def _restore_notice(notice_id: int) -> Response:
    from signage.web.notices import send_notice

    if not current_user.has_role("approver"):
        abort(403)
    notice = get_db().get(UrgentNotice, notice_id) or abort(404)
    if not notice_service.in_bin(notice):
        flash(_("This notice cannot be brought back: it is not cancelled, or its time is over."), "error")
        return redirect(url_for("bin.index"))
    if ActionForm().validate_on_submit():
        notice_service.restore_notice(get_db(), notice)
        flash(_("The urgent notice is back."), "info")
        send_notice(notice)
    return redirect(url_for("bin.index"))
