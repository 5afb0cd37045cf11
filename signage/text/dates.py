"""Dates in words as Vietnamese notices write them: the ``{date}`` and ``{countdown}`` tokens."""

from __future__ import annotations

from datetime import date

__all__ = ["WEEKDAYS_VI", "format_countdown_vi", "format_date_vi", "weekday_vi"]

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def weekday_vi(d: date) -> str:
    """Name the weekday the way Vietnamese notices do (Monday is "Thứ Hai")."""
    return WEEKDAYS_VI[d.weekday()]


def format_date_vi(d: date) -> str:
    """Render the ``{date}`` token: "Thứ Năm, 26/11/2026"."""
    return f"{weekday_vi(d)}, {d.day:02d}/{d.month:02d}/{d.year}"


def format_countdown_vi(target: date, today: date) -> str:
    """Render the ``{countdown:...}`` token: "còn 35 ngày", "hôm nay", or "đã qua 3 ngày"."""
    days = (target - today).days
    if days > 0:
        return f"còn {days} ngày"
    if days == 0:
        return "hôm nay"
    return f"đã qua {-days} ngày"
