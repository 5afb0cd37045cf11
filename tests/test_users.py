"""The Users page (issue #15): administrators add users, change roles, switch users off, reset
passwords and sign users out; each change asks first, is audited and ends the user's sessions;
refusals say why in the user's language and change nothing. Users change their own password."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from signage.models import AuditEntry, User
from tests.conftest import login, make_user, post_form

PASSWORD = "correct horse battery"


def admin(app: Flask, db) -> FlaskClient:  # noqa: ANN001
    make_user(db, "quan-tri", "admin")
    client = app.test_client()
    login(client, "quan-tri")
    return client


def user(db, name: str) -> User:  # noqa: ANN001
    db.expire_all()
    return db.scalar(select(User).where(User.username == name))


def signed_in(app: Flask, name: str, password: str = PASSWORD) -> FlaskClient:
    client = app.test_client()
    login(client, name, password)
    assert client.get("/slogans/").status_code == 200
    return client


def test_admin_adds_a_user_who_can_log_in(app: Flask, db) -> None:  # noqa: ANN001
    client = admin(app, db)
    page = client.get("/users/").get_data(as_text=True)
    assert "quan-tri" in page and "Thêm người dùng" in page
    added = post_form(
        client, "/users/", {"username": "bien-tap", "role": "editor", "password": "mật khẩu biên tập"}
    )
    assert added.status_code == 200 and "Đã thêm người dùng bien-tap" in added.get_data(as_text=True)
    assert user(db, "bien-tap").role == "editor"
    assert "chưa bao giờ" in client.get("/users/").get_data(as_text=True)  # never logged in yet
    signed_in(app, "bien-tap", "mật khẩu biên tập")
    assert "chưa bao giờ" not in client.get("/users/").get_data(as_text=True)  # now both have a last login
    entry = db.scalar(
        select(AuditEntry).where(
            AuditEntry.table == "users",
            AuditEntry.action == "create",
            AuditEntry.row_id == str(user(db, "bien-tap").id),
        )
    )
    assert entry.actor == "quan-tri" and json.loads(entry.after)["password_hash"] == "(hidden)"


def test_a_generated_password_is_shown_once_and_works(app: Flask, db) -> None:  # noqa: ANN001
    client = admin(app, db)
    page = post_form(client, "/users/", {"username": "xem", "role": "viewer", "password": ""}).get_data(
        as_text=True
    )
    shown = page.split('<code id="new-password">')[1].split("</code>")[0]
    assert len(shown) >= 10
    signed_in(app, "xem", shown)
    assert shown not in client.get(f"/users/{user(db, 'xem').id}").get_data(as_text=True)


def test_bad_new_users_are_refused_with_the_reason_and_nothing_saved(app: Flask, db) -> None:  # noqa: ANN001
    client = admin(app, db)
    for data, words in [
        ({"username": "bien-tap", "role": "editor", "password": "ngắn"}, "ít nhất 10 ký tự"),
        ({"username": "bien-tap", "role": "editor", "password": "Bien-Tap"}, "ít nhất 10 ký tự"),
        ({"username": "bientap123", "role": "editor", "password": "bientap123"}, "không được trùng tên"),
        ({"username": "bien-tap", "role": "editor", "password": "password123"}, "bị đoán đầu tiên"),
        ({"username": "Quan-Tri", "role": "editor", "password": PASSWORD}, "Đã có người dùng tên"),
        ({"username": "biên tập", "role": "editor", "password": PASSWORD}, "Chỉ dùng chữ không dấu"),
        ({"username": "bien-tap", "role": "god", "password": PASSWORD}, "Not a valid choice"),
    ]:
        response = post_form(client, "/users/", data)
        assert response.status_code == 400, data
        if words != "Not a valid choice":
            assert words in response.get_data(as_text=True), (data, words)
    assert [u.username for u in db.scalars(select(User))] == ["quan-tri"]
    refusals = db.scalars(select(AuditEntry).where(AuditEntry.action == "refused")).all()
    assert len(refusals) == 7 and all(json.loads(e.after)["action"] == "add user" for e in refusals)


def test_role_change_asks_then_ends_the_users_sessions(app: Flask, db) -> None:  # noqa: ANN001
    client = admin(app, db)
    make_user(db, "bien-tap", "editor")
    editor = signed_in(app, "bien-tap")
    target = user(db, "bien-tap").id
    asked = post_form(client, f"/users/{target}/role", {"role": "viewer"}, form_url=f"/users/{target}")
    assert (
        "Đổi vai trò của bien-tap" in asked.get_data(as_text=True) and user(db, "bien-tap").role == "editor"
    )
    done = post_form(
        client, f"/users/{target}/role", {"role": "viewer", "confirmed": "1"}, form_url=f"/users/{target}"
    )
    assert done.status_code == 302 and user(db, "bien-tap").role == "viewer"
    ended = editor.get("/slogans/")
    assert ended.status_code == 302
    assert "Phiên đăng nhập đã kết thúc" in editor.get(ended.headers["Location"]).get_data(as_text=True)


def test_the_last_admin_cannot_be_demoted_or_switched_off(app: Flask, db) -> None:  # noqa: ANN001
    client = admin(app, db)
    me = user(db, "quan-tri").id
    for url, data in (
        (f"/users/{me}/role", {"role": "editor", "confirmed": "1"}),
        (f"/users/{me}/active", {"confirmed": "1"}),
    ):
        response = post_form(client, url, data, form_url=f"/users/{me}")
        assert response.status_code == 400 and "quản trị viên cuối cùng" in response.get_data(as_text=True)
    assert user(db, "quan-tri").role == "admin" and user(db, "quan-tri").active
    refusals = db.scalars(select(AuditEntry).where(AuditEntry.action == "refused")).all()
    assert len(refusals) == 2 and all(e.actor == "quan-tri" for e in refusals)


def test_switching_off_and_on_and_signing_out_everywhere(app: Flask, db) -> None:  # noqa: ANN001
    client = admin(app, db)
    make_user(db, "bien-tap", "editor")
    target = user(db, "bien-tap").id
    first, second = signed_in(app, "bien-tap"), signed_in(app, "bien-tap")
    assert ">2<" in client.get(f"/users/{target}").get_data(as_text=True)  # two open sessions
    post_form(client, f"/users/{target}/sign-out", {"confirmed": "1"}, form_url=f"/users/{target}")
    assert first.get("/slogans/").status_code == 302 and second.get("/slogans/").status_code == 302
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "signout")) is not None
    third = signed_in(app, "bien-tap")
    post_form(client, f"/users/{target}/active", {"confirmed": "1"}, form_url=f"/users/{target}")
    assert not user(db, "bien-tap").active and third.get("/slogans/").status_code == 302
    post_form(client, f"/users/{target}/active", {"confirmed": "1"}, form_url=f"/users/{target}")
    assert user(db, "bien-tap").active
    signed_in(app, "bien-tap")


def test_password_reset_by_an_admin(app: Flask, db) -> None:  # noqa: ANN001
    client = admin(app, db)
    make_user(db, "bien-tap", "editor")
    target = user(db, "bien-tap").id
    old = signed_in(app, "bien-tap")
    weak = post_form(
        client,
        f"/users/{target}/password",
        {"password": "12345", "confirmed": "1"},
        form_url=f"/users/{target}",
    )
    assert weak.status_code == 400 and "ít nhất 10 ký tự" in weak.get_data(as_text=True)
    assert old.get("/slogans/").status_code == 200  # a refusal changes nothing
    post_form(
        client,
        f"/users/{target}/password",
        {"password": "mật khẩu mới tinh", "confirmed": "1"},
        form_url=f"/users/{target}",
    )
    assert old.get("/slogans/").status_code == 302
    signed_in(app, "bien-tap", "mật khẩu mới tinh")


def test_only_admins_reach_the_users_page(app: Flask, db) -> None:  # noqa: ANN001
    make_user(db, "duyet", "approver")
    approver = signed_in(app, "duyet")
    assert approver.get("/users/").status_code == 403
    assert (
        post_form(
            approver,
            "/users/",
            {"username": "x", "role": "admin", "password": PASSWORD},
            form_url="/account/password",
        ).status_code
        == 403
    )
    assert user(db, "x") is None


def test_a_user_changes_their_own_password(app: Flask, db) -> None:  # noqa: ANN001
    make_user(db, "bien-tap", "editor")
    other = signed_in(app, "bien-tap")
    me = signed_in(app, "bien-tap")
    wrong = post_form(
        me,
        "/account/password",
        {"current": "không đúng", "password": "mật khẩu mới tinh", "repeat": "mật khẩu mới tinh"},
    )
    assert wrong.status_code == 400 and "Mật khẩu hiện tại không đúng" in wrong.get_data(as_text=True)
    differ = post_form(
        me,
        "/account/password",
        {"current": PASSWORD, "password": "mật khẩu mới tinh", "repeat": "mật khẩu mới tình"},
    )
    assert differ.status_code == 400 and "không giống nhau" in differ.get_data(as_text=True)
    done = post_form(
        me,
        "/account/password",
        {"current": PASSWORD, "password": "mật khẩu mới tinh", "repeat": "mật khẩu mới tinh"},
    )
    assert done.status_code == 302
    assert me.get("/slogans/").status_code == 200  # this browser goes on
    assert other.get("/slogans/").status_code == 302  # the other one is signed out
    signed_in(app, "bien-tap", "mật khẩu mới tinh")
