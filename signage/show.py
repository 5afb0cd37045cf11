"""The show: one self-contained, versioned JSON document per board, as the worker plays it.

It lives in Redis (where publishing puts it) and in a file on the worker's disk (so the
board keeps playing what it last had when Redis or the network is gone). This module is
free of Flask and of the database: a worker next to the board needs only this.

The document is typed here and only here: ``Show`` and its parts (``ShowBoard``,
``ShowItem``, ``ShowPlaylist``, ``ShowSchedule``, ``ShowNotice``, ``ShowHours``,
``ShowStep``) with ``from_json`` (the format check: a newer format or a malformed document
is refused with a ``ShowError`` that says what is wrong; format 1 is upgraded) and
``to_json`` (the JSON publish writes, byte for byte). Publish builds them; the worker, the
schedule, the read-back and the web read their fields, never the document's keys.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, ClassVar

from redis import Redis
from redis.exceptions import RedisError

from drivers.pixels import BoardSpec, GeometryError
from signage.recurrence import Rule

log = logging.getLogger(__name__)

#: The show format this code plays; a newer one is refused and the last good show kept.
#: 1: one playlist (``items``). 2: adds ``playlists`` (id -> name, items), ``fallback``,
#: ``schedules``, ``notices``, ``hours`` and ``brightness`` (see ``signage.schedule``);
#: format-1 documents are still played, as a fallback playlist with nothing scheduled.
#: 3: a schedule may carry ``repeat``, a yearly rule (``signage.recurrence``); a format-2
#: worker would play such a schedule every day, so a show is format 3 only when it has one.
SHOW_FORMAT = 3
PREFIX = "signage"


def show_key(slug: str) -> str:
    return f"{PREFIX}:show:{slug}"


def version_key(slug: str) -> str:
    return f"{PREFIX}:show-version:{slug}"


def blob_key(sha256: str) -> str:
    return f"{PREFIX}:blob:{sha256}"


def status_key(slug: str) -> str:
    return f"{PREFIX}:status:{slug}"


def mirror_key(slug: str) -> str:
    return f"{PREFIX}:mirror:{slug}"


def proof_key(slug: str) -> str:
    return f"{PREFIX}:proof:{slug}"


def lease_key(slug: str) -> str:
    return f"{PREFIX}:lease:{slug}"


def token_key(slug: str) -> str:
    return f"{PREFIX}:lease-token:{slug}"


def cursor_key(slug: str) -> str:
    return f"{PREFIX}:cursor:{slug}"


def test_pattern_key(slug: str) -> str:
    """A test-pattern request (JSON: id, by, seconds); it expires when the pattern should end.

    Set by the admin's button, read by the board's worker before and during every item,
    never part of the show: it pre-empts whatever plays, like a notice, without a publish.
    """
    return f"{PREFIX}:test-pattern:{slug}"


# --- the typed show ------------------------------------------------------------------------


class ShowError(ValueError):
    """A show document this worker cannot play: a newer format, or not a show at all."""


JSON = dict[str, Any]


def _where(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _malformed(where: str, what: str) -> ShowError:
    return ShowError(f"malformed show: {where} {what}")


def _object(value: Any, where: str) -> JSON:
    if not isinstance(value, dict):
        raise _malformed(where, "is not an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _malformed(where, "is not a list")
    return value


def _str(data: JSON, key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise _malformed(_where(where, key), "is not text")
    return value


def _int(data: JSON, key: str, where: str) -> int | None:
    value = data.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise _malformed(_where(where, key), "is not a whole number")
    return value


def _number(data: JSON, key: str, where: str) -> float | None:
    """A JSON number as it was written (an int stays an int, so the bytes round-trip)."""
    value = data.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise _malformed(_where(where, key), "is not a number")
    return value


def _parsed(data: JSON, key: str, where: str, parse: Callable[[str], Any], what: str) -> Any:
    text = _str(data, key, where)
    if text is None or text == "":
        return None
    try:
        return parse(text)
    except ValueError:
        raise _malformed(_where(where, key), f"is not {what}: {text!r}") from None


def _date(data: JSON, key: str, where: str) -> date | None:
    value: date | None = _parsed(data, key, where, date.fromisoformat, "a date (YYYY-MM-DD)")
    return value


def _time(data: JSON, key: str, where: str) -> time | None:
    value: time | None = _parsed(data, key, where, time.fromisoformat, "a time of day (HH:MM)")
    return value


def _instant(data: JSON, key: str, where: str) -> datetime | None:
    """An ISO instant; one without an offset is UTC (the show spells its instants with one)."""
    value: datetime | None = _parsed(data, key, where, datetime.fromisoformat, "an ISO instant")
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _hhmm(value: time | None) -> str | None:
    """A time of day as the show spells it: HH:MM (with seconds only when it has them)."""
    if value is None:
        return None
    return value.strftime("%H:%M") if not (value.second or value.microsecond) else value.isoformat()


def _extra(data: JSON, known: tuple[str, ...]) -> dict[str, Any]:
    """Keys this code does not know, kept so a document round-trips unchanged."""
    return {k: v for k, v in data.items() if k not in known}


_TEXT, _WHOLE, _NUMBER = frozenset({str}), frozenset({int}), frozenset({int, float})
_SAYS = {_TEXT: "is not text", _WHOLE: "is not a whole number", _NUMBER: "is not a number"}


def _flat(data: JSON, types: Mapping[str, frozenset[type]], where: str) -> tuple[JSON, JSON]:
    """An object of plain fields in one pass (a show holds hundreds of items, and the dashboard
    reads it on every refresh): the known fields that are set, and the keys this code does not know.
    Exact types: ``True`` is not a number here, as JSON would not write one for it."""
    known: JSON = {}
    extra: JSON = {}
    for key, value in data.items():
        wanted = types.get(key)
        if wanted is None:
            extra[key] = value
        elif value is not None:
            if type(value) not in wanted:
                raise _malformed(_where(where, key), _SAYS[wanted])
            known[key] = value
    return known, extra


def _omit_none(pairs: dict[str, Any]) -> JSON:
    return {k: v for k, v in pairs.items() if v is not None}


#: The plain fields of a board and of an item, in the order the show writes them, with their JSON types.
_BOARD_TYPES = {
    "slug": _TEXT, "name": _TEXT, "width": _WHOLE, "height": _WHOLE, "color": _TEXT, "protocol": _TEXT,
    "port_url": _TEXT, "baud": _WHOLE, "address": _WHOLE, "pitch_mm": _NUMBER, "viewing_m": _NUMBER,
    "timezone": _TEXT,
}  # fmt: skip
_ITEM_TYPES = {
    "kind": _TEXT, "text": _TEXT, "image": _TEXT, "effect": _TEXT, "speed": _NUMBER, "color": _TEXT,
    "fit": _TEXT, "name": _TEXT, "font": _TEXT, "id": _TEXT, "duration": _NUMBER, "passes": _WHOLE,
}  # fmt: skip


@dataclass(frozen=True)
class ShowBoard:
    """The board itself: size, colour, link and reach (``Board.SETTINGS``), and its time zone.

    Every field may be missing from a document (None): a show made by hand for a test of the
    schedule needs only a time zone; the worker then fails to open the board and says why.
    """

    slug: str | None = None
    name: str | None = None
    width: int | None = None
    height: int | None = None
    color: str | None = None
    protocol: str | None = None
    port_url: str | None = None
    baud: int | None = None
    address: int | None = None
    pitch_mm: float | None = None
    viewing_m: float | None = None
    timezone: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)

    KEYS: ClassVar[tuple[str, ...]] = tuple(_BOARD_TYPES)

    @classmethod
    def from_json(cls, data: Any, where: str = "board") -> ShowBoard:
        known, extra = _flat(_object(data, where), _BOARD_TYPES, where)
        return cls(**known, extra=extra)

    def to_json(self) -> JSON:
        """The board's settings, then keys this code does not know, then the time zone
        (publish writes ``Board.settings()`` and adds the zone last)."""
        settings = {k: getattr(self, k) for k in self.KEYS[:-1]}
        return _omit_none({**settings, **self.extra, "timezone": self.timezone})

    def spec(self) -> BoardSpec:
        """The board's size and colours: the one place a ``BoardSpec`` is made from a show.

        Raises ``GeometryError`` (a ``ValueError``) when the show gives no usable size."""
        if self.width is None or self.height is None:
            raise GeometryError("the show's board has no width or height")
        return BoardSpec.of(self)

    def link(self) -> tuple[str, str, int, int]:
        """Port URL, protocol, baud and address of the board's link (ValueError when missing)."""
        if not self.port_url or not self.protocol:
            raise ValueError("the show's board has no port_url or protocol")
        baud = self.baud if self.baud is not None else 115200
        return self.port_url, self.protocol, baud, self.address if self.address is not None else 1


