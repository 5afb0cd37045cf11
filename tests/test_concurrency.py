"""Optimistic concurrency at the UPDATE (issue #13.5): two people save the same record at once.

Each thread has its own Session on a real database file (and PostgreSQL when
``TEST_DATABASE_URL`` is set): both read the record, both pass the version check, then both
save together. Exactly one save is kept; the other is refused with ``Stale`` (which the API
says in Vietnamese) and writes nothing. A change of a record's parts (a playlist's items, a
campaign's phases, a group's boards) races the same way, since it raises the record's version.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from signage.models import (
    Board,
    BoardGroup,
    Campaign,
    Phase,
    Playlist,
    PlaylistItem,
    Slogan,
)
from signage.services import Stale, fingerprint
from signage.services.errors import saved
from signage.services.versions import check
from signage.web.api.helpers import answered, named
from tests.conftest import client_as, gate


def _seed(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        slogan = Slogan(text="Chào mừng Đại hội")
        playlist = Playlist(name="Hằng ngày")
        playlist.items.append(PlaylistItem(slogan=slogan, position=0, duration=10))
        campaign = Campaign(name="Đại hội XIV")
        campaign.phases.append(
            Phase(name="Chuẩn bị", position=0, starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 9))
        )
        board = gate(playlist)
        group = BoardGroup(name="Cổng")
        s.add_all([slogan, playlist, campaign, board, group])
        s.commit()
        return {"slogan": slogan.id, "playlist": playlist.id, "campaign": campaign.id, "group": group.id}


def _slogan(s: Session, ids: dict[str, int], n: int) -> Any:
    slogan = s.get(Slogan, ids["slogan"])
    assert slogan is not None
    slogan.text = f"Khẩu hiệu của người {n}"
    return slogan


def _playlist_item(s: Session, ids: dict[str, int], n: int) -> Any:
    playlist = s.get(Playlist, ids["playlist"])
    assert playlist is not None
    playlist.items[0].duration = 20 + n  # only a part changes: the playlist's version must move
    return playlist


def _phase_added(s: Session, ids: dict[str, int], n: int) -> Any:
    campaign = s.get(Campaign, ids["campaign"])
    assert campaign is not None
    day = date(2026, 2 + n, 1)
    campaign.phases.append(Phase(name=f"Giai đoạn {n}", position=1 + n, starts_on=day, ends_on=day))
    return campaign


def _group_members(s: Session, ids: dict[str, int], n: int) -> Any:
    group = s.get(BoardGroup, ids["group"])
    assert group is not None
    if n:
        group.boards = list(s.scalars(select(Board)))
    else:
        group.description = "Các bảng ở cổng"
    return group


EDITS: dict[str, tuple[str, Callable[[Session, dict[str, int], int], Any]]] = {
    "slogan text": ("slogan", _slogan),
    "playlist item": ("playlist", _playlist_item),
    "campaign phase": ("campaign", _phase_added),
    "group boards": ("group", _group_members),
}


def _race(engine: Engine, ids: dict[str, int], kind: str, edit: Callable[..., Any]) -> list[Any]:
    """Two saves from one version: both read and pass the check, then both write at once."""
    read = threading.Barrier(2, timeout=30)
    results: list[Any] = [None, None]

    def person(n: int) -> None:
        with Session(engine) as s:
            try:
                record = edit(s, ids, n)
                given = fingerprint(record)  # what this person's form carried
                check(kind, given, fingerprint(record))  # passes: nobody has saved yet
                read.wait()  # both have read and checked before either writes
                saved(s)
                results[n] = "saved"
            except Stale as exc:
                results[n] = exc

    threads = [threading.Thread(target=person, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.parametrize("what", list(EDITS))
def test_of_two_simultaneous_saves_exactly_one_is_kept(app: Flask, what: str) -> None:
    engine: Engine = app.extensions["signage.engine"]
    ids = _seed(engine)
    kind, edit = EDITS[what]
    with Session(engine) as s:
        table = {
            "slogan": "slogans",
            "playlist": "playlists",
            "campaign": "campaigns",
            "group": "board_groups",
        }
        before = s.execute(
            text(f"SELECT row_version FROM {table[kind]} WHERE id = :id"), {"id": ids[kind]}
        ).scalar_one()

    results = _race(engine, ids, kind, edit)

    assert sorted(map(type, results), key=str) == sorted([str, Stale], key=str), results
    refused = next(r for r in results if isinstance(r, Stale))
    kept = results.index("saved")
    assert refused.kind == kind and refused.given == str(before) and refused.now == str(before + 1)
    with Session(engine) as s:  # the kept save is whole; of the refused one nothing is there
        record = s.get(
            {"slogan": Slogan, "playlist": Playlist, "campaign": Campaign, "group": BoardGroup}[kind],
            ids[kind],
        )
        assert fingerprint(record) == str(before + 1)
        if kind == "slogan":
            assert record.text == f"Khẩu hiệu của người {kept}"
        elif kind == "playlist":
            assert [i.duration for i in record.items] == [20 + kept]
        elif kind == "campaign":
            assert [p.name for p in record.phases] == ["Chuẩn bị", f"Giai đoạn {kept}"]
        else:
            assert (record.description, len(record.boards)) == (
                ("Các bảng ở cổng", 0) if kept == 0 else ("", 1)
            )

    with app.test_request_context(headers={"Accept-Language": "vi"}):  # as the API says it
        with pytest.raises(HTTPException) as answer, answered(named(kind, ids[kind])):
            raise refused
    assert answer.value.code == 409
    message = answer.value.data["message"]  # type: ignore[attr-defined]
    assert f"đã được người khác thay đổi sau phiên bản {before}" in message
    assert f"phiên bản hiện tại {before + 1}" in message and "Chưa lưu gì" in message


def test_a_form_read_before_anothers_save_is_refused_before_writing(app: Flask) -> None:
    """The check before the write: a version read earlier than the record's is refused up front."""
    engine: Engine = app.extensions["signage.engine"]
    ids = _seed(engine)
    with Session(engine) as s:
        slogan = s.get(Slogan, ids["slogan"])
        assert slogan is not None
        seen = fingerprint(slogan)
        slogan.text = "Một"
        saved(s)
        assert fingerprint(slogan) == str(int(seen) + 1)
        with pytest.raises(Stale):
            check("slogan", seen, fingerprint(slogan))


