"""Live tokens in slogan text: {time}, {date}, {countdown:YYYY-MM-DD}, in Vietnamese.

Kept pure (the time is passed in) so a frame for a given moment is always the same, and so
the renderer can tell when the text next changes and redraw only then.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .errors import RenderError

TOKEN_RE = re.compile(r"\{(time|date|countdown:[^{}]*)\}")

#: Vietnamese weekday names, Monday first (datetime.weekday() order).
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def has_tokens(text: str) -> bool:
    """True if ``text`` holds a live token, so it must be redrawn as time passes."""
    return TOKEN_RE.search(text) is not None


def _target(token: str) -> date:
    value = token.split(":", 1)[1].strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RenderError(f"countdown date {value!r} is not a date written YYYY-MM-DD") from None


def check_tokens(text: str) -> None:
    """Raise RenderError for a malformed token before any frame is drawn."""
    for m in TOKEN_RE.finditer(text):
        if m.group(1).startswith("countdown:"):
            _target(m.group(1))


def vietnamese_date(day: date) -> str:
    """A date as staff write it on the board: "Thứ Năm, 26/11/2026"."""
    return f"{WEEKDAYS[day.weekday()]}, {day.day:02d}/{day.month:02d}/{day.year}"


def countdown(target: date, today: date) -> str:
    """Days left until ``target``: "còn 35 ngày", "hôm nay" on the day, "đã qua" after it."""
    days = (target - today).days
    if days > 0:
        return f"còn {days} ngày"
    return "hôm nay" if days == 0 else "đã qua"


def expand(text: str, now: datetime) -> str:
    """``text`` with its tokens replaced by their values at ``now``."""

    def value(m: re.Match[str]) -> str:
        token = m.group(1)
        if token == "time":
            return now.strftime("%H:%M")
        if token == "date":
            return vietnamese_date(now.date())
        return countdown(_target(token), now.date())

    return TOKEN_RE.sub(value, text)


def next_change(text: str, now: datetime) -> datetime | None:
    """When the expanded text may next change ({time}: next minute; others: next midnight)."""
    tokens = {m.group(1).split(":", 1)[0] for m in TOKEN_RE.finditer(text)}
    if not tokens:
        return None
    if "time" in tokens:
        return now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=now.tzinfo)