@dataclass(frozen=True)
class ShowItem:
    """One thing a board plays: a slogan's text or a banner's image, for a duration or passes.

    ``to_json`` is also the mapping the renderer takes (``signage.render.render_item``);
    ``render`` hands it a banner's bytes in place of the hash.
    """

    kind: str | None = None  # "slogan" (also when missing) or "banner"
    text: str | None = None
    image: str | None = None  # a banner's SHA-256; its bytes travel beside the show
    effect: str | None = None
    speed: float | None = None
    color: str | None = None
    fit: str | None = None
    name: str | None = None
    font: str | None = None
    id: str | None = None  # "slogan:42", "banner:7", "notice:3"
    duration: float | None = None
    passes: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)

    KEYS: ClassVar[tuple[str, ...]] = tuple(_ITEM_TYPES)

    @classmethod
    def from_json(cls, data: Any, where: str = "item") -> ShowItem:
        known, extra = _flat(_object(data, where), _ITEM_TYPES, where)
        return cls(**known, extra=extra)

    def to_json(self) -> JSON:
        """The item as the show carries it: the content's keys, then id, duration and passes."""
        return _omit_none({**{k: getattr(self, k) for k in self.KEYS}, **self.extra})

    @property
    def is_banner(self) -> bool:
        return self.kind == "banner"

    @property
    def label(self) -> str | None:
        """What staff call the item: its text, or a banner's name."""
        return self.text or self.name

    def render(self, image: bytes | None = None) -> JSON:
        """The mapping the renderer takes; ``image``: a banner's bytes in place of its hash."""
        found = self.to_json()
        if image is not None:
            found["image"] = image
        return found


