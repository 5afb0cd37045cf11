"""Read playlist files (TOML, formats 1 and 2) into a checked ``Bundle``; nothing touches the database.

Every problem is collected (not only the first) as ``file:line: table.field: message``;
``read_path`` raises one ``BundleError`` listing them all, so a file is fixed in one pass.
Each message is an English ``N_`` template with its params (a ``signage.problem.Problem``):
the CLI prints the English, the admin's import page says it in the user's language.
"""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any

from drivers import PortError, check_port_url
from drivers.pixels import DEFAULT_PITCH_MM, DEFAULT_VIEWING_M
from signage import holidays, rules
from signage.banners import describe
from signage.bundle.locate import Locator
from signage.bundle.spec import (
    FILE_FORMAT,
    BannerEntry,
    BoardEntry,
    BrightnessEntry,
    Bundle,
    BundleError,
    CampaignEntry,
    GroupEntry,
    ItemEntry,
    Origin,
    PhaseEntry,
    PlaylistEntry,
    ScheduleEntry,
    SloganEntry,
)
from signage.problem import N_, Problem
from signage.recurrence import REPEATS, Rule
from signage.render.banner import FITS, MAX_BANNER_BYTES
from signage.render.errors import RenderError
from signage.text import normalize

#: Keys each table may hold, by format; format 1 is the first importer's subset.
KEYS: dict[int, dict[str, set[str]]] = {
    1: {
        "": {"format", "slogans", "playlists"},
        "slogans": {"key", "text", "effect", "speed", "color"},
        "playlists": {"name", "items"},
        "items": {"slogan", "duration"},
    },
    2: {
        "": {"format", "boards", "groups", "slogans", "banners", "playlists", "campaigns", "schedules"},
        "boards": {
            "slug",
            "name",
            "width",
            "height",
            "color",
            "protocol",
            "port_url",
            "baud",
            "address",
            "playlist",
            "timezone",
            "on",
            "off",
            "brightness",
            "pitch_mm",
            "viewing_m",
        },
        "brightness": {"at", "level"},
        "groups": {"name", "description", "boards"},
        "slogans": {"key", "text", "effect", "speed", "color", "font", "source"},
        "banners": {"key", "name", "image", "fit"},
        "playlists": {"name", "items"},
        "items": {"slogan", "banner", "duration", "passes", "enabled"},
        "campaigns": {"name", "description", "phases"},
        "phases": {"name", "start", "end"},
        "schedules": {
            "name",
            "playlist",
            "board",
            "group",
            "campaign",
            "phase",
            "start",
            "end",
            "weekdays",
            "hours",
            "priority",
            "enabled",
            "repeat",
            "on",
            "leap",
            "days",
        },
    },
}
DAY_MONTH_RE = re.compile(r"^(\d{1,2})/(\d{1,2})$")
DMY_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
TOML_ERROR_RE = re.compile(r"^(.*) \(at line (\d+), column (\d+)\)$")
TOML_END_RE = re.compile(r"^(.*) \(at end of document\)$")
REQUIRED = object()

#: tomllib's own messages (Python 3.11+), marked so the admin can say them in Vietnamese too.
TOML_MESSAGES = (
    N_("Invalid statement"),
    N_("Expected newline or end of document after a statement"),
    N_("Cannot overwrite a value"),
    N_("Expected ']' at the end of a table declaration"),
    N_("Expected ']]' at the end of an array declaration"),
    N_("Expected '=' after a key in a key/value pair"),
    N_("Invalid initial character for a key part"),
    N_("Unclosed array"),
    N_("Unclosed inline table"),
    N_("Unescaped '\\' in a string"),
    N_("Invalid hex value"),
    N_("Escaped character is not a Unicode scalar value"),
    N_("Unterminated string"),
    N_("Invalid date or datetime"),
    N_("Invalid value"),
)
#: tomllib's messages with a part of the file in them: (pattern, template).
TOML_PATTERNS = tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        (r"^Expected (?P<what>'.*')$", N_("Expected %(what)s")),
        (r"^Found invalid character (?P<what>.*)$", N_("Found invalid character %(what)s")),
        (r"^Illegal character (?P<what>.*)$", N_("Illegal character %(what)s")),
        (r"^Cannot declare (?P<what>.*) twice$", N_("Cannot declare %(what)s twice")),
        (
            r"^Cannot mutate immutable namespace (?P<what>.*)$",
            N_("Cannot mutate immutable namespace %(what)s"),
        ),
        (r"^Cannot redefine namespace (?P<what>.*)$", N_("Cannot redefine namespace %(what)s")),
        (r"^Duplicate inline table key (?P<what>.*)$", N_("Duplicate inline table key %(what)s")),
    )
)


