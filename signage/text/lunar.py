"""The Vietnamese lunar calendar (âm lịch): the ``{lunar}`` token and yearly lunar schedules.

The rules are the official ones (decision 121-CP of 1967): a month begins on the day, in
UTC+7, of the new moon; month 11 is the month holding the winter solstice; a lunar year that
has 13 months from one month 11 to the next repeats, as a leap (nhuận) month, the first month
in which the sun enters no new major solar term (a multiple of 30° of longitude). The
structure follows Hồ Ngọc Đức's published algorithm; the astronomy is more precise than his
low-precision series, which put a month's first day one day late (and printed "day 0") where
the new moon falls within minutes of local midnight, as in 1944, 2054, 2062, 2072 and 2077:

- new moons: Meeus, *Astronomical Algorithms* (2nd ed.), chapter 49, with every periodic
  and planetary term (a few seconds from the full lunar theory over 1900-2100);
- the sun's apparent longitude: Meeus chapter 25, with nutation and aberration (0.01°);
- dynamical to universal time: the ΔT polynomials of Espenak and Meeus (NASA, 2006).

UTC+7 is used for every year. Calendars printed in Vietnam before 1968 followed China's
(UTC+8), so a few historical days before 1968 differ from old printed calendars by one day;
the board only ever shows today.
"""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache
from typing import NamedTuple

__all__ = ["LunarDate", "format_lunar_vi", "lunar_date", "lunar_year_name", "solar_date"]

_TZ_DAYS = 7 / 24  # UTC+7
_JDN_OFFSET = 1721425  # date.toordinal() + this = Julian day number
_SYNODIC = 29.530588861
_RAD = math.pi / 180


class LunarDate(NamedTuple):
    """A date of the Vietnamese lunar calendar; ``leap`` marks a day of the leap (nhuận) month."""

    day: int
    month: int
    year: int
    leap: bool


# --- astronomy ----------------------------------------------------------------------------------


def _delta_t_days(jde: float) -> float:
    """TD - UT in days near ``jde``, from Espenak and Meeus' polynomials (1860-2150)."""
    y = 2000 + (jde - 2451544.5) / 365.2425
    if y < 1900:
        t = y - 1860
        s = 7.62 + 0.5737 * t - 0.251754 * t**2 + 0.01680668 * t**3 - 0.0004473624 * t**4 + t**5 / 233174
    elif y < 1920:
        t = y - 1900
        s = -2.79 + 1.494119 * t - 0.0598939 * t**2 + 0.0061966 * t**3 - 0.000197 * t**4
    elif y < 1941:
        t = y - 1920
        s = 21.20 + 0.84493 * t - 0.076100 * t**2 + 0.0020936 * t**3
    elif y < 1961:
        t = y - 1950
        s = 29.07 + 0.407 * t - t**2 / 233 + t**3 / 2547
    elif y < 1986:
        t = y - 1975
        s = 45.45 + 1.067 * t - t**2 / 260 - t**3 / 718
    elif y < 2005:
        t = y - 2000
        s = (
            63.86
            + 0.3345 * t
            - 0.060374 * t**2
            + 0.0017275 * t**3
            + 0.000651814 * t**4
            + 0.00002373599 * t**5
        )
    elif y < 2050:
        t = y - 2000
        s = 62.92 + 0.32217 * t + 0.005589 * t**2
    else:
        s = -20 + 32 * ((y - 1820) / 100) ** 2 - 0.5628 * (2150 - y)
    return s / 86400