@dataclass(frozen=True)
class ShowPlaylist:
    """A playlist the show may play (by its id as text): its name and enabled items in order."""

    name: str | None
    items: tuple[ShowItem, ...] = ()

    @classmethod
    def from_json(cls, data: Any, where: str) -> ShowPlaylist:
        d = _object(data, where)
        items = _list(d.get("items"), _where(where, "items"))
        return cls(
            _str(d, "name", where),
            tuple(ShowItem.from_json(it, f"{where}.items[{i}]") for i, it in enumerate(items)),
        )

    def to_json(self) -> JSON:
        return {"name": self.name, "items": [item.to_json() for item in self.items]}


@dataclass(frozen=True)
class ShowSchedule:
    """A schedule as the worker follows it (``signage.schedule``): dates and times are the
    board's wall clock; the phase's dates are already folded into ``starts_on``/``ends_on``."""

    id: int
    playlist: str
    name: str | None = None
    target: str = "all"  # board, group or all: the tie-break's specificity
    starts_on: date | None = None
    ends_on: date | None = None
    weekdays: str = "1234567"  # ISO weekdays, Monday = 1
    start_time: time | None = None
    end_time: time | None = None
    priority: int = 0
    phase: str | None = None
    repeat: Rule | None = None  # a yearly rule (format 3), None: every day of the range
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)

    KEYS: ClassVar[tuple[str, ...]] = (
        "id", "name", "playlist", "target", "starts_on", "ends_on", "weekdays", "start_time",
        "end_time", "priority", "phase", "repeat",
    )  # fmt: skip

    @classmethod
    def from_json(cls, data: Any, where: str) -> ShowSchedule:
        d = _object(data, where)
        ident = _int(d, "id", where)
        playlist = d.get("playlist")
        if ident is None:
            raise _malformed(_where(where, "id"), "is missing")
        if isinstance(playlist, bool) or not isinstance(playlist, str | int):
            raise _malformed(_where(where, "playlist"), "is not a playlist id")
        repeat = d.get("repeat")
        if repeat is not None and not isinstance(repeat, dict):
            raise _malformed(_where(where, "repeat"), "is not an object")
        try:
            rule = Rule.from_json(repeat)
        except (KeyError, TypeError, ValueError) as exc:
            raise _malformed(_where(where, "repeat"), f"is not a yearly rule ({exc})") from None
        return cls(
            id=ident,
            playlist=str(playlist),
            name=_str(d, "name", where),
            target=_str(d, "target", where) or "all",
            starts_on=_date(d, "starts_on", where),
            ends_on=_date(d, "ends_on", where),
            weekdays=_str(d, "weekdays", where) or "1234567",
            start_time=_time(d, "start_time", where),
            end_time=_time(d, "end_time", where),
            priority=_int(d, "priority", where) or 0,
            phase=_str(d, "phase", where),
            repeat=rule,
            extra=_extra(d, cls.KEYS),
        )

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "name": self.name,
            "playlist": self.playlist,
            "target": self.target,
            "starts_on": self.starts_on.isoformat() if self.starts_on else None,
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
            "weekdays": self.weekdays,
            "start_time": _hhmm(self.start_time),
            "end_time": _hhmm(self.end_time),
            "priority": self.priority,
            "phase": self.phase,
            "repeat": self.repeat.to_json() if self.repeat is not None else None,
            **self.extra,
        }


