"""Log in and out, and the session check every request goes through.

A login checks the password in the same time whether or not the name exists (an unknown
name is checked against a dummy hash), counts only failed attempts (``login_throttle``),
starts a server-side session (``signage.accounts``) and gives the browser a new CSRF token.
Each request looks its session up again, so an ended session is refused at the next click.
A page view (GET) whose session was checked in the last ``RECHECK_SECONDS`` seconds, with no
change in the database since (``page_cache.data_version``, which every login, logout, sign-out,
switch-off and password or role change moves), uses that check: the database would answer the
same, and the lookup and its commit were a fifth of a kept page's cost. Only a session's own
lifetime can run out meanwhile, and it is then refused that many seconds later at most.
"""

from __future__ import annotations

import math
import re
import time
from datetime import timedelta
from typing import Any
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
from werkzeug import Response

from signage import accounts
from signage.models import User
from signage.services import users
from signage.web import login_manager
from signage.web.db import get_db
from signage.web.forms import ActionForm, LoginForm
from signage.web.login_throttle import throttle
from signage.web.page_cache import page_version

bp = Blueprint("auth", __name__)
#: The session cookie's key holding the session token (Flask-Login keeps ``_user_id`` beside it).
SESSION_KEY = "_sid"
_LOGIN_KEYS = (SESSION_KEY, "_user_id", "_fresh", "_id", "_remember", "csrf_token")
#: Characters a browser drops from a URL or would read as a new start: tabs, newlines, controls.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def lifetimes() -> accounts.Lifetimes:
    """The session lifetimes the settings give."""
    config = current_app.config
    return accounts.Lifetimes(
        absolute=timedelta(hours=config["SESSION_HOURS"]),
        idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
    )


#: How long a page view may rely on its session's last check while the database is unchanged.
RECHECK_SECONDS = 2.0
#: Per process: session token digest -> (data version, monotonic time, user id, user's columns).
_CHECKED: dict[str, tuple[tuple[str, int, str], float, str, dict[str, Any]]] = {}
_CHECKED_LIMIT = 10_000


def session_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the user of this browser's live session, else None.

    An ended session (logged out, signed out everywhere, user switched off, password or role
    changed, too old, idle too long) is forgotten by the cookie and the reason kept for the
    login page.
    """
    token = session.get(SESSION_KEY)
    key = accounts.digest(token) if token and request.method in ("GET", "HEAD") else None
    if key is not None:
        version, kept = page_version(), _CHECKED.get(key)
        if (
            kept is not None
            and kept[0] == version
            and kept[2] == user_id
            and time.monotonic() - kept[1] < RECHECK_SECONDS
        ):
            return User(**kept[3])
    user, reason = users.resume(get_db(), token, user_id, lifetimes())
    if user is not None:
        if key is not None:
            if len(_CHECKED) >= _CHECKED_LIMIT:
                _CHECKED.clear()
            columns = {name: getattr(user, name) for name in accounts.USER_COLUMNS}
            _CHECKED[key] = (version, time.monotonic(), user_id, columns)
        return user
    if key is not None:
        _CHECKED.pop(key, None)
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
        users.throttled(db, name, address, refusal.by, refusal.seconds)
        wait = wait_words(refusal.seconds)
        if refusal.by == "address":
            message = _("Too many failed logins from this computer; wait %(wait)s and try again.", wait=wait)
        else:
            message = _("Too many failed logins for this username; wait %(wait)s and try again.", wait=wait)
        flash(message, "error")
        return render_template("login.html", form=form), 429
    signed = users.sign_in(db, name, form.password.data, address, lifetimes())
    if signed.user is not None and signed.token is not None:
        for key in _LOGIN_KEYS:  # a new CSRF token too: one seen before login is worth nothing after
            session.pop(key, None)
        g.pop("csrf_token", None)
        session[SESSION_KEY] = signed.token
        login_user(signed.user)
        return redirect(safe_next(request.args.get("next")))
    throttle().failed(address, name)
    if signed.refusal == "inactive":  # the right password: they may know their account is off
        flash(_("This account is switched off; ask an administrator."), "error")
    else:
        flash(_("Wrong username or password."), "error")
    return render_template("login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    if ActionForm().validate_on_submit():
        users.sign_out(get_db(), session.get(SESSION_KEY), current_user, _address())
        logout_user()
        for key in _LOGIN_KEYS:
            session.pop(key, None)
    return redirect(url_for("auth.login"))