# Meeus table 49.A (new moon): (coefficient, powers of E, multiples of M, M', F, Ω).
_NEW_MOON_TERMS = (
    (-0.40720, 0, 0, 1, 0, 0),
    (0.17241, 1, 1, 0, 0, 0),
    (0.01608, 0, 0, 2, 0, 0),
    (0.01039, 0, 0, 0, 2, 0),
    (0.00739, 1, -1, 1, 0, 0),
    (-0.00514, 1, 1, 1, 0, 0),
    (0.00208, 2, 2, 0, 0, 0),
    (-0.00111, 0, 0, 1, -2, 0),
    (-0.00057, 0, 0, 1, 2, 0),
    (0.00056, 1, 1, 2, 0, 0),
    (-0.00042, 0, 0, 3, 0, 0),
    (0.00042, 1, 1, 0, 2, 0),
    (0.00038, 1, 1, 0, -2, 0),
    (-0.00024, 1, -1, 2, 0, 0),
    (-0.00017, 0, 0, 0, 0, 1),
    (-0.00007, 0, 2, 1, 0, 0),
    (0.00004, 0, 0, 2, -2, 0),
    (0.00004, 0, 3, 0, 0, 0),
    (0.00003, 0, 1, 1, -2, 0),
    (0.00003, 0, 0, 2, 2, 0),
    (-0.00003, 0, 1, 1, 2, 0),
    (0.00003, 0, -1, 1, 2, 0),
    (-0.00002, 0, -1, 1, -2, 0),
    (-0.00002, 0, 1, 3, 0, 0),
    (0.00002, 0, 0, 4, 0, 0),
)
# Meeus' planetary arguments A1-A14: (coefficient, constant, per lunation); A1 also has -0.009173 T².
_PLANETARY_TERMS = (
    (0.000325, 299.77, 0.107408),
    (0.000165, 251.88, 0.016321),
    (0.000164, 251.83, 26.651886),
    (0.000126, 349.42, 36.412478),
    (0.000110, 84.66, 18.206239),
    (0.000062, 141.74, 53.303771),
    (0.000060, 207.14, 2.453732),
    (0.000056, 154.84, 7.306860),
    (0.000047, 34.52, 27.261239),
    (0.000042, 207.19, 0.121824),
    (0.000040, 291.34, 1.844379),
    (0.000037, 161.72, 24.198154),
    (0.000035, 239.56, 25.513099),
    (0.000023, 331.55, 3.592518),
)


def _new_moon_jde(k: int) -> float:
    """Julian ephemeris day (TD) of the k-th new moon after the one of 6 January 2000."""
    t = k / 1236.85
    jde = 2451550.09766 + _SYNODIC * k + 0.00015437 * t**2 - 0.000000150 * t**3 + 0.00000000073 * t**4
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    m = 2.5534 + 29.10535670 * k - 0.0000014 * t**2 - 0.00000011 * t**3
    mp = 201.5643 + 385.81693528 * k + 0.0107582 * t**2 + 0.00001238 * t**3 - 0.000000058 * t**4
    f = 160.7108 + 390.67050284 * k - 0.0016118 * t**2 - 0.00000227 * t**3 + 0.000000011 * t**4
    om = 124.7746 - 1.56375588 * k + 0.0020672 * t**2 + 0.00000215 * t**3
    for coeff, e_power, cm, cmp, cf, com in _NEW_MOON_TERMS:
        jde += coeff * e**e_power * math.sin((cm * m + cmp * mp + cf * f + com * om) * _RAD)
    for i, (coeff, constant, rate) in enumerate(_PLANETARY_TERMS):
        angle = constant + rate * k - (0.009173 * t**2 if i == 0 else 0)
        jde += coeff * math.sin(angle * _RAD)
    return jde


@lru_cache(maxsize=4096)
def _new_moon_day(k: int) -> int:
    """Julian day number of the local (UTC+7) day on which the k-th new moon falls."""
    jde = _new_moon_jde(k)
    return math.floor(jde - _delta_t_days(jde) + 0.5 + _TZ_DAYS)


def _sun_longitude(jde: float) -> float:
    """The sun's apparent geometric longitude in degrees at ``jde`` (Meeus chapter 25, 0.01°)."""
    t = (jde - 2451545.0) / 36525
    l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t**2
    m = (357.52911 + 35999.05029 * t - 0.0001537 * t**2) * _RAD
    c = (
        (1.914602 - 0.004817 * t - 0.000014 * t**2) * math.sin(m)
        + (0.019993 - 0.000101 * t) * math.sin(2 * m)
        + 0.000289 * math.sin(3 * m)
    )
    omega = (125.04 - 1934.136 * t) * _RAD
    return (l0 + c - 0.00569 - 0.00478 * math.sin(omega)) % 360