@dataclass(frozen=True)
class ShowNotice:
    """An urgent notice: text (or a banner by hash) that pre-empts everything while in force."""

    id: int
    starts_at: datetime
    expires_at: datetime
    text: str | None = None
    effect: str | None = None
    color: str | None = None
    image: str | None = None  # the banner's SHA-256
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)

    KEYS: ClassVar[tuple[str, ...]] = ("id", "text", "effect", "color", "starts_at", "expires_at", "image")

    @classmethod
    def from_json(cls, data: Any, where: str) -> ShowNotice:
        d = _object(data, where)
        ident = _int(d, "id", where)
        starts, expires = _instant(d, "starts_at", where), _instant(d, "expires_at", where)
        if ident is None or starts is None or expires is None:
            raise _malformed(where, "needs id, starts_at and expires_at")
        return cls(
            id=ident,
            starts_at=starts,
            expires_at=expires,
            text=_str(d, "text", where),
            effect=_str(d, "effect", where),
            color=_str(d, "color", where),
            image=_str(d, "image", where),
            extra=_extra(d, cls.KEYS),
        )

    def to_json(self) -> JSON:
        notice: JSON = {
            "id": self.id,
            "text": self.text,
            "effect": self.effect,
            "color": self.color,
            "starts_at": self.starts_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
        }
        if self.image is not None:
            notice["image"] = self.image
        return {**notice, **self.extra}


@dataclass(frozen=True)
class ShowHours:
    """The board's daily on and off times (either None: that edge is open)."""

    on: time | None = None
    off: time | None = None

    @classmethod
    def from_json(cls, data: Any, where: str = "hours") -> ShowHours:
        d = _object(data, where)
        return cls(_time(d, "on", where), _time(d, "off", where))

    def to_json(self) -> JSON:
        return {"on": _hhmm(self.on), "off": _hhmm(self.off)}