def toml_message(text: str) -> str:
    """tomllib's message as a translatable ``Problem`` when it is one we know, else as it is."""
    if text in TOML_MESSAGES:
        return Problem("", text)
    for pattern, template in TOML_PATTERNS:
        if m := pattern.match(text):
            return Problem("", template, what=m["what"])
    return text


def _toml_problem(display: str, text: str, error: str) -> Problem:
    """tomllib's refusal as ``file:line: not valid TOML: ...`` (the line as editors count them)."""
    if m := TOML_ERROR_RE.match(error):
        return Problem(
            f"{display}:{m[2]}:",
            N_("not valid TOML: %(problem)s (column %(column)s)"),
            problem=toml_message(m[1]),
            column=m[3],
        )
    line = text.count("\n") + (not text.endswith("\n"))  # an unclosed string, array or table
    m = TOML_END_RE.match(error)
    if m:
        return Problem(
            f"{display}:{line}:",
            N_("not valid TOML: %(problem)s (at end of document)"),
            problem=toml_message(m[1]),
        )
    return Problem(f"{display}:{line}:", N_("not valid TOML: %(problem)s"), problem=error)


#: Python's words for a date or time that does not exist (``date(2021, 2, 31)``).
DATE_MESSAGES = (
    N_("day is out of range for month"),
    N_("month must be in 1..12"),
    N_("hour must be in 0..23"),
    N_("minute must be in 0..59"),
    N_("second must be in 0..59"),
)
YEAR_RE = re.compile(r"^year (-?\d+) is out of range$")


def _python_date_problem(exc: ValueError) -> str:
    """Why ``date()``/``time()`` refused, translatable when it is one of Python's usual reasons."""
    text = str(exc)
    if text in DATE_MESSAGES:
        return Problem("", text)
    if m := YEAR_RE.match(text):
        return Problem("", N_("year %(year)s is out of range"), year=m[1])
    return text


class _Bad(Exception):
    """One wrong value: an English ``N_`` template and its params; ``field`` overrides the key it
    is reported under."""

    def __init__(self, template: str, field: str | None = None, **params: Any) -> None:
        super().__init__(template % params if params else template)
        self.template, self.params, self.field = template, params, field


