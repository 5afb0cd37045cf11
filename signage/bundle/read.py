"""Read playlist files (TOML, formats 1 and 2) into a checked ``Bundle``; nothing touches the database.

Each table loads through its record's schema (``signage.bundle.tables``, the schemas of
``signage.schemas`` that the API uses too); this module parses the files, maps the error
paths the schemas give to lines (``signage.bundle.locate``), checks what only files have
(unique keys, banner images beside the file, references between tables) and builds the
``Bundle``. Every problem is collected (not only the first) as ``file:line: table.field:
message``; ``read_path`` raises one ``BundleError`` listing them all, so a file is fixed in
one pass. Each message is an English ``N_`` template with its params (a
``signage.problem.Problem``): the CLI prints the English, the admin's import page says it in
the user's language.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from marshmallow import Schema, ValidationError

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
from signage.bundle.tables import FORMAT, LIBRARY_WORDS, TABLES, unknown_keys
from signage.models import DEFAULT_TIMEZONE
from signage.problem import N_, Problem
from signage.render.banner import MAX_BANNER_BYTES
from signage.render.errors import RenderError

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


def dotted(path: tuple[Any, ...]) -> str:
    """``("playlists", 0, "items", 2)`` as ``playlists[0].items[2]``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _errors(messages: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """marshmallow's nested error messages as (path, message); a table's own under its path."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _errors(value, path if key == "_schema" else path + (key,))
    elif isinstance(messages, list):
        for message in messages:
            yield from _errors(message, path)
    else:
        yield path, messages


# --- one file --------------------------------------------------------------------------------
class _FileReader:
    def __init__(self, path: Path, display: str, root: Path, bundle: Bundle, problems: list[str]) -> None:
        self.path, self.display, self.root = path, display, root
        self.bundle, self.problems = bundle, problems
        self.locator: Locator | None = None
        self.format = FILE_FORMAT

    def line(self, path: tuple[Any, ...]) -> int:
        return self.locator.line(path) if self.locator else 1

    def origin(self, path: tuple[Any, ...], raw: Any = None) -> Origin:
        """Where the table is, with the line of each key (for problems found after reading)."""
        keys = raw if isinstance(raw, dict) else {}
        fields = tuple((key, self.line(path + (key,))) for key in keys)
        return Origin(self.display, self.line(path), dotted(path), fields)

    def fail(self, path: tuple[Any, ...], template: str, **params: Any) -> None:
        """Record ``file:line: table.field: message``, the line being that of the key itself."""
        where = f" {dotted(path)}:" if path else ""
        self.problems.append(Problem(f"{self.display}:{self.line(path)}:{where}", template, **params))

    def load(self, path: tuple[Any, ...], raw: Any, schema: type[Schema]) -> tuple[dict[str, Any], bool]:
        """The table at ``path`` through its schema: (what loaded, whether all of it did).

        Every problem is recorded at the line of its key, in the file's order.
        """
        try:
            return schema().load(raw), True
        except ValidationError as exc:
            found = sorted(_errors(exc.messages, path), key=lambda pair: self.line(pair[0]))
            for where, message in found:
                if isinstance(message, Problem):
                    self.fail(where, message.template, **message.params)
                elif message in LIBRARY_WORDS:  # marshmallow's own words
                    self.fail(where, LIBRARY_WORDS[message])
                else:
                    self.fail(where, "%(problem)s", problem=str(message))
            valid = exc.valid_data if isinstance(exc.valid_data, dict) else {}
            return valid, False

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
        token = FORMAT.set(fmt)
        try:
            unknown = unknown_keys(data, {"format", *TABLES}, "")
            for key, messages in unknown.items():
                self.fail((key,), messages[0].template, **messages[0].params)
            if unknown:
                return
            for kind in TABLES:
                add = getattr(self, kind)
                for i, raw in self.tables(data, kind):
                    add((kind, i), raw)
        finally:
            FORMAT.reset(token)

    # --- tables ------------------------------------------------------------------------------
    def unique(
        self, path: tuple[Any, ...], key: str, value: Any, seen: dict[str, Any], template: str
    ) -> bool:
        """``template`` names the kind of entry: "board %(value)r is defined twice (first at %(first)s)"."""
        if value in seen:
            first = seen[value].origin
            self.fail(path + (key,), template, value=value, first=f"{first.file}:{first.line}")
            return False
        return True

    def boards(self, path: tuple[Any, ...], raw: Any) -> None:
        data, ok = self.load(path, raw, TABLES["boards"])
        if not ok:
            return
        steps = [BrightnessEntry(at=step["at"], level=step["level"]) for step in data.pop("brightness")]
        on, off = data.pop("on"), data.pop("off")
        timezone = data.pop("timezone")
        if timezone is None and (on or off):
            timezone = DEFAULT_TIMEZONE
        entry = BoardEntry(
            **data,
            timezone=timezone,
            on_time=on,
            off_time=off,
            brightness=steps,
            origin=self.origin(path, raw),
        )
        if self.unique(
            path,
            "slug",
            entry.slug,
            self.bundle.boards,
            N_("board %(value)r is defined twice (first at %(first)s)"),
        ):
            self.bundle.boards[entry.slug] = entry

    def groups(self, path: tuple[Any, ...], raw: Any) -> None:
        data, ok = self.load(path, raw, TABLES["groups"])
        if not ok:
            return
        entry = GroupEntry(**data, origin=self.origin(path, raw))
        if self.unique(
            path,
            "name",
            entry.name,
            self.bundle.groups,
            N_("group %(value)r is defined twice (first at %(first)s)"),
        ):
            self.bundle.groups[entry.name] = entry

    def slogans(self, path: tuple[Any, ...], raw: Any) -> None:
        data, ok = self.load(path, raw, TABLES["slogans"])
        key = data.get("key")
        if ok:
            entry = SloganEntry(**data, origin=self.origin(path, raw))
            if self.unique(
                path,
                "key",
                entry.key,
                self.bundle.slogans,
                N_("slogan key %(value)r is defined twice (first at %(first)s)"),
            ):
                self.bundle.slogans[entry.key] = entry
                return
        if isinstance(key, str):
            self.bundle.broken.add(("slogans", key))

    def banners(self, path: tuple[Any, ...], raw: Any) -> None:
        data, ok = self.load(path, raw, TABLES["banners"])
        key, image = data.get("key"), data.get("image")
        loaded = self.image(path, image) if image is not None else None
        if not ok or loaded is None or key is None or image is None:
            if isinstance(key, str):
                self.bundle.broken.add(("banners", key))
            return
        content, sha256, mime, width, height = loaded
        entry = BannerEntry(
            key=key,
            name=data["name"] or PurePosixPath(image).stem,
            image=image,
            data=content,
            sha256=sha256,
            mime=mime,
            width=width,
            height=height,
            fit=data["fit"],
            origin=self.origin(path, raw),
        )
        if self.unique(
            path,
            "key",
            key,
            self.bundle.banners,
            N_("banner key %(value)r is defined twice (first at %(first)s)"),
        ):
            self.bundle.banners[key] = entry

    def image(self, path: tuple[Any, ...], image: str) -> tuple[bytes, str, str, int, int] | None:
        """The banner's bytes, read only from inside the imported folder and checked as an image."""
        rel = PurePosixPath(image)
        if rel.is_absolute() or "\\" in image or ".." in rel.parts or re.match(r"^[A-Za-z]:", image):
            self.fail(
                path + ("image",),
                N_(
                    "%(image)r is outside the imported folder: give a path relative to the file, without '..'"
                ),
                image=image,
            )
            return None
        full = (self.path.parent / rel).resolve()
        if not full.is_relative_to(self.root.resolve()):
            self.fail(
                path + ("image",), N_("%(image)r leads outside the imported folder (a link?)"), image=image
            )
            return None
        if not full.is_file():
            self.fail(
                path + ("image",),
                N_("%(image)r: no such file beside %(file)s"),
                image=image,
                file=self.path.name,
            )
            return None
        if full.stat().st_size > MAX_BANNER_BYTES:
            self.fail(
                path + ("image",),
                N_("%(image)r is larger than %(limit)d MB"),
                image=image,
                limit=MAX_BANNER_BYTES // 2**20,
            )
            return None
        data = full.read_bytes()
        try:
            return (data, *describe(data))  # the same checks as an upload in the admin
        except RenderError as exc:
            self.fail(path + ("image",), N_("%(image)r: %(problem)s"), image=image, problem=exc)
            return None

    def playlists(self, path: tuple[Any, ...], raw: Any) -> None:
        data, ok = self.load(path, raw, TABLES["playlists"])
        if not ok:
            return
        items = [
            ItemEntry(**item, origin=self.origin(path + ("items", j), raw["items"][j]))
            for j, item in enumerate(data["items"])
        ]
        entry = PlaylistEntry(name=data["name"], items=items, origin=self.origin(path, raw))
        if self.unique(
            path,
            "name",
            entry.name,
            self.bundle.playlists,
            N_("playlist %(value)r is defined twice (first at %(first)s)"),
        ):
            self.bundle.playlists[entry.name] = entry

    def campaigns(self, path: tuple[Any, ...], raw: Any) -> None:
        data, ok = self.load(path, raw, TABLES["campaigns"])
        if not ok:
            return
        phases = [
            PhaseEntry(
                name=phase["name"],
                start=phase["starts_on"],
                end=phase["ends_on"],
                origin=self.origin(path + ("phases", j), raw["phases"][j]),
            )
            for j, phase in enumerate(data["phases"])
        ]
        entry = CampaignEntry(
            name=data["name"], description=data["description"], phases=phases, origin=self.origin(path, raw)
        )
        if self.unique(
            path,
            "name",
            entry.name,
            self.bundle.campaigns,
            N_("campaign %(value)r is defined twice (first at %(first)s)"),
        ):
            self.bundle.campaigns[entry.name] = entry

    def schedules(self, path: tuple[Any, ...], raw: Any) -> None:
        data, ok = self.load(path, raw, TABLES["schedules"])
        if not ok:
            return
        start_time, end_time = data["hours"] or (None, None)
        self.bundle.schedules.append(
            ScheduleEntry(
                name=data["name"],
                playlist=data["playlist"],
                board=data["board"],
                group=data["group"],
                campaign=data["campaign"],
                phase=data["phase"],
                start=data["starts_on"],
                end=data["ends_on"],
                weekdays=data["weekdays"],
                start_time=start_time,
                end_time=end_time,
                priority=data["priority"],
                enabled=data["enabled"],
                rule=data["rule"],
                origin=self.origin(path, raw),
            )
        )


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