@dataclass(frozen=True)
class ShowStep:
    """From ``at`` (the board's wall clock) each day, the board runs at ``level`` percent."""

    at: time
    level: int

    @classmethod
    def from_json(cls, data: Any, where: str) -> ShowStep:
        d = _object(data, where)
        at, level = _time(d, "at", where), _number(d, "level", where)
        if at is None or level is None:
            raise _malformed(where, "needs at and level")
        return cls(at, int(level))

    def to_json(self) -> JSON:
        return {"at": _hhmm(self.at), "level": self.level}


def format_for(schedules: Iterable[ShowSchedule]) -> int:
    """The lowest format that says these schedules, so a worker not yet upgraded keeps
    playing what it can: 3 only when a schedule has a yearly rule."""
    return SHOW_FORMAT if any(s.repeat is not None for s in schedules) else 2


@dataclass(frozen=True)
class Show:
    """One board's show as the worker plays it (format 2 or 3; format 1 is upgraded on reading).

    ``from_json`` is the one check of a document (``ShowError`` for a newer format or a
    malformed one) and ``to_json`` writes exactly what publish always wrote, key for key.
    """

    board: ShowBoard
    format: int = 2
    compiled_at: datetime | None = None
    playlist: str | None = None  # the fallback playlist's name
    items: tuple[ShowItem, ...] = ()  # the fallback's items again, where format 1 had them
    playlists: Mapping[str, ShowPlaylist] = field(default_factory=dict, hash=False)
    fallback: str | None = None  # the key of the board's own playlist in ``playlists``
    schedules: tuple[ShowSchedule, ...] = ()
    notices: tuple[ShowNotice, ...] = ()
    hours: ShowHours | None = None
    brightness: tuple[ShowStep, ...] = ()
    version: int | None = None  # set by ``store``
    publish_id: str | None = None  # set by ``store``: the id that tells a worker the show changed
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)

    KEYS: ClassVar[tuple[str, ...]] = (
        "format", "compiled_at", "board", "playlist", "items", "playlists", "fallback", "schedules",
        "notices", "hours", "brightness", "version", "publish_id",
    )  # fmt: skip

    @classmethod
    def from_json(cls, doc: Any) -> Show:
        """The show in ``doc`` (parsed JSON); raises ``ShowError`` saying what is wrong."""
        if not isinstance(doc, dict) or "board" not in doc:
            raise ShowError("not a show document (needs 'board')")
        fmt = doc.get("format")
        if isinstance(fmt, bool) or not isinstance(fmt, int) or fmt > SHOW_FORMAT:
            raise ShowError(
                f"show format {fmt!r} is newer than this worker's {SHOW_FORMAT}; upgrade the worker"
            )
        if fmt < 2:
            if not isinstance(doc.get("items"), list):
                raise ShowError("not a show document (format 1 needs 'items')")
            doc = _upgrade(doc)
        if not isinstance(doc.get("playlists"), dict) or not isinstance(doc.get("schedules", []), list):
            raise ShowError("not a show document (format 2 needs 'playlists' and 'schedules')")
        hours = doc.get("hours")
        return cls(
            board=ShowBoard.from_json(doc["board"]),
            format=doc["format"],
            compiled_at=_instant(doc, "compiled_at", ""),
            playlist=_str(doc, "playlist", ""),
            items=tuple(
                ShowItem.from_json(it, f"items[{i}]") for i, it in enumerate(_list(doc.get("items"), "items"))
            ),
            playlists={
                str(key): ShowPlaylist.from_json(value, f"playlists[{key!r}]")
                for key, value in doc["playlists"].items()
            },
            fallback=_key(doc.get("fallback")),
            schedules=tuple(
                ShowSchedule.from_json(s, f"schedules[{i}]")
                for i, s in enumerate(_list(doc.get("schedules"), "schedules"))
            ),
            notices=tuple(
                ShowNotice.from_json(n, f"notices[{i}]")
                for i, n in enumerate(_list(doc.get("notices"), "notices"))
            ),
            hours=ShowHours.from_json(hours) if hours is not None else None,
            brightness=tuple(
                ShowStep.from_json(s, f"brightness[{i}]")
                for i, s in enumerate(_list(doc.get("brightness"), "brightness"))
            ),
            version=_int(doc, "version", ""),
            publish_id=_str(doc, "publish_id", ""),
            extra=_extra(doc, cls.KEYS),
        )

    def to_json(self) -> JSON:
        """The document publish stores: the same keys in the same order as always."""
        doc: JSON = {
            "format": self.format,
            "compiled_at": self.compiled_at.isoformat() if self.compiled_at is not None else None,
            "board": self.board.to_json(),
            "playlist": self.playlist,
            "items": [item.to_json() for item in self.items],
            "playlists": {key: p.to_json() for key, p in self.playlists.items()},
            "fallback": self.fallback,
            "schedules": [s.to_json() for s in self.schedules],
            "notices": [n.to_json() for n in self.notices],
            "hours": self.hours.to_json() if self.hours is not None else None,
            "brightness": [s.to_json() for s in self.brightness],
            **self.extra,
        }
        if self.version is not None:
            doc["version"] = self.version
        if self.publish_id is not None:
            doc["publish_id"] = self.publish_id
        return doc

    def dumps(self) -> str:
        """The document as the bytes Redis and the disk copy hold (UTF-8 as is, not escaped)."""
        return json.dumps(self.to_json(), ensure_ascii=False)

    @classmethod
    def loads(cls, raw: str | bytes) -> Show:
        """A stored show; raises ``ShowError`` (also for text that is not JSON)."""
        try:
            doc = json.loads(raw)
        except ValueError as exc:
            raise ShowError(f"not a show document (not JSON: {exc})") from None
        return cls.from_json(doc)

    def playlist_items(self, key: str | None) -> tuple[ShowItem, ...]:
        """The items of the playlist with this key (none for an unknown key or None)."""
        found = self.playlists.get(key) if key is not None else None
        return found.items if found is not None else ()

    def playlist_name(self, key: str | None) -> str:
        """The playlist's name (its key when it has none)."""
        found = self.playlists.get(key) if key is not None else None
        return (found.name if found is not None else None) or str(key)

    def notice(self, notice_id: int | None) -> ShowNotice | None:
        return next((n for n in self.notices if n.id == notice_id), None)

    def schedule(self, schedule_id: int) -> ShowSchedule | None:
        return next((s for s in self.schedules if s.id == schedule_id), None)

    def stamped(self, version: int | None, publish_id: str | None) -> Show:
        """The same show under another version and publish id (None: as compiled, unstamped)."""
        return replace(self, version=version, publish_id=publish_id)


