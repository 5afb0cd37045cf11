"""Audit entries told for people: one line per change, grouped per record, in the user's language.

The audit log keeps each change as a table name, a row id and the JSON of the columns that
moved (``signage.audit``). Approvers and administrators read it on the Changes page and the
audit log, where ``playlist_items`` / ``slogan_id: 43`` / ``font: None`` told them nothing:
here every entry becomes a sentence ("bientap added the slogan «…» to the playlist «Daily»",
"speed 32 → 40 px/s"), the rows it names are looked up once per table (including rows in the
bin), and the entries about one record are kept together under the record's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlencode

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.models import (
    AuditEntry,
    Banner,
    Board,
    BoardGroup,
    Campaign,
    Phase,
    Playlist,
    PlaylistItem,
    Schedule,
    Slogan,
    UrgentNotice,
    User,
)
from signage.services.boards import REQUEUE_TABLE
from signage.web.notices import to_local
from signage.web.words import color_word, effect_word, fit_word, protocol_word, role_word, weekday_words

#: What a person calls a row of each table (never "table": "Bảng" is the LED board).
KIND_WORDS = {
    "slogans": _l("slogan"),
    "banners": _l("banner"),
    "playlists": _l("playlist"),
    "playlist_items": _l("playlist entry"),
    "schedules": _l("schedule"),
    "campaigns": _l("campaign"),
    "phases": _l("phase"),
    "board_groups": _l("board group"),
    "board_group_members": _l("board group"),
    "boards": _l("board"),
    "board_settings": _l("board's on/off hours"),
    "brightness_steps": _l("brightness step"),
    "urgent_notices": _l("urgent notice"),
    "users": _l("user"),
    "api_tokens": _l("API key"),
    "test_pattern": _l("test pattern"),
}
#: What a person calls each column that may change.
FIELD_WORDS = {
    "text": _l("text"),
    "effect": _l("effect"),
    "speed": _l("speed"),
    "color": _l("colour"),
    "font": _l("font"),
    "name": _l("name"),
    "fit": _l("picture placement"),
    "duration": _l("duration"),
    "enabled": _l("in use"),
    "passes": _l("passes"),
    "position": _l("order"),
    "playlist_id": _l("playlist"),
    "board_id": _l("board"),
    "group_id": _l("board group"),
    "phase_id": _l("phase"),
    "starts_on": _l("first day"),
    "ends_on": _l("last day"),
    "weekdays": _l("weekdays"),
    "start_time": _l("from"),
    "end_time": _l("until"),
    "priority": _l("priority"),
    "width": _l("width"),
    "height": _l("height"),
    "protocol": _l("protocol"),
    "port_url": _l("port"),
    "baud": _l("speed of the line"),
    "address": _l("address"),
    "timezone": _l("time zone"),
    "on_time": _l("switched on at"),
    "off_time": _l("switched off at"),
    "at": _l("from"),
    "level": _l("brightness"),
    "role": _l("role"),
    "active": _l("may log in"),
    "description": _l("description"),
    "boards": _l("boards"),
    "all_boards": _l("all boards"),
    "expires_at": _l("until"),
    "cancelled_at": _l("cancelled at"),
    "starts_at": _l("from"),
    "banner_id": _l("banner"),
    "slogan_id": _l("slogan"),
    "username": _l("name"),
    "slug": _l("short name"),
}
#: Columns nobody needs told (kept in the raw view for administrators).
QUIET = {
    "id",
    "created_at",
    "updated_at",
    "deleted_by",
    "password_hash",
    "sha256",
    "mime",
    "token_sha256",
    "last_used_at",
    "created_by_id",
    "campaign_id",
    "user_id",
}
#: Tables whose row ids other entries name, with the column that names the row for people.
#: ``type[Any]``: every model here has an integer ``id``, which their common ``Base`` does not declare.
NAMED: dict[str, tuple[type[Any], str | None]] = {
    "slogans": (Slogan, "text"),
    "banners": (Banner, "name"),
    "playlists": (Playlist, "name"),
    "schedules": (Schedule, "name"),
    "boards": (Board, "name"),
    "board_groups": (BoardGroup, "name"),
    "phases": (Phase, "name"),
    "campaigns": (Campaign, "name"),
    "urgent_notices": (UrgentNotice, "text"),
    "users": (User, "username"),
    "playlist_items": (PlaylistItem, None),
}
#: Foreign-key columns and the table they point into.
REFERENCES = {
    "slogan_id": "slogans",
    "banner_id": "banners",
    "playlist_id": "playlists",
    "board_id": "boards",
    "group_id": "board_groups",
    "phase_id": "phases",
}


@dataclass
class Line:
    """One change told in one sentence, with its entry (for the raw view) and its pictures."""

    entry: AuditEntry
    text: str
    before: dict[str, Any]
    after: dict[str, Any]
    picture_before: str | None = None
    picture_after: str | None = None


@dataclass
class Record:
    """The changes of one record (a slogan, a playlist...), oldest first, under its name."""

    title: str
    lines: list[Line] = field(default_factory=list)


class Names:
    """The names of the rows the entries refer to, loaded once per table (bin included)."""

    def __init__(self, db: Session, entries: Iterable[tuple[AuditEntry, dict, dict]]) -> None:
        wanted: dict[str, set[int]] = {}
        for e, before, after in entries:
            if e.table in NAMED and e.row_id.isdigit():
                wanted.setdefault(e.table, set()).add(int(e.row_id))
            for data in (before, after):
                for column, table in REFERENCES.items():
                    if isinstance(data.get(column), int):
                        wanted.setdefault(table, set()).add(data[column])
        self.db = db
        self.rows: dict[str, dict[int, Any]] = {}
        self._load(wanted)
        # a playlist entry is named by its slogan or banner: load those too
        extra: dict[str, set[int]] = {}
        for item in self.rows.get("playlist_items", {}).values():
            for column in ("slogan_id", "banner_id", "playlist_id"):
                value = getattr(item, column)
                if value is not None and value not in self.rows.get(REFERENCES[column], {}):
                    extra.setdefault(REFERENCES[column], set()).add(value)
        self._load(extra)

    def _load(self, wanted: dict[str, set[int]]) -> None:
        for table, ids in wanted.items():
            model = NAMED[table][0]
            query = select(model).where(model.id.in_(ids)).execution_options(include_deleted=True)
            self.rows.setdefault(table, {}).update({row.id: row for row in self.db.scalars(query)})

    def row(self, table: str, row_id: Any) -> Any:
        try:
            return self.rows.get(table, {}).get(int(row_id))
        except (TypeError, ValueError):
            return None

    def of(self, table: str, row_id: Any, data: dict[str, Any] | None = None) -> str:
        """The row's name in quotes: from the entry's own data first, then from the database."""
        column = NAMED.get(table, (None, None))[1]
        if column is None:
            return f"#{row_id}"
        value = (data or {}).get(column)
        if value is None:
            row = self.row(table, row_id)
            value = getattr(row, column, None) if row is not None else None
        if table == "schedules" and not value:  # an unnamed schedule is called by its playlist
            row = self.row(table, row_id)
            playlist_id = (data or {}).get("playlist_id") or getattr(row, "playlist_id", None)
            playlist = self.row("playlists", playlist_id)
            value = playlist.name if playlist is not None else None
        return f"«{_short(str(value))}»" if value else f"#{row_id}"


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _time(value: Any) -> str:
    try:
        return time.fromisoformat(str(value)).strftime("%H:%M")
    except ValueError:
        return str(value)


def _day(value: Any) -> str:
    try:
        return format_date(date.fromisoformat(str(value)), "dd/MM/yyyy")
    except ValueError:
        return str(value)


def _instant(value: Any) -> str:
    """A UTC instant from the log in the office's zone, as every page shows times."""
    try:
        return to_local(datetime.fromisoformat(str(value)))[:16].replace("-", "/")
    except ValueError:
        return str(value)


