"""Languages: Vietnamese by default, English on request; dates dd/mm/yyyy in the board's zone.

Message ids are English (gettext's usual source language); the Vietnamese catalog in
``signage/translations/vi`` is what staff see unless they switch. The pages follow the
session's choice (the switcher); the JSON API has no session, so each request's
``Accept-Language`` picks its language there (``signage.web.api.language``).
"""

from __future__ import annotations

import os
from datetime import datetime, tzinfo

from babel.dates import format_datetime
from flask import Blueprint, Flask, abort, current_app, redirect, request, session, url_for
from flask_babel import Babel, get_locale
from werkzeug import Response

from signage.web.forms import ActionForm

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"
#: Requests under this path are the JSON API (see ``signage.web.api``).
API_PREFIX = "/api/"

bp = Blueprint("i18n", __name__)
babel = Babel()


def select_locale() -> str:
    """Pages: the user's choice, else Vietnamese (the office's language), whatever the browser says.

    The API: the best match of the request's ``Accept-Language`` (a script has no session to
    keep a choice in), else Vietnamese, so a script hears what staff would read.
    """
    if request.path.startswith(API_PREFIX):
        return api_language()
    lang = session.get("lang")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def api_language() -> str:
    """The language of this API request: ``vi`` or ``en`` as Accept-Language prefers ("en-US"
    counts as "en"), Vietnamese when it names neither or is missing."""
    return request.accept_languages.best_match(list(LANGUAGES), default=DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


@bp.route("/lang/<code>", methods=["POST"])
def switch(code: str) -> Response:
    """Switch the interface language for this session."""
    if code not in LANGUAGES:
        abort(404)
    if ActionForm().validate_on_submit():
        session["lang"] = code
    target = request.referrer or ""
    host = request.host_url
    return redirect(target if target.startswith(host) else url_for("dashboard.index"))


def board_time(moment: datetime, tz: tzinfo, fmt: str = "EEE dd/MM/yyyy HH:mm") -> str:
    """A moment in a board's own zone, with weekday names in the user's language (dd/mm/yyyy)."""
    return format_datetime(moment, fmt, tzinfo=tz, locale=str(get_locale()))


def init_i18n(app: Flask) -> None:
    """Babel with our catalogs; templates get ``languages`` for the switcher."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", os.path.join(app.root_path, "translations"))
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.register_blueprint(bp)
    app.jinja_env.globals.update(languages=LANGUAGES, get_locale=get_locale)
    app.jinja_env.filters["board_time"] = board_time