def _key(value: Any) -> str | None:
    return str(value) if value is not None else None


def _upgrade(doc: JSON) -> JSON:
    """A format-1 show as format 2: its one playlist becomes the fallback, nothing scheduled."""
    return {
        **doc,
        "format": 2,
        "playlists": {"default": {"name": doc.get("playlist") or "default", "items": doc["items"]}},
        "fallback": "default",
        "schedules": [],
        "notices": [],
        "hours": None,
        "brightness": [],
    }


def check(doc: Any) -> JSON:
    """``doc`` as a format-2 or -3 document once ``Show.from_json`` accepts it (for tests and
    tools that look at the stored JSON; code reads the typed ``Show``)."""
    return Show.from_json(doc).to_json()


def store(
    redis: Redis, slug: str, doc: Show | Mapping[str, Any], blobs: dict[str, bytes] | None = None
) -> int:
    """Put a new version of a board's show into Redis and return its version number.

    A ``Show`` is what publish stores. A mapping is stored as it is, only stamped: tests and
    tools put documents made by hand there, older formats and broken ones included.
    """
    version = int(redis.incr(version_key(slug)))
    # The id, not the version number, tells a worker the show changed: a Redis restarted
    # without its data counts versions from 1 again.
    publish_id = uuid.uuid4().hex
    if isinstance(doc, Show):
        text = doc.stamped(version, publish_id).dumps()
    else:
        text = json.dumps({**doc, "version": version, "publish_id": publish_id}, ensure_ascii=False)
    with redis.pipeline() as pipe:
        for sha, data in (blobs or {}).items():
            pipe.set(blob_key(sha), data)
        pipe.set(show_key(slug), text)
        pipe.set(publish_id_key(slug), publish_id)
        pipe.execute()
    return version


