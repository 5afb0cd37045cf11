"""The database without Flask: engines, the schema and its migrations, sessions for the CLI.

The worker, the importer, backups and the CLI use it with no web framework loaded; the
admin's per-request session lives in ``signage.web.db``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

import signage.audit  # noqa: F401 - registers the audit hook on every session
from signage.models import Base


def _unicode_lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


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
            # SQLite's own lower() knows only ASCII: "CHÀO" would not match a search for "chào".
            dbapi_conn.create_function("lower", 1, _unicode_lower, deterministic=True)

        return engine
    return create_engine(url, pool_pre_ping=True)


MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001_baseline"
# Any constant: PostgreSQL's advisory lock that lets one process at a time migrate.
_PG_LOCK_KEY = 0x5167_0006


def migration_engine(url: str) -> Engine:
    """An engine that migrates SQLite in one transaction, holding the write lock throughout.

    pysqlite commits DDL as it goes and cannot switch foreign keys off inside a transaction,
    so: autocommit at the driver, our own ``BEGIN IMMEDIATE`` (the write lock, which a second
    process starting at the same moment waits for), and foreign keys left off, since batch
    mode rebuilds a table by dropping it and a cascade would empty the tables that refer to it.
    """
    if not url.startswith("sqlite"):
        return create_engine(url)
    engine = create_engine(url, connect_args={"timeout": 120})

    @event.listens_for(engine, "connect")
    def _autocommit(dbapi_conn, _record):  # noqa: ANN001 - SQLAlchemy's hook signature
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration without an alembic.ini: the migrations shipped in the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _in_memory(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")


class SchemaBehind(RuntimeError):
    """The database holds data at an older schema and this start may not migrate it."""


def create_schema(engine: Engine, upgrade: bool = True) -> None:
    """Bring the database to the current schema, keeping its data.

    With ``upgrade=False`` (the admin server and the data commands) a database that needs a
    migration is left untouched and ``SchemaBehind`` says to run ``signage migrate``, which
    backs the database up first; an empty database is still created.

    - empty: ``create_all`` and stamp the newest revision (nothing to migrate);
    - made before Alembic (tables, no ``alembic_version``): stamp the baseline, then upgrade;
    - otherwise: upgrade to the newest revision.

    Then ``create_all`` adds the tables that are new in the models (they need no migration).
    All in one transaction under a lock (SQLite's write lock, a PostgreSQL advisory lock):
    when the admin and a CLI command start together, the second waits, then finds nothing
    to do; a failed migration leaves the database as it was.
    """
    if _in_memory(engine):  # one connection's private database: nobody to race with
        with engine.begin() as conn:
            _migrate(conn, upgrade)
        return
    migrator = migration_engine(engine.url.render_as_string(hide_password=False))
    try:
        with migrator.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
            _migrate(conn, upgrade)
    finally:
        migrator.dispose()


def head_revision() -> str:
    """The newest schema revision this version of signage ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def schema_revision(engine: Engine) -> str | None:
    """The database's schema revision (None: empty, or made before migrations were shipped)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _migrate(conn: Connection, upgrade: bool = True) -> None:
    tables = set(inspect(conn).get_table_names())
    config = alembic_config(conn)
    if not tables & set(Base.metadata.tables):
        Base.metadata.create_all(conn)
        command.stamp(config, "head")
        return
    before = MigrationContext.configure(conn).get_current_revision()
    if not upgrade and before != head_revision():
        raise SchemaBehind(
            f"the database is at schema {before or 'from before migrations'} and this version of "
            f"signage needs {head_revision()}: stop the admin, then run `signage migrate` (it backs "
            f"the database up first)"
        )
    if "alembic_version" not in tables:
        command.stamp(config, BASELINE)
        before = BASELINE
    command.upgrade(config, "head")
    Base.metadata.create_all(conn)
    migrated = MigrationContext.configure(conn).get_current_revision() != before
    if migrated and conn.dialect.name == "sqlite":
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migrated database breaks foreign keys: {broken[:5]}")


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


def copy_sqlite(engine: Engine, folder: Path, label: str) -> Path:
    """A consistent copy of a SQLite database in ``folder`` (SQLite's online backup), 0600.

    Taken before a migration so a failed or unwanted upgrade can be rolled back by putting
    the copy back; other databases are backed up with their own tools (``pg_dump``).
    """
    import sqlite3
    from datetime import datetime

    source_path = engine.url.database
    if engine.dialect.name != "sqlite" or not source_path:
        raise ValueError("only a SQLite database file can be copied here")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / f"signage-{label}-{datetime.now():%Y%m%d-%H%M%S}.db"
    with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    target.chmod(0o600)
    return target
