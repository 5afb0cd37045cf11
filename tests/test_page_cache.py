"""List pages are kept between changes, yet every reader sees every change at once, gets
working buttons (their own CSRF token) and the messages meant for them."""

from __future__ import annotations

import re
from datetime import timedelta

from signage.models import Slogan, UrgentNotice, utcnow
from signage.web import notices
from signage.web.page_cache import PAGES
from tests.conftest import login, make_user, post_form

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def test_a_kept_page_carries_each_readers_own_token_and_every_change(app, db) -> None:  # noqa: ANN001
    make_user(db, "lan", "editor")
    db.add_all([Slogan(text="CHÀO MỪNG"), Slogan(text="BẢO VỆ BIÊN GIỚI")])
    db.commit()
    first, second = app.test_client(), app.test_client()  # one user, two browsers
    login(first, "lan")
    login(second, "lan")
    hits = PAGES.stats.hits
    page_one = first.get("/slogans/").get_data(as_text=True)
    page_two = second.get("/slogans/").get_data(as_text=True)
    assert PAGES.stats.hits == hits + 1  # the second browser got the kept page
    assert TOKEN.search(page_one).group(1) != TOKEN.search(page_two).group(1)
    # The second browser's delete button works with the token its page carried.
    victim = db.query(Slogan).filter_by(text="CHÀO MỪNG").one()
    assert f'href="/slogans/{victim.id}/delete"' in page_two
    form = second.get(f"/slogans/{victim.id}/delete").get_data(as_text=True)
    assert (
        second.post(
            f"/slogans/{victim.id}/delete", data={"csrf_token": TOKEN.search(form).group(1)}
        ).status_code
        == 302
    )
    # Its flash is shown (never from the cache), and the first browser sees the deletion at once.
    assert "vào thùng rác" in second.get("/slogans/").get_data(as_text=True)
    assert "CHÀO MỪNG" not in first.get("/slogans/").get_data(as_text=True)


def test_kept_pages_are_per_user_role_and_language(app, db) -> None:  # noqa: ANN001
    make_user(db, "xem", "viewer")
    make_user(db, "lan", "editor")
    db.add(Slogan(text="HỮU NGHỊ"))
    db.commit()
    viewer, editor = app.test_client(), app.test_client()
    login(viewer, "xem")
    login(editor, "lan")
    assert "Viết khẩu hiệu mới" in editor.get("/slogans/").get_data(as_text=True)
    viewer_page = viewer.get("/slogans/").get_data(as_text=True)
    assert "xem (người xem)" in viewer_page and "lan (biên tập viên)" not in viewer_page
    post_form(editor, "/lang/en", {}, form_url="/slogans/")
    assert "Write a new slogan" in editor.get("/slogans/").get_data(as_text=True)


def test_a_kept_notice_list_turns_with_the_clock(app, db, monkeypatch) -> None:  # noqa: ANN001
    """A notice starts and ends with no change in the database: the kept list is not served
    past the moment, so the row reads "scheduled", then "on the boards", then "expired"."""
    now = utcnow()
    db.add(
        UrgentNotice(
            text="TẠM ĐÓNG CỬA KHẨU", starts_at=now + timedelta(hours=1), expires_at=now + timedelta(hours=2)
        )
    )
    db.commit()
    make_user(db, "duyet", "approver")
    client = app.test_client()
    login(client, "duyet")

    def row_at(moment: timedelta) -> str:
        monkeypatch.setattr(notices, "utcnow", lambda: now + moment)
        page = client.get("/notices/").get_data(as_text=True)
        return re.search(r"<tr><td><a.*?</tr>", page, re.S).group(0)

    hits = PAGES.stats.hits
    assert "chờ phát" in row_at(timedelta(minutes=1)) and "Huỷ" in row_at(timedelta(minutes=2))
    assert PAGES.stats.hits == hits + 1  # the same list, kept
    live = row_at(timedelta(minutes=61))
    assert "đang hiện trên bảng" in live and "Huỷ" in live
    over = row_at(timedelta(minutes=121))
    assert "đã hết hạn" in over and "Huỷ" not in over