def test_a_schedule_form_opened_before_anothers_save_is_refused(app: Flask, db, editor_client) -> None:  # noqa: ANN001
    """The schedule form carries the version it showed; a save from it after someone else's
    save is refused with the reason in Vietnamese, and the other person's change is kept."""
    from signage.models import Schedule
    from signage.services import schedules as service
    from tests.conftest import hidden_fields

    app.config["APPROVAL_REQUIRED"] = False
    playlist = Playlist(name="Hằng ngày")
    db.add(playlist)
    db.commit()
    entry = service.save_schedule(db, service.ScheduleData(playlist.id, name="Sáng", priority=1))
    url = f"/schedules/{entry.id}/edit"
    seen = hidden_fields(editor_client, url)
    assert seen["base_version"] == "1"
    service.save_schedule(db, service.ScheduleData(playlist.id, name="Chiều", priority=2), entry, version="1")
    form = {
        **seen,
        "name": "Tối",
        "playlist": str(playlist.id),
        "board": "0",
        "group": "0",
        "phase": "0",
        "weekdays": ["1", "2", "3", "4", "5", "6", "7"],
        "priority": "3",
        "repeat": "daily",
        "repeat_days": "1",
        "enabled": "y",
    }
    refused = editor_client.post(url, data=form, follow_redirects=True)
    assert "Người khác đã lưu lịch phát này sau khi bạn mở" in refused.get_data(as_text=True)
    db.expire_all()
    kept = db.get(Schedule, entry.id)
    assert (kept.name, kept.priority, fingerprint(kept)) == ("Chiều", 2, "2")
    again = editor_client.post(url, data={**form, **hidden_fields(editor_client, url)})
    assert again.status_code == 302
    db.expire_all()
    assert db.get(Schedule, entry.id).name == "Tối"


def test_a_lost_race_in_a_view_that_commits_itself_is_a_409_not_a_500(app: Flask, db) -> None:  # noqa: ANN001
    """Views not yet moved onto a service commit by themselves; a save that loses the race
    at the UPDATE still answers 409 with the reason, on a page and in the API."""
    from sqlalchemy.orm.exc import StaleDataError

    def lost() -> str:
        raise StaleDataError(
            "UPDATE statement on table 'slogans' expected to update 1 row(s); 0 were matched."
        )

    app.add_url_rule("/slogans/raced", view_func=lost)
    app.add_url_rule("/api/raced", view_func=lost)
    editor_client = client_as(app, db, "bien-tap", "editor")
    page = editor_client.get("/slogans/raced")
    assert page.status_code == 409 and "Người khác vừa lưu" in page.get_data(as_text=True)
    api = editor_client.get("/api/raced")
    assert api.status_code == 409 and api.get_json()["code"] == 409