def _sun_sector(jdn: int) -> int:
    """Which 30° sector (0 from the March equinox) the sun is in at local midnight starting day ``jdn``."""
    jd = jdn - 0.5 - _TZ_DAYS
    return math.floor(_sun_longitude(jd + _delta_t_days(jd)) / 30)


def _lunation_before(jdn: int) -> int:
    """The index k of the last new moon whose local day is on or before ``jdn``."""
    k = math.floor((jdn - 2451550.1) / _SYNODIC)
    while _new_moon_day(k + 1) <= jdn:
        k += 1
    while _new_moon_day(k) > jdn:
        k -= 1
    return k


# --- the calendar -------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _month_11(year: int) -> int:
    """Index k of the new moon that begins month 11, the month holding the winter solstice of ``year``."""
    k = _lunation_before(date(year, 12, 31).toordinal() + _JDN_OFFSET)
    # The sun is past 270° at the month's first midnight: the solstice came in an earlier month.
    while _sun_sector(_new_moon_day(k)) >= 9:
        k -= 1
    return k


@lru_cache(maxsize=512)
def _months(year: int) -> tuple[tuple[int, int, bool], ...]:
    """The months from month 11 of lunar year ``year - 1`` to month 10 of ``year``: (k, month, leap)."""
    first, stop = _month_11(year - 1), _month_11(year)
    leap_k = None
    if stop - first == 13:
        # the first month in which the sun enters no new sector (no major solar term) is the leap one
        leap_k = next(
            (
                k
                for k in range(first + 1, stop)
                if _sun_sector(_new_moon_day(k)) == _sun_sector(_new_moon_day(k + 1))
            ),
            None,
        )
    out: list[tuple[int, int, bool]] = []
    number = 10
    for k in range(first, stop):
        if k == leap_k:
            out.append((k, number, True))
        else:
            number = number % 12 + 1
            out.append((k, number, False))
    return tuple(out)


def lunar_date(d: date) -> LunarDate:
    """Give the Vietnamese lunar date (âm lịch, UTC+7) of a solar day."""
    jdn = d.toordinal() + _JDN_OFFSET
    k = _lunation_before(jdn)
    year = d.year + 1 if k >= _month_11(d.year) else d.year
    for start_k, month, leap in _months(year):
        if start_k == k:
            # months 11 and 12 open the table and belong to the lunar year before
            return LunarDate(jdn - _new_moon_day(k) + 1, month, year - 1 if month >= 11 else year, leap)
    raise AssertionError(f"no lunar month holds {d}")  # every new moon lies between two months 11


def solar_date(year: int, month: int, day: int, leap: bool = False) -> date | None:
    """The solar day of lunar ``day``/``month`` (``leap``: of the leap month) of lunar ``year``.

    None when that lunar year has no such day: no leap month ``month`` that year, or day 30 of
    a month of 29 days. Months 11 and 12 of lunar year ``year`` fall in solar ``year`` or early
    ``year + 1``.
    """
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"no lunar day {day}/{month}: months run 1-12 and days 1-30")
    months = _months(year + 1) if month >= 11 else _months(year)
    for k, number, is_leap in months:
        if number == month and is_leap == leap:
            if _new_moon_day(k) + day - 1 >= _new_moon_day(k + 1):
                return None
            return date.fromordinal(_new_moon_day(k) + day - 1 - _JDN_OFFSET)
    return None


_CAN = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
_CHI = ("Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi")


def lunar_year_name(year: int) -> str:
    """The year's name in the sexagenary cycle: 2021 is "Tân Sửu"."""
    return f"{_CAN[(year + 6) % 10]} {_CHI[(year + 8) % 12]}"


def format_lunar_vi(d: date) -> str:
    """Render the ``{lunar}`` token: "17/10 (nhuận) năm Bính Ngọ" style, as calendars print it."""
    ld = lunar_date(d)
    leap = " nhuận" if ld.leap else ""
    return f"{ld.day:02d}/{ld.month:02d}{leap} năm {lunar_year_name(ld.year)}"
