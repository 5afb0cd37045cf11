"""Write the database as playlist files (format 2), banners as image files beside them.

What ``signage import`` reads back into an empty database gives the same content: boards
(with their settings and brightness steps), board groups, slogans, banners, playlists,
campaigns with their phases, and schedules. Users, urgent notices and proof of play are
not content and are not exported (see docs/playlists.md).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import time
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.bundle.spec import FILE_FORMAT
from signage.models import (
    ALL_WEEKDAYS,
    Banner,
    Board,
    BoardGroup,
    BoardSettings,
    BrightnessStep,
    Campaign,
    Playlist,
    PlaylistItem,
    Schedule,
    Slogan,
)
from signage.recurrence import Rule

EXPORT_FILE = "signage.toml"
BANNER_DIR = "banners"
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}
HEADER = (
    "# Exported by `signage export`: boards, slogans, banners, playlists, campaigns and schedules.\n"
    "# Format: docs/playlists.md. `signage import` reads it back (banners from the folder beside).\n"
)


def slug(text: str, limit: int = 40) -> str:
    """An ASCII key from Vietnamese text ("Chào mừng Đại hội" -> "chao-mung-dai-hoi")."""
    flat = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    flat = "".join(c for c in flat if not unicodedata.combining(c)).lower()
    words = re.findall(r"[a-z0-9]+", flat)
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out or (words[0][:limit] if words else "x")


def _unique(base: str, taken: set[str]) -> str:
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def export_data(session: Session) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The document (format 2) and the banner files (relative path -> bytes) of the database."""
    doc: dict[str, Any] = {"format": FILE_FORMAT}
    files: dict[str, bytes] = {}
    slogans, slogan_keys = _slogans(session)
    banners, banner_keys = _banners(session, files)
    for name, rows in (
        ("boards", _boards(session)),
        ("groups", _groups(session)),
        ("slogans", slogans),
        ("banners", banners),
        ("playlists", _playlists(session, slogan_keys, banner_keys)),
        ("campaigns", _campaigns(session)),
        ("schedules", [_schedule(s) for s in session.scalars(select(Schedule).order_by(Schedule.id))]),
    ):
        if rows:
            doc[name] = rows
    return doc, files


def _boards(session: Session) -> list[dict[str, Any]]:
    """Each board with its playlist, settings (zone, on/off hours) and brightness steps."""
    boards = []
    for board in session.scalars(select(Board).order_by(Board.slug)):
        entry: dict[str, Any] = board.settings()
        if board.playlist is not None:
            entry["playlist"] = board.playlist.name
        settings = session.get(BoardSettings, board.id)
        if settings is not None:
            entry["timezone"] = settings.timezone
            if settings.on_time is not None and settings.off_time is not None:
                entry["on"], entry["off"] = _hhmm(settings.on_time), _hhmm(settings.off_time)
        steps = session.scalars(
            select(BrightnessStep).where(BrightnessStep.board_id == board.id).order_by(BrightnessStep.at)
        )
        brightness = [{"at": _hhmm(s.at), "level": s.level} for s in steps]
        if brightness:
            entry["brightness"] = brightness
        boards.append(entry)
    return boards


def _groups(session: Session) -> list[dict[str, Any]]:
    groups = []
    for group in session.scalars(select(BoardGroup).order_by(BoardGroup.name)):
        entry: dict[str, Any] = {"name": group.name, "boards": [b.slug for b in group.boards]}
        if group.description:
            entry["description"] = group.description
        groups.append(entry)
    return groups


def _slogans(session: Session) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """The slogans, and the key each got (by slogan id) for the playlists to name them by."""
    slogan_keys: dict[int, str] = {}
    taken: set[str] = set()
    slogans = []
    for s in session.scalars(select(Slogan).order_by(Slogan.id)):
        slogan_keys[s.id] = key = _unique(slug(s.text), taken)
        entry = {"key": key, "text": s.text, "effect": s.effect, "speed": s.speed, "color": s.color}
        if s.font:
            entry["font"] = s.font
        if s.source:
            entry["source"] = s.source
        slogans.append(entry)
    return slogans, slogan_keys