def dotted(path: tuple[Any, ...]) -> str:
    """``("playlists", 0, "items", 2)`` as ``playlists[0].items[2]``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --- value converters: return the clean value or raise _Bad --------------------------------
def text_value(max_len: int | None = None, allow_empty: bool = False) -> Callable[[Any], str]:
    """A string, NFC, trimmed; not empty unless allowed; at most ``max_len`` characters."""

    def convert(value: Any) -> str:
        if not isinstance(value, str):
            raise _Bad(N_("expected text in quotes, got %(value)r"), value=value)
        cleaned = normalize(value).strip()
        if not cleaned and not allow_empty:
            raise _Bad(N_("must not be empty"))
        if max_len is not None and len(cleaned) > max_len:
            raise _Bad(N_("%(count)d characters; at most %(limit)d"), count=len(cleaned), limit=max_len)
        return cleaned

    return convert


def int_value(lo: int | None = None, hi: int | None = None) -> Callable[[Any], int]:
    def convert(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Bad(N_("expected a whole number, got %(value)r"), value=value)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise _Bad(N_("%(value)s is outside %(low)s..%(high)s"), value=value, low=lo, high=hi)
        return value

    return convert


def number_value(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad(N_("expected a number, got %(value)r"), value=value)
    return float(value)


def bool_value(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad(N_("expected true or false, got %(value)r"), value=value)
    return value


def date_value(value: Any) -> date:
    """A TOML date (2020-02-03) or text "03/02/2020" (day/month/year) or "2020-02-03"."""
    if isinstance(value, datetime) or not isinstance(value, date | str):
        raise _Bad(N_('expected a date such as 2020-02-03 or "03/02/2020", got %(value)r'), value=value)
    if isinstance(value, date):
        return value
    if m := DMY_RE.match(value.strip()):
        d, mo, y = (int(g) for g in m.groups())
    elif m := ISO_RE.match(value.strip()):
        y, mo, d = (int(g) for g in m.groups())
    else:
        raise _Bad(
            N_('%(value)r is not a date: write day/month/year ("03/02/2020") or 2020-02-03'), value=value
        )
    try:
        return date(y, mo, d)
    except ValueError as exc:
        raise _Bad(
            N_("%(value)r is not a date that exists (%(problem)s)"),
            value=value,
            problem=_python_date_problem(exc),
        ) from None


def time_value(value: Any) -> time:
    """A time of day: "07:30" (or a TOML local time 07:30:00)."""
    if isinstance(value, time):
        return value
    m = TIME_RE.match(value.strip()) if isinstance(value, str) else None
    if not m:
        raise _Bad(N_('expected a time of day such as "07:30", got %(value)r'), value=value)
    try:
        return time(int(m[1]), int(m[2]), int(m[3] or 0))
    except ValueError as exc:
        raise _Bad(
            N_("%(value)r is not a time of day (%(problem)s)"), value=value, problem=_python_date_problem(exc)
        ) from None


def hours_value(value: Any) -> tuple[time, time]:
    """A daily window "07:00-22:00"; "22:00-06:00" runs overnight."""
    parts = re.split(r"\s*[-–]\s*", value.strip()) if isinstance(value, str) else []
    if len(parts) != 2:
        raise _Bad(N_('expected a window such as "07:00-22:00", got %(value)r'), value=value)
    start, end = time_value(parts[0]), time_value(parts[1])
    if start == end:
        raise _Bad(
            N_("%(value)r starts and ends at the same time; leave hours out to play all day"), value=value
        )
    return start, end


def weekdays_value(value: Any) -> str:
    """ISO weekdays (1 = Monday .. 7 = Sunday) as a list [1, 2, 3] or digits "123"."""
    if isinstance(value, str):
        items: list[Any] = list(value.strip())
    elif isinstance(value, list):
        items = value
    else:
        raise _Bad(N_("expected weekdays such as [1, 2, 3, 4, 5] (1 = Monday), got %(value)r"), value=value)
    days = set()
    for item in items:
        day = int(item) if isinstance(item, str) and item.isdigit() else item
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 7:
            raise _Bad(N_("%(value)r is not a weekday: use 1 (Monday) to 7 (Sunday)"), value=item)
        days.add(day)
    if not days:
        raise _Bad(N_("no weekday given; leave weekdays out to play every day"))
    return "".join(str(d) for d in sorted(days))


def day_month_value(value: Any) -> tuple[int, int]:
    """A day of every year as day/month: "2/9" or "02/09" (lunar or solar as ``repeat`` says)."""
    m = DAY_MONTH_RE.match(value.strip()) if isinstance(value, str) else None
    if not m:
        raise _Bad(N_('expected a day and month such as "10/3" (day/month), got %(value)r'), value=value)
    return int(m[1]), int(m[2])


def timezone_value(value: Any) -> str:
    name = text_value(64)(value)
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise _Bad(N_("unknown time zone %(value)r; e.g. Asia/Ho_Chi_Minh"), value=name) from None
    return name


def ruled(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A ``signage.rules`` check as a converter (the same message as the forms)."""

    def convert(value: Any) -> Any:
        try:
            return check(value)
        except rules.InvalidInput as exc:
            raise _Bad(exc.template, exc.field, **exc.params) from None
        except TypeError:
            raise _Bad(N_("wrong type: %(value)r"), value=value) from None

    return convert


def port_value(value: Any) -> str:
    """A port URL that parses; the device need not exist here (a backup moves between machines)."""
    url = text_value(255)(value)
    try:
        check_port_url(url, must_exist=False)
    except PortError as exc:
        raise _Bad(N_("%(problem)s"), problem=str(exc)) from None
    return url


