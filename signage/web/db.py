"""The admin's database session: one engine per app, a session per request.

Modelled on flaskr's db.py: the getter, the teardown and ``init_app`` in one small module.
"""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from signage.db import create_schema, make_engine


def get_db() -> Session:
    """The request's session, opened on first use."""
    if "db" not in g:
        g.db = current_app.extensions["signage.sessionmaker"]()
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    """Roll back whatever a failed request left, then close its session."""
    db = g.pop("db", None)
    if db is not None:
        if exc is not None:
            db.rollback()
        db.close()


def init_app(app: Flask) -> None:
    """Bind the engine to the app and create the schema."""
    engine = make_engine(app.config["DATABASE_URL"])
    create_schema(engine, upgrade=app.config.get("AUTO_MIGRATE", True))
    app.extensions["signage.engine"] = engine
    app.extensions["signage.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(close_db)
