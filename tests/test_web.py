"""The admin through the Flask test client: logging in, slogans, playlists, boards, bad input."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from signage import show
from signage.models import Board, Playlist, Slogan
from tests.conftest import csrf_token, make_user, post_form

LONG = "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG"


def count(db, model) -> int:  # noqa: ANN001
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def make_board(db, playlist: Playlist | None = None, slug: str = "cua-khau") -> Board:  # noqa: ANN001
    board = Board(
        slug=slug,
        name="Cửa khẩu",
        width=192,
        height=32,
        color="mono",
        protocol="native",
        port_url="socket://127.0.0.1:9",
        baud=115200,
        playlist=playlist,
    )
    db.add(board)
    db.commit()
    return board


def test_pages_need_login(app) -> None:  # noqa: ANN001
    client = app.test_client()
    for url in ("/", "/slogans/", "/slogans/new", "/playlists/", "/boards/", "/boards/new"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location, url


def test_wrong_password_is_refused(app, db) -> None:  # noqa: ANN001
    make_user(db, "bien-tap", "editor")
    client = app.test_client()
    response = post_form(client, "/login", {"username": "bien-tap", "password": "sai mật khẩu"})
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_passwords_are_hashed(db) -> None:  # noqa: ANN001
    user = make_user(db, "x", "viewer", "mật khẩu dài")
    assert "mật khẩu dài" not in user.password_hash and user.check_password("mật khẩu dài")


def test_slogan_into_playlist_is_published_to_the_board(app, editor_client, db, redis) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = False  # about publishing itself; review is in test_approval.py
    playlist = Playlist(name="Đại hội")
    db.add(playlist)
    db.commit()
    make_board(db, playlist)
    response = post_form(
        editor_client,
        "/slogans/new",
        {
            "text": LONG,
            "effect": "scroll-left",
            "speed": 40,
            "color": "#ff0000",
            "playlist": playlist.id,
            "duration": 15,
        },
    )
    assert response.status_code == 302
    assert [s.text for s in db.scalars(select(Slogan))] == [LONG]
    doc = json.loads(redis.get(show.show_key("cua-khau")))
    assert [i["text"] for i in doc["items"]] == [LONG]
    assert doc["items"][0]["duration"] == 15 and doc["board"]["width"] == 192
    page = editor_client.get(f"/playlists/{playlist.id}").get_data(as_text=True)
    assert LONG in page


def test_nfd_slogan_is_stored_as_nfc(editor_client, db) -> None:  # noqa: ANN001
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Chào mừng Đại hội")
    post_form(
        editor_client,
        "/slogans/new",
        {"text": nfd, "effect": "auto", "speed": 32, "color": "#ff0000", "playlist": 0, "duration": 10},
    )
    assert db.scalar(select(Slogan.text)) == "Chào mừng Đại hội"


def test_empty_and_oversize_slogans_are_refused_and_nothing_saved(editor_client, db) -> None:  # noqa: ANN001
    base = {"effect": "auto", "speed": 32, "color": "#ff0000", "playlist": 0, "duration": 10}
    response = post_form(editor_client, "/slogans/new", {**base, "text": "   "})
    assert response.status_code == 422
    assert "khẩu hiệu đang trống" in response.get_data(as_text=True)
    response = post_form(editor_client, "/slogans/new", {**base, "text": "Ệ" * 10_000})
    assert response.status_code == 422
    assert "dài 10000 ký tự; một mục trên bảng chỉ nhận tối đa 2000" in response.get_data(as_text=True)
    assert count(db, Slogan) == 0


def test_script_in_a_slogan_shows_as_text(editor_client, db) -> None:  # noqa: ANN001
    post_form(
        editor_client,
        "/slogans/new",
        {
            "text": "<script>alert(1)</script>",
            "effect": "auto",
            "speed": 32,
            "color": "#ff0000",
            "playlist": 0,
            "duration": 10,
        },
    )
    html = editor_client.get("/slogans/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_post_without_csrf_token_is_refused(editor_client, db) -> None:  # noqa: ANN001
    response = editor_client.post(
        "/slogans/new",
        data={"text": "Không có mã CSRF", "effect": "auto", "speed": 32, "color": "#ff0000", "duration": 10},
    )
    assert response.status_code == 400
    assert count(db, Slogan) == 0


def board_form(**overrides) -> dict:  # noqa: ANN003
    return {
        "slug": "bo-y",
        "name": "Cửa khẩu Bờ Y",
        "width": 192,
        "height": 32,
        "color": "mono",
        "protocol": "native",
        "port_url": "socket://127.0.0.1:7000",
        "baud": 115200,
        "address": 1,
        "playlist": 0,
        **overrides,
    }


def test_admin_creates_a_board(admin_client, db) -> None:  # noqa: ANN001
    response = post_form(admin_client, "/boards/new", board_form())
    assert response.status_code == 302
    board = db.scalar(select(Board))
    assert (board.slug, board.width, board.height, board.port_url) == (
        "bo-y",
        192,
        32,
        "socket://127.0.0.1:7000",
    )


def test_impossible_boards_and_missing_ports_are_refused(admin_client, db) -> None:  # noqa: ANN001
    cases = [
        ({"width": 0, "height": 0}, "chiều rộng bảng 0 px nằm ngoài 7..1024 px"),
        ({"width": 100000, "height": 100000}, "chiều rộng bảng 100000 px nằm ngoài"),
        ({"height": 100000}, "chiều cao bảng 100000 px nằm ngoài 7..512 px"),
        ({"port_url": "/dev/ttyUSB-does-not-exist"}, "/dev/ttyUSB-does-not-exist"),
        ({"port_url": "gopher://board"}, "gopher"),
        ({"slug": "Bad Slug!"}, "không phải mã hợp lệ"),
    ]
    for overrides, message in cases:
        response = post_form(admin_client, "/boards/new", board_form(**overrides))
        assert response.status_code == 422, overrides
        assert message in response.get_data(as_text=True), (overrides, message)
    assert count(db, Board) == 0


def test_editor_may_not_manage_boards(editor_client, db) -> None:  # noqa: ANN001
    assert editor_client.get("/boards/new").status_code == 403
    token = csrf_token(editor_client, "/slogans/new")
    response = editor_client.post("/boards/new", data={**board_form(), "csrf_token": token})
    assert response.status_code == 403
    assert count(db, Board) == 0


def test_playlist_reordering_works_without_javascript(app, editor_client, db, redis) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = False  # about publishing itself; review is in test_approval.py
    playlist = Playlist(name="Thứ tự")
    db.add(playlist)
    db.commit()
    make_board(db, playlist)
    for text in ("Một", "Hai", "Ba"):
        post_form(
            editor_client,
            "/slogans/new",
            {
                "text": text,
                "effect": "auto",
                "speed": 32,
                "color": "#ff0000",
                "playlist": playlist.id,
                "duration": 5,
            },
        )
    db.expire_all()
    third = db.get(Playlist, playlist.id).items[2]
    url = f"/playlists/{playlist.id}"
    post_form(editor_client, f"{url}/items/{third.id}/move/up", {}, form_url=url)
    post_form(editor_client, f"{url}/items/{third.id}/move/up", {}, form_url=url)
    db.expire_all()
    assert [i.label for i in db.get(Playlist, playlist.id).items] == ["Ba", "Một", "Hai"]
    doc = json.loads(redis.get(show.show_key("cua-khau")))
    assert [i["text"] for i in doc["items"]] == ["Ba", "Một", "Hai"]


def test_health_reports_a_board_without_a_worker_as_not_ok(app, db) -> None:  # noqa: ANN001
    make_board(db)
    body = app.test_client().get("/health").get_json()  # anonymous: status words only (issue #15)
    assert body == {"ok": False, "boards": {"cua-khau": {"state": "offline"}}}


def test_preview_shows_the_board_pixels_and_lint(editor_client, db) -> None:  # noqa: ANN001
    import io

    from PIL import Image

    from drivers.pixels import BoardSpec
    from signage.render import render_item

    make_board(db)
    q = {"text": "Chào mừng", "effect": "static", "speed": 32, "color": "#ff0000", "scale": 1}
    response = editor_client.get("/preview/slogan.png", query_string=q)
    assert response.status_code == 200 and response.mimetype == "image/png"
    shown = Image.open(io.BytesIO(response.data)).convert("1")
    item = {"kind": "slogan", "text": "Chào mừng", "effect": "static", "speed": 32, "color": "#ff0000"}
    expected = next(iter(render_item(item, BoardSpec(192, 32, "mono")))).image
    assert shown.tobytes() == expected.tobytes()
    fast_query = {**q, "effect": "scroll-left", "speed": 900, "text": LONG}
    fast = editor_client.get("/preview/slogan.json", query_string=fast_query).get_json()
    assert any(w["code"] == "too-fast" for w in fast["warnings"]), fast
    bad = editor_client.get("/preview/slogan.png", query_string={**q, "text": ""})
    assert bad.status_code == 400 and bad.get_json()["error"] == "khẩu hiệu đang trống"


def test_english_is_one_click_away(editor_client) -> None:  # noqa: ANN001
    assert "Khẩu hiệu" in editor_client.get("/slogans/").get_data(as_text=True)
    response = post_form(
        editor_client, "/lang/en", {}, form_url="/slogans/", headers={"Referer": "http://localhost/slogans/"}
    )
    assert response.status_code == 302 and response.location.endswith("/slogans/")
    page = editor_client.get("/slogans/new").get_data(as_text=True)
    assert "Write a slogan" in page and "Slogan text" in page
    base = {"effect": "auto", "speed": 32, "color": "#ff0000", "playlist": 0, "duration": 10, "text": ""}
    assert "the slogan is empty" in post_form(editor_client, "/slogans/new", base).get_data(as_text=True)


def test_every_change_is_audited_with_who_and_before_after(editor_client, admin_client, db) -> None:  # noqa: ANN001
    from signage.models import AuditEntry

    form = {"effect": "auto", "color": "#ff0000", "playlist": 0, "duration": 10}
    post_form(editor_client, "/slogans/new", {**form, "text": "Bản nháp", "speed": 32})
    slogan_id = db.scalar(select(Slogan.id))
    post_form(editor_client, f"/slogans/{slogan_id}/edit", {**form, "text": "Bản sửa", "speed": 40})
    db.expire_all()
    query = select(AuditEntry).where(AuditEntry.table == "slogans").order_by(AuditEntry.id)
    entries = db.scalars(query).all()
    assert [(e.actor, e.action) for e in entries] == [("bien-tap", "create"), ("bien-tap", "update")]
    before, after = json.loads(entries[1].before), json.loads(entries[1].after)
    assert (before["text"], before["speed"], after["text"], after["speed"]) == ("Bản nháp", 32, "Bản sửa", 40)
    users = db.scalars(select(AuditEntry).where(AuditEntry.table == "users")).all()
    assert users and all("(hidden)" in e.after for e in users)
    page = admin_client.get("/audit/").get_data(as_text=True)
    assert "Bản sửa" in page and "bien-tap" in page
    assert editor_client.get("/audit/").status_code == 403


def test_a_save_over_someone_elses_change_is_refused(app, db) -> None:  # noqa: ANN001
    from tests.conftest import client_as, hidden_fields

    db.add(Slogan(text="Bản gốc"))
    db.commit()
    slogan_id = db.scalar(select(Slogan.id))
    first, second = client_as(app, db, "mot", "editor"), client_as(app, db, "hai", "editor")
    url = f"/slogans/{slogan_id}/edit"
    form = {"effect": "auto", "speed": 32, "color": "#ff0000", "playlist": 0, "duration": 10}
    opened_by_second = hidden_fields(second, url)  # both open the form...
    assert post_form(first, url, {**form, "text": "Bản của người thứ nhất"}).status_code == 302
    late = second.post(url, data={**opened_by_second, **form, "text": "Bản của người thứ hai"})
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "Bản của người thứ nhất" in page and "Someone else saved" not in page  # said in Vietnamese
    db.expire_all()
    assert db.get(Slogan, slogan_id).text == "Bản của người thứ nhất"


def test_slogans_list_pages_and_searches(editor_client, db) -> None:  # noqa: ANN001
    db.add_all([Slogan(text=f"Khẩu hiệu số {i:03d}") for i in range(120)])
    db.commit()
    first = editor_client.get("/slogans/").get_data(as_text=True)
    assert "Khẩu hiệu số 119" in first and "Khẩu hiệu số 069" not in first and "Trang 1 / 3" in first
    last = editor_client.get("/slogans/?page=3").get_data(as_text=True)
    assert "Khẩu hiệu số 000" in last and "Khẩu hiệu số 119" not in last
    found = editor_client.get("/slogans/?q=số 07").get_data(as_text=True)
    assert "Khẩu hiệu số 075" in found and "Khẩu hiệu số 119" not in found
