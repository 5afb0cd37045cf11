"""Board groups (nhóm bảng): a named set of boards a schedule can target; administrators only.

Like boards, anyone may read the list and only administrators change it, since a group
decides which physical boards a schedule reaches. Members are plain checkboxes (works
without JavaScript); the ids they send are checked against the boards that exist.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug import Response
from wtforms import HiddenField, StringField, SubmitField, TextAreaField

from signage import campaigns as rules
from signage.db import get_db
from signage.models import Board, BoardGroup
from signage.rules import InvalidInput
from signage.web.access import role_required
from signage.web.bin import confirm_or_delete
from signage.web.campaigns import refuse
from signage.web.concurrency import fingerprint
from signage.web.forms import Form, rule, translate
from signage.web.page_cache import cached_page
from signage.web.publishing import publish_changes

bp = Blueprint("groups", __name__, url_prefix="/groups")


class GroupForm(Form):
    name = StringField(_l("Group name"), validators=[rule(rules.group_name)])
    description = TextAreaField(_l("Description"), validators=[rule(rules.description)])
    base_version = HiddenField()
    submit = SubmitField(_l("Save"))


def group_version(group: BoardGroup) -> str:
    """The group with its members: a membership change by someone else counts as a change."""
    raw = fingerprint(group) + "|" + ",".join(str(b.id) for b in group.boards)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _group(group_id: int) -> BoardGroup:
    return get_db().get(BoardGroup, group_id) or abort(404)


def _render(form: GroupForm, group: BoardGroup | None, chosen: set[str], status: int) -> tuple[str, int]:
    boards = get_db().scalars(select(Board).order_by(Board.slug)).all()
    return render_template("groups/form.html", form=form, group=group, boards=boards, chosen=chosen,
                           errors=getattr(form, "board_errors", [])), status


def _save(form: GroupForm, group: BoardGroup | None) -> str | Response | tuple[str, int]:
    """Check every field and the members, then save all of it or nothing."""
    raw = request.form.getlist("boards")
    chosen = set(raw)
    form.board_errors = []
    ok = form.validate_on_submit()
    db = get_db()
    members = []
    try:
        members = rules.board_ids(db, raw)
    except InvalidInput as exc:
        form.board_errors.append(translate(exc))
        ok = False
    if ok:
        try:
            rules.unique_group_name(db, form.name.data, group)
        except InvalidInput as exc:
            refuse(form, exc, form.name)
            ok = False
    if not ok:
        return _render(form, group, chosen, 422)
    group = group or BoardGroup()
    group.name, group.description = form.name.data, form.description.data
    group.boards = members
    db.add(group)
    db.commit()
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
    current = group_version(group)
    members = {str(b.id) for b in group.boards}
    if not form.is_submitted():
        form.base_version.data = current
        return _render(form, group, members, 200)
    if form.base_version.data != current:
        flash(_("Someone else saved this group after you opened it. The form now shows their "
                "version; make your change again."), "error")
        return _render(GroupForm(obj=group, formdata=None, base_version=current), group, members, 409)
    return _save(form, group)


@bp.route("/<id:group_id>/delete", methods=["GET", "POST"])
@role_required("admin")
def delete(group_id: int) -> str | Response:
    """Refused while a schedule uses the group; otherwise asks first, then moves it to the bin."""
    group = _group(group_id)
    try:
        rules.unused(rules.schedules_using(get_db(), group=group), "group")
    except InvalidInput as exc:
        flash(_("Group %(name)s was not deleted: %(problem)s", name=group.name, problem=translate(exc)),
              "error")
        return redirect(url_for("groups.index"))
    return confirm_or_delete("group", group)
