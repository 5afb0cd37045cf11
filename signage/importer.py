"""Read playlist files (TOML) and put them into the database, all or nothing.

The format is documented in docs/playlists.md. Every problem names the file and the
field; nothing is written unless the whole file (or folder) is valid.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage import rules
from signage.models import Playlist, PlaylistItem, Slogan

FILE_FORMAT = 1


class BundleError(ValueError):
    """A playlist file that cannot be imported; the message names the file and field."""


@dataclass
class SloganSpec:
    key: str
    text: str
    effect: str = "auto"
    speed: int = 32
    color: str = "#ff0000"


@dataclass
class PlaylistSpec:
    name: str
    items: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class Bundle:
    """What one or more files describe, checked and ready to apply."""

    slogans: dict[str, SloganSpec] = field(default_factory=dict)
    playlists: list[PlaylistSpec] = field(default_factory=list)


def _check(where: str, check: Any, value: Any) -> Any:
    try:
        return check(value)
    except rules.InvalidInput as exc:
        raise BundleError(f"{where}.{exc.field}: {exc.message}") from None


def _table(where: str, raw: Any, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise BundleError(f"{where}: expected a table")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise BundleError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(allowed))})")
    return raw


def read_file(path: Path, bundle: Bundle | None = None) -> Bundle:
    """Parse and check one file, adding to ``bundle``; raises ``BundleError`` naming the problem."""
    bundle = bundle or Bundle()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise BundleError(f"{path}: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BundleError(f"{path}: cannot read: {exc}") from None
    _table(str(path), data, {"format", "slogans", "playlists"})
    fmt = data.get("format", FILE_FORMAT)
    if fmt != FILE_FORMAT:
        raise BundleError(f"{path}: format {fmt!r} is not {FILE_FORMAT}; this version cannot read it")
    for i, raw in enumerate(data.get("slogans", [])):
        where = f"{path}: slogans[{i}]"
        raw = _table(where, raw, {"key", "text", "effect", "speed", "color"})
        key = raw.get("key")
        if not isinstance(key, str) or not key:
            raise BundleError(f"{where}.key: required, a short name the playlists refer to")
        if key in bundle.slogans:
            raise BundleError(f"{where}.key: {key!r} is defined twice")
        bundle.slogans[key] = SloganSpec(
            key=key,
            text=_check(where, rules.slogan_text, raw.get("text")),
            effect=_check(where, rules.effect, raw.get("effect", "auto")),
            speed=_check(where, rules.speed, raw.get("speed", 32)),
            color=_check(where, rules.color, raw.get("color", "#ff0000")),
        )
    for i, raw in enumerate(data.get("playlists", [])):
        where = f"{path}: playlists[{i}]"
        raw = _table(where, raw, {"name", "items"})
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            raise BundleError(f"{where}.name: required")
        spec = PlaylistSpec(name=name.strip())
        for j, item in enumerate(raw.get("items", [])):
            iwhere = f"{where}.items[{j}]"
            item = _table(iwhere, item, {"slogan", "duration"})
            if item.get("slogan") not in bundle.slogans:
                raise BundleError(f"{iwhere}.slogan: no slogan with key {item.get('slogan')!r}")
            spec.items.append((item["slogan"], _check(iwhere, rules.duration, item.get("duration", 10))))
        bundle.playlists.append(spec)
    return bundle


def read_path(path: Path) -> Bundle:
    """A file, or every ``*.toml`` in a folder (sorted), as one bundle."""
    files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
    if not files:
        raise BundleError(f"{path}: no .toml files")
    bundle = Bundle()
    for file in files:
        read_file(file, bundle)
    return bundle


def apply(session: Session, bundle: Bundle) -> dict[str, Playlist]:
    """Write a checked bundle: slogans matched by text, playlists replaced by name."""
    slogans: dict[str, Slogan] = {}
    for key, spec in bundle.slogans.items():
        slogan = session.scalar(select(Slogan).where(Slogan.text == spec.text))
        if slogan is None:
            slogan = Slogan(text=spec.text)
            session.add(slogan)
        slogan.effect, slogan.speed, slogan.color = spec.effect, spec.speed, spec.color
        slogans[key] = slogan
    playlists: dict[str, Playlist] = {}
    for spec in bundle.playlists:
        playlist = session.scalar(select(Playlist).where(Playlist.name == spec.name))
        if playlist is None:
            playlist = Playlist(name=spec.name)
            session.add(playlist)
        playlist.items.clear()
        session.flush()
        for position, (key, duration) in enumerate(spec.items):
            playlist.items.append(PlaylistItem(slogan=slogans[key], position=position, duration=duration))
        playlists[spec.name] = playlist
    session.flush()
    return playlists
