"""Rendered admin pages, kept until anything in the database changes.

Staff reload the same lists all day, and every change to the content, the schedules, the
boards or the users is written to the audit log in the same transaction (``signage.audit``),
so the newest audit id is a version of everything these pages show: a page rendered for the
same user, role, language and address under the same version is the same page. The one
per-session part of a page, the CSRF token in its forms, is swapped for the caller's own
token on the way out. Pages with a flash message to show are never served from or put in
the cache. Entries also age out after ``max_age`` seconds, which bounds how long a change
made outside the audited ORM (a restore, a hand-edited database) can stay unseen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, current_app, g, get_flashed_messages, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import Select, select

from signage.models import AuditEntry
from signage.render.cache import RenderCache

#: Per process; pages are 10-60 kB, so this holds a few hundred.
PAGES = RenderCache(max_bytes=16 * 1024 * 1024)
#: Stands for the CSRF token in a stored page (the real token is a long random string).
TOKEN_MARK = "\u2063csrf-token\u2063"
_TOKEN_MARK_BYTES = TOKEN_MARK.encode()
#: The signed form of each session's CSRF token, per process. Flask-WTF signs the session's
#: raw token anew on every request (an HMAC and a serializer each time); with
#: ``WTF_CSRF_TIME_LIMIT`` None a signed token never expires, so the one made for a raw
#: token serves every later page of that session. Bounded: cleared when it gets large.
_SIGNED: dict[tuple[Any, str], str] = {}
_SIGNED_LIMIT = 10_000


_NEWEST_AUDIT = select(AuditEntry.id, AuditEntry.at).order_by(AuditEntry.id.desc()).limit(1)


class _Uncacheable(Exception):  # noqa: N818 - a signal, not an error
    """The view answered with something other than a plain 200 page: hand it back as it is."""

    def __init__(self, response: Response) -> None:
        super().__init__("uncacheable")
        self.response = response


def quick_rows(statement: Select[Any, Any] | Select[Any]) -> list[tuple[Any, ...]]:
    """The rows of a constant statement (no parameters), straight from the driver.

    For the few reads every page view makes: compiled once per dialect and run on the
    driver, a fifth of the cost of a Core statement for the same rows. On the request's
    connection when it has a session (it sees the session's own writes), else on a pooled
    connection for just this read, so a kept page opens no ORM session at all. Values come as
    the driver gives them (SQLite: a time is text).
    """
    session = g.get("db")  # the request's session when it has one: it sees its own writes
    engine = current_app.extensions["signage.engine"]
    key = (statement, engine.dialect.name)
    sql = _COMPILED.get(key)
    if sql is None:
        compiled = statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
        sql = _COMPILED[key] = str(compiled)
    raw = session.connection().connection if session is not None else engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute(sql)
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.close()
    finally:
        if session is None:
            raw.close()  # back to the pool (rolled back there)


_COMPILED: dict[tuple[Any, str], str] = {}


def data_version() -> tuple[str, int, str]:
    """The database and its newest audit entry (id and time): it moves with every committed
    change the pages show, and differs after a restore that brings back an older log."""
    newest = quick_rows(_NEWEST_AUDIT)
    where = current_app.config["DATABASE_URL"]
    return (where, newest[0][0], str(newest[0][1])) if newest else (where, 0, "")


def page_version() -> tuple[str, int, str]:
    """``data_version`` as the page cache read it for this GET request (read once per request)."""
    version: tuple[str, int, str] | None = g.get("page_version")
    if version is None:
        version = g.page_version = data_version()
    return version


def csrf_token() -> str:
    """The request's signed CSRF token, as ``generate_csrf`` makes it, signed once per session.

    Only while tokens do not expire (``WTF_CSRF_TIME_LIMIT`` None, our setting); otherwise
    each request signs its own as Flask-WTF does.
    """
    raw = session.get("csrf_token")
    if "csrf_token" in g or not raw or current_app.config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return generate_csrf()
    key = (current_app.secret_key or "", raw)
    signed = _SIGNED.get(key)
    if signed is None:
        signed = generate_csrf()
        if len(_SIGNED) >= _SIGNED_LIMIT:
            _SIGNED.clear()
        _SIGNED[key] = signed
    else:
        g.csrf_token = signed  # what generate_csrf keeps for the rest of the request
    return signed


def cached_page(
    max_age: float, vary: Callable[[], Any] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Serve a GET page from the cache while nothing changed and it is under ``max_age`` seconds old.

    ``vary`` (called on each request) names what else the page depends on that the audit log
    does not version: the next moment a notice starts or ends, the newest proof-of-play row.
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if request.method != "GET" or session.get("_flashes") or not current_user.is_authenticated:
                return view(*args, **kwargs)
            who = (current_user.id, current_user.role, str(get_locale()))
            version = page_version()
            extra = vary() if vary is not None else None
            # Per process, so a plain repr is key enough (no digest to compute on every hit).
            key = repr(("page", request.full_path, *who, *version, int(time.time() // max_age), extra))
            token = csrf_token()

            def render() -> tuple[bytes, str | None]:
                response = make_response(view(*args, **kwargs))
                if response.status_code != 200 or response.direct_passthrough or get_flashed_messages():
                    raise _Uncacheable(response)
                return response.get_data().replace(token.encode(), _TOKEN_MARK_BYTES), response.mimetype

            try:
                body, mimetype = PAGES.get_or_make(key, render)
            except _Uncacheable as answer:
                return answer.response
            return Response(body.replace(_TOKEN_MARK_BYTES, token.encode()), mimetype=mimetype)

        return wrapped

    return decorate
