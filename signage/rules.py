"""The checks every input path shares (forms, API, importer, CLI): one message per problem.

Each check returns the cleaned value or raises ``InvalidInput`` naming the field and the
problem, so nothing is saved half-checked and every caller says the same thing.
"""

from __future__ import annotations

import re

from drivers import PROTOCOLS, PortError, check_port_url
from drivers.pixels import COLOR_MODELS, BoardSpec, GeometryError
from signage.models import EFFECTS
from signage.render import MAX_TEXT_CHARS
from signage.text import normalize

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600)
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


class InvalidInput(ValueError):
    """Input that cannot be saved; ``field`` names where it came from."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def slogan_text(text: str | None) -> str:
    """NFC text of a slogan, not empty and within what the renderer takes."""
    cleaned = normalize(text or "").strip()
    if not cleaned:
        raise InvalidInput("text", "the slogan is empty")
    if len(cleaned) > MAX_TEXT_CHARS:
        raise InvalidInput(
            "text", f"the slogan has {len(cleaned)} characters; at most {MAX_TEXT_CHARS} fit a board item"
        )
    return cleaned


def effect(name: str | None) -> str:
    value = name or "auto"
    if value not in EFFECTS:
        raise InvalidInput("effect", f"unknown effect {value!r}; use one of {', '.join(EFFECTS)}")
    return value


def speed(value: int | None) -> int:
    if value is None or not 1 <= value <= 1000:
        raise InvalidInput("speed", f"speed {value!r} px/s is outside 1..1000")
    return value


def color(value: str | None) -> str:
    if not value or not COLOR_RE.match(value):
        raise InvalidInput("color", f"colour {value!r} is not of the form #rrggbb")
    return value.lower()


def board_slug(value: str | None) -> str:
    slug = (value or "").strip()
    if not SLUG_RE.match(slug):
        raise InvalidInput("slug", f"{slug!r} is not a slug: lowercase letters, digits and '-', at most 40")
    return slug


def board_geometry(width: int | None, height: int | None, color_model: str | None) -> BoardSpec:
    """The board's spec; a 0x0 or 100000x100000 board is refused with the limits."""
    if color_model not in COLOR_MODELS:
        known = ", ".join(COLOR_MODELS)
        raise InvalidInput("color", f"unknown colour model {color_model!r}; use one of {known}")
    if width is None or height is None:
        raise InvalidInput("size", "width and height are required")
    try:
        return BoardSpec(width, height, color_model)
    except GeometryError as exc:
        field = "width" if "width" in str(exc) else "height" if "height" in str(exc) else "size"
        raise InvalidInput(field, str(exc)) from None


def protocol(value: str | None) -> str:
    if value not in PROTOCOLS:
        raise InvalidInput("protocol", f"unknown protocol {value!r}; use one of {', '.join(PROTOCOLS)}")
    return value


def port_url(value: str | None) -> str:
    """A port the driver can open: a device that exists, or a pyserial URL that parses."""
    url = (value or "").strip()
    if not url:
        raise InvalidInput("port_url", "the port is empty")
    try:
        check_port_url(url)
    except PortError as exc:
        raise InvalidInput("port_url", str(exc)) from None
    return url


def baud(value: int | None) -> int:
    if value not in BAUD_RATES:
        rates = ", ".join(map(str, BAUD_RATES))
        raise InvalidInput("baud", f"baud {value!r} is not a standard rate ({rates})")
    return value


def duration(value: float | None) -> float:
    if value is None or not 1 <= value <= 3600:
        raise InvalidInput("duration", f"duration {value!r} s is outside 1..3600 s")
    return float(value)
