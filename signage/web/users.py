"""The Users page (administrators) and a user's own password change.

Administrators add users, change their role, switch them off or on, reset their password,
sign them out everywhere, and revoke their API tokens. Every change that takes something
away asks first (a confirmation page, then the same POST with ``confirmed``), is audited
(the row change by ``signage.audit``, sign-outs and refusals by ``accounts.record``) and
ends the user's sessions at once. The last active administrator cannot be switched off or
demoted, so nobody locks the office out of its own admin.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from signage import accounts
from signage.models import User
from signage.rules import InvalidInput
from signage.services import users as service
from signage.web.access import role_required
from signage.web.auth import SESSION_KEY, lifetimes
from signage.web.db import get_db
from signage.web.forms import translate
from signage.web.user_forms import (
    ROLE_LABELS,
    ConfirmForm,
    OwnPasswordForm,
    PasswordResetForm,
    RoleForm,
    UserAddForm,
)

bp = Blueprint("users", __name__)


def _user(user_id: int) -> User:
    return get_db().get(User, user_id) or abort(404)


def _refuse(user: User | None, message: str, action: str, status: int = 400) -> tuple[str, int]:
    """A refused change: audited, nothing saved, the page again with the reason in the user's language."""
    service.refused(get_db(), current_user.username, user, action, message)
    flash(message, "error")
    return (_show(user) if user is not None else _index(UserAddForm())), status


def _confirm(question: str, form: Any, action: str, user: User) -> str:
    """The page that asks before a change: what will happen, and the button that does it."""
    return render_template("users/confirm.html", question=question, form=form, action=action, user=user)


def _index(form: UserAddForm) -> str:
    listed = service.overview(get_db(), lifetimes())
    return render_template(
        "users/index.html",
        users=listed.users,
        form=form,
        tokens=listed.tokens,
        sessions=listed.sessions,
        roles=ROLE_LABELS,
    )


def _show(user: User, shown_password: str | None = None) -> str:
    db = get_db()
    return render_template(
        "users/show.html",
        user=user,
        tokens=service.tokens_of(db, user),
        role_form=RoleForm(role=user.role),
        password_form=PasswordResetForm(),
        action=ConfirmForm(),
        roles=ROLE_LABELS,
        sessions=accounts.live_sessions(db, lifetimes()).get(user.id, 0),
        shown_password=shown_password,
    )


def _errors(form: Any) -> str:
    return "; ".join(str(e) for errors in form.errors.values() for e in errors)


@bp.route("/users/", methods=["GET", "POST"])
@role_required("admin")
def index() -> str | tuple[str, int]:
    form = UserAddForm()
    if request.method == "GET":
        return _index(form)
    db = get_db()
    name = (form.username.data or "").strip()
    if form.validate_on_submit():
        try:
            user, generated = service.add_user(db, name, form.role.data, form.password.data)
        except InvalidInput as exc:
            for problem in exc.problems:
                getattr(form, problem.field, form.username).errors.append(translate(problem))
        else:
            flash(_("User %(name)s added as %(role)s.", name=name, role=ROLE_LABELS[user.role]), "info")
            return _show(user, generated)
    service.refused(db, current_user.username, None, "add user", _errors(form), username=name[:80])
    return _index(form), 400


@bp.route("/users/<id:user_id>")
@role_required("admin")
def show(user_id: int) -> str:
    return _show(_user(user_id))


@bp.route("/users/<id:user_id>/role", methods=["POST"])
@role_required("admin")
def change_role(user_id: int) -> str | Response | tuple[str, int]:
    user, form = _user(user_id), RoleForm()
    if not form.validate_on_submit():
        return _refuse(user, _("Choose one of the roles."), "role")
    if form.role.data == user.role:
        flash(
            _(
                "%(name)s is already %(role)s; nothing changed.",
                name=user.username,
                role=ROLE_LABELS[user.role],
            ),
            "info",
        )
        return redirect(url_for("users.show", user_id=user.id))
    try:
        service.check_role_change(get_db(), user, form.role.data)
    except InvalidInput as exc:
        return _refuse(user, translate(exc), "role")
    if not form.confirmed.data:
        return _confirm(
            _(
                "Change the role of %(name)s from %(old)s to %(new)s? Their open sessions end.",
                name=user.username,
                old=ROLE_LABELS[user.role],
                new=ROLE_LABELS[form.role.data],
            ),
            form,
            url_for("users.change_role", user_id=user.id),
            user,
        )
    service.change_role(get_db(), user, form.role.data)
    flash(
        _(
            "%(name)s is now %(role)s; their sessions were ended.",
            name=user.username,
            role=ROLE_LABELS[user.role],
        ),
        "info",
    )
    return redirect(url_for("users.show", user_id=user.id))


