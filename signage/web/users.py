"""The Users page (administrators) and a user's own password change.

Administrators add users, change their role, switch them off or on, reset their password,
sign them out everywhere, and revoke their API tokens. Every change that takes something
away asks first (a confirmation page, then the same POST with ``confirmed``), is audited
(the row change by ``signage.audit``, sign-outs and refusals by ``accounts.record``) and
ends the user's sessions at once. The last active administrator cannot be switched off or
demoted, so nobody locks the office out of its own admin.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug import Response

from signage import accounts
from signage.models import ApiToken, User
from signage.passwords import check_password
from signage.rules import InvalidInput
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
    db = get_db()
    db.rollback()
    accounts.record(
        db,
        current_user.username,
        "refused",
        "accounts",
        user.id if user else "-",
        {"action": action, "reason": message},
    )
    db.commit()
    flash(message, "error")
    return (_show(user) if user is not None else _index(UserAddForm())), status


def _other_active_admins(user: User) -> int:
    return (
        get_db().scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == "admin", User.active.is_(True), User.id != user.id)
        )
        or 0
    )


def _new_password(given: str | None, username: str) -> tuple[str, bool]:
    """The password typed (checked against the rule) or a generated one; True when generated."""
    if given:
        return check_password(given, username), False
    return secrets.token_urlsafe(12), True


def _confirm(question: str, form: Any, action: str, user: User) -> str:
    """The page that asks before a change: what will happen, and the button that does it."""
    return render_template("users/confirm.html", question=question, form=form, action=action, user=user)


def _index(form: UserAddForm) -> str:
    db = get_db()
    users = db.scalars(select(User).order_by(User.username)).all()
    tokens = dict(db.execute(select(ApiToken.user_id, func.count()).group_by(ApiToken.user_id)).all())
    return render_template(
        "users/index.html",
        users=users,
        form=form,
        tokens=tokens,
        sessions=accounts.live_sessions(db, lifetimes()),
        roles=ROLE_LABELS,
    )


def _show(user: User, shown_password: str | None = None) -> str:
    db = get_db()
    tokens = db.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)).all()
    role_form = RoleForm(role=user.role)
    return render_template(
        "users/show.html",
        user=user,
        tokens=tokens,
        role_form=role_form,
        password_form=PasswordResetForm(),
        action=ConfirmForm(),
        roles=ROLE_LABELS,
        sessions=accounts.live_sessions(db, lifetimes()).get(user.id, 0),
        shown_password=shown_password,
    )


@bp.route("/users/", methods=["GET", "POST"])
@role_required("admin")
def index() -> str | tuple[str, int]:
    form = UserAddForm()
    if request.method == "GET":
        return _index(form)
    db = get_db()
    name = (form.username.data or "").strip()
    password, generated = "", False
    if form.validate_on_submit():
        if db.scalar(select(User.id).where(func.lower(User.username) == name.lower())) is not None:
            form.username.errors.append(_("A user named %(name)s exists already.", name=name))
        else:
            try:
                password, generated = _new_password(form.password.data, name)
            except InvalidInput as exc:
                form.password.errors.append(translate(exc))
    if form.errors:
        accounts.record(
            db,
            current_user.username,
            "refused",
            "accounts",
            "-",
            {
                "action": "add user",
                "username": name[:80],
                "reason": "; ".join(str(e) for errors in form.errors.values() for e in errors),
            },
        )
        db.commit()
        return _index(form), 400
    user = User(username=name, role=form.role.data, active=True)
    user.set_password(password)
    db.add(user)
    db.commit()
    flash(_("User %(name)s added as %(role)s.", name=name, role=ROLE_LABELS[user.role]), "info")
    return _show(user, password if generated else None)


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
    if user.role == "admin" and user.active and not _other_active_admins(user):
        return _refuse(
            user,
            _(
                "%(name)s is the last active administrator; make someone else an administrator first.",
                name=user.username,
            ),
            "role",
        )
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
    db = get_db()
    user.role = form.role.data
    accounts.end_all_sessions(db, user.id)
    db.commit()
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
    if user.active and user.role == "admin" and not _other_active_admins(user):
        return _refuse(
            user,
            _("%(name)s is the last active administrator and cannot be switched off.", name=user.username),
            "deactivate",
        )
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
    db = get_db()
    user.active = not user.active
    accounts.end_all_sessions(db, user.id)
    db.commit()
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
        return _refuse(user, "; ".join(str(e) for errors in form.errors.values() for e in errors), "password")
    try:
        password, generated = _new_password(form.password.data, user.username)
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
    db = get_db()
    user.set_password(password)
    accounts.end_all_sessions(db, user.id)
    db.commit()
    flash(_("The password of %(name)s was reset; their sessions were ended.", name=user.username), "info")
    return _show(user, password if generated else None)


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
    db = get_db()
    ended = accounts.end_all_sessions(db, user.id)
    accounts.record(db, current_user.username, "signout", "accounts", user.id, {"sessions": ended})
    db.commit()
    flash(
        _("%(name)s was signed out everywhere (%(count)d sessions ended).", name=user.username, count=ended),
        "info",
    )
    return redirect(url_for("users.show", user_id=user.id))


@bp.route("/users/<id:user_id>/tokens/<id:token_id>/revoke", methods=["POST"])
@role_required("admin")
def revoke_token(user_id: int, token_id: int) -> str | Response:
    user, form = _user(user_id), ConfirmForm()
    token = get_db().get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        abort(404)
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
    db = get_db()
    db.delete(token)  # audited as a delete of the api_tokens row, by this admin
    db.commit()
    flash(_("The API token %(token)s of %(name)s was revoked.", token=token.name, name=user.username), "info")
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
        if not user.check_password(form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            try:
                password = check_password(form.password.data, user.username)
            except InvalidInput as exc:
                form.password.errors.append(translate(exc))
            else:
                user.set_password(password)
                accounts.end_all_sessions(db, user.id)
                token = accounts.start_session(db, user, request.remote_addr or "", lifetimes())
                db.commit()
                session[SESSION_KEY] = token
                flash(_("Your password was changed; your other sessions were ended."), "info")
                return redirect(url_for("dashboard.index"))
    reasons = [str(e) for errors in form.errors.values() for e in errors]
    accounts.record(
        db,
        user.username,
        "refused",
        "accounts",
        user.id,
        {"action": "own password", "reason": "; ".join(reasons)},
    )
    db.commit()
    return render_template("users/own_password.html", form=form), 400
