"""Schedules, board hours and boards through their services, as the importer and scripts use
them: a Session and plain data, no Flask; every problem named at once, nothing half-saved."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signage.audit import acting_as
from signage.db import create_schema, make_engine
from signage.hours import read_hours
from signage.models import AuditEntry, Board, BoardGroup, BrightnessStep, Playlist, Schedule
from signage.recurrence import Rule
from signage.services import InvalidInput, Stale, fingerprint
from signage.services import boards as board_service
from signage.services import schedules as service
from tests.conftest import gate


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine = make_engine(f"sqlite:///{tmp_path / 'signage.db'}")
    create_schema(engine)
    with Session(engine, expire_on_commit=False) as s:
        playlist = Playlist(name="Hằng ngày")
        s.add_all([playlist, gate(playlist), BoardGroup(name="Cổng")])
        s.commit()
        yield s
    engine.dispose()


def _ids(s: Session) -> tuple[int, int, int]:
    playlist = s.scalars(select(Playlist)).one()
    board = s.scalars(select(Board)).one()
    group = s.scalars(select(BoardGroup)).one()
    return playlist.id, board.id, group.id


def test_a_schedule_is_saved_with_its_rule_and_audited(session: Session) -> None:
    playlist_id, _board, _group = _ids(session)
    with acting_as("bien-tap"):
        entry = service.save_schedule(
            session,
            service.ScheduleData(
                playlist_id,
                name=" Tết ",
                board_slug="cua-khau",
                weekdays="7531",
                start_time=time(22),
                end_time=time(6),
                repeat="lunar",
                repeat_month=1,
                repeat_day=1,
                repeat_days=3,
            ),
        )
    assert (entry.name, entry.weekdays, entry.board.slug, entry.rule.days) == ("Tết", "1357", "cua-khau", 3)
    assert fingerprint(entry) == "1"
    logged = session.scalars(select(AuditEntry).where(AuditEntry.table == "schedules")).one()
    assert (logged.actor, logged.action) == ("bien-tap", "create")


def test_every_problem_of_a_schedule_is_named_and_nothing_saved(session: Session) -> None:
    _playlist, _board, group_id = _ids(session)
    with pytest.raises(InvalidInput) as refused:
        service.save_schedule(
            session,
            service.ScheduleData(
                999,
                board_slug="khong-co",
                group_id=group_id,
                phase_id=77,
                starts_on=date(2026, 3, 1),
                ends_on=date(2026, 2, 1),
                start_time=time(8),
                weekdays="",
                repeat="yearly",
                repeat_month=13,
                repeat_day=1,
            ),
        )
    problems = {p.field: p.english_text() for p in refused.value.problems}
    assert problems == {
        "playlist_id": "no playlist 999",
        "board": "no board 'khong-co'",
        "phase_id": "no campaign phase 77",
        "ends_on": "the end date 01/02/2026 comes before the start date 01/03/2026",
        "end_time": "give both daily times, or neither (all day)",
        "weekdays": "choose at least one weekday",
        "group_id": "give a board or a group, not both (neither: every board)",
        "repeat_month": "month 13 does not exist; use 1 to 12",
    }
    assert session.scalar(select(func.count()).select_from(Schedule)) == 0


def test_a_schedule_saved_from_an_old_version_is_refused_and_a_delete_goes_to_the_bin(
    session: Session,
) -> None:
    playlist_id, _board, _group = _ids(session)
    entry = service.save_schedule(session, service.ScheduleData(playlist_id, priority=1))
    seen = fingerprint(entry)
    service.save_schedule(session, service.ScheduleData(playlist_id, priority=2), entry, version=seen)
    with pytest.raises(Stale):
        service.save_schedule(session, service.ScheduleData(playlist_id, priority=3), entry, version=seen)
    with pytest.raises(Stale):
        service.delete_schedule(session, entry, version=seen)
    assert service.delete_schedule(session, entry, version=fingerprint(entry))
    assert session.scalars(select(Schedule)).all() == []  # hidden: it is in the bin
    binned = session.scalars(select(Schedule).execution_options(include_deleted=True)).one()
    assert binned.priority == 2 and binned.deleted_at is not None


def test_hours_replace_the_table_whole_and_raise_the_boards_version(session: Session) -> None:
    board = session.scalars(select(Board)).one()
    before = fingerprint(board)
    steps = [(time(5, 30), 40), (time(8), 100)]
    service.save_hours(session, board, service.HoursData("Asia/Ho_Chi_Minh", time(5, 30), time(23), steps))
    assert read_hours(session, board) == {
        "timezone": "Asia/Ho_Chi_Minh",
        "on": "05:30",
        "off": "23:00",
        "brightness": [{"at": "05:30", "level": 40}, {"at": "08:00", "level": 100}],
    }
    assert int(fingerprint(board)) > int(before)  # a part of the board changed
    with pytest.raises(Stale):
        service.save_hours(session, board, service.HoursData("Asia/Ho_Chi_Minh"), version=before)
    with pytest.raises(InvalidInput) as refused:
        service.save_hours(
            session, board, service.HoursData("Mars/Olympus", time(6), None, [(time(6), 140), (time(6), 5)])
        )
    fields = sorted(p.field for p in refused.value.problems)
    assert fields == ["brightness.0", "brightness.1", "off", "timezone"]
    session.rollback()
    assert session.scalar(select(func.count()).select_from(BrightnessStep)) == 2


def test_a_board_is_checked_whole_and_its_slug_kept_unique(session: Session) -> None:
    playlist_id, _board, _group = _ids(session)
    data = board_service.BoardData(
        "cong-2", "Cổng 2", 64, 16, port_url="socket://127.0.0.1:9", playlist_id=playlist_id
    )
    board = board_service.save_board(session, data)
    assert (board.slug, board.width, board.playlist_id, fingerprint(board)) == (
        "cong-2",
        64,
        playlist_id,
        "1",
    )
    with pytest.raises(InvalidInput) as refused:
        board_service.save_board(
            session,
            board_service.BoardData(
                "Không hợp lệ", "", 0, 16, protocol="x", port_url="", baud=7, led_color="red", playlist_id=999
            ),
        )
    fields = sorted(p.field for p in refused.value.problems)
    assert fields == ["baud", "led_color", "name", "playlist", "port_url", "protocol", "slug", "width"]
    with pytest.raises(InvalidInput) as taken:
        board_service.save_board(session, replace(data, slug="cua-khau"))
    assert [p.field for p in taken.value.problems] == ["slug"]
    seen = fingerprint(board)
    board_service.save_board(session, replace(data, slug="cong-hai"), board, version=seen)
    with pytest.raises(Stale):
        board_service.save_board(session, replace(data, slug="cong-ba"), board, version=seen)
    session.expire_all()
    assert session.get(Board, board.id).slug == "cong-hai"


def test_the_rule_a_schema_parsed_is_stored_as_it_is(session: Session) -> None:
    """The API's way: its schema made the yearly rule of the repeat fields once; the service
    takes that rule (it does not read the repeat fields again) and stores it."""
    from signage.schemas import ScheduleSchema

    playlist_id, _board, _group = _ids(session)
    loaded = ScheduleSchema().load({"repeat": "lunar", "repeat_day": 10, "repeat_month": 3, "repeat_days": 2})
    assert loaded["rule"] == Rule("lunar", 3, 10, False, 2)
    entry = service.save_schedule(session, service.ScheduleData(playlist_id, repeat=loaded["rule"]))
    assert (entry.repeat, entry.repeat_month, entry.repeat_day, entry.repeat_days) == ("lunar", 3, 10, 2)
    assert ScheduleSchema().load({})["rule"] is None  # daily
