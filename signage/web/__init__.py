"""The admin web layer: thin blueprints over the models, the rules and publishing."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext
from flask_login import LoginManager, current_user
from flask_wtf import CSRFProtect
from flask_wtf.csrf import CSRFError
from redis import Redis
from werkzeug.routing import IntegerConverter

from signage.audit import actor
from signage.models import User

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = lazy_gettext("Please log in to continue.")


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """The user of this browser's live server-side session (``signage.web.auth``), or None."""
    from signage.web.auth import session_user

    return session_user(user_id)


class IdConverter(IntegerConverter):
    """Row ids in URLs: whole numbers a database integer holds (a huge one is a 404, not a 500)."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, min=0, max=2**31 - 1)


def init_web(app: Flask) -> None:
    """Register extensions, blueprints and the security headers."""
    from flask import render_template
    from flask_babel import gettext

    from signage.web import (
        audit,
        auth,
        banners,
        bin,
        boards,
        campaigns,
        changes,
        dashboard,
        groups,
        notices,
        playlists,
        preview,
        proof,
        queues,
        schedules,
        slogans,
        transfer,
        users,
        word_list,
    )
    from signage.web.api import api, init_api
    from signage.web.errors import init_errors
    from signage.web.i18n import init_i18n
    from signage.web.login_throttle import init_throttle
    from signage.web.quick_gettext import init_quick_gettext
    from signage.web.rqdash import init_rqdash
    from signage.web.stamps import init_stamps
    from signage.web.words import register_filters

    app.url_map.converters["id"] = IdConverter
    csrf.init_app(app)
    init_i18n(app)
    init_stamps(app)
    init_quick_gettext(app)
    register_filters(app)
    login_manager.init_app(app)
    init_throttle(app)
    app.extensions["signage.redis"] = Redis.from_url(
        app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5
    )
    for module in (
        auth,
        dashboard,
        slogans,
        banners,
        preview,
        playlists,
        boards,
        schedules,
        notices,
        campaigns,
        groups,
        transfer,
        audit,
        proof,
        queues,
        changes,
        users,
        bin,
        word_list,
    ):
        app.register_blueprint(module.bp)
    init_api(app)
    init_errors(app, api.handle_http_exception)  # the API's JSON errors stay on its paths

    @app.errorhandler(413)
    def _too_large(_exc: Exception) -> tuple[str, int]:
        """An upload over MAX_CONTENT_LENGTH: say so in the page, nothing is saved."""
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return render_template(
            "error.html", message=gettext("The file is larger than %(mb)d MB; nothing was saved.", mb=limit)
        ), 413

    @app.errorhandler(CSRFError)
    def _csrf_refused(_exc: CSRFError) -> tuple[str, int]:
        """A POST without a valid token (a form left open past a restart, another site's
        form): say so in the user's language, not Flask-WTF's English; nothing was saved."""
        return render_template(
            "error.html",
            message=gettext(
                "This form has expired or did not come from this admin; reload the page and try "
                "again. Nothing was saved."
            ),
        ), 400

    @app.before_request
    def _audit_actor() -> None:
        """Changes made by this request are attributed to its user (set anew every request)."""
        actor.set(current_user.username if current_user.is_authenticated else "anonymous")

    @app.after_request
    def _security_headers(response):  # noqa: ANN001, ANN202 - Flask hook
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'"
        )
        if app.config.get("HTTPS"):  # a year: a browser that met the admin on HTTPS never downgrades
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    init_rqdash(app)  # last: its CSP hook must run before the default one above
