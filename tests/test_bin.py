"""Deletes ask first on a page that works without a script, say what the boards lose, and can
be undone from the bin ("Thùng rác") for 30 days (issue #16.4)."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from signage import show
from signage.models import AuditEntry, Banner, Schedule, Slogan, UrgentNotice, utcnow
from signage.publish import publish_all
from tests.conftest import client_as, gate_board, post_form
from tests.test_banners import png, upload


def on_board(redis) -> list[str]:  # noqa: ANN001
    doc = show.check(json.loads(redis.get(show.show_key("cua-khau"))))
    return [i.get("text") or i.get("name") for i in doc["items"]]


def test_a_slogan_on_a_board_asks_first_goes_to_the_bin_and_comes_back(  # noqa: ANN001
    app, db, redis, editor_client
) -> None:
    app.config["APPROVAL_REQUIRED"] = False
    _board, slogan = gate_board(db)
    publish_all(db, redis)
    listing = editor_client.get("/slogans/").get_data(as_text=True)
    assert f'href="/slogans/{slogan.id}/delete"' in listing  # a link to a page, not a one-click POST

    confirm = editor_client.get(f"/slogans/{slogan.id}/delete").get_data(as_text=True)
    assert "«CHÀO MỪNG»" in confirm and "Việc này làm thay đổi nội dung trên bảng" in confirm
    assert "Cửa khẩu đang phát nội dung này: nó sẽ rời khỏi bảng." in confirm
    assert "<script" not in confirm.split("<main>")[1]  # works without JavaScript
    assert db.scalar(select(Slogan)) is not None  # asking changed nothing
    assert on_board(redis) == ["CHÀO MỪNG"]

    url = f"/slogans/{slogan.id}/delete"
    done = post_form(editor_client, url, {}, follow_redirects=True).get_data(as_text=True)
    assert "Đã chuyển khẩu hiệu «CHÀO MỪNG» vào thùng rác" in done and 'href="/bin/"' in done
    db.expire_all()
    assert db.scalar(select(Slogan)) is None and on_board(redis) == []
    assert "CHÀO MỪNG" not in editor_client.get("/slogans/").get_data(as_text=True)

    binned = editor_client.get("/bin/").get_data(as_text=True)
    assert "CHÀO MỪNG" in binned and "bien-tap" in binned and "Khôi phục" in binned
    back = post_form(
        editor_client, f"/bin/slogan/{slogan.id}/restore", {}, form_url="/bin/", follow_redirects=True
    ).get_data(as_text=True)
    assert "Đã khôi phục khẩu hiệu «CHÀO MỪNG»" in back and "Hiện trên: Cửa khẩu ngay bây giờ" in back
    assert on_board(redis) == ["CHÀO MỪNG"]  # back in its playlist, on its board
    assert "Thùng rác trống." in editor_client.get("/bin/").get_data(as_text=True)
    lines = client_as(app, db, "duyet", "admin").get("/audit/").get_data(as_text=True)
    assert "bien-tap chuyển khẩu hiệu «CHÀO MỪNG» vào thùng rác" in lines
    assert "bien-tap lấy lại khẩu hiệu «CHÀO MỪNG» từ thùng rác" in lines


def test_a_delete_no_board_sees_says_so_and_old_ones_leave_the_bin(  # noqa: ANN001
    app, db, redis, editor_client
) -> None:
    db.add(Slogan(text="LẺ LOI"))
    db.commit()
    slogan = db.scalar(select(Slogan))
    confirm = editor_client.get(f"/slogans/{slogan.id}/delete").get_data(as_text=True)
    assert "các bảng không thay đổi" in confirm
    post_form(editor_client, f"/slogans/{slogan.id}/delete", {}, follow_redirects=True)
    db.expire_all()
    row = db.scalar(select(Slogan).execution_options(include_deleted=True))
    row.deleted_at = utcnow() - timedelta(days=31)
    db.commit()
    assert "LẺ LOI" not in editor_client.get("/bin/").get_data(as_text=True)


def test_schedules_banners_and_notices_too(app, db, redis) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = False
    board, _slogan = gate_board(db)
    db.add(Schedule(name="Cả ngày", playlist_id=board.playlist_id, board_id=board.id, priority=3))
    db.commit()
    publish_all(db, redis)
    admin = client_as(app, db, "quan-tri", "admin")
    entry = db.scalar(select(Schedule))
    confirm = admin.get(f"/schedules/{entry.id}/delete").get_data(as_text=True)
    assert "«Cả ngày»" in confirm and "Cửa khẩu đang phát nội dung này" in confirm
    post_form(admin, f"/schedules/{entry.id}/delete", {}, form_url=f"/schedules/{entry.id}/delete")
    db.expire_all()
    assert db.scalar(select(Schedule)) is None
    assert "Cả ngày" in admin.get("/bin/").get_data(as_text=True)

    # a banner deleted, then uploaded again: the same picture comes back from the bin
    data = png()
    upload(admin, data)
    banner = db.scalar(select(Banner))
    post_form(admin, f"/banners/{banner.id}/delete", {}, form_url=f"/banners/{banner.id}/delete")
    db.expire_all()
    assert db.scalar(select(Banner)) is None
    upload(admin, data)
    db.expire_all()
    assert db.scalar(select(Banner)).name == "Pano Đại hội"

    # cancelling a notice asks first, and the bin brings it back while its time lasts
    post_form(
        admin,
        "/notices/",
        {"text": "TẠM ĐÓNG CỬA KHẨU", "effect": "static", "all_boards": "y", "minutes": 30},
    )
    notice = db.scalar(select(UrgentNotice))
    listing = admin.get("/notices/").get_data(as_text=True)
    assert f'href="/notices/{notice.id}/cancel"' in listing
    confirm = admin.get(f"/notices/{notice.id}/cancel").get_data(as_text=True)
    assert "Đang hiện trên mọi bảng: các bảng sẽ trở lại lịch phát ngay." in confirm
    post_form(admin, f"/notices/{notice.id}/cancel", {}, form_url=f"/notices/{notice.id}/cancel")
    assert show.check(json.loads(redis.get(show.show_key("cua-khau"))))["notices"] == []
    assert "TẠM ĐÓNG CỬA KHẨU" in admin.get("/bin/").get_data(as_text=True)
    post_form(admin, f"/bin/notice/{notice.id}/restore", {}, form_url="/bin/")
    notices = show.check(json.loads(redis.get(show.show_key("cua-khau"))))["notices"]
    assert [n["text"] for n in notices] == ["TẠM ĐÓNG CỬA KHẨU"]
    assert (
        db.scalar(
            select(AuditEntry).where(AuditEntry.table == "urgent_notices", AuditEntry.action == "update")
        )
        is not None
    )


def test_who_may_see_and_use_the_bin(app, db, redis) -> None:  # noqa: ANN001
    viewer = client_as(app, db, "xem", "viewer")
    assert viewer.get("/bin/").status_code == 403
    assert 'href="/bin/"' not in viewer.get("/").get_data(as_text=True)
    editor = client_as(app, db, "bien-tap", "editor")
    assert 'href="/bin/"' in editor.get("/").get_data(as_text=True)
    assert post_form(editor, "/bin/group/1/restore", {}, form_url="/bin/").status_code == 403
    assert post_form(editor, "/bin/nothing/1/restore", {}, form_url="/bin/").status_code == 404
