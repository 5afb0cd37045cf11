"""Alembic migrations of the signage database, run by ``signage.db.create_schema``.

Migrations change existing tables (a column added, a type widened); a table that is new in
``signage.models`` is created by ``create_all`` after the upgrade, so it needs none.
"""
