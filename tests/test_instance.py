"""The instance folder stays private and the database is upgraded only by ``signage migrate``."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
from pathlib import Path

import pytest
from alembic import command

from signage.db import alembic_config, create_schema, head_revision, make_engine, schema_revision
from signage.instance import make_private
from tests.processes import environ, signage_command


def modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode) for p in [folder, *folder.rglob("*")]}


def run_signage(*args: str, instance: Path) -> subprocess.CompletedProcess:
    env = environ(SIGNAGE_INSTANCE=str(instance), SIGNAGE_NEW_PASSWORD="a long enough password 1")
    return subprocess.run(
        signage_command(*args),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        preexec_fn=lambda: os.umask(0o022),
    )


def test_commands_create_everything_private_even_under_umask_022(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    assert run_signage("import", "--samples", instance=instance).returncode == 0
    assert run_signage("create-user", "bientap", "--role", "editor", instance=instance).returncode == 0
    found = modes(instance)
    assert "signage.db" in found
    loose = {
        name: oct(mode)
        for name, mode in found.items()
        if mode & 0o077 or (Path(instance / name).is_dir() and mode != 0o700)
    }
    assert not loose, f"readable by others: {loose}"


def test_every_start_tightens_what_an_earlier_version_left_open(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    (instance / "logs").mkdir(parents=True)
    for folder in (instance, instance / "logs"):
        folder.chmod(0o755)
    for name in ("signage.db", "signage.db-wal", "secret_key", "logs/worker.log"):
        (instance / name).write_text("x")
        (instance / name).chmod(0o644)
    make_private(instance)
    assert modes(instance) == {
        ".": 0o700,
        "logs": 0o700,
        "signage.db": 0o600,
        "signage.db-wal": 0o600,
        "secret_key": 0o600,
        "logs/worker.log": 0o600,
    }


def test_a_world_writable_or_foreign_folder_is_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    instance = tmp_path / "shared"
    instance.mkdir()
    instance.chmod(0o777)
    with caplog.at_level(logging.WARNING, logger="signage.instance"):
        warnings = make_private(instance)
    assert any("could be written by any user" in w for w in warnings), warnings
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    if os.geteuid() == 0:  # only root can give the folder away to show the other case
        os.chown(instance, 65534, 65534)
        warnings = make_private(instance)
        assert any("belongs to user id 65534" in w for w in warnings), warnings
        os.chown(instance, 0, 0)


def test_an_old_database_waits_for_signage_migrate_which_copies_it_first(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    assert run_signage("import", "--samples", instance=instance).returncode == 0
    engine = make_engine(f"sqlite:///{instance / 'signage.db'}")
    with engine.begin() as conn:  # the database as the previous release left it
        command.downgrade(alembic_config(conn), "0001_baseline")
    assert schema_revision(engine) == "0001_baseline"

    refused = run_signage("create-user", "bientap", "--role", "editor", instance=instance)
    assert refused.returncode != 0 and "signage migrate" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert schema_revision(engine) == "0001_baseline", "a refused start must not touch the database"

    done = run_signage("migrate", instance=instance)
    assert done.returncode == 0, done.stderr
    copies = list((instance / "backups").glob("signage-0001_baseline-*.db"))
    assert len(copies) == 1 and stat.S_IMODE(copies[0].stat().st_mode) == 0o600
    assert schema_revision(engine) == head_revision()
    assert schema_revision(make_engine(f"sqlite:///{copies[0]}")) == "0001_baseline"
    assert run_signage("create-user", "bientap", "--role", "editor", instance=instance).returncode == 0
    assert "nothing to do" in run_signage("migrate", instance=instance).stdout


def test_the_library_call_still_upgrades_for_tests_and_the_demo(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    create_schema(engine)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001_baseline")
    create_schema(engine)
    assert schema_revision(engine) == head_revision()
