"""Alembic's environment: programmatic (``signage.db.create_schema`` hands a connection in)
or the ``alembic`` command line (``alembic -c signage/migrations/alembic.ini ...``).

Batch mode is on so that ALTERs SQLite cannot do in place (drop or change a column) copy the
table instead; on PostgreSQL it changes nothing.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from signage.models import Base

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True
    )
    with context.begin_transaction():
        context.run_migrations()


def _database_url() -> str:
    """The URL the command line should use: -x url=..., else the instance's (DATABASE_URL wins)."""
    from signage import config as signage_config

    url = context.get_x_argument(as_dictionary=True).get("url")
    return url or signage_config.database_url(signage_config.instance_dir(None))


connection = config.attributes.get("connection")
if connection is None and config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
if connection is not None:
    _run(connection)
elif context.is_offline_mode():
    context.configure(
        url=_database_url(), target_metadata=Base.metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    from signage.db import migration_engine

    engine = migration_engine(_database_url())
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()
