"""Schedules that come back every year, on a solar date or on a lunar date: which days they play.

A schedule repeats ``daily`` (every day of its date range whose weekday is ticked: all seven is
daily, some of them weekly, as schedules always did), ``yearly`` on a day and month of the solar
calendar, or ``lunar``: yearly on a day and month of the Vietnamese lunar calendar. A yearly
schedule plays for ``days`` days from that date each year (Tết: 3), still inside its own date
range, its phase and its weekdays when those are given.

Dates that some years lack:

- 29/02 (solar) falls on 28/02 in common years;
- day 30 of a lunar month that has 29 days that year falls on the 29th, its last day;
- a lunar date plays in the regular month even in a year that repeats that month as a leap
  (nhuận) month, as anniversaries are kept; with ``leap`` set it plays in the leap month in
  the years that have one and in the regular month in the others.

Pure, without Flask or the database: the worker evaluates these from the show.
``signage.holidays`` holds the check every input path shares and the official days.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from signage.text import lunar_date, lunar_year_name, solar_date

REPEATS = ("daily", "yearly", "lunar")


@dataclass(frozen=True)
class Rule:
    """When a yearly schedule plays: ``kind`` yearly (solar) or lunar, from ``day``/``month``."""

    kind: str
    month: int
    day: int
    leap: bool = False
    days: int = 1

    def start_in(self, year: int) -> date | None:
        """The first day of this year's occurrence (for lunar: of lunar year ``year``)."""
        if self.kind == "yearly":
            if self.month == 2 and self.day == 29 and not _is_leap_year(year):
                return date(year, 2, 28)
            return date(year, self.month, self.day)
        if not 1900 <= year <= 2199:
            return None  # outside the range the lunar calendar is checked for
        for leap in (True, False) if self.leap else (False,):
            for day in (self.day, 29) if self.day == 30 else (self.day,):
                found = solar_date(year, self.month, day, leap)
                if found is not None:
                    return found
        return None

    def occurrences(self, first: date, last: date) -> Iterator[tuple[date, date]]:
        """Each occurrence (first and last day) that shares a day with ``first``..``last``, in order."""
        for year in range(max(first.year - 1, 1), min(last.year, 9998) + 1):
            start = self.start_in(year)
            if start is None:
                continue
            end = start + timedelta(days=self.days - 1)
            if start <= last and end >= first:
                yield start, end

    def covers(self, day: date) -> bool:
        """Whether ``day`` is one of the days of an occurrence (remembered: timelines ask a lot)."""
        return _covers(self, day)

    def describe(self) -> str:
        """The rule in English words, for the CLI: "every year on 10/03 (lunar), 1 day"."""
        where = ""
        if self.kind == "lunar":
            where = " (lunar, leap month when there is one)" if self.leap else " (lunar)"
        return f"every year on {self.day:02d}/{self.month:02d}{where}, {self.days} day{'s' * (self.days > 1)}"

    def to_json(self) -> dict[str, Any]:
        """The rule as the show and the API carry it."""
        return {"kind": self.kind, "month": self.month, "day": self.day, "leap": self.leap, "days": self.days}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Rule | None:
        """The rule of a show's schedule entry (None: a daily schedule)."""
        if not data or data.get("kind") not in ("yearly", "lunar"):
            return None
        return cls(
            data["kind"],
            int(data["month"]),
            int(data["day"]),
            bool(data.get("leap")),
            int(data.get("days") or 1),
        )


@lru_cache(maxsize=65536)
def _covers(rule: Rule, day: date) -> bool:
    return any(True for _ in rule.occurrences(day, day))


def _is_leap_year(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def label(start: date, rule: Rule) -> str:
    """An occurrence as staff read it: "16/04/2027 (10/03 Đinh Mùi)" for a lunar rule."""
    if rule.kind != "lunar":
        return f"{start:%d/%m/%Y}"
    ld = lunar_date(start)
    leap = " nhuận" if ld.leap else ""
    return f"{start:%d/%m/%Y} ({ld.day:02d}/{ld.month:02d}{leap} {lunar_year_name(ld.year)})"


def span(start: date, end: date, rule: Rule) -> str:
    """An occurrence's days as staff read them: one day, or "first – last"."""
    return label(start, rule) if end == start else f"{label(start, rule)} – {label(end, rule)}"