def _banners(session: Session, files: dict[str, bytes]) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """The banners (their images put into ``files``), and the key each got (by banner id)."""
    banner_keys: dict[int, str] = {}
    taken: set[str] = set()
    banners = []
    for b in session.scalars(select(Banner).order_by(Banner.id)):
        banner_keys[b.id] = key = _unique(slug(b.name or "banner"), taken)
        path = f"{BANNER_DIR}/{key}.{EXTENSIONS.get(b.mime, 'png')}"
        files[path] = b.data
        banners.append({"key": key, "name": b.name, "image": path, "fit": b.fit})
    return banners, banner_keys


def _playlists(
    session: Session, slogan_keys: dict[int, str], banner_keys: dict[int, str]
) -> list[dict[str, Any]]:
    playlists = []
    for p in session.scalars(select(Playlist).order_by(Playlist.id)):
        items = []
        for item in p.items:
            content = item.content
            if content is None:
                continue  # its slogan or banner is in the bin: not exported, as not played
            if isinstance(content, Slogan):
                items.append(_item(item, {"slogan": slogan_keys[content.id]}))
            else:
                items.append(_item(item, {"banner": banner_keys[content.id]}))
        playlists.append({"name": p.name, "items": items})
    return playlists


def _item(item: PlaylistItem, ref: dict[str, str]) -> dict[str, Any]:
    """An item as files write it, naming its slogan or banner by key (``ref``)."""
    entry: dict[str, Any] = {**ref, "duration": item.duration}
    if item.passes is not None:
        entry["passes"] = item.passes
    if not item.enabled:
        entry["enabled"] = False
    return entry


def _campaigns(session: Session) -> list[dict[str, Any]]:
    campaigns = []
    for c in session.scalars(select(Campaign).order_by(Campaign.id)):
        entry: dict[str, Any] = {"name": c.name}
        if c.description:
            entry["description"] = c.description
        entry["phases"] = [{"name": p.name, "start": p.starts_on, "end": p.ends_on} for p in c.phases]
        campaigns.append(entry)
    return campaigns


def _schedule(s: Schedule) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": s.name, "playlist": s.playlist.name}
    entry.update(_target(s))
    if s.starts_on is not None:
        entry["start"] = s.starts_on
    if s.ends_on is not None:
        entry["end"] = s.ends_on
    if s.weekdays != ALL_WEEKDAYS:
        entry["weekdays"] = [int(d) for d in s.weekdays]
    if s.start_time is not None and s.end_time is not None:
        entry["hours"] = f"{_hhmm(s.start_time)}-{_hhmm(s.end_time)}"
    entry.update(_repeat(s.rule))
    entry["priority"] = s.priority
    if not s.enabled:
        entry["enabled"] = False
    return entry


def _target(s: Schedule) -> dict[str, Any]:
    """Where a schedule plays (a board, else a group) and in which campaign phase, as files say it."""
    entry: dict[str, Any] = {}
    if s.board is not None:
        entry["board"] = s.board.slug
    elif s.group is not None:
        entry["group"] = s.group.name
    if s.phase is not None:
        campaign = s.phase.campaign
        entry["campaign"] = campaign.name
        same_name = [p for p in campaign.phases if p.name == s.phase.name]
        entry["phase"] = s.phase.name if len(same_name) == 1 else campaign.phases.index(s.phase) + 1
    return entry


def _repeat(rule: Rule | None) -> dict[str, Any]:
    """A yearly or lunar rule as files write it (nothing for a daily schedule)."""
    if rule is None:
        return {}
    entry: dict[str, Any] = {"repeat": rule.kind, "on": f"{rule.day}/{rule.month}"}
    if rule.leap:
        entry["leap"] = True
    if rule.days != 1:
        entry["days"] = rule.days
    return entry


def dumps(doc: dict[str, Any]) -> str:
    """The document as TOML text, with a header saying where it came from."""
    return HEADER + "\n" + tomli_w.dumps(doc)


def export_dir(session: Session, dest: Path) -> list[Path]:
    """Write ``signage.toml`` and ``banners/`` into ``dest``; returns the files written."""
    doc, files = export_data(session)
    dest.mkdir(parents=True, exist_ok=True)
    written = [dest / EXPORT_FILE]
    written[0].write_text(dumps(doc), encoding="utf-8")
    for rel, data in files.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def export_zip(session: Session) -> bytes:
    """The export as one .zip (what the admin downloads): ``signage.toml`` and ``banners/``."""
    doc, files = export_data(session)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(EXPORT_FILE, dumps(doc))
        for rel, data in files.items():
            archive.writestr(rel, data)
    return buffer.getvalue()