# --- one file --------------------------------------------------------------------------------
class _Table:
    """One table of a file: typed getters that record problems instead of stopping."""

    def __init__(self, reader: _FileReader, path: tuple[Any, ...], raw: dict[str, Any]) -> None:
        self.reader, self.path, self.raw, self.ok = reader, path, raw, True

    @property
    def origin(self) -> Origin:
        """Where the table is, with the line of each key (for problems found after reading)."""
        base = self.reader.origin(self.path)
        lines = self.reader.locator.line if self.reader.locator else (lambda _p: base.line)
        fields = tuple((key, lines(self.path + (key,))) for key in self.raw)
        return Origin(base.file, base.line, base.where, fields)

    def get(self, key: str, convert: Callable[[Any], Any], default: Any = REQUIRED) -> Any:
        if key not in self.raw:
            if default is REQUIRED:
                return self.fail(key, N_("required"))
            return default
        try:
            return convert(self.raw[key])
        except _Bad as exc:
            return self.fail(exc.field or key, exc.template, **exc.params)

    def fail(self, key: str, template: str, **params: Any) -> None:
        self.ok = False
        self.reader.fail(self.path + (key,), template, **params)
        return None


class _FileReader:
    def __init__(self, path: Path, display: str, root: Path, bundle: Bundle, problems: list[str]) -> None:
        self.path, self.display, self.root = path, display, root
        self.bundle, self.problems = bundle, problems
        self.locator: Locator | None = None
        self.format = FILE_FORMAT

    def origin(self, path: tuple[Any, ...]) -> Origin:
        line = self.locator.line(path) if self.locator else 1
        return Origin(self.display, line, dotted(path))

    def fail(self, path: tuple[Any, ...], template: str, **params: Any) -> None:
        """Record ``file:line: table.field: message``, the line being that of the key itself."""
        line = self.locator.line(path) if self.locator else 1
        where = f" {dotted(path)}:" if path else ""
        self.problems.append(Problem(f"{self.display}:{line}:{where}", template, **params))

    def table(self, path: tuple[Any, ...], raw: Any, kind: str) -> _Table | None:
        """The table at ``path`` if it is one and holds only known keys."""
        if not isinstance(raw, dict):
            self.fail(
                path, N_("expected a table ({ ... } or [[%(kind)s]]), got %(value)r"), kind=kind, value=raw
            )
            return None
        allowed = KEYS[self.format].get(kind, set())
        unknown = sorted(set(raw) - allowed)
        for key in unknown:
            known = ", ".join(sorted(allowed))
            if self.format == 1 and key in KEYS[FILE_FORMAT].get(kind, set()):
                self.fail(
                    path + (key,),
                    N_("unknown key (format 2 only: write format = 2 at the top); known: %(known)s"),
                    known=known,
                )
            else:
                self.fail(path + (key,), N_("unknown key; known: %(known)s"), known=known)
        return _Table(self, path, raw) if not unknown else None

    def tables(self, data: dict[str, Any], kind: str) -> list[tuple[int, Any]]:
        raw = data.get(kind, [])
        if not isinstance(raw, list):
            self.fail((kind,), N_("expected [[%(kind)s]] tables"), kind=kind)
            return []
        return list(enumerate(raw))

    def read(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8-sig")  # Notepad writes a BOM
        except UnicodeDecodeError:
            self.problems.append(
                Problem(
                    f"{self.display}:1:",
                    N_(
                        "not UTF-8 text: save the file as UTF-8 (legacy TCVN3/VNI text: signage convert-text)"
                    ),
                )
            )
            return
        except OSError as exc:
            self.problems.append(
                Problem(
                    f"{self.display}:1:", N_("cannot read: %(problem)s"), problem=str(exc.strerror or exc)
                )
            )
            return
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            self.problems.append(_toml_problem(self.display, text, str(exc)))
            return
        self.locator = Locator(text)
        fmt = data.get("format", FILE_FORMAT)
        if isinstance(fmt, bool) or not isinstance(fmt, int) or fmt < 1:
            self.fail(("format",), N_("%(value)r is not a format number"), value=fmt)
            return
        if fmt > FILE_FORMAT:
            self.fail(
                ("format",),
                N_(
                    "format %(value)d is newer than this version reads (1..%(newest)d): "
                    "upgrade signage to import it"
                ),
                value=fmt,
                newest=FILE_FORMAT,
            )
            return
        self.format = fmt
        top = self.table((), data, "")
        if top is None:
            return
        for i, raw in self.tables(data, "boards"):
            self.board(("boards", i), raw)
        for i, raw in self.tables(data, "groups"):
            self.group(("groups", i), raw)
        for i, raw in self.tables(data, "slogans"):
            self.slogan(("slogans", i), raw)
        for i, raw in self.tables(data, "banners"):
            self.banner(("banners", i), raw)
        for i, raw in self.tables(data, "playlists"):
            self.playlist(("playlists", i), raw)
        for i, raw in self.tables(data, "campaigns"):
            self.campaign(("campaigns", i), raw)
        for i, raw in self.tables(data, "schedules"):
            self.schedule(("schedules", i), raw)

    # --- tables ------------------------------------------------------------------------------
    def unique(self, t: _Table, key: str, value: Any, seen: dict[str, Any], template: str) -> bool:
        """``template`` names the kind of entry: "board %(value)r is defined twice (first at %(first)s)"."""
        if value in seen:
            first = seen[value].origin
            t.fail(key, template, value=value, first=f"{first.file}:{first.line}")
            return False
        return True

    def board(self, path: tuple[Any, ...], raw: Any) -> None:
        t = self.table(path, raw, "boards")
        if t is None:
            return
        slug = t.get("slug", ruled(rules.board_slug))
        width, height = t.get("width", int_value()), t.get("height", int_value())
        color = t.get("color", text_value(), "mono")
        if width is not None and height is not None and color is not None:
            try:
                rules.board_geometry(width, height, color)
            except rules.InvalidInput as exc:
                t.fail(exc.field if exc.field in t.raw else "width", exc.message)
        entry = BoardEntry(
            slug=slug,
            name=t.get("name", text_value(120)),
            width=width,
            height=height,
            color=color,
            protocol=t.get("protocol", ruled(rules.protocol), "native"),
            port_url=t.get("port_url", port_value),
            baud=t.get("baud", ruled(rules.baud), 115200),
            address=t.get("address", int_value(0, 127), 1),
            pitch_mm=t.get("pitch_mm", ruled(rules.pitch_mm), DEFAULT_PITCH_MM),
            viewing_m=t.get("viewing_m", ruled(rules.viewing_m), DEFAULT_VIEWING_M),
            playlist=t.get("playlist", text_value(120), None),
            timezone=t.get("timezone", timezone_value, None),
            on_time=t.get("on", time_value, None),
            off_time=t.get("off", time_value, None),
            origin=t.origin,
        )
        if (entry.on_time is None) != (entry.off_time is None) and t.ok:
            t.fail(
                "off" if entry.off_time is None else "on", N_("give both on and off (or neither: always on)")
            )
        if entry.timezone is None and (entry.on_time or entry.off_time):
            entry.timezone = "Asia/Ho_Chi_Minh"
        steps = t.raw.get("brightness", [])
        if not isinstance(steps, list):
            t.fail("brightness", N_('expected a list such as [{ at = "06:00", level = 60 }]'))
            steps = []
        for j, raw_step in enumerate(steps):
            s = self.table(path + ("brightness", j), raw_step, "brightness")
            if s is None:
                t.ok = False
                continue
            step = BrightnessEntry(at=s.get("at", time_value), level=s.get("level", int_value(0, 100)))
            if step.at in {b.at for b in entry.brightness}:
                s.fail("at", N_("%(time)s is given twice"), time=f"{step.at:%H:%M}")
            t.ok &= s.ok
            entry.brightness.append(step)
        if t.ok and self.unique(
            t, "slug", slug, self.bundle.boards, N_("board %(value)r is defined twice (first at %(first)s)")
        ):
            self.bundle.boards[slug] = entry

    def group(self, path: tuple[Any, ...], raw: Any) -> None:
        t = self.table(path, raw, "groups")
        if t is None:
            return
        boards = t.get("boards", lambda v: [ruled(rules.board_slug)(s) for s in _list(v)], [])
        entry = GroupEntry(
            name=t.get("name", text_value(120)),
            description=t.get("description", text_value(allow_empty=True), ""),
            boards=boards or [],
            origin=t.origin,
        )
        if t.ok and self.unique(
            t,
            "name",
            entry.name,
            self.bundle.groups,
            N_("group %(value)r is defined twice (first at %(first)s)"),
        ):
            self.bundle.groups[entry.name] = entry

    def slogan(self, path: tuple[Any, ...], raw: Any) -> None:
        t = self.table(path, raw, "slogans")
        if t is None:
            return
        entry = SloganEntry(
            key=t.get("key", text_value(80)),
            text=t.get("text", ruled(rules.slogan_text)),
            effect=t.get("effect", ruled(rules.effect), "auto"),
            speed=t.get("speed", lambda v: ruled(rules.speed)(int_value()(v)), 32),
            color=t.get("color", ruled(rules.color), "#ff0000"),
            font=t.get("font", text_value(60), None),
            source=t.get("source", text_value(200, allow_empty=True), ""),
            origin=t.origin,
        )
        if t.ok and self.unique(
            t,
            "key",
            entry.key,
            self.bundle.slogans,
            N_("slogan key %(value)r is defined twice (first at %(first)s)"),
        ):
            self.bundle.slogans[entry.key] = entry
        elif isinstance(entry.key, str):
            self.bundle.broken.add(("slogans", entry.key))

    def banner(self, path: tuple[Any, ...], raw: Any) -> None:
        t = self.table(path, raw, "banners")
        if t is None:
            return
        key = t.get("key", text_value(80))
        image = t.get("image", text_value(255))
        fit = t.get("fit", lambda v: _choice(v, FITS), "fit")
        name = t.get("name", text_value(120), None)
        loaded = self.image(t, image) if image is not None else None
        if not t.ok or loaded is None:
            if isinstance(key, str):
                self.bundle.broken.add(("banners", key))
            return
        data, sha256, mime, width, height = loaded
        entry = BannerEntry(
            key=key,
            name=name or PurePosixPath(image).stem,
            image=image,
            data=data,
            sha256=sha256,
            mime=mime,
            width=width,
            height=height,
            fit=fit,
            origin=t.origin,
        )
        if self.unique(
            t,
            "key",
            key,
            self.bundle.banners,
            N_("banner key %(value)r is defined twice (first at %(first)s)"),
        ):
            self.bundle.banners[key] = entry

    def image(self, t: _Table, image: str) -> tuple[bytes, str, str, int, int] | None:
        """The banner's bytes, read only from inside the imported folder and checked as an image."""
        rel = PurePosixPath(image)
        if rel.is_absolute() or "\\" in image or ".." in rel.parts or re.match(r"^[A-Za-z]:", image):
            t.fail(
                "image",
                N_(
                    "%(image)r is outside the imported folder: give a path relative to the file, without '..'"
                ),
                image=image,
            )
            return None
        full = (self.path.parent / rel).resolve()
        if not full.is_relative_to(self.root.resolve()):
            t.fail("image", N_("%(image)r leads outside the imported folder (a link?)"), image=image)
            return None
        if not full.is_file():
            t.fail("image", N_("%(image)r: no such file beside %(file)s"), image=image, file=self.path.name)
            return None
        if full.stat().st_size > MAX_BANNER_BYTES:
            t.fail(
                "image",
                N_("%(image)r is larger than %(limit)d MB"),
                image=image,
                limit=MAX_BANNER_BYTES // 2**20,
            )
            return None
        data = full.read_bytes()
        try:
            return (data, *describe(data))  # the same checks as an upload in the admin
        except RenderError as exc:
            t.fail("image", N_("%(image)r: %(problem)s"), image=image, problem=exc)
            return None

    def playlist(self, path: tuple[Any, ...], raw: Any) -> None:
        t = self.table(path, raw, "playlists")
        if t is None:
            return
        entry = PlaylistEntry(name=t.get("name", text_value(120)), origin=t.origin)
        items = t.raw.get("items", [])
        if not isinstance(items, list):
            t.fail("items", N_('expected a list such as [{ slogan = "key", duration = 10 }]'))
            items = []
        for j, raw_item in enumerate(items):
            it = self.table(path + ("items", j), raw_item, "items")
            if it is None:
                t.ok = False
                continue
            item = ItemEntry(
                slogan=it.get("slogan", text_value(80), None),
                banner=it.get("banner", text_value(80), None),
                duration=it.get("duration", _duration, 10.0),
                passes=it.get("passes", _passes, None),
                enabled=it.get("enabled", bool_value, True),
                origin=it.origin,
            )
            if it.ok and (item.slogan is None) == (item.banner is None):
                it.fail("slogan", N_('give either slogan = "key" or banner = "key"'))
            if it.ok and item.banner is not None and item.passes is not None:
                it.fail("passes", N_("a banner plays for a duration; passes are for slogans that scroll"))
            t.ok &= it.ok
            entry.items.append(item)
        if t.ok and self.unique(
            t,
            "name",
            entry.name,
            self.bundle.playlists,
            N_("playlist %(value)r is defined twice (first at %(first)s)"),
        ):
            self.bundle.playlists[entry.name] = entry

    def campaign(self, path: tuple[Any, ...], raw: Any) -> None:
        t = self.table(path, raw, "campaigns")
        if t is None:
            return
        entry = CampaignEntry(
            name=t.get("name", text_value(200)),
            description=t.get("description", text_value(allow_empty=True), ""),
            origin=t.origin,
        )
        phases = t.raw.get("phases", [])
        if not isinstance(phases, list):
            t.fail("phases", N_("expected [[campaigns.phases]] tables"))
            phases = []
        for j, raw_phase in enumerate(phases):
            p = self.table(path + ("phases", j), raw_phase, "phases")
            if p is None:
                t.ok = False
                continue
            phase = PhaseEntry(
                name=p.get("name", text_value(200)),
                start=p.get("start", date_value),
                end=p.get("end", date_value),
                origin=p.origin,
            )
            if p.ok and phase.end < phase.start:
                p.fail(
                    "end",
                    N_("%(end)s is before the start %(start)s"),
                    end=f"{phase.end:%d/%m/%Y}",
                    start=f"{phase.start:%d/%m/%Y}",
                )
            t.ok &= p.ok
            entry.phases.append(phase)
        if t.ok and self.unique(
            t,
            "name",
            entry.name,
            self.bundle.campaigns,
            N_("campaign %(value)r is defined twice (first at %(first)s)"),
        ):
            self.bundle.campaigns[entry.name] = entry

    def schedule(self, path: tuple[Any, ...], raw: Any) -> None:
        t = self.table(path, raw, "schedules")
        if t is None:
            return
        hours = t.get("hours", hours_value, (None, None))
        entry = ScheduleEntry(
            name=t.get("name", text_value(200, allow_empty=True), ""),
            playlist=t.get("playlist", text_value(120)),
            board=t.get("board", ruled(rules.board_slug), None),
            group=t.get("group", text_value(120), None),
            campaign=t.get("campaign", text_value(200), None),
            phase=t.get("phase", _phase_ref, None),
            start=t.get("start", date_value, None),
            end=t.get("end", date_value, None),
            weekdays=t.get("weekdays", weekdays_value, "1234567"),
            start_time=(hours or (None, None))[0],
            end_time=(hours or (None, None))[1],
            priority=t.get("priority", int_value(-1000, 1000), 0),
            enabled=t.get("enabled", bool_value, True),
            origin=t.origin,
        )
        entry.rule = self.repeat_rule(t)
        if not t.ok:
            return
        if entry.board and entry.group:
            t.fail("group", N_("give a board or a group, not both (neither: every board)"))
        if (entry.campaign is None) != (entry.phase is None):
            t.fail(
                "phase" if entry.phase is None else "campaign",
                N_("a schedule in a campaign names both campaign and phase"),
            )
        if entry.start and entry.end and entry.end < entry.start:
            t.fail(
                "end",
                N_("%(end)s is before the start %(start)s"),
                end=f"{entry.end:%d/%m/%Y}",
                start=f"{entry.start:%d/%m/%Y}",
            )
        if t.ok:
            self.bundle.schedules.append(entry)

    def repeat_rule(self, t: _Table) -> Rule | None:
        """``repeat = "yearly"`` or ``"lunar"`` with ``on = "day/month"``, ``leap`` and ``days``."""
        kind = t.get("repeat", lambda v: _choice(v, REPEATS), "daily")
        on = t.get("on", day_month_value, None)
        leap, days = t.get("leap", bool_value, False), t.get("days", int_value(), 1)
        if not t.ok:
            return None
        try:
            day, month = on if on is not None else (None, None)
            return holidays.check(kind, month, day, leap, days)
        except rules.InvalidInput as exc:
            key = {
                "repeat_day": "on",
                "repeat_month": "on",
                "repeat_leap": "leap",
                "repeat_days": "days",
            }.get(exc.field, "repeat")
            t.fail(key, exc.template, **exc.params)
            return None


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad(N_("expected a list, got %(value)r"), value=value)
    return value


def _choice(value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise _Bad(N_("%(value)r is not one of %(known)s"), value=value, known=", ".join(choices))
    return value


def _duration(value: Any) -> float:
    return ruled(rules.duration)(number_value(value))


def _passes(value: Any) -> int:
    return ruled(rules.passes)(number_value(value))


def _phase_ref(value: Any) -> str | int:
    if isinstance(value, int) and not isinstance(value, bool):
        return int_value(1, 1000)(value)
    return text_value(200)(value)


# --- cross references, after every file is read ----------------------------------------------
def _link(bundle: Bundle, problems: list[str]) -> None:
    """References between tables: slogan and banner keys must be in the files; names of
    playlists, boards, groups and campaigns may also be in the database (checked on apply)."""
    for playlist in bundle.playlists.values():
        for item in playlist.items:
            if (
                item.slogan is not None
                and item.slogan not in bundle.slogans
                and ("slogans", item.slogan) not in bundle.broken
            ):
                problems.append(
                    item.origin.problem("slogan", N_("no slogan with key %(key)r"), key=item.slogan)
                )
            if (
                item.banner is not None
                and item.banner not in bundle.banners
                and ("banners", item.banner) not in bundle.broken
            ):
                problems.append(
                    item.origin.problem("banner", N_("no banner with key %(key)r"), key=item.banner)
                )
    for schedule in bundle.schedules:
        campaign = bundle.campaigns.get(schedule.campaign or "")
        if campaign is not None and phase_index(campaign.phases, schedule.phase) is None:
            names = ", ".join(repr(p.name) for p in campaign.phases)
            problems.append(
                schedule.origin.problem(
                    "phase",
                    N_("campaign %(campaign)r has no phase %(phase)r (phases: %(names)s)"),
                    campaign=campaign.name,
                    phase=schedule.phase,
                    names=names,
                )
            )


def phase_index(phases: list[Any], ref: str | int | None) -> int | None:
    """The index of the phase ``ref`` names (a name, or 1 for the first)."""
    if isinstance(ref, int):
        return ref - 1 if 1 <= ref <= len(phases) else None
    names = [p.name for p in phases]
    return names.index(ref) if names.count(ref) == 1 else None  # two of a name: use the number


def read_path(path: Path, name: str | None = None) -> Bundle:
    """A file, or every ``*.toml`` in a folder (sorted), checked as one bundle.

    Banner images must lie inside the folder (or beside the single file). ``name`` replaces
    the folder in messages (an upload is named as the admin knows it, not by a temp path).
    Raises ``BundleError`` listing every problem; nothing is partially returned.
    """
    path = Path(path)
    if path.is_dir():
        files, root = sorted(p for p in path.glob("*.toml") if p.is_file()), path
    else:
        files, root = [path], path.parent
    if not files:
        raise BundleError(Problem(f"{name or path}:", N_("no .toml files")))
    bundle = Bundle()
    problems: list[str] = []  # Problems (a str each), from every file and then the links
    for file in files:
        display = str(file) if name is None else (f"{name}/{file.name}" if path.is_dir() else name)
        _FileReader(file, display, root, bundle, problems).read()
    _link(bundle, problems)
    if problems:
        raise BundleError(problems)
    return bundle


def read_file(path: Path) -> Bundle:
    """One file on its own (kept for callers of the first importer)."""
    return read_path(path)
