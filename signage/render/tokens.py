"""Live tokens in slogan text: {time}, {date}, {countdown:YYYY-MM-DD}, {lunar}, in Vietnamese.

Kept pure (the time is passed in) so a frame for a given moment is always the same, and so
the renderer can tell when the text next changes and redraw only then. The Vietnamese
wording comes from ``signage.text`` so the board and the admin say the same thing.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from signage.text import format_countdown_vi, format_date_vi, format_lunar_vi

from .errors import N_, RenderError

TOKEN_RE = re.compile(r"\{(time|date|lunar|countdown:[^{}]*)\}")


def has_tokens(text: str) -> bool:
    """True if ``text`` holds a live token, so it must be redrawn as time passes."""
    return TOKEN_RE.search(text) is not None


def _target(token: str) -> date:
    value = token.split(":", 1)[1].strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RenderError(
            N_("countdown date %(value)r is not a date written YYYY-MM-DD"), value=value
        ) from None


def check_tokens(text: str) -> None:
    """Raise RenderError for a malformed token before any frame is drawn."""
    for m in TOKEN_RE.finditer(text):
        if m.group(1).startswith("countdown:"):
            _target(m.group(1))


def expand(text: str, now: datetime) -> str:
    """``text`` with its tokens replaced by their values at ``now``."""

    def value(m: re.Match[str]) -> str:
        token = m.group(1)
        if token == "time":
            return now.strftime("%H:%M")
        if token == "date":
            return format_date_vi(now.date())
        if token == "lunar":
            return format_lunar_vi(now.date())
        return format_countdown_vi(_target(token), now.date())

    return TOKEN_RE.sub(value, text)


def next_change(text: str, now: datetime) -> datetime | None:
    """When the expanded text may next change ({time}: next minute; others: next midnight)."""
    tokens = {m.group(1).split(":", 1)[0] for m in TOKEN_RE.finditer(text)}
    if not tokens:
        return None
    if "time" in tokens:
        return now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=now.tzinfo)
