"""Cookies and headers when the admin is served over HTTPS, and when it is not (the LAN default)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from redis import Redis

from signage import create_app
from signage.redis_server import PrivateRedis
from tests.conftest import login, make_user


def build(tmp_path: Path, database_url: str, redis_server: PrivateRedis) -> Flask:
    return create_app(
        {
            "INSTANCE": str(tmp_path / "instance"),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_server.url,
            "TESTING": True,
            "SECRET_KEY": "test",
        }
    )


@pytest.fixture
def https_app(
    tmp_path: Path,
    database_url: str,
    redis: Redis,
    redis_server: PrivateRedis,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Flask]:
    monkeypatch.setenv("SIGNAGE_HTTPS", "on")
    app = build(tmp_path, database_url, redis_server)
    yield app
    app.extensions["signage.engine"].dispose()


def login_cookie_header(app: Flask, base_url: str) -> tuple[str, dict[str, str]]:
    """Log in as a new editor; the Set-Cookie of the login answer and the dashboard's headers."""
    db = app.extensions["signage.sessionmaker"]()
    make_user(db, "bien-tap", "editor")
    db.close()
    client = app.test_client()
    page = client.get("/login", base_url=base_url)
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    form = {"csrf_token": token, "username": "bien-tap", "password": "correct horse battery"}
    # over HTTPS Flask-WTF also wants the page the form came from (a browser sends it: the
    # admin's Referrer-Policy is same-origin); without it the POST is refused
    assert client.post("/login", base_url=base_url, data=form).status_code == 400
    answer = client.post("/login", base_url=base_url, data=form, headers={"Referer": f"{base_url}/login"})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return answer.headers.get("Set-Cookie", ""), dict(client.get("/", base_url=base_url).headers)


def test_over_https_the_session_cookie_is_secure_and_browsers_are_told_to_stay(https_app: Flask) -> None:
    cookie, headers = login_cookie_header(https_app, "https://admin.local")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert headers["Strict-Transport-Security"] == "max-age=31536000"


def test_on_the_lan_default_the_cookie_works_over_plain_http(app: Flask, db) -> None:  # noqa: ANN001
    make_user(db, "bien-tap", "editor")
    client = app.test_client()
    login(client, "bien-tap")
    assert client.get("/").status_code == 200  # the cookie came back: still logged in
    headers = client.get("/").headers
    assert "Strict-Transport-Security" not in headers
    assert headers["X-Frame-Options"] == "DENY"


def test_a_misspelt_switch_is_refused_by_name(
    tmp_path: Path, database_url: str, redis_server: PrivateRedis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNAGE_HTTPS", "sure")
    with pytest.raises(ValueError, match="SIGNAGE_HTTPS must be on or off"):
        build(tmp_path, database_url, redis_server)


def failed_logins(app: Flask, forwarded_for: str, tries: int) -> list[int]:
    client = app.test_client()
    headers = {"X-Forwarded-For": forwarded_for}
    token = (
        client.get("/login", headers=headers)
        .get_data(as_text=True)
        .split('name="csrf_token" type="hidden" value="')[1]
        .split('"')[0]
    )
    return [
        client.post(
            "/login", headers=headers, data={"csrf_token": token, "username": "bien-tap", "password": "đoán"}
        ).status_code
        for _ in range(tries)
    ]


@pytest.mark.parametrize("hops", ["1", ""])
def test_behind_a_proxy_each_office_pc_has_its_own_login_throttle(
    hops: str,
    tmp_path: Path,
    database_url: str,
    redis: Redis,
    redis_server: PrivateRedis,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With SIGNAGE_PROXIES the throttle counts the address the proxy saw; without it the
    forwarded header is not believed (anyone can write one), so every request is the proxy's.
    (The ``redis`` fixture starts the throttle's counts from nothing.)"""
    monkeypatch.setenv("SIGNAGE_PROXIES", hops)
    app = build(tmp_path, database_url, redis_server)
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    db = app.extensions["signage.sessionmaker"]()
    make_user(db, "bien-tap", "editor")
    db.close()
    assert failed_logins(app, "10.0.0.7", 4) == [200, 200, 200, 429]
    # a colleague at another PC, through the same proxy
    assert failed_logins(app, "10.0.0.8", 1) == ([200] if hops else [429])
    app.extensions["signage.engine"].dispose()


def test_a_wrong_proxy_count_is_refused_by_name(
    tmp_path: Path, database_url: str, redis_server: PrivateRedis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNAGE_PROXIES", "one")
    with pytest.raises(ValueError, match="SIGNAGE_PROXIES must be a number"):
        build(tmp_path, database_url, redis_server)
