"""List pages are kept between changes, yet every reader sees every change at once, gets
working buttons (their own CSRF token) and the messages meant for them."""

from __future__ import annotations

import re

from signage.models import Slogan
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
