"""One-file backup and restore: the export, its banner images, non-secret settings, a manifest.

The archive is a zip any machine can open: ``manifest.json`` (formats, version, counts,
a SHA-256 per file), ``signage.toml`` and ``banners/`` exactly as ``signage export``
writes them, and ``settings.toml``. Restoring checks everything first (format, checksums,
paths, the files themselves) and then writes in one transaction: all or nothing.
Secrets (SECRET_KEY, database and Redis URLs with their passwords) and users' password
hashes are never written; create an administrator on the new machine.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import tempfile
import tomllib
import zipfile
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import Any

import tomli_w
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from signage.bundle import FILE_FORMAT, BundleError, apply, read_path
from signage.db import session_scope
from signage.exporter import EXPORT_FILE, dumps, export_data
from signage.models import (
    DEFAULT_TIMEZONE,
    Banner,
    Board,
    BoardGroup,
    BoardSettings,
    BrightnessStep,
    Campaign,
    Phase,
    Playlist,
    PlaylistItem,
    Schedule,
    Slogan,
    UrgentNotice,
)
from signage.problem import N_, Problem

#: The archive layout this version writes; it restores every layout up to it.
BACKUP_FORMAT = 1
KIND = "signage-backup"
MANIFEST = "manifest.json"
SETTINGS = "settings.toml"
MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
#: Tables that make an instance "not empty" (users do not: an admin may exist already).
OUTSIDE = N_("%(name)s: refused, the path leads outside the archive's folder")
CONTENT = (Board, BoardGroup, Slogan, Banner, Playlist, Campaign, Schedule)


class BackupError(ValueError):
    """An archive that cannot be written or restored; the message says which file and why.

    Raised with a ``signage.problem.Problem`` where the admin's import page may show it (the
    checks of ``safe_names``/``safe_extract``): ``args[0]`` then says it in any language.
    """


def app_version() -> str:
    try:
        return version("signage")
    except PackageNotFoundError:  # a source checkout that was never installed
        return "0"


def settings() -> dict[str, Any]:
    """Settings worth carrying to a new machine; none of them secret."""
    return {"timezone": os.environ.get("SIGNAGE_TIMEZONE", DEFAULT_TIMEZONE)}


def write_backup(session: Session, dest: Path) -> dict[str, Any]:
    """Write the archive to ``dest`` (atomically: a temp file renamed); returns the manifest."""
    doc, banners = export_data(session)
    files = {EXPORT_FILE: dumps(doc).encode(), SETTINGS: tomli_w.dumps(settings()).encode(), **banners}
    manifest = {
        "kind": KIND,
        "backup_format": BACKUP_FORMAT,
        "file_format": FILE_FORMAT,
        "version": app_version(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "counts": {name: len(doc.get(name, [])) for name in
                   ("boards", "groups", "slogans", "banners", "playlists", "campaigns", "schedules")},
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        for name, data in files.items():
            archive.writestr(name, data)
    tmp.replace(dest)
    return manifest


def safe_names(archive: zipfile.ZipFile, label: str,
               max_total: int = MAX_TOTAL_BYTES) -> list[zipfile.ZipInfo]:
    """The archive's members, refusing any that could land outside the folder it is unpacked in."""
    members = archive.infolist()
    if len(members) > MAX_ENTRIES:
        raise BackupError(Problem(f"{label}:", N_("%(count)d entries; at most %(limit)d"), count=len(members),
                                  limit=MAX_ENTRIES))
    total = 0
    for info in members:
        name = info.filename
        path = PurePosixPath(name)
        mode = info.external_attr >> 16
        if (path.is_absolute() or ".." in path.parts or "\\" in name or ":" in name
                or name.startswith("/") or "\x00" in name):
            raise BackupError(Problem(f"{label}:", OUTSIDE, name=name))
        if stat.S_ISLNK(mode):
            raise BackupError(Problem(f"{label}:", N_("%(name)s: refused, a symbolic link"), name=name))
        total += info.file_size
        if total > max_total:
            raise BackupError(Problem(f"{label}:", N_("more than %(mb)d MB once unpacked"),
                                      mb=max_total // 2**20))
    return members


def safe_extract(archive: zipfile.ZipFile, dest: Path, label: str,
                 max_total: int = MAX_TOTAL_BYTES) -> dict[str, bytes]:
    """Unpack into ``dest`` after ``safe_names``; returns each file's bytes by name."""
    out: dict[str, bytes] = {}
    root = dest.resolve()
    for info in safe_names(archive, label, max_total):
        if info.is_dir():
            continue
        target = (root / info.filename).resolve()
        if not target.is_relative_to(root):
            raise BackupError(Problem(f"{label}:", OUTSIDE, name=info.filename))
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            data = archive.read(info)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise BackupError(Problem(f"{label}:", N_("%(name)s: damaged (%(problem)s)"), name=info.filename,
                                      problem=str(exc))) from None
        target.write_bytes(data)
        out[info.filename] = data
    return out


def is_empty(session: Session) -> bool:
    """True when the instance holds no content yet (users do not count)."""
    return all(session.scalar(select(func.count()).select_from(model)) == 0 for model in CONTENT)


def wipe(session: Session) -> None:
    """Delete all content (not users, not proof of play) so a restore replaces it."""
    for model in (UrgentNotice, Schedule, Phase, Campaign, BoardGroup, BrightnessStep, BoardSettings,
                  Board, PlaylistItem, Playlist, Slogan, Banner):
        session.execute(delete(model))
    session.flush()


def read_manifest(archive: zipfile.ZipFile, label: str) -> dict[str, Any]:
    """The manifest, refused if missing, malformed or from a newer version."""
    try:
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except KeyError:
        raise BackupError(f"{label}: no {MANIFEST}: not a signage backup") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{label}: {MANIFEST}: unreadable ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
        raise BackupError(f"{label}: {MANIFEST}: not a signage backup")
    fmt, file_fmt = manifest.get("backup_format"), manifest.get("file_format")
    if not isinstance(fmt, int) or not isinstance(file_fmt, int):
        raise BackupError(f"{label}: {MANIFEST}: backup_format and file_format must be numbers")
    if fmt > BACKUP_FORMAT or file_fmt > FILE_FORMAT:
        raise BackupError(
            f"{label}: {MANIFEST}: written by a newer version (signage {manifest.get('version', '?')}, "
            f"backup format {fmt}, file format {file_fmt}); this version restores backup format "
            f"{BACKUP_FORMAT} and file format {FILE_FORMAT} at most: upgrade signage first"
        )
    if not isinstance(manifest.get("files"), dict):
        raise BackupError(f"{label}: {MANIFEST}: no file list")
    return manifest


def restore(engine: Engine, source: Path | bytes, force: bool = False, label: str | None = None
            ) -> dict[str, Any]:
    """Restore an archive into the instance of ``engine``; returns the manifest.

    Refuses (``BackupError``/``BundleError``, nothing written) an archive from a newer
    version, a damaged one, one with paths outside its folder, and a non-empty instance
    unless ``force`` (then the content is replaced, in the same transaction).
    """
    label = label or (str(source) if isinstance(source, Path | str) else "archive")
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"{label}: not a zip archive ({exc})") from None
    with archive, tempfile.TemporaryDirectory(prefix="signage-restore-") as tmp:
        manifest = read_manifest(archive, label)
        unpacked = safe_extract(archive, Path(tmp), label)
        for name, digest in manifest["files"].items():
            data = unpacked.get(name)
            if data is None:
                raise BackupError(f"{label}: {name}: listed in the manifest but missing")
            if hashlib.sha256(data).hexdigest() != digest:
                raise BackupError(f"{label}: {name}: damaged (checksum differs from the manifest)")
        bundle = read_path(Path(tmp) / EXPORT_FILE, name=f"{label}/{EXPORT_FILE}")
        try:
            manifest["settings"] = tomllib.loads(unpacked.get(SETTINGS, b"").decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise BackupError(f"{label}: {SETTINGS}: unreadable ({exc})") from None
        with session_scope(engine) as session:
            if not is_empty(session):
                if not force:
                    raise BackupError("the instance already holds content; restore into an empty one, "
                                      "or pass --force to replace it")
                wipe(session)
            apply(session, bundle)
    return manifest


__all__ = ["BACKUP_FORMAT", "BackupError", "BundleError", "restore", "safe_extract", "write_backup"]
