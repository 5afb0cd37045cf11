"""The words staff read for the code words the database and the worker keep.

Effects, banner fits, roles, colour models, link states and the sources of proof of play are
stored as short English codes (``scroll-left``, ``fill``, ``schedule:12``); every page and
export says them with these functions, in the user's language, so no code word reaches staff.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

EFFECT_WORDS = {
    "auto": _l("automatic (still if it fits, else scrolling)"),
    "static": _l("still"),
    "scroll-left": _l("scroll to the left"),
    "scroll-right": _l("scroll to the right"),
    "scroll-up": _l("scroll upwards"),
    "blink": _l("blinking"),
    "wipe": _l("wipe"),
    "typewriter": _l("letter by letter"),
    "hold": _l("hold"),
}
FIT_WORDS = {
    "fit": _l("whole picture (borders if needed)"),
    "fill": _l("fill the board (edges cut)"),
    "stretch": _l("stretch to the board"),
}
ROLE_WORDS = {
    "viewer": _l("viewer"),
    "editor": _l("editor"),
    "approver": _l("approver"),
    "admin": _l("administrator"),
}
COLOR_WORDS = {
    "mono": _l("one colour"),
    "bicolor": _l("two colours (red and green)"),
    "rgb": _l("full colour"),
    "rgb565": _l("full colour (16-bit)"),
}
PROTOCOL_WORDS = {
    "native": _l("the controller's own protocol"),
    "tpm2": _l("TPM2 (pixel stream)"),
    "flipdot": _l("flip-dot board"),
}
#: ISO weekday digits ("1" Monday … "7" Sunday), as schedules keep them.
WEEKDAY_WORDS = (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"), _l("Sat"), _l("Sun"))
#: The colours one-colour LED modules come in, as a board setting (hex: what previews paint).
LED_WORDS = {
    "#ff2810": _l("red"),
    "#ffb000": _l("amber"),
    "#30ff40": _l("green"),
    "#ffffff": _l("white"),
    "#3080ff": _l("blue"),
}
LINK_WORDS = {
    "up": _l("connected"),
    "down": _l("not connected"),
}


def _word(table: dict, code: str | None) -> str:
    """The staff word for ``code``; an unknown code is shown as it is rather than hidden."""
    if code is None:
        return "—"
    word = table.get(code)
    return str(word) if word is not None else str(code)


def effect_word(code: str | None) -> str:
    return _word(EFFECT_WORDS, code)


def fit_word(code: str | None) -> str:
    return _word(FIT_WORDS, code)


def role_word(code: str | None) -> str:
    return _word(ROLE_WORDS, code)


def color_word(code: str | None) -> str:
    return _word(COLOR_WORDS, code)


def led_word(code: str | None) -> str:
    return _word(LED_WORDS, code)


def link_word(code: str | None) -> str:
    return _word(LINK_WORDS, code)


def led_rgb(hex_color: str | None) -> tuple[int, int, int]:
    """A board's LED colour as RGB for the previews (red when unset or unreadable)."""
    value = (hex_color or "#ff2810").lstrip("#")
    try:
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    except (ValueError, IndexError):
        return 255, 40, 16


def protocol_word(code: str | None) -> str:
    return _word(PROTOCOL_WORDS, code)


def weekday_words(digits: str | None) -> str:
    """ "1234567" -> 'every day', "12345" -> 'Mon–Fri', "67" -> 'Sat, Sun'."""
    days = sorted({int(d) for d in str(digits or "") if d.isdigit() and 1 <= int(d) <= 7})
    if len(days) == 7:
        return _("every day")
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAY_WORDS[days[0] - 1]}–{WEEKDAY_WORDS[days[-1] - 1]}"
    return ", ".join(str(WEEKDAY_WORDS[d - 1]) for d in days) or "—"


def source_words(source: str, label: str = "") -> str:
    """What chose a played item, in words: ``schedule:12`` with its name -> 'schedule «Daily»'."""
    kind = source.partition(":")[0]
    name = label or "—"
    if kind == "schedule":
        return _("schedule «%(name)s»", name=name)
    if kind == "fallback":
        return _("the board's own playlist «%(name)s»", name=name)
    if kind == "notice":
        return _("urgent notice")
    if kind == "test-pattern":
        return _("test pattern")
    if kind == "off":
        return _("off hours")
    return _("nothing to play") if kind == "idle" else source


def register_filters(app: object) -> None:
    """Make the words usable in templates: ``{{ slogan.effect|effect_word }}``."""
    for fn in (
        effect_word,
        fit_word,
        role_word,
        color_word,
        link_word,
        source_words,
        protocol_word,
        weekday_words,
        led_word,
    ):
        app.jinja_env.filters[fn.__name__] = fn  # type: ignore[attr-defined]
