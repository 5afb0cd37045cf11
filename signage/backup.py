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
import zlib
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
#: A member may unpack to at most this many times its packed size (deflate's own limit is about
#: 1000; text compresses 3-10 times, images hardly), counted on what really comes out.
MAX_RATIO = 200
RATIO_FLOOR = 4096  # tiny members: their ratio says nothing
CHUNK = 64 * 1024
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
        "counts": {
            name: len(doc.get(name, []))
            for name in ("boards", "groups", "slogans", "banners", "playlists", "campaigns", "schedules")
        },
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


def safe_names(
    archive: zipfile.ZipFile, label: str, max_total: int = MAX_TOTAL_BYTES
) -> list[zipfile.ZipInfo]:
    """The archive's members, refusing any that could land outside the folder it is unpacked in,
    and an archive whose directory already admits too many members or bytes (a cheap first look:
    ``safe_extract`` counts the bytes really unpacked, which is what bounds the work)."""
    members = archive.infolist()
    if len(members) > MAX_ENTRIES:
        raise BackupError(
            Problem(
                f"{label}:", N_("%(count)d entries; at most %(limit)d"), count=len(members), limit=MAX_ENTRIES
            )
        )
    total = 0
    for info in members:
        name = info.filename
        path = PurePosixPath(name)
        mode = info.external_attr >> 16
        if (
            path.is_absolute()
            or ".." in path.parts
            or "\\" in name
            or ":" in name
            or name.startswith("/")
            or "\x00" in name
        ):
            raise BackupError(Problem(f"{label}:", OUTSIDE, name=name))
        if stat.S_ISLNK(mode):
            raise BackupError(Problem(f"{label}:", N_("%(name)s: refused, a symbolic link"), name=name))
        total += info.file_size
        if total > max_total:
            raise _too_big(label, max_total)
    return members


def _too_big(label: str, max_total: int) -> BackupError:
    return BackupError(Problem(f"{label}:", N_("more than %(mb)d MB once unpacked"), mb=max_total // 2**20))


def _unpack_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, label: str, budget: int, max_total: int
) -> tuple[int, str]:
    """Stream one member to ``target`` with a running count of the bytes really produced.

    ``zipfile`` believes the sizes in the central directory and checks the CRC only at the
    end, so a member that claims 100 bytes may inflate to gigabytes: the count stops it at
    ``budget`` (what is left of the archive's total) or at ``MAX_RATIO`` times its compressed
    size, whichever comes first, holding one chunk in memory. Returns (bytes, SHA-256).
    """
    ratio_cap = MAX_RATIO * max(info.compress_size, RATIO_FLOOR)
    digest = hashlib.sha256()
    written = 0
    try:
        with archive.open(info) as src, target.open("wb") as dst:
            while chunk := src.read(CHUNK):
                written += len(chunk)
                if written > budget:
                    raise _too_big(label, max_total)
                if written > ratio_cap:
                    raise BackupError(
                        Problem(
                            f"{label}:",
                            N_("%(name)s: refused, it unpacks to more than %(ratio)d times its packed size"),
                            name=info.filename,
                            ratio=MAX_RATIO,
                        )
                    )
                digest.update(chunk)
                dst.write(chunk)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
        if isinstance(exc, BackupError):
            raise
        raise BackupError(
            Problem(f"{label}:", N_("%(name)s: damaged (%(problem)s)"), name=info.filename, problem=str(exc))
        ) from None
    return written, digest.hexdigest()


def safe_extract(
    archive: zipfile.ZipFile, dest: Path, label: str, max_total: int = MAX_TOTAL_BYTES
) -> dict[str, str]:
    """Unpack into ``dest`` after ``safe_names``, streaming each member under a running byte
    count (``max_total`` in all, ``MAX_RATIO`` per member); returns each file's SHA-256 by name.

    The import page and ``signage restore`` both unpack with this, so both hold the same limits.
    """
    out: dict[str, str] = {}
    root = dest.resolve()
    left = max_total
    for info in safe_names(archive, label, max_total):
        if info.is_dir():
            continue
        target = (root / info.filename).resolve()
        if not target.is_relative_to(root):
            raise BackupError(Problem(f"{label}:", OUTSIDE, name=info.filename))
        target.parent.mkdir(parents=True, exist_ok=True)
        size, out[info.filename] = _unpack_member(archive, info, target, label, left, max_total)
        left -= size
    return out


def is_empty(session: Session) -> bool:
    """True when the instance holds no content yet (users do not count)."""
    return all(session.scalar(select(func.count()).select_from(model)) == 0 for model in CONTENT)


def wipe(session: Session) -> None:
    """Delete all content (not users, not proof of play) so a restore replaces it."""
    for model in (
        UrgentNotice,
        Schedule,
        Phase,
        Campaign,
        BoardGroup,
        BrightnessStep,
        BoardSettings,
        Board,
        PlaylistItem,
        Playlist,
        Slogan,
        Banner,
    ):
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
    counts = manifest.get("counts")
    if counts is not None and not (
        isinstance(counts, dict) and all(isinstance(k, str) and isinstance(n, int) for k, n in counts.items())
    ):
        raise BackupError(f"{label}: {MANIFEST}: counts must map names to numbers")
    return manifest


def restore(
    engine: Engine, source: Path | bytes, force: bool = False, label: str | None = None
) -> dict[str, Any]:
    """Restore an archive into the instance of ``engine``; returns the manifest, with the counts of
    what was restored under ``restored`` (an older or hand-made manifest may have no ``counts``).

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
            found = unpacked.get(name)
            if found is None:
                raise BackupError(f"{label}: {name}: listed in the manifest but missing")
            if found != digest:
                raise BackupError(f"{label}: {name}: damaged (checksum differs from the manifest)")
        bundle = read_path(Path(tmp) / EXPORT_FILE, name=f"{label}/{EXPORT_FILE}")
        settings_file = Path(tmp) / SETTINGS
        try:
            manifest["settings"] = tomllib.loads(
                settings_file.read_text("utf-8") if SETTINGS in unpacked else ""
            )
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise BackupError(f"{label}: {SETTINGS}: unreadable ({exc})") from None
        with session_scope(engine) as session:
            if not is_empty(session):
                if not force:
                    raise BackupError(
                        "the instance already holds content; restore into an empty one, "
                        "or pass --force to replace it"
                    )
                wipe(session)
            apply(session, bundle)
    manifest["restored"] = bundle.counts()  # what was written, whether or not the manifest says
    return manifest


__all__ = ["BACKUP_FORMAT", "BackupError", "BundleError", "restore", "safe_extract", "write_backup"]
