"""The JSON API (flask-smorest): token auth, OpenAPI at ``/api/openapi.json``.

Only ``Authorization: Bearer <token>`` authenticates here, never the session cookie, so
the API needs no CSRF token and a logged-in browser cannot be tricked into calling it.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

api = Api()

SECURITY = [{"bearerAuth": []}]


def init_api(app: Flask) -> None:
    """Mount the API blueprints and describe them in OpenAPI 3."""
    from signage.web import IdConverter, csrf
    from signage.web.api import banners, boards, campaigns, changes, content, notices, schedules, timeline

    app.config.setdefault("API_TITLE", "signage")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api.init_app(app)
    api.register_converter(IdConverter, lambda _c: {"type": "integer", "minimum": 0, "maximum": 2**31 - 1})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for module in (content, boards, changes, banners, schedules, timeline, campaigns, notices):
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp)
