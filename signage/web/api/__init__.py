"""The JSON API (flask-smorest): token auth, OpenAPI at ``/api/openapi.json``.

Only ``Authorization: Bearer <token>`` authenticates here, never the session cookie, so
the API needs no CSRF token and a logged-in browser cannot be tricked into calling it.
Messages are in Vietnamese unless ``Accept-Language`` prefers English (``language.py``).
"""

from __future__ import annotations

from typing import Any

import flask_smorest
from apispec import BasePlugin
from flask import Flask, request
from flask.wrappers import Response
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from signage.web.api.language import ACCEPT_LANGUAGE, DESCRIPTION, say_errors
from signage.web.i18n import API_PREFIX

SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]


class Api(flask_smorest.Api):
    """flask-smorest's Api, whose error answers say marshmallow's messages in the request's language."""

    def handle_http_exception(self, error: HTTPException) -> Any:
        """The same ``{code, status, message, errors}`` answer, its ``errors`` in the request's language
        (our own messages are translated where they are raised; see ``language.py``)."""
        payload, code, headers = super().handle_http_exception(error)
        if "errors" in payload:
            payload["errors"] = say_errors(payload["errors"])
        if code == 404 and "message" not in payload:  # no route at all: point to what there is
            payload["message"] = _(
                "There is no such address in the API; its operations are listed in /api/openapi.json."
            )
        return payload, code, headers


class AcceptLanguagePlugin(BasePlugin):
    """Documents the optional ``Accept-Language`` header on every path of the API."""

    def path_helper(
        self,
        path: str | None = None,
        operations: dict | None = None,
        parameters: list[dict] | None = None,
        **_kwargs: Any,
    ) -> None:
        if parameters is not None:
            parameters.append(dict(ACCEPT_LANGUAGE))


api = Api(spec_kwargs={"extra_plugins": [AcceptLanguagePlugin()]})


def _content_language(response: Response) -> Response:
    """API answers say which language their messages are in, and that it depends on the header."""
    if request.path.startswith(API_PREFIX):
        response.headers["Content-Language"] = str(get_locale())
        response.vary.add("Accept-Language")
    return response


def init_api(app: Flask) -> None:
    """Mount the API blueprints and describe them in OpenAPI 3."""
    from signage.web import IdConverter, csrf
    from signage.web.api import banners, boards, campaigns, changes, content, notices, schedules, timeline
    from signage.web.api import bin as bin_api
    from signage.web.api import layout as layout_api

    app.config.setdefault("API_TITLE", "signage")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {"info": {"description": DESCRIPTION}})
    api.init_app(app)
    api.register_converter(IdConverter, lambda _c: {"type": "integer", "minimum": 0, "maximum": 2**31 - 1})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for module in (
        content,
        boards,
        changes,
        banners,
        schedules,
        timeline,
        campaigns,
        notices,
        layout_api,
        bin_api,
    ):
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp)
    app.after_request(_content_language)
