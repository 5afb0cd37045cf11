"""Error pages for people: an HTML page in the user's language, whatever went wrong.

flask-smorest answers every HTTP error in JSON, app-wide, which suits the API and nobody else:
a viewer following an editor's link, a stale link to a deleted slogan or a tenth wrong
password would read ``{"code": 404, "status": "Not Found"}``. So the one handler for HTTP
errors sends the API's paths to flask-smorest and draws the admin's own page for the rest.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template, request
from flask_babel import gettext, lazy_gettext
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException

from signage.web.i18n import API_PREFIX

#: What staff read for the errors they can meet; any other code is named by its number.
MESSAGES = {
    400: lazy_gettext("The request could not be understood; nothing was saved."),
    403: lazy_gettext("Your role may not open this page; ask an administrator if you need it."),
    404: lazy_gettext("This page does not exist; what it showed may have been deleted."),
    405: lazy_gettext("This address does not take that kind of request."),
    409: lazy_gettext(
        "Someone else saved this at the same moment; nothing of yours was saved. "
        "Open it again and redo your change."
    ),
    429: lazy_gettext("Too many attempts; wait a minute and try again."),
    500: lazy_gettext(
        "Something went wrong on the server and was logged; nothing was saved. "
        "Try again, and tell the administrator if it happens again."
    ),
}


def init_errors(app: Flask, api_handler: Any) -> None:
    """Register the HTTP error handler (after the API's, which it replaces and calls)."""

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Any:
        if request.path.startswith(API_PREFIX):
            return api_handler(error)
        code = error.code or 500
        message = MESSAGES.get(code) or gettext(
            "The server could not answer this request (error %(code)d).", code=code
        )
        # keep what the error says beside its body (Allow, Retry-After), not its content type
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return render_template("error.html", message=message), code, headers

    @app.errorhandler(StaleDataError)
    def _raced(_error: StaleDataError) -> Any:
        """A save that lost the race with another at the UPDATE (``models.Versioned``) in a view
        that commits by itself rather than through a service: a 409, never a 500."""
        return _http_error(Conflict())
