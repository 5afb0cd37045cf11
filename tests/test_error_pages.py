"""Errors reach staff as the admin's own page in their language; the API keeps its JSON.

flask-smorest answers every HTTP error in JSON app-wide; a person following a stale link, an
editor's link as a viewer, or a tenth wrong password must read a page, not ``{"code": 404}``.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import client_as, make_user, post_form


def page(response, status: int) -> str:  # noqa: ANN001
    assert response.status_code == status
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_a_stale_link_is_a_page_in_vietnamese(editor_client: FlaskClient) -> None:
    html = page(editor_client.get("/slogans/999999/edit"), 404)
    assert "Trang này không tồn tại" in html and '"code"' not in html
    assert "Trang này không tồn tại" in page(editor_client.get("/khong-co-trang-nay"), 404)


def test_a_viewer_on_an_editors_page_is_told_why(app: Flask, db) -> None:  # noqa: ANN001
    viewer = client_as(app, db, "xem", "viewer")
    assert "Vai trò của bạn không được mở trang này" in page(viewer.get("/slogans/new"), 403)


def test_a_wrong_method_keeps_its_allow_header(editor_client: FlaskClient) -> None:
    response = editor_client.delete("/slogans/")
    assert "Địa chỉ này không nhận loại yêu cầu đó" in page(response, 405)
    assert "GET" in response.headers["Allow"]


def test_too_many_wrong_passwords_is_a_page_not_json(app: Flask, db, redis) -> None:  # noqa: ANN001
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    make_user(db, "bien-tap", "editor")
    client = app.test_client()
    codes = [post_form(client, "/login", {"username": "bien-tap", "password": "đoán"}) for _ in range(3)]
    assert "Thử quá nhiều lần" in page(codes[-1], 429)


def test_a_server_fault_is_a_page_and_english_after_the_switch(app: Flask, db) -> None:  # noqa: ANN001
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the fault becomes a 500 page

    def broken() -> str:
        raise RuntimeError("a fault in a view")

    app.add_url_rule("/broken", view_func=broken)
    editor = client_as(app, db, "bien-tap", "editor")
    assert "Máy chủ gặp lỗi và lỗi đã được ghi lại" in page(editor.get("/broken"), 500)
    post_form(editor, "/lang/en", {}, form_url="/", headers={"Referer": "http://localhost/"})
    assert "Something went wrong on the server" in page(editor.get("/broken"), 500)


def test_the_api_keeps_its_json_errors(app: Flask) -> None:
    client = app.test_client()
    missing = client.get("/api/khong-co", headers={"Accept-Language": "en"})
    assert missing.status_code == 404 and missing.is_json
    assert "/api/openapi.json" in missing.get_json()["message"]
    assert "API không có địa chỉ này" in client.get("/api/khong-co").get_json()["message"]
    no_token = client.get("/api/slogans/1")
    assert no_token.status_code == 401 and no_token.is_json and no_token.get_json()["message"]
