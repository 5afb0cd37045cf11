"""Schedules, urgent notices, proof of play and /health through the Flask test client."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from signage import schedule, show
from signage.models import Board, Playlist, PlaylistItem, ProofOfPlay, Schedule, Slogan, UrgentNotice
from signage.publish import collect_proof
from tests.conftest import gate, login, make_user, post_form


def setup_content(db) -> tuple[Board, Playlist, Playlist]:  # noqa: ANN001
    fallback, congress = Playlist(name="Mặc định"), Playlist(name="Đại hội")
    fallback.items.append(PlaylistItem(slogan=Slogan(text="CHÀO MỪNG"), position=0, duration=5))
    congress.items.append(PlaylistItem(slogan=Slogan(text="ĐẠI HỘI XIII"), position=0, duration=5))
    board = gate(playlist=fallback)
    db.add_all([fallback, congress, board])
    db.commit()
    return board, fallback, congress


def published(redis, slug: str = "cua-khau") -> show.Show:  # noqa: ANN001
    return show.Show.loads(redis.get(show.show_key(slug)))


def count(db, model) -> int:  # noqa: ANN001
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def test_schedule_form_saves_publishes_and_the_show_follows_it(app, editor_client, db, redis) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = False  # about publishing itself; review is in test_approval.py
    board, _fallback, congress = setup_content(db)
    response = post_form(
        editor_client,
        "/schedules/new",
        {
            "name": "Cao điểm",
            "playlist": congress.id,
            "board": board.id,
            "group": 0,
            "phase": 0,
            "starts_on": "2020-08-01",
            "ends_on": "2021-02-01",
            "weekdays": ["1", "2", "3", "4", "5", "6", "7"],
            "start_time": "22:00",
            "end_time": "06:00",
            "priority": 5,
            "enabled": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    doc = published(redis)
    assert [s.name for s in doc.schedules] == ["Cao điểm"]
    night = datetime(2020, 9, 25, 23, 0, tzinfo=schedule.zone(doc))
    assert schedule.what_plays(doc, night).label == "Cao điểm"
    assert schedule.what_plays(doc, night.replace(hour=12)).kind == "fallback"
    page = editor_client.get(f"/schedules/timeline/{board.slug}?days=2").get_data(as_text=True)
    assert "Mặc định" in page


def test_schedule_bad_input_is_refused_and_nothing_saved(editor_client, db, redis) -> None:  # noqa: ANN001
    board, _fallback, congress = setup_content(db)
    base = {
        "name": "x",
        "playlist": congress.id,
        "board": board.id,
        "group": 0,
        "phase": 0,
        "weekdays": ["1"],
        "priority": 0,
    }
    cases = [
        (
            {"starts_on": "2021-01-01", "ends_on": "2020-01-01"},
            "ngày kết thúc 01/01/2020 sớm hơn ngày bắt đầu 01/01/2021",
        ),
        ({"start_time": "22:00"}, "cả hai giờ trong ngày, hoặc bỏ trống cả hai"),
        ({"start_time": "25:99", "end_time": "06:00"}, "HH:MM"),
        ({"weekdays": []}, "chọn ít nhất một thứ trong tuần"),
    ]
    for extra, message in cases:
        response = post_form(editor_client, "/schedules/new", {**base, **extra})
        assert response.status_code == 422, extra
        assert message in response.get_data(as_text=True), extra
    assert count(db, Schedule) == 0


def test_viewer_may_not_schedule_and_editor_may_not_post_notices(app, db) -> None:  # noqa: ANN001
    make_user(db, "xem", "viewer")
    make_user(db, "sua", "editor")
    viewer, editor = app.test_client(), app.test_client()
    login(viewer, "xem")
    login(editor, "sua")
    assert viewer.get("/schedules/new").status_code == 403
    assert editor.get("/notices/").status_code == 403
    assert viewer.get("/proof/proof.csv").status_code == 200  # reading what played is a read


def test_urgent_notice_is_published_and_cancelled(app, db, redis) -> None:  # noqa: ANN001
    board, _f, _c = setup_content(db)
    make_user(db, "duyet", "approver")
    client = app.test_client()
    login(client, "duyet")
    response = post_form(
        client,
        "/notices/",
        {"text": "TẠM ĐÓNG CỬA KHẨU", "effect": "static", "all_boards": "y", "minutes": 30},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    doc = published(redis)
    choice = schedule.what_plays(doc, datetime.now(UTC))
    assert choice.kind == "notice" and choice.items[0].text == "TẠM ĐÓNG CỬA KHẨU"
    notice = db.scalar(select(UrgentNotice))
    assert post_form(client, f"/notices/{notice.id}/cancel", {}, form_url="/notices/").status_code == 302
    assert schedule.what_plays(published(redis), datetime.now(UTC)).kind == "fallback"


def test_notice_bad_input(app, db, redis) -> None:  # noqa: ANN001
    setup_content(db)
    make_user(db, "duyet", "approver")
    client = app.test_client()
    login(client, "duyet")
    for data, message in [
        ({"text": "", "all_boards": "y", "minutes": 5}, ""),
        ({"text": "x", "minutes": 5}, "Hãy chọn bảng, hoặc đánh dấu tất cả các bảng."),
        (
            {
                "text": "x",
                "all_boards": "y",
                "minutes": 5,
                "starts_at": "2030-01-02T10:00",
                "expires_at": "2030-01-01T10:00",
            },
            "Thông báo phải hết hạn sau thời điểm bắt đầu.",
        ),
        (
            {"text": "x", "all_boards": "y", "minutes": 5, "starts_at": "2001-01-01T10:00"},
            "Thời gian của thông báo này đã qua.",
        ),
    ]:
        response = post_form(client, "/notices/", data)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True)
    assert count(db, UrgentNotice) == 0


def test_proof_of_play_is_collected_once_and_exported(app, db, redis) -> None:  # noqa: ANN001
    setup_content(db)
    now = datetime.now(UTC)
    for i in range(3):
        redis.lpush(
            show.proof_key("cua-khau"),
            json.dumps(
                {
                    "record_id": f"r{i}",
                    "board": "cua-khau",
                    "item": "slogan:1",
                    "label": "CHÀO MỪNG",
                    "source": "fallback:1",
                    "show_version": 2,
                    "planned_start": now.isoformat(),
                    "actual_start": (now + timedelta(seconds=i)).isoformat(),
                    "actual_end": now.isoformat(),
                    "frames_sent": 1,
                    "frames_acked": 1,
                    "interrupted": i == 2,
                }
            ),
        )
    assert collect_proof(db, redis) == 3
    redis.lpush(show.proof_key("cua-khau"), json.dumps({"record_id": "r0", "actual_start": now.isoformat()}))
    assert collect_proof(db, redis) == 0  # the same record twice is stored once
    assert count(db, ProofOfPlay) == 3 and redis.llen(show.proof_key("cua-khau")) == 0
    make_user(db, "duyet", "approver")
    client = app.test_client()
    login(client, "duyet")
    response = client.get("/proof/proof.csv?board=cua-khau")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert response.status_code == 200 and len(rows) == 3
    assert rows[2]["Bị ngắt"] == "có" and rows[0]["Nội dung"] == "CHÀO MỪNG"
    assert client.get("/proof/proof.csv?from=2020-13-01").status_code == 400


def test_health_reports_each_board_and_what_its_schedule_says(app, editor_client, db, redis) -> None:  # noqa: ANN001
    from signage.publish import publish_all

    setup_content(db)
    publish_all(db, redis)
    body = editor_client.get("/health").get_json()  # the details need a login (issue #15)
    assert body["ok"] is False  # no worker has beaten yet
    board = body["boards"]["cua-khau"]
    assert board["ok"] is False and board["expected"]["kind"] == "fallback"


def test_hours_and_brightness_form(app, admin_client, db, redis) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = False  # its content was never published, so a save would wait
    board, _f, _c = setup_content(db)
    url = f"/schedules/board/{board.slug}/hours"
    bad = post_form(
        admin_client,
        url,
        {"timezone": "Mars/Olympus", "on_time": "06:00", "off_time": "", "brightness": "06:00 140"},
    )
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Không rõ múi giờ" in text
    assert "Dòng 1" in text and "hoặc bỏ trống cả hai (luôn bật)" in text
    ok = post_form(
        admin_client,
        url,
        {
            "timezone": "Asia/Ho_Chi_Minh",
            "on_time": "05:30",
            "off_time": "22:00",
            "brightness": "05:30 40\n09:00 100\n18:00 70%",
        },
    )
    assert ok.status_code == 302, ok.get_data(as_text=True)
    doc = published(redis)
    assert doc.hours is not None and doc.hours.to_json() == {"on": "05:30", "off": "22:00"}
    assert [s.level for s in doc.brightness] == [40, 100, 70]
    assert "05:30 40" in admin_client.get(url).get_data(as_text=True)


def test_notice_pages_write_dates_as_staff_do(app, db, redis) -> None:  # noqa: ANN001
    """dd/mm/yyyy in the office's zone on the notice list and the notice's own page (issue #6)."""
    import re

    setup_content(db)
    make_user(db, "duyet", "approver")
    client = app.test_client()
    login(client, "duyet")
    response = post_form(
        client,
        "/notices/",
        {
            "text": "TẠM ĐÓNG",
            "effect": "static",
            "all_boards": "y",
            "starts_at": "2030-02-01T07:30",
            "minutes": 30,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    for page in ("/notices/", response.headers["Location"]):
        html = client.get(page).get_data(as_text=True)
        assert "01/02/2030 07:30:00" in html and "01/02/2030 08:00:00" in html, page
        assert not re.search(r"2030-02-01 07:30", html), page
