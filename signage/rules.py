"""The checks every input path shares (forms, API, importer, CLI): one message per problem.

Each check returns the cleaned value or raises ``InvalidInput`` naming the field and the
problem, so nothing is saved half-checked and every caller says the same thing.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Sequence
from datetime import date, time

from drivers import PROTOCOLS, PortError, check_port_url
from drivers.pixels import (
    COLOR_MODELS,
    MAX_HEIGHT,
    MAX_WIDTH,
    MIN_SIDE,
    PITCH_RANGE_MM,
    VIEWING_RANGE_M,
    BoardSpec,
    GeometryError,
)
from signage.message import N_, Message
from signage.models import ALL_WEEKDAYS, EFFECTS
from signage.render import MAX_TEXT_CHARS
from signage.text import detect_encoding, normalize, to_unicode

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600)
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


class InvalidInput(Message, ValueError):
    """Input that cannot be saved; ``field`` names where it came from.

    ``template`` (English, %-style) and ``params`` let each caller say it in its user's
    language; ``message`` is the English text for logs, the CLI and the importer.
    """

    def __init__(self, field: str, template: str, **params: object) -> None:
        self.field = field  # the form field or API key it is about; keyed apart, not prefixed
        self.template = template
        self.params = params
        self.message = self.english_text()
        #: Every problem found (a service checks all its rules): this one alone, or see ``gather``.
        self.problems: list[InvalidInput] = [self]
        super().__init__(f"{field}: {self.message}")

    @classmethod
    def gather(cls, problems: list[InvalidInput]) -> InvalidInput:
        """One error carrying ``problems``; it reads as the first of them where one is shown."""
        first = problems[0]
        combined = cls(first.field, first.template, **first.params)
        combined.problems = list(problems)
        return combined


#: The largest row id any table gets (a 32-bit INTEGER column on every database we run on):
#: a larger number names no record, and SQLite cannot even compare it.
MAX_ROW_ID = 2**31 - 1


def slogan_text(text: str | None) -> str:
    """NFC text of a slogan, not empty and within what the renderer takes."""
    cleaned = normalize(text or "").strip()
    if not cleaned:
        raise InvalidInput("text", N_("the slogan is empty"))
    if len(cleaned) > MAX_TEXT_CHARS:
        raise InvalidInput(
            "text",
            N_("the slogan has %(count)d characters; at most %(limit)d fit a board item"),
            count=len(cleaned),
            limit=MAX_TEXT_CHARS,
        )
    return cleaned


def timezone(name: str | None) -> str:
    """An IANA zone name, checked against the installed list: ZoneInfo itself would read any
    string as a file path (a 10,000-character name raised OSError, not a clear message)."""
    cleaned = (name or "").strip()
    if cleaned not in _zone_names():
        raise InvalidInput("timezone", N_("Unknown time zone; write it like Asia/Ho_Chi_Minh."))
    return cleaned


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


UNKNOWN_EFFECT = N_("unknown effect %(value)r; use one of %(known)s")


def one_of(field_name: str, value: str | None, known: Sequence[str], message: str) -> str:
    """``value`` when it is one of ``known``; else ``message`` (with ``value`` and ``known``)
    under ``field_name``."""
    if value is None or value not in known:
        raise InvalidInput(field_name, message, value=value, known=", ".join(known))
    return value


def effect(name: str | None) -> str:
    return one_of("effect", name or "auto", EFFECTS, UNKNOWN_EFFECT)


def speed(value: int | None) -> int:
    if value is None or not 1 <= value <= 1000:
        raise InvalidInput("speed", N_("speed %(value)r px/s is outside 1..1000"), value=value)
    return value


def color(value: str | None) -> str:
    if not value or not COLOR_RE.match(value):
        raise InvalidInput("color", N_("colour %(value)r is not of the form #rrggbb"), value=value)
    return value.lower()


def board_slug(value: str | None) -> str:
    slug = (value or "").strip()
    if not SLUG_RE.match(slug):
        raise InvalidInput(
            "slug", N_("%(value)r is not a slug: lowercase letters, digits and '-', at most 40"), value=slug
        )
    return slug


def board_geometry(width: int | None, height: int | None, color_model: str | None) -> BoardSpec:
    """The board's spec; a 0x0 or 100000x100000 board is refused with the limits."""
    if color_model not in COLOR_MODELS:
        raise InvalidInput(
            "color",
            N_("unknown colour model %(value)r; use one of %(known)s"),
            value=color_model,
            known=", ".join(COLOR_MODELS),
        )
    if width is None or height is None:
        raise InvalidInput("size", N_("width and height are required"))
    if not MIN_SIDE <= width <= MAX_WIDTH:
        raise InvalidInput(
            "width",
            N_("board width %(value)d px is outside %(low)d..%(high)d px"),
            value=width,
            low=MIN_SIDE,
            high=MAX_WIDTH,
        )
    if not MIN_SIDE <= height <= MAX_HEIGHT:
        raise InvalidInput(
            "height",
            N_("board height %(value)d px is outside %(low)d..%(high)d px"),
            value=height,
            low=MIN_SIDE,
            high=MAX_HEIGHT,
        )
    try:
        return BoardSpec(width, height, color_model)
    except GeometryError as exc:  # anything BoardSpec knows that the checks above do not
        raise InvalidInput("size", N_("%(problem)s"), problem=str(exc)) from None


