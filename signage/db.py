"""The database: one engine per app, a session per request, and helpers for the CLI.

Modelled on flaskr's db.py: the getter, the teardown and ``init_app`` in one small module.
Models are plain SQLAlchemy so the CLI and the importer use them without a Flask app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

import signage.audit  # noqa: F401 - registers the audit hook on every session
from signage.models import Base


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys and a busy timeout (web and CLI share it)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001 - SQLAlchemy's hook signature
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def create_schema(engine: Engine) -> None:
    """Create the tables that do not exist yet."""
    Base.metadata.create_all(engine)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error: nothing half-saved."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


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
    create_schema(engine)
    app.extensions["signage.engine"] = engine
    app.extensions["signage.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(close_db)
