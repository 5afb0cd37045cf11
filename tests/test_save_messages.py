"""A save says which boards will show it and when, or that no board plays the list (issue #16.3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from signage.models import Playlist, Slogan
from tests.conftest import gate_board, hidden_fields, post_form

OFFICE = ZoneInfo("Asia/Ho_Chi_Minh")


def _write(client, playlist_id: int, text: str) -> str:  # noqa: ANN001
    form = {
        "text": text,
        "effect": "static",
        "speed": 32,
        "color": "#ff0000",
        "playlist": playlist_id,
        "duration": 10,
    }
    return post_form(client, "/slogans/new", form, follow_redirects=True).get_data(as_text=True)


def test_the_message_says_where_and_when_it_shows(app, db, redis, editor_client) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = False
    board, _slogan = gate_board(db)
    loose = Playlist(name="Dự phòng")
    later = Playlist(name="Buổi sáng")
    db.add_all([loose, later])
    db.commit()

    page = _write(editor_client, board.playlist_id, "CHÀO MỪNG ĐẠI HỘI")
    assert "Đã gửi tới bảng. Hiện trên: Cửa khẩu ngay bây giờ, đến lượt trong danh sách." in page

    page = _write(editor_client, loose.id, "GIỮ GÌN BIÊN GIỚI")
    assert "Không bảng nào phát danh sách này" in page and "Hiện trên" not in page

    # a schedule for tomorrow morning: the list shows when it opens
    assert "Không bảng nào phát danh sách này" in _write(editor_client, later.id, "MỪNG XUÂN")
    tomorrow = (datetime.now(UTC).astimezone(OFFICE) + timedelta(days=1)).date()
    response = post_form(
        editor_client,
        "/schedules/new",
        {
            "name": "Sáng mai",
            "playlist": later.id,
            "board": board.id,
            "group": 0,
            "phase": 0,
            "starts_on": tomorrow.isoformat(),
            "ends_on": "",
            "weekdays": list("1234567"),
            "start_time": "06:00",
            "end_time": "08:00",
            "priority": 5,
            "enabled": "y",
        },
        follow_redirects=True,
    )
    opens = f"{tomorrow:%d/%m/%Y} 06:00"
    assert f"Cửa khẩu từ {opens}, khi lịch «Sáng mai» bắt đầu" in response.get_data(as_text=True)
    page = _write(editor_client, later.id, "MỪNG ĐẢNG")
    assert f"Cửa khẩu từ {opens}, khi lịch «Sáng mai» bắt đầu" in page


def test_a_slogan_in_no_playlist_says_no_board_shows_it(app, db, redis, editor_client) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = False
    gate_board(db)
    page = _write(editor_client, 0, "KHẨU HIỆU LẺ")
    assert "Chưa có danh sách phát nào chứa nội dung này nên chưa bảng nào hiện nó" in page
    slogan = db.scalar(select(Slogan).where(Slogan.text == "KHẨU HIỆU LẺ"))
    form = hidden_fields(editor_client, f"/slogans/{slogan.id}/edit")
    page = editor_client.post(
        f"/slogans/{slogan.id}/edit",
        data={
            **form,
            "text": "KHẨU HIỆU LẺ",
            "effect": "static",
            "speed": 40,
            "color": "#ff0000",
            "playlist": 0,
            "duration": 10,
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Chưa có danh sách phát nào chứa nội dung này" in page


def test_a_draft_says_where_it_will_show(app, db, redis, editor_client) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = True
    board, _slogan = gate_board(db)
    page = _write(editor_client, board.playlist_id, "BẢN NHÁP")
    assert "Đã lưu bản nháp" in page and "Hiện trên: Cửa khẩu ngay bây giờ" in page


def test_approval_is_the_same_for_banners_and_loose_slogans(app, db, redis) -> None:  # noqa: ANN001
    """Issue #16.10: an administrator's banner went to approval while the same administrator's
    slogan went out; now every save of every kind follows the same rule."""
    from signage import approval
    from tests.conftest import client_as
    from tests.test_banners import upload

    app.config["APPROVAL_REQUIRED"] = True
    gate_board(db)
    approval.publish_and_record(db, redis, "setup")
    admin = client_as(app, db, "quantri", "admin")
    upload(admin, png_grey())
    page = _write(admin, 0, "KHẨU HIỆU LẺ")
    assert approval.pending_count(db) == 0  # both published: nothing waits for the admin's own saves
    assert "Chưa có danh sách phát nào chứa nội dung này" in page
    editor = client_as(app, db, "bientap", "editor")
    page = _write(editor, 0, "BẢN NHÁP LẺ")
    assert "Đã lưu bản nháp" in page and approval.pending_count(db) == 1


def png_grey() -> bytes:
    from tests.test_banners import png

    return png(color="grey")
