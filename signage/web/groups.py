"""Board groups (nhóm bảng): a named set of boards a schedule can target; administrators only.

Like boards, anyone may read the list and only administrators change it, since a group
decides which physical boards a schedule reaches. Members are plain checkboxes (works
without JavaScript); the ids they send are checked against the boards that exist.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug import Response
from wtforms import HiddenField, StringField, SubmitField, TextAreaField

from signage.models import Board, BoardGroup
from signage.services import InUse, InvalidInput, Stale
from signage.services import campaigns as service
from signage.services.campaigns import GroupData, group_version
from signage.web.access import role_required
from signage.web.bin import confirm_or_delete
from signage.web.campaigns import refuse
from signage.web.db import get_db
from signage.web.forms import Form, translate
from signage.web.page_cache import cached_page
from signage.web.publishing import publish_changes

bp = Blueprint("groups", __name__, url_prefix="/groups")


class GroupForm(Form):
    name = StringField(_l("Group name"))
    description = TextAreaField(_l("Description"))
    base_version = HiddenField()
    submit = SubmitField(_l("Save"))


def _group(group_id: int) -> BoardGroup:
    return get_db().get(BoardGroup, group_id) or abort(404)


def _render(form: GroupForm, group: BoardGroup | None, chosen: set[str], status: int) -> tuple[str, int]:
    boards = get_db().scalars(select(Board).order_by(Board.slug)).all()
    return render_template(
        "groups/form.html",
        form=form,
        group=group,
        boards=boards,
        chosen=chosen,
        errors=getattr(form, "board_errors", []),
    ), status


def _save(form: GroupForm, group: BoardGroup | None) -> str | Response | tuple[str, int]:
    """Check every field and the members, then save all of it or nothing."""
    raw = request.form.getlist("boards")
    form.board_errors = []
    if not form.validate_on_submit():
        return _render(form, group, set(raw), 422)
    data = GroupData(form.name.data, form.description.data, board_ids=raw)
    try:
        service.save_group(get_db(), data, group, version=form.base_version.data)
    except InvalidInput as exc:
        for problem in exc.problems:
            if problem.field == "boards":
                form.board_errors.append(translate(problem))
            else:
                refuse(form, problem, form.name)
        return _render(form, group, set(raw), 422)
    flash(_("Board group saved."), "info")
    publish_changes()
    return redirect(url_for("groups.index"))


@bp.route("/")
@role_required("viewer")
@cached_page(60)
def index() -> str:
    groups = get_db().scalars(select(BoardGroup).order_by(BoardGroup.name)).all()
    return render_template("groups/index.html", groups=groups)


@bp.route("/new", methods=["GET", "POST"])
@role_required("admin")
def new() -> str | Response | tuple[str, int]:
    form = GroupForm()
    if form.is_submitted():
        return _save(form, None)
    return _render(form, None, set(), 200)


@bp.route("/<id:group_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def edit(group_id: int) -> str | Response | tuple[str, int]:
    group = _group(group_id)
    form = GroupForm(obj=group)
    members = {str(b.id) for b in group.boards}
    if not form.is_submitted():
        form.base_version.data = group_version(group)
        return _render(form, group, members, 200)
    try:
        return _save(form, group)
    except Stale:
        flash(
            _(
                "Someone else saved this group after you opened it. The form now shows their "
                "version; make your change again."
            ),
            "error",
        )
        current = group_version(group)
        return _render(GroupForm(obj=group, formdata=None, base_version=current), group, members, 409)


@bp.route("/<id:group_id>/delete", methods=["GET", "POST"])
@role_required("admin")
def delete(group_id: int) -> str | Response:
    """Refused while a schedule uses the group; otherwise asks first, then moves it to the bin."""
    group = _group(group_id)
    try:
        service.check_group_unused(get_db(), group)
    except InUse as exc:
        flash(
            _("Group %(name)s was not deleted: %(problem)s", name=group.name, problem=translate(exc.reason)),
            "error",
        )
        return redirect(url_for("groups.index"))
    return confirm_or_delete("group", group)
