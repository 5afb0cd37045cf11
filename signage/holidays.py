"""The official days offered in the schedule form, and the check of a yearly rule every input shares.

Vietnamese holidays and anniversaries, those of Kon Tum province, and the Lao ones that matter
at a Vietnam-Laos border gate. Each carries its rule (``signage.recurrence.Rule``): picking
one in the form fills in the date and the way it repeats. The names are English message ids;
the admin says them in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from signage.recurrence import REPEATS, Rule
from signage.rules import N_, InvalidInput

MAX_DAYS = 60  # a yearly occurrence is a festival or a commemoration week, not a season

_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def check(
    kind: str | None, month: int | None, day: int | None, leap: bool = False, days: int | None = 1
) -> Rule | None:
    """The rule of a schedule as staff gave it, or None for a daily one; ``InvalidInput`` names the field.

    Forms, the API and the importer all call this, so they refuse the same things with the same words.
    """
    kind = kind or "daily"
    if kind not in REPEATS:
        raise InvalidInput(
            "repeat", N_("%(value)r is not a way to repeat; use daily, yearly or lunar"), value=kind
        )
    if kind == "daily":
        if month is not None or day is not None or leap or days not in (None, 1):
            raise InvalidInput(
                "repeat",
                N_(
                    "a day and month, a leap month and a number of days are for a "
                    "schedule that repeats yearly or lunar"
                ),
            )
        return None
    if month is None or day is None:
        raise InvalidInput("repeat_day", N_("give the day and month the schedule comes back on each year"))
    if not 1 <= month <= 12:
        raise InvalidInput("repeat_month", N_("month %(value)s does not exist; use 1 to 12"), value=month)
    limit = _MONTH_DAYS[month - 1] if kind == "yearly" else 30
    if not 1 <= day <= limit:
        raise InvalidInput(
            "repeat_day",
            N_("day %(day)s does not exist in month %(month)s; use 1 to %(limit)s"),
            day=day,
            month=month,
            limit=limit,
        )
    if leap and kind != "lunar":
        raise InvalidInput("repeat_leap", N_("only a lunar date can fall in a leap month"))
    days = 1 if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(
            "repeat_days",
            N_("a yearly schedule lasts 1 to %(limit)s days, not %(value)s"),
            limit=MAX_DAYS,
            value=days,
        )
    return Rule(kind, month, day, bool(leap), days)


@dataclass(frozen=True)
class OfficialDay:
    """A holiday or anniversary staff schedule every year; ``name`` is an English ``N_`` message id."""

    key: str
    name: str
    rule: Rule
    country: str  # VN or LA


def _day(
    key: str, name: str, kind: str, day: int, month: int, days: int = 1, country: str = "VN"
) -> OfficialDay:
    return OfficialDay(key, name, Rule(kind, month, day, False, days), country)


OFFICIAL_DAYS: tuple[OfficialDay, ...] = (
    _day("new-year", N_("New Year's Day"), "yearly", 1, 1),
    _day("tet", N_("Tết Nguyên Đán (lunar new year)"), "lunar", 1, 1, days=3),
    _day("party", N_("Founding of the Communist Party of Vietnam"), "yearly", 3, 2),
    _day("border-guards", N_("Border Guards' Day (national border defence day)"), "yearly", 3, 3),
    _day("kon-tum", N_("Liberation of Kon Tum province"), "yearly", 16, 3),
    _day("hung-kings", N_("Hùng Kings' Commemoration (Giỗ Tổ Hùng Vương)"), "lunar", 10, 3),
    _day("reunification", N_("Liberation of the South and national reunification"), "yearly", 30, 4),
    _day("labour", N_("International Workers' Day"), "yearly", 1, 5),
    _day("ho-chi-minh", N_("President Hồ Chí Minh's birthday"), "yearly", 19, 5),
    _day("martyrs", N_("War Invalids and Martyrs' Day"), "yearly", 27, 7),
    _day("national-day", N_("National Day of Vietnam"), "yearly", 2, 9),
    _day("kon-tum-party", N_("Tradition day of the Kon Tum provincial Party organisation"), "yearly", 25, 9),
    _day("army", N_("Founding of the Vietnam People's Army"), "yearly", 22, 12),
    _day("lao-army", N_("Founding of the Lao People's Army"), "yearly", 20, 1, country="LA"),
    _day("lao-party", N_("Founding of the Lao People's Revolutionary Party"), "yearly", 22, 3, country="LA"),
    _day("lao-new-year", N_("Lao New Year (Bun Pi Mai)"), "yearly", 14, 4, days=3, country="LA"),
    _day("vn-lao-treaty", N_("Vietnam-Laos Treaty of Amity and Cooperation"), "yearly", 18, 7, country="LA"),
    _day("vn-lao-relations", N_("Vietnam-Laos diplomatic relations"), "yearly", 5, 9, country="LA"),
    _day("lao-national-day", N_("National Day of Laos"), "yearly", 2, 12, country="LA"),
)
OFFICIAL_BY_KEY = {d.key: d for d in OFFICIAL_DAYS}


def official_for(rule: Rule | None) -> OfficialDay | None:
    """The official day whose date is this rule's (to show it picked when a schedule is edited)."""
    if rule is None:
        return None
    return next(
        (
            d
            for d in OFFICIAL_DAYS
            if (d.rule.kind, d.rule.month, d.rule.day, d.rule.leap)
            == (rule.kind, rule.month, rule.day, rule.leap)
        ),
        None,
    )