def protocol(value: str | None) -> str:
    return one_of("protocol", value, PROTOCOLS, N_("unknown protocol %(value)r; use one of %(known)s"))


def port_url(value: str | None) -> str:
    """A port the driver can open: a device that exists, or a pyserial URL that parses."""
    url = (value or "").strip()
    if not url:
        raise InvalidInput("port_url", N_("the port is empty"))
    try:
        check_port_url(url)
    except PortError as exc:
        raise InvalidInput("port_url", N_("the port cannot be used: %(problem)s"), problem=str(exc)) from None
    return url


def port_syntax(value: str | None) -> str:
    """A port URL that parses; the device need not exist (a backup moves between machines)."""
    url = (value or "").strip()
    try:
        check_port_url(url, must_exist=False)
    except PortError as exc:
        raise InvalidInput("port_url", N_("%(problem)s"), problem=str(exc)) from None
    return url


def _measure(field: str, value: float | None, bounds: tuple[float, float], template: str) -> float:
    """``value`` as a float when it is a number within ``bounds``, else InvalidInput(template)."""
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise InvalidInput(field, template, value=value, low=f"{low:g}", high=f"{high:g}")
    return float(value)


def pitch_mm(value: float | None) -> float:
    """A board's pixel pitch in mm (P10 modules: 10): how tall one row of LEDs is."""
    return _measure(
        "pitch_mm", value, PITCH_RANGE_MM, N_("pixel pitch %(value)r mm is outside %(low)s..%(high)s mm")
    )


def viewing_m(value: float | None) -> float:
    """How far (m) the people who must read the board stand from it."""
    return _measure(
        "viewing_m", value, VIEWING_RANGE_M, N_("viewing distance %(value)r m is outside %(low)s..%(high)s m")
    )


def baud(value: int | None) -> int:
    if value not in BAUD_RATES:
        raise InvalidInput(
            "baud",
            N_("baud %(value)r is not a standard rate (%(known)s)"),
            value=value,
            known=", ".join(map(str, BAUD_RATES)),
        )
    return value


def duration(value: float | None) -> float:
    if value is None or not 1 <= value <= 3600:
        raise InvalidInput("duration", N_("duration %(value)r s is outside 1..3600 s"), value=value)
    return float(value)


#: Most passes an item may play: a long slogan scrolls for minutes already.
MAX_PASSES = 100


def passes(value: float | None) -> int:
    """Complete passes of a scroll (or blinks) an item plays instead of a duration."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, float):
        raise InvalidInput("passes", N_("passes %(value)r is not a whole number"), value=value)
    if value is None or not 1 <= value <= MAX_PASSES:
        raise InvalidInput(
            "passes", N_("passes %(value)r is outside 1..%(high)d"), value=value, high=MAX_PASSES
        )
    return value


#: The legacy encodings text pasted from old government documents may be in, as staff know them.
LEGACY_NAMES = {"tcvn3": "TCVN3 (ABC, .Vn fonts)", "vni": "VNI"}


def pasted_text(raw: str | None) -> tuple[str, str | None]:
    """Text as typed or pasted, converted to Unicode if it is TCVN3 or VNI.

    Returns (text, the legacy encoding's name or None). Detection errs towards Unicode, so
    text that is already Unicode comes back as it is.
    """
    text = raw or ""
    encoding = detect_encoding(text)
    if encoding not in LEGACY_NAMES:
        return text, None
    return to_unicode(text, encoding), LEGACY_NAMES[encoding]


SOURCE_LIMIT = 200  # Slogan.source is String(200)


def slogan_source(value: str | None) -> str:
    """The document a slogan comes from ("KH 17/KH-BQLKKT"): NFC, spaces collapsed, may be empty."""
    cleaned = " ".join(normalize(value or "").split())
    if len(cleaned) > SOURCE_LIMIT:
        raise InvalidInput(
            "source",
            N_("the source has %(count)d characters; at most %(limit)d are allowed"),
            count=len(cleaned),
            limit=SOURCE_LIMIT,
        )
    return cleaned


# --- a schedule's fields that go together (the form, the API, the files and the service) ---


def day(value: date) -> str:
    """Dates in messages as staff write them: dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y")


def date_range(first: date | None, last: date | None) -> tuple[date | None, date | None]:
    """Both bounds optional and inclusive; the last not before the first."""
    if first and last and last < first:
        raise InvalidInput(
            "ends_on",
            N_("the end date %(end)s comes before the start date %(start)s"),
            end=day(last),
            start=day(first),
        )
    return first, last


def daily_window(start: time | None, end: time | None) -> tuple[time | None, time | None]:
    """Both daily times (an end not after the start: overnight) or neither (all day)."""
    if (start is None) != (end is None):
        raise InvalidInput("end_time", N_("give both daily times, or neither (all day)"))
    return start, end


def weekdays(value: str | None) -> str:
    """ISO weekday digits, each once and in order ("12345": Monday to Friday)."""
    days = "".join(sorted(set(value or "")))
    if not days:
        raise InvalidInput("weekdays", N_("choose at least one weekday"))
    if not set(days) <= set(ALL_WEEKDAYS):
        raise InvalidInput("weekdays", N_("at most the 7 days of a week"))
    return days


def one_target(board: bool, group: bool) -> None:
    """A schedule plays on a board, on a group of boards, or (neither) on every board."""
    if board and group:
        raise InvalidInput("group_id", N_("give a board or a group, not both (neither: every board)"))
