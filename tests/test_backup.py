"""Backup and restore: one archive restores into an empty instance; bad archives write nothing."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from sqlalchemy import func, select

from signage.backup import BACKUP_FORMAT, BackupError, restore, write_backup
from signage.bundle import apply, read_path
from signage.cli import main
from signage.db import create_schema, make_engine, session_scope
from signage.models import Base, Slogan, User
from tests.test_export import snapshot

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def source(tmp_path: Path, database_url: str):  # noqa: ANN201 - an engine holding the playlists and a banner
    """An instance with the campaign, the everyday playlist, a banner and a board."""
    folder = tmp_path / "content"
    folder.mkdir()
    buffer = io.BytesIO()
    Image.new("RGB", (192, 32), "red").save(buffer, "PNG")
    (folder / "pano.png").write_bytes(buffer.getvalue())
    (folder / "board.toml").write_text(
        'format = 2\n[[banners]]\nkey = "p"\nname = "Pano"\nimage = "pano.png"\n'
        '[[playlists]]\nname = "Pano"\nitems = [{ banner = "p", duration = 6 }]\n'
        '[[boards]]\nslug = "bo-y"\nname = "Bờ Y"\nwidth = 192\nheight = 32\nport_url = "/dev/ttyUSB0"\n'
        'playlist = "Pano"\non = "06:00"\noff = "22:00"\nbrightness = [{ at = "06:00", level = 70 }]\n',
        encoding="utf-8",
    )
    for file in (ROOT / "playlists").glob("*.toml"):
        (folder / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    engine = make_engine(database_url)
    create_schema(engine)
    with session_scope(engine) as session:
        apply(session, read_path(folder))
    yield engine
    engine.dispose()


def wipe_all(engine) -> None:  # noqa: ANN001
    Base.metadata.drop_all(engine)
    create_schema(engine)


def test_backup_restores_into_an_empty_instance(source, tmp_path: Path) -> None:  # noqa: ANN001
    with session_scope(source) as session:
        before = snapshot(session)
        manifest = write_backup(session, tmp_path / "backup.zip")
    assert manifest["backup_format"] == BACKUP_FORMAT and manifest["counts"]["schedules"] == 22
    with zipfile.ZipFile(tmp_path / "backup.zip") as archive:
        names = set(archive.namelist())
        text = archive.read("signage.toml").decode()
    assert {"manifest.json", "signage.toml", "settings.toml", "banners/pano.png"} <= names
    assert "SECRET" not in text and "password" not in text
    wipe_all(source)
    restored = restore(source, tmp_path / "backup.zip")
    assert restored["settings"] == {"timezone": "Asia/Ho_Chi_Minh"}
    with session_scope(source) as session:
        assert snapshot(session) == before


def test_restore_refuses_a_non_empty_instance_unless_forced(source, tmp_path: Path) -> None:  # noqa: ANN001
    with session_scope(source) as session:
        before = snapshot(session)
        write_backup(session, tmp_path / "backup.zip")
        session.add(Slogan(text="Thêm sau khi sao lưu"))
        session.add(User(username="admin", password_hash="x", role="admin"))
    with pytest.raises(BackupError, match="already holds content"):
        restore(source, tmp_path / "backup.zip")
    restore(source, tmp_path / "backup.zip", force=True)
    with session_scope(source) as session:
        assert snapshot(session) == before
        assert session.scalar(select(func.count()).select_from(User)) == 1  # users are kept


def rewrite(src: Path, dest: Path, change) -> None:  # noqa: ANN001
    """A copy of the archive with ``change(name, data)`` applied to each entry (None: drop it)."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dest, "w") as new:
        for info in old.infolist():
            out = change(info.filename, old.read(info))
            if out is not None:
                new.writestr(*out) if isinstance(out, tuple) else new.writestr(info.filename, out)


def newer(name: str, data: bytes):  # noqa: ANN201
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["backup_format"] = BACKUP_FORMAT + 1
    manifest["version"] = "9.0"
    return json.dumps(manifest).encode()


def traversal(name: str, data: bytes):  # noqa: ANN201
    return ("../../evil.png", data) if name == "banners/pano.png" else data


def damaged(name: str, data: bytes):  # noqa: ANN201
    return data.replace(b"Pano", b"Evil") if name == "signage.toml" else data


@pytest.mark.parametrize(
    "change, message",
    [
        (newer, "written by a newer version (signage 9.0, backup format 2"),
        (traversal, "../../evil.png: refused, the path leads outside the archive's folder"),
        (damaged, "signage.toml: damaged (checksum differs from the manifest)"),
        (
            lambda name, data: None if name == "manifest.json" else data,
            "no manifest.json: not a signage backup",
        ),
    ],
)
def test_bad_archives_restore_nothing(change, message: str, source, tmp_path: Path) -> None:  # noqa: ANN001
    with session_scope(source) as session:
        write_backup(session, tmp_path / "backup.zip")
    rewrite(tmp_path / "backup.zip", tmp_path / "bad.zip", change)
    wipe_all(source)
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["restore", str(tmp_path / "bad.zip"), "--instance", str(tmp_path / "i")],
        env={"DATABASE_URL": str(source.url.render_as_string(hide_password=False))},
    )
    assert result.exit_code == 1 and "nothing restored" in result.output and message in result.output, (
        result.output
    )
    assert not (tmp_path / "evil.png").exists()
    with session_scope(source) as session:
        assert session.scalar(select(func.count()).select_from(Slogan)) == 0


def test_not_a_zip_is_refused(tmp_path: Path, database_url: str) -> None:
    (tmp_path / "x.zip").write_text("hello")
    engine = make_engine(database_url)
    create_schema(engine)
    with pytest.raises(BackupError, match="not a zip archive"):
        restore(engine, tmp_path / "x.zip")
    engine.dispose()


def test_cli_backup_and_restore_between_instances(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"DATABASE_URL": None, "SIGNAGE_TIMEZONE": None}
    one, two = str(tmp_path / "one"), str(tmp_path / "two")
    assert runner.invoke(main, ["import", str(ROOT / "playlists"), "--instance", one], env=env).exit_code == 0
    result = runner.invoke(main, ["backup", str(tmp_path / "b.zip"), "--instance", one], env=env)
    assert result.exit_code == 0 and "22 schedules" in result.output, result.output
    result = runner.invoke(main, ["restore", str(tmp_path / "b.zip"), "--instance", two], env=env)
    assert result.exit_code == 0 and "restored" in result.output, result.output
    result = runner.invoke(main, ["restore", str(tmp_path / "b.zip"), "--instance", two], env=env)
    assert result.exit_code == 1 and "--force" in result.output
    result = runner.invoke(
        main,
        ["restore", str(tmp_path / "b.zip"), "--instance", two, "--force"],
        env={**env, "SIGNAGE_TIMEZONE": "Asia/Vientiane"},
    )
    assert result.exit_code == 0 and "SIGNAGE_TIMEZONE=Asia/Ho_Chi_Minh" in result.output
    snaps = []
    for inst in (one, two):
        engine = make_engine(f"sqlite:///{inst}/signage.db")
        with session_scope(engine) as session:
            snaps.append(snapshot(session))
        engine.dispose()
    assert snaps[0] == snaps[1]
