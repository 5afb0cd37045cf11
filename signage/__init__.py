"""signage: the controller for the LED board at the border gate.

``create_app`` builds the admin (Flask); the worker, the drivers and the simulator never
import it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the worker imports this package too: keep Flask out of its start-up
    from flask import Flask

__all__ = ["create_app"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The admin application; ``config`` overrides what the environment says (tests)."""
    from flask import Flask

    from signage import config as settings
    from signage.web import db, init_web

    overrides = dict(config or {})
    instance = settings.instance_dir(overrides.pop("INSTANCE", None))
    app = Flask(
        __name__, instance_path=str(instance), template_folder="web/templates", static_folder="web/static"
    )
    app.config.from_mapping(settings.load(Path(instance), **overrides))
    if not app.debug and not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    db.init_app(app)
    init_web(app)
    if app.config["PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    return app
