"""Log in and out, and the session check every request goes through.

A login checks the password in the same time whether or not the name exists (an unknown
name is checked against a dummy hash), counts only failed attempts (``login_throttle``),
starts a server-side session (``signage.accounts``) and gives the browser a new CSRF token.
Each request looks its session up again, so an ended session is refused at the next click.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta
from functools import cache
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug import Response
from werkzeug.security import check_password_hash, generate_password_hash

from signage import accounts
from signage.models import User
from signage.web import login_manager
from signage.web.db import get_db
from signage.web.forms import ActionForm, LoginForm
from signage.web.login_throttle import throttle

bp = Blueprint("auth", __name__)
#: The session cookie's key holding the session token (Flask-Login keeps ``_user_id`` beside it).
SESSION_KEY = "_sid"
_LOGIN_KEYS = (SESSION_KEY, "_user_id", "_fresh", "_id", "_remember", "csrf_token")
#: Characters a browser drops from a URL or would read as a new start: tabs, newlines, controls.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, made like real ones (same cost, same time)."""
    return generate_password_hash("no such user; the time of a real check")


def lifetimes() -> accounts.Lifetimes:
    """The session lifetimes the settings give."""
    config = current_app.config
    return accounts.Lifetimes(
        absolute=timedelta(hours=config["SESSION_HOURS"]),
        idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
    )


def session_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the user of this browser's live session, else None.

    An ended session (logged out, signed out everywhere, user switched off, password or role
    changed, too old, idle too long) is forgotten by the cookie and the reason kept for the
    login page.
    """
    token = session.get(SESSION_KEY)
    db = get_db()
    user, reason = accounts.check_session(db, token, lifetimes()) if token else (None, accounts.ENDED)
    db.commit()
    if user is not None and str(user.id) == user_id:
        return user
    if (
        reason == accounts.ENDED
        and user_id.isdigit()
        and db.scalar(select(User.active).where(User.id == int(user_id))) is False
    ):
        reason = accounts.INACTIVE  # its sessions were deleted when it was switched off: say that
    for key in _LOGIN_KEYS:
        session.pop(key, None)
    g.session_ended = reason
    return None


ENDED_MESSAGES = {
    accounts.ENDED: _l("Your session has ended; please log in again."),
    accounts.INACTIVE: _l("Your account has been switched off; ask an administrator."),
    accounts.CHANGED: _l("Your password or role was changed; please log in again."),
    accounts.EXPIRED: _l("Your session reached its time limit; please log in again."),
    accounts.IDLE: _l("You were away for too long; please log in again."),
}


@login_manager.unauthorized_handler
def _unauthorized() -> Response:
    """To the login page, saying why when a session just ended, and coming back afterwards."""
    reason = g.get("session_ended")
    flash(str(ENDED_MESSAGES[reason]) if reason else _("Please log in to continue."), "error")
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.login", next=target))


def safe_next(target: str | None) -> str:
    """Where to go after login: a path on this site only, read the way a browser will read it.

    Browsers drop tabs and newlines from URLs, treat ``\\`` as ``/`` and take ``//host`` as
    another site, so ``/\\t/evil.example`` would leave the site: any control character,
    backslash, scheme or host refuses the target.
    """
    fallback = url_for("dashboard.index")
    if not target or _CONTROL.search(target) or "\\" in target or not target.startswith("/"):
        return fallback
    parts = urlsplit(target)
    if target.startswith("//") or parts.scheme or parts.netloc:
        return fallback
    return target


def wait_words(seconds: int) -> str:
    """A wait as people say it: seconds under two minutes, else whole minutes (rounded up)."""
    if seconds < 120:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    return ngettext("%(num)d minute", "%(num)d minutes", math.ceil(seconds / 60))


def _address() -> str:
    return request.remote_addr or ""


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("login.html", form=form)
    db, name, address = get_db(), form.username.data.strip(), _address()
    refusal = throttle().refusal(address, name)
    if refusal is not None:
        accounts.record(
            db,
            "anonymous",
            "throttled",
            "accounts",
            "-",
            {"username": name, "address": address, "by": refusal.by, "seconds": refusal.seconds},
        )
        db.commit()
        wait = wait_words(refusal.seconds)
        if refusal.by == "address":
            message = _("Too many failed logins from this computer; wait %(wait)s and try again.", wait=wait)
        else:
            message = _("Too many failed logins for this username; wait %(wait)s and try again.", wait=wait)
        flash(message, "error")
        return render_template("login.html", form=form), 429
    user = db.scalar(select(User).where(User.username == name))
    # the same work for every name: a known one's hash, or the dummy's
    matches = check_password_hash(user.password_hash if user else _dummy_hash(), form.password.data)
    if user is not None and matches and user.active:
        token = accounts.start_session(db, user, address, lifetimes())
        accounts.record(db, user.username, "login", "accounts", user.id, {"address": address})
        db.commit()
        for key in _LOGIN_KEYS:  # a new CSRF token too: one seen before login is worth nothing after
            session.pop(key, None)
        g.pop("csrf_token", None)
        session[SESSION_KEY] = token
        login_user(user)
        return redirect(safe_next(request.args.get("next")))
    throttle().failed(address, name)
    accounts.record(
        db,
        "anonymous",
        "failed",
        "accounts",
        user.id if user else "-",
        {"username": name, "address": address},
    )
    db.commit()
    if user is not None and matches:  # the right password: they may know their account is off
        flash(_("This account is switched off; ask an administrator."), "error")
    else:
        flash(_("Wrong username or password."), "error")
    return render_template("login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    if ActionForm().validate_on_submit():
        db = get_db()
        token = session.get(SESSION_KEY)
        if token:
            accounts.end_session(db, token)
        accounts.record(
            db, current_user.username, "logout", "accounts", current_user.id, {"address": _address()}
        )
        db.commit()
        logout_user()
        for key in _LOGIN_KEYS:
            session.pop(key, None)
    return redirect(url_for("auth.login"))