def value_words(column: str, value: Any, names: Names) -> str:
    """A stored value as a person reads it: units, words for codes, names for ids."""
    if value is None or value == "":
        return _("default") if column in ("font", "passes") else _("none")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if column in REFERENCES:
        return names.of(REFERENCES[column], value)
    formats: dict[str, Callable[[Any], str]] = {
        "effect": effect_word,
        "fit": fit_word,
        "role": role_word,
        "protocol": protocol_word,
        "speed": lambda v: _("%(n)s px/s", n=v),
        "duration": lambda v: _("%(n)s s", n=v),
        "level": lambda v: f"{v}%",
        "weekdays": weekday_words,
        "starts_on": _day,
        "ends_on": _day,
        "start_time": _time,
        "end_time": _time,
        "on_time": _time,
        "off_time": _time,
        "at": _time,
        "expires_at": _instant,
        "starts_at": _instant,
        "cancelled_at": _instant,
        "boards": lambda v: ", ".join(names.of("boards", b) for b in v) if v else _("none"),
    }
    if column == "color" and isinstance(value, str) and not value.startswith("#"):
        return color_word(value)
    if column in formats:
        return formats[column](value)
    return f"«{_short(str(value))}»" if column in ("text", "name", "description") else str(value)


def _field_changes(before: dict[str, Any], after: dict[str, Any], names: Names) -> list[str]:
    """'speed 32 → 40 px/s', one phrase per column that moved and matters."""
    phrases = []
    for column in after:
        if column in QUIET or column == "deleted_at":
            continue
        word = FIELD_WORDS.get(column, column)
        phrases.append(
            _(
                "%(field)s %(old)s → %(new)s",
                field=word,
                old=value_words(column, before.get(column), names),
                new=value_words(column, after.get(column), names),
            )
        )
    return phrases


def _item_words(data: dict[str, Any], names: Names) -> tuple[str, str]:
    """A playlist entry's content ('the slogan «…»') and its playlist ('«Daily»')."""
    if data.get("slogan_id") is not None:
        content = _("the slogan %(name)s", name=names.of("slogans", data["slogan_id"]))
    elif data.get("banner_id") is not None:
        content = _("the banner %(name)s", name=names.of("banners", data["banner_id"]))
    else:
        content = _("an entry")
    return content, names.of("playlists", data.get("playlist_id"))