#: The last show read per board, with its bytes: the dashboard reads each board's show on every
#: refresh and a worker on every publish, and a show is only read again when its bytes changed.
_read: dict[str, tuple[bytes | str, Show]] = {}


def fetch(redis: Redis, slug: str) -> Show | None:
    """The board's published show from Redis (None: none yet); raises ``ShowError`` for one
    this code cannot read and ``RedisError`` when Redis cannot say."""
    raw = redis.get(show_key(slug))
    if raw is None:
        return None
    last = _read.get(slug)
    if last is not None and last[0] == raw:
        return last[1]  # immutable: shared safely
    doc = Show.loads(raw)
    _read[slug] = (raw, doc)
    return doc


def publish_id_key(slug: str) -> str:
    return f"{PREFIX}:show-id:{slug}"


def current_stamp(redis: Redis, slug: str) -> str | None:
    """Publish id and version of the newest show; None when Redis cannot say or has none."""
    try:
        pid, version = redis.mget(publish_id_key(slug), version_key(slug))
    except RedisError:
        return None
    if not pid:
        return None
    return f"{_as_bytes(pid).decode()}/{int(version or 0)}"


def current_version(redis: Redis, slug: str) -> int | None:
    """The newest published version, or None when Redis cannot say."""
    try:
        raw = redis.get(version_key(slug))
    except RedisError:
        return None
    return int(raw) if raw is not None else 0


def cache_path(cache_dir: Path, slug: str) -> Path:
    return cache_dir / f"{slug}.json"


def save_cache(cache_dir: Path, slug: str, doc: Show) -> None:
    """Write atomically: a power cut mid-write must not leave a broken cache."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_path(cache_dir, slug)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(doc.dumps())
    os.replace(tmp, target)


def read_cache(cache_dir: Path, slug: str) -> Show | None:
    """The disk copy (None: none); raises ``ShowError`` or ``OSError`` when it is unusable."""
    try:
        raw = cache_path(cache_dir, slug).read_text()
    except FileNotFoundError:
        return None
    return Show.loads(raw)


def load(redis: Redis, slug: str, cache_dir: Path) -> Show | None:
    """The board's show from Redis (refreshing the disk copy), else the disk copy, else None."""
    try:
        raw = redis.get(show_key(slug))
    except RedisError as exc:
        log.warning("board %s: Redis unreachable (%s); playing the cached show", slug, exc)
        raw = None
    if raw is not None:
        try:
            doc = Show.loads(raw)
        except ShowError as exc:
            log.error("board %s: refusing the published show: %s; keeping the last good one", slug, exc)
        else:
            save_cache(cache_dir, slug, doc)
            return doc
    path = cache_path(cache_dir, slug)
    if path.exists():
        try:
            return Show.loads(path.read_text())
        except ShowError as exc:
            log.error("board %s: cached show %s unusable: %s", slug, path, exc)
    return None


def load_blob(redis: Redis, sha256: str, cache_dir: Path) -> bytes | None:
    """A banner's bytes by content hash, from Redis or the worker's disk."""
    path = cache_dir / "blobs" / sha256
    if path.exists():
        return path.read_bytes()
    try:
        data = redis.get(blob_key(sha256))
    except RedisError:
        return None
    if data is None:
        return None
    blob = _as_bytes(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(blob)
    return blob


def _as_bytes(value: bytes | str) -> bytes:
    """A Redis reply as bytes, also from a client made with ``decode_responses``."""
    return value.encode() if isinstance(value, str) else value
