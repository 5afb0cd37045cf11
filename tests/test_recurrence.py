"""Yearly schedules on solar and lunar dates: which days they cover, and the board's timeline over them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from signage import holidays, schedule
from signage.recurrence import Rule, label, span
from signage.rules import InvalidInput
from signage.show import Show, ShowSchedule
from signage.text import lunar_date

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def show_with(*schedules: dict) -> Show:
    """A show whose fallback plays "every day" and whose schedules play "holiday"."""
    item = {"kind": "slogan", "text": "x", "effect": "static", "duration": 5, "id": "slogan:x"}
    return Show.from_json(
        {
            "format": 2,
            "board": {"slug": "b", "timezone": "Asia/Ho_Chi_Minh"},
            "playlists": {
                "1": {"name": "every day", "items": [item]},
                "2": {"name": "holiday", "items": [item]},
            },
            "fallback": "1",
            "schedules": list(schedules),
            "notices": [],
            "hours": None,
            "brightness": [],
        }
    )


def yearly(rule: Rule, **extra: object) -> dict:
    return {
        "id": 7,
        "playlist": "2",
        "target": "all",
        "weekdays": "1234567",
        "priority": 0,
        "repeat": rule.to_json(),
        **extra,
    }


def days_playing(doc: Show, first: date, last: date) -> list[date]:
    """The local days on which the schedule (not the fallback) plays, read off the timeline."""
    start = datetime(first.year, first.month, first.day, tzinfo=HCM)
    end = datetime(last.year, last.month, last.day, tzinfo=HCM) + timedelta(days=1)
    days = []
    for seg in schedule.timeline(doc, start, end):
        if seg.choice.kind == "schedule":
            day = seg.start.date()
            while day < seg.end.date():
                days.append(day)
                day += timedelta(days=1)
    return days


GIO_TO = Rule("lunar", 3, 10)


@pytest.mark.parametrize(("year", "solar"), [(2027, date(2027, 4, 16)), (2028, date(2028, 4, 4))])
def test_gio_to_lands_on_the_tenth_of_the_third_lunar_month(year: int, solar: date) -> None:
    days = days_playing(show_with(yearly(GIO_TO)), date(year, 1, 1), date(year, 12, 31))
    assert days == [solar]
    assert lunar_date(solar)[:3] == (10, 3, year)


def test_tet_plays_three_days_across_the_solar_new_year_boundary() -> None:
    tet = holidays.OFFICIAL_BY_KEY["tet"].rule
    days = days_playing(show_with(yearly(tet)), date(2028, 1, 1), date(2028, 12, 31))
    assert days == [date(2028, 1, 26), date(2028, 1, 27), date(2028, 1, 28)]  # Tết Mậu Thân
    assert [lunar_date(d).day for d in days] == [1, 2, 3]


def test_solar_yearly_plays_every_year_inside_its_date_range() -> None:
    national_day = Rule("yearly", 9, 2)
    doc = show_with(yearly(national_day, starts_on="2021-01-01"))
    assert days_playing(doc, date(2020, 1, 1), date(2023, 12, 31)) == [
        date(2021, 9, 2),
        date(2022, 9, 2),
        date(2023, 9, 2),
    ]


def test_weekdays_still_filter_a_yearly_schedule() -> None:
    week = Rule("yearly", 9, 1, days=7)  # 1-7/9/2025 runs Monday to Sunday
    doc = show_with(yearly(week, weekdays="12345"))
    assert days_playing(doc, date(2025, 8, 1), date(2025, 9, 30)) == [date(2025, 9, d) for d in range(1, 6)]


def test_29_february_falls_on_the_28th_in_common_years() -> None:
    rule = Rule("yearly", 2, 29)
    assert [s for s, _e in rule.occurrences(date(2023, 1, 1), date(2024, 12, 31))] == [
        date(2023, 2, 28),
        date(2024, 2, 29),
    ]


def test_day_30_of_a_short_lunar_month_falls_on_its_last_day() -> None:
    rule = Rule("lunar", 12, 30)  # the eve of Tết
    # month 12 of Canh Tý had 30 days, that of Tân Sửu 29: the eve is the day before Tết each year
    assert [s for s, _e in rule.occurrences(date(2021, 1, 1), date(2022, 12, 31))] == [
        date(2021, 2, 11),
        date(2022, 1, 31),
    ]


def test_leap_months() -> None:
    regular = Rule("lunar", 4, 15)
    in_leap = Rule("lunar", 4, 15, leap=True)
    # 2020 repeats the 4th month: the regular rule keeps the first, the leap rule takes the repeat
    assert regular.start_in(2020) == date(2020, 5, 7)
    assert in_leap.start_in(2020) == date(2020, 6, 6)
    assert lunar_date(date(2020, 6, 6)) == (15, 4, 2020, True)
    # 2021 has no leap 4th month: both play in the regular one
    assert regular.start_in(2021) == in_leap.start_in(2021) == date(2021, 5, 26)


def test_occurrences_for_any_year_within_the_schedules_own_dates_and_their_labels() -> None:
    entry = ShowSchedule.from_json(yearly(GIO_TO, ends_on="2029-12-31"), "schedule")
    assert schedule.occurrences(entry, date(2027, 4, 17), date(2035, 1, 1)) == [
        (date(2028, 4, 4), date(2028, 4, 4)),
        (date(2029, 4, 23), date(2029, 4, 23)),
    ]
    later = ShowSchedule.from_json(yearly(GIO_TO, starts_on="2031-01-01"), "schedule")
    assert schedule.occurrences(later, date(2027, 1, 1), date(2030, 12, 31)) == []
    assert schedule.occurrences(ShowSchedule(1, "2"), date(2027, 1, 1), date(2030, 12, 31)) == []
    assert label(date(2028, 4, 4), GIO_TO) == "04/04/2028 (10/03 Mậu Thân)"
    new_year = Rule("yearly", 12, 31, days=3)  # an occurrence that began last year still counts
    assert list(new_year.occurrences(date(2030, 1, 1), date(2030, 1, 1))) == [
        (date(2029, 12, 31), date(2030, 1, 2))
    ]
    assert span(date(2029, 12, 31), date(2030, 1, 2), new_year) == "31/12/2029 – 02/01/2030"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("weekly", 1, 1), "repeat"),
        (("yearly", None, 1), "repeat_day"),
        (("yearly", 13, 1), "repeat_month"),
        (("yearly", 2, 30), "repeat_day"),
        (("lunar", 2, 31), "repeat_day"),
        (("yearly", 9, 2, True), "repeat_leap"),
        (("daily", 9, 2), "repeat"),
        (("daily", None, None, False, 3), "repeat"),
        (("lunar", 1, 1, False, 0), "repeat_days"),
        (("lunar", 1, 1, False, 61), "repeat_days"),
    ],
)
def test_check_names_the_field_of_each_mistake(args: tuple, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        holidays.check(*args)
    assert caught.value.field == field


def test_check_and_the_official_days() -> None:
    assert holidays.check("daily", None, None) is None
    assert holidays.check(None, None, None, False, None) is None
    assert holidays.check("lunar", 3, 10, False, 1) == GIO_TO
    days = {d.key: d for d in holidays.OFFICIAL_DAYS}
    assert days["hung-kings"].rule == GIO_TO
    for key, (day, month) in {
        "party": (3, 2),
        "border-guards": (3, 3),
        "reunification": (30, 4),
        "ho-chi-minh": (19, 5),
        "national-day": (2, 9),
        "lao-national-day": (2, 12),
        "vn-lao-treaty": (18, 7),
        "vn-lao-relations": (5, 9),
    }.items():
        assert (days[key].rule.kind, days[key].rule.day, days[key].rule.month) == ("yearly", day, month)
    assert holidays.official_for(GIO_TO) is days["hung-kings"]
    assert holidays.official_for(Rule("yearly", 6, 6)) is None
