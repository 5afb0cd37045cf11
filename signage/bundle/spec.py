"""What playlist files describe, checked and ready to write: plain data, no database.

Each entry keeps its ``Origin`` (file, line, table) so a problem found later (a name that
only the database could resolve) still names the place in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from drivers.pixels import DEFAULT_PITCH_MM, DEFAULT_VIEWING_M
from signage.problem import Problem
from signage.recurrence import Rule

#: The format this version writes; it reads every format up to it.
FILE_FORMAT = 2


class BundleError(ValueError):
    """Files that cannot be imported; each problem names the file, the line and the field.

    The problems are ``signage.problem.Problem``s where the importer wrote them: English as
    text, and sayable in the admin's language on the import page.
    """

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Origin:
    """Where an entry was written: ``file:line: table``."""

    file: str = "?"
    line: int = 0
    where: str = ""
    fields: tuple[tuple[str, int], ...] = ()  # the line of each key of the table

    def problem(self, field: str, template: str, **params: Any) -> Problem:
        """One problem in the ``file:line: table.field: message`` shape every problem uses."""
        name = f"{self.where}.{field}" if self.where and field else (self.where or field)
        return Problem(f"{self.file}:{dict(self.fields).get(field, self.line)}: {name}:", template, **params)


@dataclass
class SloganEntry:
    key: str
    text: str
    effect: str = "auto"
    speed: int = 32
    color: str = "#ff0000"
    font: str | None = None
    source: str = ""  # the document the slogan comes from, e.g. "KH 17/KH-BQLKKT"
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class BannerEntry:
    key: str
    name: str
    image: str  # the path as written, relative to the file
    data: bytes = field(repr=False)
    sha256: str
    mime: str
    width: int
    height: int
    fit: str = "fit"
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class ItemEntry:
    slogan: str | None
    banner: str | None
    duration: float = 10.0
    enabled: bool = True
    passes: int | None = None  # complete passes of the scroll instead of the duration
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class PlaylistEntry:
    name: str
    items: list[ItemEntry] = field(default_factory=list)
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class BrightnessEntry:
    at: time
    level: int


@dataclass
class BoardEntry:
    slug: str
    name: str
    width: int
    height: int
    color: str = "mono"
    protocol: str = "native"
    port_url: str = ""
    baud: int = 115200
    address: int = 1
    pitch_mm: float = DEFAULT_PITCH_MM
    viewing_m: float = DEFAULT_VIEWING_M
    playlist: str | None = None
    timezone: str | None = None  # None: no board settings row
    on_time: time | None = None
    off_time: time | None = None
    brightness: list[BrightnessEntry] = field(default_factory=list)
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class GroupEntry:
    name: str
    description: str = ""
    boards: list[str] = field(default_factory=list)
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class PhaseEntry:
    name: str
    start: date
    end: date
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class CampaignEntry:
    name: str
    description: str = ""
    phases: list[PhaseEntry] = field(default_factory=list)
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class ScheduleEntry:
    name: str
    playlist: str
    board: str | None = None
    group: str | None = None
    campaign: str | None = None
    phase: str | int | None = None  # a phase name, or its number (1 = first) in the campaign
    start: date | None = None
    end: date | None = None
    weekdays: str = "1234567"
    start_time: time | None = None
    end_time: time | None = None
    priority: int = 0
    enabled: bool = True
    rule: Rule | None = None  # None: daily; else yearly on a solar or a lunar date
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class Bundle:
    """Everything one or more files describe, checked and cross-referenced."""

    boards: dict[str, BoardEntry] = field(default_factory=dict)
    groups: dict[str, GroupEntry] = field(default_factory=dict)
    slogans: dict[str, SloganEntry] = field(default_factory=dict)
    banners: dict[str, BannerEntry] = field(default_factory=dict)
    playlists: dict[str, PlaylistEntry] = field(default_factory=dict)
    campaigns: dict[str, CampaignEntry] = field(default_factory=dict)
    schedules: list[ScheduleEntry] = field(default_factory=list)
    #: (table, key) of entries that had problems: references to them are not reported again.
    broken: set[tuple[str, str]] = field(default_factory=set, compare=False)

    def counts(self) -> dict[str, int]:
        """How many of each, for the import summary."""
        return {
            name: len(getattr(self, name))
            for name in ("boards", "groups", "slogans", "banners", "playlists", "campaigns", "schedules")
        }
