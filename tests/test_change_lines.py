"""The Changes page and the audit log tell each change in one line a person reads (issue #16.2)."""

from __future__ import annotations

from sqlalchemy import select

from signage import approval
from signage.models import Slogan
from tests.conftest import client_as, hidden_fields, post_form
from tests.test_approval import setup  # noqa: F401 - approval on, one board, published

CODE_WORDS = ("playlist_items", "slogan_id", "playlist_id", ">create<", ">update<", "font: None", "T0")


def test_an_approver_reads_what_the_editor_did_in_words(app, db, redis, setup) -> None:  # noqa: ANN001, F811
    playlist = setup
    editor = client_as(app, db, "bientap", "editor")
    post_form(
        editor,
        "/slogans/new",
        {
            "text": "CHÀO MỪNG ĐẠI HỘI",
            "effect": "scroll-left",
            "speed": 32,
            "color": "#ff0000",
            "playlist": playlist.id,
            "duration": 10,
        },
    )
    slogan = db.scalar(select(Slogan))
    form = hidden_fields(editor, f"/slogans/{slogan.id}/edit")
    editor.post(
        f"/slogans/{slogan.id}/edit",
        data={
            **form,
            "text": "CHÀO MỪNG ĐẠI HỘI",
            "effect": "scroll-left",
            "speed": 40,
            "color": "#ff0000",
            "playlist": 0,
            "duration": 10,
        },
    )
    approver = client_as(app, db, "duyet", "approver")
    page = approver.get("/changes/").get_data(as_text=True)
    assert "bientap thêm khẩu hiệu «CHÀO MỪNG ĐẠI HỘI» vào danh sách «Đại hội»" in page
    assert "bientap tạo khẩu hiệu «CHÀO MỪNG ĐẠI HỘI»" in page
    assert "tốc độ 32 px/giây → 40 px/giây" in page
    # grouped per record: the slogan's lines under its name, the entry under its playlist
    assert page.count("<h2>Khẩu hiệu «CHÀO MỪNG ĐẠI HỘI»</h2>") == 1
    assert "<h2>Danh sách phát «Đại hội»</h2>" in page
    for word in CODE_WORDS:
        assert word not in page, word
    # the board before and after the speed change, as the renderer shows it
    assert page.count("/preview/slogan.png?scale=2&amp;text=") == 3  # created; and before/after the edit
    assert "speed=32" in page and "speed=40" in page
    assert "Giá trị lưu trong cơ sở dữ liệu" not in page  # the raw values are for administrators
    admin = client_as(app, db, "quantri", "admin")
    logged = admin.get("/audit/").get_data(as_text=True)
    assert "Giá trị lưu trong cơ sở dữ liệu" in logged and "<b>speed</b>: 40" in logged
    assert "bientap sửa khẩu hiệu «CHÀO MỪNG ĐẠI HỘI»: tốc độ 32 px/giây → 40 px/giây" in logged
    picture = approver.get(page.split('src="')[1].split('"')[0].replace("&amp;", "&"))
    assert picture.status_code == 200 and picture.mimetype == "image/png"


def test_times_are_in_the_office_zone_and_english_reads_too(app, db, redis, setup) -> None:  # noqa: ANN001, F811
    playlist = setup
    editor = client_as(app, db, "bientap", "editor")
    post_form(
        editor,
        "/slogans/new",
        {
            "text": "MỪNG XUÂN",
            "effect": "static",
            "speed": 32,
            "color": "#ff0000",
            "playlist": playlist.id,
            "duration": 10,
        },
    )
    entry = approval.pending(db)[0]
    local = entry.at.hour + 7  # Asia/Ho_Chi_Minh is UTC+7 all year
    page = editor.get("/changes/").get_data(as_text=True)
    assert f"{local % 24:02d}:{entry.at.minute:02d}</time>" in page
    post_form(editor, "/lang/en", {}, form_url="/changes/")
    page = editor.get("/changes/").get_data(as_text=True)
    assert "bientap added the slogan «MỪNG XUÂN» to the playlist «Đại hội»" in page
