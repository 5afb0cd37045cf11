"""Log in and out."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug import Response

from signage.db import get_db
from signage.models import User
from signage.web import limiter
from signage.web.forms import ActionForm, LoginForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only redirect within this site after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"],
               methods=["POST"],
               error_message=lambda: _("Too many failed logins; please try again in a few minutes."))
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        user = get_db().scalar(select(User).where(User.username == form.username.data))
        if user is not None and user.is_active and user.check_password(form.password.data):
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Wrong username or password."), "error")
    return render_template("login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    if ActionForm().validate_on_submit():
        logout_user()
    return redirect(url_for("auth.login"))