@bp.route("/users/<id:user_id>/active", methods=["POST"])
@role_required("admin")
def toggle_active(user_id: int) -> str | Response | tuple[str, int]:
    user, form = _user(user_id), ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.check_can_switch_off(get_db(), user)
    except InvalidInput as exc:
        return _refuse(user, translate(exc), "deactivate")
    if not form.confirmed.data:
        question = (
            _(
                "Switch off %(name)s? Their open sessions end at once and their API tokens stop "
                "working until the account is switched on again.",
                name=user.username,
            )
            if user.active
            else _(
                "Switch %(name)s on again? They can log in and their API tokens work again.",
                name=user.username,
            )
        )
        return _confirm(question, form, url_for("users.toggle_active", user_id=user.id), user)
    service.set_active(get_db(), user, not user.active)
    flash(
        _("%(name)s is switched off; their sessions were ended.", name=user.username)
        if not user.active
        else _("%(name)s is switched on again.", name=user.username),
        "info",
    )
    return redirect(url_for("users.show", user_id=user.id))


@bp.route("/users/<id:user_id>/password", methods=["POST"])
@role_required("admin")
def reset_password(user_id: int) -> str | Response | tuple[str, int]:
    user, form = _user(user_id), PasswordResetForm()
    if not form.validate_on_submit():
        return _refuse(user, _errors(form), "password")
    try:
        service.new_password(form.password.data, user.username)  # refused before asking, not after
    except InvalidInput as exc:
        return _refuse(user, translate(exc), "password")
    if not form.confirmed.data:
        return _confirm(
            _(
                "Reset the password of %(name)s? Their open sessions end and they log in with "
                "the new password.",
                name=user.username,
            ),
            form,
            url_for("users.reset_password", user_id=user.id),
            user,
        )
    generated = service.reset_password(get_db(), user, form.password.data)
    flash(_("The password of %(name)s was reset; their sessions were ended.", name=user.username), "info")
    return _show(user, generated)


@bp.route("/users/<id:user_id>/sign-out", methods=["POST"])
@role_required("admin")
def sign_out(user_id: int) -> str | Response:
    user, form = _user(user_id), ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if not form.confirmed.data:
        return _confirm(
            _("Sign %(name)s out on every computer now?", name=user.username),
            form,
            url_for("users.sign_out", user_id=user.id),
            user,
        )
    ended = service.sign_out_everywhere(get_db(), user, current_user.username)
    flash(
        _("%(name)s was signed out everywhere (%(count)d sessions ended).", name=user.username, count=ended),
        "info",
    )
    return redirect(url_for("users.show", user_id=user.id))


@bp.route("/users/<id:user_id>/tokens/<id:token_id>/revoke", methods=["POST"])
@role_required("admin")
def revoke_token(user_id: int, token_id: int) -> str | Response:
    user, form = _user(user_id), ConfirmForm()
    token = service.token_of(get_db(), user, token_id) or abort(404)
    if not form.validate_on_submit():
        abort(400)
    if not form.confirmed.data:
        return _confirm(
            _(
                "Revoke the API token %(token)s of %(name)s? Scripts using it are refused from now on.",
                token=token.name,
                name=user.username,
            ),
            form,
            url_for("users.revoke_token", user_id=user.id, token_id=token.id),
            user,
        )
    name = token.name
    service.revoke_token(get_db(), token)  # audited as a delete of the api_tokens row, by this admin
    flash(_("The API token %(token)s of %(name)s was revoked.", token=name, name=user.username), "info")
    return redirect(url_for("users.show", user_id=user.id))


@bp.route("/account/password", methods=["GET", "POST"])
@role_required("viewer")
def own_password() -> str | Response | tuple[str, int]:
    """Any user changes their own password; their other sessions end, this one goes on."""
    form = OwnPasswordForm()
    if request.method == "GET":
        return render_template("users/own_password.html", form=form)
    db = get_db()
    user = db.get_one(User, current_user.id)
    if form.validate_on_submit():
        try:
            token = service.change_own_password(
                db, user, form.current.data, form.password.data, request.remote_addr or "", lifetimes()
            )
        except InvalidInput as exc:
            getattr(form, exc.field, form.password).errors.append(translate(exc))
        else:
            session[SESSION_KEY] = token
            flash(_("Your password was changed; your other sessions were ended."), "info")
            return redirect(url_for("dashboard.index"))
    service.refused(db, user.username, user, "own password", _errors(form))
    return render_template("users/own_password.html", form=form), 400
