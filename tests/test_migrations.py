"""Migrations: every kind of database the admin or the CLI may open ends up on the current
schema with its data kept, and two processes starting at once do not trip over each other."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

import signage.db
from signage.db import BASELINE, alembic_config, create_schema, make_engine, migration_engine
from signage.models import Base

ROOT = Path(__file__).resolve().parents[1]
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to(url: str, target: str) -> None:
    """Run the migrations up to ``target`` on ``url``, as the alembic command line would."""
    engine = migration_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), target)
    engine.dispose()


def schema_differences(engine: Engine) -> list:
    """What the database lacks or has otherwise than the models say (tables, columns, indexes)."""
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)


def pre_alembic_database(url: str) -> Engine:
    """A database as the code before migrations made it: the baseline tables, no alembic_version,
    and some content (a board playing a playlist of a slogan and a banner)."""
    upgrade_to(url, BASELINE)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(
            text("INSERT INTO playlists (id, name, created_at) VALUES (1, 'Hằng ngày', '2020-01-02')")
        )
        conn.execute(
            text(
                "INSERT INTO slogans (id, text, effect, speed, color, created_at, updated_at) VALUES "
                "(1, 'Chào mừng Đại hội', 'auto', 32, '#ff0000', '2020-01-02', '2020-01-02')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO banners (id, name, sha256, mime, data, width, height, fit, created_at) VALUES "
                "(1, 'Pano', :sha, 'image/png', :data, 192, 32, 'fit', '2020-01-02')"
            ),
            {"sha": "a" * 64, "data": b"\x89PNG"},
        )
        conn.execute(
            text(
                "INSERT INTO playlist_items (id, playlist_id, position, slogan_id, banner_id, duration, "
                "enabled) VALUES (1, 1, 0, 1, NULL, 12.5, true), (2, 1, 1, NULL, 1, 6, false)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO boards (id, slug, name, width, height, color, protocol, port_url, baud, "
                "address, playlist_id, created_at) VALUES (1, 'bo-y', 'Bờ Y', 192, 32, 'mono', 'native', "
                "'/dev/ttyUSB0', 115200, 1, 1, '2020-01-02')"
            )
        )
    return engine


def content(engine: Engine) -> dict:
    with engine.connect() as conn:
        return {
            "items": conn.execute(
                text(
                    "SELECT id, playlist_id, position, slogan_id, banner_id, duration, enabled "
                    "FROM playlist_items ORDER BY id"
                )
            ).all(),
            "slogans": conn.execute(text("SELECT id, text FROM slogans")).all(),
            "boards": conn.execute(text("SELECT slug, playlist_id FROM boards")).all(),
            "banners": conn.execute(text("SELECT name, data FROM banners")).all(),
        }


def test_an_empty_database_gets_the_current_schema_at_the_newest_revision(database_url: str) -> None:
    engine = make_engine(database_url)
    create_schema(engine)
    assert revision(engine) == HEAD
    assert schema_differences(engine) == []
    create_schema(engine)  # the second start finds nothing to do
    assert revision(engine) == HEAD
    engine.dispose()


def test_the_migrations_alone_build_what_the_models_describe(database_url: str) -> None:
    """Someone who changes a column in models.py without a migration fails here.

    Tables new in the models are left to create_all (they need no migration), so only
    missing tables are forgiven."""
    upgrade_to(database_url, "head")
    engine = make_engine(database_url)
    changed = [diff for diff in schema_differences(engine) if diff[0] != "add_table"]
    assert changed == []
    engine.dispose()


def test_a_database_made_before_migrations_is_upgraded_with_its_data(database_url: str) -> None:
    engine = pre_alembic_database(database_url)
    before = content(engine)
    create_schema(engine)
    assert revision(engine) == HEAD
    assert content(engine) == before
    assert schema_differences(engine) == []
    with engine.connect() as conn:  # foreign keys still hold: the board still plays its playlist
        assert (
            conn.execute(
                text("SELECT p.name FROM boards b JOIN playlists p ON p.id = b.playlist_id")
            ).scalar_one()
            == "Hằng ngày"
        )
    engine.dispose()


def test_a_database_at_the_baseline_revision_is_upgraded_with_its_data(database_url: str) -> None:
    engine = pre_alembic_database(database_url)
    with engine.begin() as conn:
        command.stamp(alembic_config(conn), BASELINE)
    before = content(engine)
    create_schema(engine)
    assert revision(engine) == HEAD
    assert content(engine) == before
    engine.dispose()


def test_a_database_emptied_by_drop_all_is_built_again(database_url: str) -> None:
    """Restoring a backup drops every table but alembic_version, then creates the schema."""
    engine = make_engine(database_url)
    create_schema(engine)
    Base.metadata.drop_all(engine)
    create_schema(engine)
    assert revision(engine) == HEAD
    assert schema_differences(engine) == []
    engine.dispose()


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """The whole upgrade is one transaction (SQLite's DDL included): half a migration never sticks."""
    scripts = tmp_path / "migrations"
    shutil.copytree(signage.db.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_broken.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f"revision = '9999_broken'\ndown_revision = {HEAD!r}\nbranch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n"
        "    with op.batch_alter_table('slogans') as batch:\n"
        "        batch.add_column(sa.Column('half_done', sa.Integer()))\n"
        "    op.execute('UPDATE slogans SET half_done = 1')\n"
        "    raise RuntimeError('the migration broke halfway')\n",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = pre_alembic_database(url)
    before = content(engine)
    monkeypatch.setattr(signage.db, "MIGRATIONS", scripts)
    with pytest.raises(RuntimeError, match="halfway"):
        create_schema(engine)
    assert revision(engine) is None  # not even the baseline stamp stayed
    assert "half_done" not in {c["name"] for c in inspect(engine).get_columns("slogans")}
    assert content(engine) == before
    engine.dispose()


def test_two_processes_starting_at_once_both_come_up_on_one_schema(database_url: str) -> None:
    """The admin and a CLI command started together on a database made before migrations."""
    engine = pre_alembic_database(database_url)
    before = content(engine)
    script = (
        "import sys\nfrom signage.db import create_schema, make_engine\n"
        "create_schema(make_engine(sys.argv[1]))\nprint('ready')\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, database_url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [proc.communicate(timeout=120) for proc in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == "ready"
    assert revision(engine) == HEAD
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    assert content(engine) == before
    engine.dispose()


def test_a_0006_database_gets_version_counters_starting_at_one(database_url: str) -> None:
    """0007: the records edit forms change gain ``row_version``, 1 for every row already there;
    the next save raises it and a save from the old version is refused at the UPDATE."""
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    from signage.models import Playlist, Slogan

    engine = pre_alembic_database(database_url)
    with engine.begin() as conn:
        command.stamp(alembic_config(conn), BASELINE)
    upgrade_to(database_url, "0006_soft_delete")
    before = content(engine)
    create_schema(engine)
    assert revision(engine) == HEAD
    assert content(engine) == before
    assert schema_differences(engine) == []
    with engine.connect() as conn:
        for table in ("slogans", "banners", "playlists", "boards"):
            assert conn.execute(text(f"SELECT row_version FROM {table}")).scalars().all() == [1], table
    with Session(engine) as first, Session(engine) as second:
        mine, theirs = first.get(Slogan, 1), second.get(Slogan, 1)
        assert mine is not None and theirs is not None
        mine.text, theirs.text = "Chào mừng năm mới", "Xuân an toàn"
        first.commit()
        with pytest.raises(StaleDataError):
            second.commit()
        playlist = first.get(Playlist, 1)
        assert playlist is not None
        playlist.items[0].enabled = False  # a part changes: the playlist's version moves
        first.commit()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT text, row_version FROM slogans")).one() == ("Chào mừng năm mới", 2)
        assert conn.execute(text("SELECT row_version FROM playlists")).scalar_one() == 2
    engine.dispose()
