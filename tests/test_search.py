"""Searching Vietnamese text ignores case, accented capitals included, on every database."""

from __future__ import annotations

from signage.models import Slogan


def test_slogan_search_matches_accented_capitals(app, db, editor_client) -> None:  # noqa: ANN001
    db.add_all([Slogan(text="NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI"), Slogan(text="Bảo vệ chủ quyền biên giới")])
    db.commit()
    page = editor_client.get("/slogans/?q=chào mừng").get_data(as_text=True)
    assert "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI" in page and "Bảo vệ" not in page
    page = editor_client.get("/slogans/?q=BẢO VỆ").get_data(as_text=True)
    assert "Bảo vệ chủ quyền biên giới" in page and "CHÀO MỪNG" not in page
