"""The pure schedule: precedence, tie-break, overnight windows, DST zones and the timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from signage import schedule, show

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def item(text: str) -> dict:
    return {"kind": "slogan", "text": text, "effect": "static", "duration": 5, "id": f"slogan:{text}"}


def doc(**extra) -> show.Show:  # noqa: ANN003
    base = {
        "format": 2,
        "board": {"slug": "b", "timezone": "Asia/Ho_Chi_Minh"},
        "playlists": {
            "1": {"name": "Mặc định", "items": [item("fallback")]},
            "2": {"name": "Đại hội", "items": [item("congress")]},
            "3": {"name": "Đêm", "items": [item("night")]},
            "4": {"name": "Trống", "items": []},
        },
        "fallback": "1",
        "schedules": [],
        "notices": [],
        "hours": None,
        "brightness": [],
    }
    base.update(extra)
    return show.Show.from_json(base)


def sched(id_: int, playlist: str, **kw) -> dict:  # noqa: ANN003
    entry = {"id": id_, "playlist": playlist, "target": "all", "weekdays": "1234567", "priority": 0}
    entry.update(kw)
    return entry


def at(text: str, tz: ZoneInfo = HCM) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def test_fallback_when_nothing_is_scheduled() -> None:
    choice = schedule.what_plays(doc(), at("2020-09-25 10:00"))
    assert choice.kind == "fallback" and choice.items[0].text == "fallback"


def test_date_range_weekdays_and_window() -> None:
    d = doc(
        schedules=[
            sched(
                1,
                "2",
                starts_on="2020-08-01",
                ends_on="2020-10-15",
                weekdays="12345",
                start_time="07:00",
                end_time="17:30",
            )
        ]
    )
    assert schedule.what_plays(d, at("2020-09-25 10:00")).playlist == "2"  # a Friday
    assert schedule.what_plays(d, at("2020-09-26 10:00")).kind == "fallback"  # Saturday
    assert schedule.what_plays(d, at("2020-09-25 17:30")).kind == "fallback"  # end is exclusive
    assert schedule.what_plays(d, at("2020-07-31 10:00")).kind == "fallback"  # before the range
    assert schedule.what_plays(d, at("2020-10-15 07:00")).playlist == "2"  # last day, inclusive


def test_overnight_window_belongs_to_the_day_it_starts() -> None:
    d = doc(schedules=[sched(1, "3", weekdays="5", start_time="22:00", end_time="06:00")])  # Fridays
    assert schedule.what_plays(d, at("2020-09-25 23:00")).playlist == "3"  # Friday night
    assert schedule.what_plays(d, at("2020-09-26 05:59")).playlist == "3"  # Saturday small hours
    assert schedule.what_plays(d, at("2020-09-26 06:00")).kind == "fallback"
    assert schedule.what_plays(d, at("2020-09-25 05:00")).kind == "fallback"  # Thursday's night: no


def test_priority_then_specificity_then_newest_id() -> None:
    d = doc(schedules=[sched(1, "2", priority=5), sched(2, "3", priority=1)])
    assert schedule.what_plays(d, at("2020-09-25 10:00")).schedule_id == 1
    d = doc(
        schedules=[sched(1, "2", target="board"), sched(2, "3", target="all"), sched(3, "3", target="group")]
    )
    assert schedule.what_plays(d, at("2020-09-25 10:00")).schedule_id == 1
    d = doc(schedules=[sched(1, "2"), sched(7, "3")])
    assert schedule.what_plays(d, at("2020-09-25 10:00")).schedule_id == 7


def test_empty_playlist_is_skipped_not_dark() -> None:
    d = doc(schedules=[sched(1, "4", priority=9), sched(2, "2")])
    assert schedule.what_plays(d, at("2020-09-25 10:00")).schedule_id == 2
    d = doc(schedules=[sched(1, "4")], fallback=None)
    assert schedule.what_plays(d, at("2020-09-25 10:00")).kind == "idle"


def test_urgent_notice_beats_everything_and_expires() -> None:
    start = at("2020-09-25 10:00").astimezone(UTC)
    d = doc(
        schedules=[sched(1, "2", priority=100)],
        hours={"on": "06:00", "off": "22:00"},
        notices=[
            {
                "id": 3,
                "text": "ĐÓNG CỬA KHẨU",
                "starts_at": start.isoformat(),
                "expires_at": (start + timedelta(minutes=30)).isoformat(),
            }
        ],
    )
    choice = schedule.what_plays(d, start + timedelta(minutes=1))
    assert choice.kind == "notice" and choice.items[0].text == "ĐÓNG CỬA KHẨU"
    assert choice.items[0].duration == pytest.approx(29 * 60)
    assert schedule.what_plays(d, start + timedelta(minutes=30)).schedule_id == 1
    assert schedule.what_plays(d, start - timedelta(seconds=1)).schedule_id == 1


def test_on_off_hours_and_brightness_table() -> None:
    d = doc(
        hours={"on": "06:00", "off": "22:00"},
        brightness=[
            {"at": "06:00", "level": 40},
            {"at": "09:00", "level": 100},
            {"at": "18:00", "level": 60},
        ],
    )
    assert schedule.what_plays(d, at("2020-09-25 23:00")).kind == "off"
    assert schedule.what_plays(d, at("2020-09-25 06:00")).kind == "fallback"
    assert schedule.brightness(d, at("2020-09-25 07:00")) == 40
    assert schedule.brightness(d, at("2020-09-25 12:00")) == 100
    assert schedule.brightness(d, at("2020-09-25 03:00")) == 60  # yesterday's last step holds


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        schedule.what_plays(doc(), datetime(2020, 9, 25, 10))


def test_dst_zone_follows_the_wall_clock() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    d = doc(
        board={"slug": "b", "timezone": "Europe/Berlin"},
        schedules=[sched(1, "2", start_time="02:30", end_time="03:30")],
    )
    # 2021-03-28 02:30 does not exist in Berlin; 2021-10-31 02:30 happens twice: both count.
    assert schedule.what_plays(d, datetime(2021, 10, 31, 0, 45, tzinfo=UTC)).playlist == "2"  # 02:45 CEST
    assert schedule.what_plays(d, datetime(2021, 10, 31, 1, 45, tzinfo=UTC)).playlist == "2"  # 02:45 CET
    assert schedule.what_plays(d, datetime(2021, 3, 28, 1, 15, tzinfo=UTC)).playlist == "2"  # 03:15 CEST
    assert schedule.what_plays(d, datetime(2021, 3, 28, 2, 30, tzinfo=UTC)).kind == "fallback"  # 04:30
    segments = schedule.timeline(d, at("2021-10-30 12:00", berlin), at("2021-10-31 12:00", berlin))
    congress = [s for s in segments if s.choice.playlist == "2"]
    assert len(congress) == 1
    assert congress[0].end.astimezone(UTC) - congress[0].start.astimezone(UTC) == timedelta(hours=2)


def test_timeline_merges_and_shows_the_overlap() -> None:
    d = doc(
        schedules=[
            sched(1, "2", start_time="08:00", end_time="12:00"),
            sched(2, "3", start_time="10:00", end_time="11:00"),
        ]
    )
    segments = schedule.timeline(d, at("2020-09-25 00:00"), at("2020-09-26 00:00"))
    assert [
        (s.start.astimezone(HCM).strftime("%H:%M"), s.choice.kind, s.choice.schedule_id, s.shadowed)
        for s in segments
    ] == [
        ("00:00", "fallback", None, ()),
        ("08:00", "schedule", 1, ()),
        ("10:00", "schedule", 2, (1,)),
        ("11:00", "schedule", 1, ()),
        ("12:00", "fallback", None, ()),
    ]
    with pytest.raises(ValueError):
        schedule.timeline(d, at("2020-09-26 00:00"), at("2020-09-25 00:00"))


def test_format_1_show_upgrades_and_newer_is_refused() -> None:
    old = show.Show.from_json({"format": 1, "board": {"slug": "b"}, "items": [item("x")]})
    assert schedule.what_plays(old, datetime.now(UTC)).items[0].text == "x"
    with pytest.raises(show.ShowError):
        show.Show.from_json({"format": show.SHOW_FORMAT + 1, "board": {}, "playlists": {}})