def _item_sentence(e: AuditEntry, before: dict[str, Any], after: dict[str, Any], names: Names) -> str:
    """A change to one item of a playlist, told by its content and its playlist."""
    who = e.actor
    row = names.row("playlist_items", e.row_id)
    data = after or before
    if row is not None:
        data = {
            "slogan_id": row.slogan_id,
            "banner_id": row.banner_id,
            "playlist_id": row.playlist_id,
            **data,
        }
    content, playlist = _item_words(data, names)
    if e.action == "create":
        return _(
            "%(who)s added %(content)s to the playlist %(playlist)s",
            who=who,
            content=content,
            playlist=playlist,
        )
    if e.action == "delete":
        return _(
            "%(who)s took %(content)s out of the playlist %(playlist)s",
            who=who,
            content=content,
            playlist=playlist,
        )
    changes = _field_changes(before, after, names)
    return _(
        "%(who)s changed %(content)s in the playlist %(playlist)s: %(changes)s",
        who=who,
        content=content,
        playlist=playlist,
        changes="; ".join(changes) or "—",
    )


def sentence(e: AuditEntry, before: dict[str, Any], after: dict[str, Any], names: Names) -> str:
    """One entry told in one line, beginning with who did it."""
    who = e.actor
    kind = KIND_WORDS.get(e.table, e.table)
    if e.action == "publish":
        return _("%(who)s published to the boards", who=who)
    if e.table == "test_pattern":
        return _("%(who)s showed the test pattern on the board %(board)s", who=who, board=e.row_id)
    if e.table == REQUEUE_TABLE:  # a failed play put back in its queue (signage.web.queues)
        return _(
            "%(who)s put a failed play back in the queue of the board %(board)s", who=who, board=e.row_id
        )
    if e.table == "playlist_items":
        return _item_sentence(e, before, after, names)
    name = names.of(e.table, e.row_id, after or before)
    if e.action == "create":
        return _("%(who)s created the %(kind)s %(name)s", who=who, kind=kind, name=name)
    if e.action == "delete":
        return _("%(who)s deleted the %(kind)s %(name)s for good", who=who, kind=kind, name=name)
    if "deleted_at" in after:
        if after["deleted_at"]:
            return _("%(who)s moved the %(kind)s %(name)s to the bin", who=who, kind=kind, name=name)
        return _("%(who)s brought the %(kind)s %(name)s back from the bin", who=who, kind=kind, name=name)
    changes = _field_changes(before, after, names)
    return _(
        "%(who)s changed the %(kind)s %(name)s: %(changes)s",
        who=who,
        kind=kind,
        name=name,
        changes="; ".join(changes) or "—",
    )


def _slogan_picture(data: dict[str, Any]) -> str | None:
    """The board preview of a slogan with these settings (the renderer's, as the form shows it)."""
    if not data.get("text"):
        return None
    args = {k: data[k] for k in ("text", "effect", "speed", "color") if data.get(k) is not None}
    return url_for("preview.slogan_png", scale=2) + "&" + urlencode(args)


def _pictures(
    e: AuditEntry, before: dict[str, Any], after: dict[str, Any], names: Names
) -> tuple[str | None, str | None]:
    """The board before and after, for changes to what a board shows (slogans and banners)."""
    if e.table == "slogans":
        row = names.row("slogans", e.row_id)
        full = {k: getattr(row, k) for k in ("text", "effect", "speed", "color")} if row is not None else {}
        old = {**full, **before} if e.action != "create" else {}
        new = {**full, **after} if e.action != "delete" else {}
        if e.action == "update" and not set(after) & {"text", "effect", "speed", "color"}:
            return None, None
        return _slogan_picture(old) if old else None, _slogan_picture(new) if new else None
    if e.table == "banners" and e.action == "create" and e.row_id.isdigit():
        return None, url_for("banners.preview", banner_id=int(e.row_id))
    return None, None


def records(db: Session, entries: list[tuple[AuditEntry, dict, dict]]) -> list[Record]:
    """The entries as told lines, grouped per record in the order each record first appears."""
    names = Names(db, entries)
    groups: dict[tuple[str, str], Record] = {}
    for e, before, after in entries:
        key = (e.table, e.row_id)
        if e.table == "playlist_items":  # an entry belongs with its playlist
            row = names.row("playlist_items", e.row_id)
            playlist_id = (after or before).get("playlist_id") or getattr(row, "playlist_id", None)
            key = ("playlists", str(playlist_id))
        if key not in groups:
            title = _(
                "%(kind)s %(name)s",
                kind=KIND_WORDS.get(key[0], key[0]),
                name=names.of(key[0], key[1], after or before if key[0] == e.table else None),
            )
            if e.action == "publish":
                title = _("Publish")
            groups[key] = Record(title=title[:1].upper() + title[1:])
        old, new = _pictures(e, before, after, names)
        groups[key].lines.append(Line(e, sentence(e, before, after, names), before, after, old, new))
    return list(groups.values())
