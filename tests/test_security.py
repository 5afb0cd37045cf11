"""Issue #15: each of the ten findings of the attack on the admin and the API, replayed as it was
done (on the test client, the CLI or the import page) and shown refused, changing nothing."""

from __future__ import annotations

import csv
import io
import json
import statistics
import struct
import time
import tracemalloc
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from signage import show
from signage.backup import MAX_RATIO, BackupError, safe_extract, write_backup
from signage.cli import main
from signage.csv_safe import FORMULA_STARTS, safe_cell
from signage.models import AuditEntry, ProofOfPlay, Slogan, UrgentNotice, User
from signage.web.api.auth import issue_token
from tests.conftest import csrf_token, login, make_user, post_form
from tests.test_web import make_board

PASSWORD = "correct horse battery"


def session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(app: Flask, cookie: str) -> FlaskClient:
    """Another browser holding a copy of a session cookie saved earlier."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


def slogans_count(db) -> int:  # noqa: ANN001
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Slogan))


# --- 1. logout ends the session --------------------------------------------------------------------
def test_1_a_cookie_saved_before_logout_opens_nothing(app: Flask, db) -> None:  # noqa: ANN001
    make_user(db, "bien-tap", "editor")
    client = app.test_client()
    login(client, "bien-tap")
    saved = session_cookie(client)
    assert client.get("/slogans/").status_code == 200
    post_form(client, "/logout", {}, form_url="/slogans/")
    stolen = replay(app, saved)
    response = stolen.get("/slogans/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    page = stolen.get(response.headers["Location"]).get_data(as_text=True)
    assert "Phiên đăng nhập đã kết thúc" in page  # why, in the user's language


# --- 2. password reset and deactivation end sessions ----------------------------------------------
def test_2_a_password_reset_from_the_cli_ends_the_old_session(app: Flask, db, tmp_path: Path) -> None:  # noqa: ANN001
    make_user(db, "ueditor", "editor")
    client = app.test_client()
    login(client, "ueditor")
    saved = session_cookie(client)
    result = CliRunner().invoke(
        main,
        ["create-user", "ueditor", "--role", "editor", "--instance", str(tmp_path / "cli")],
        env={"DATABASE_URL": app.config["DATABASE_URL"], "SIGNAGE_NEW_PASSWORD": "một mật khẩu mới hẳn"},
    )
    assert result.exit_code == 0, result.output
    response = replay(app, saved).get("/slogans/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_2_a_deactivated_user_cannot_use_an_old_cookie_to_write(app: Flask, db) -> None:  # noqa: ANN001
    user = make_user(db, "ueditor", "editor")
    client = app.test_client()
    login(client, "ueditor")
    token = csrf_token(client, "/slogans/new")
    saved = session_cookie(client)
    db.execute(update(User).where(User.id == user.id).values(active=False))  # as the attack did: active=0
    db.commit()
    response = replay(app, saved).post(
        "/slogans/new",
        data={
            "csrf_token": token,
            "text": "Viết bởi tài khoản đã khoá",
            "effect": "auto",
            "speed": 32,
            "color": "#ff0000",
            "playlist": 0,
            "duration": 10,
        },
    )
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert slogans_count(db) == 0
    page = app.test_client().get("/login")  # and a login with the right password is refused, saying why
    assert page.status_code == 200
    refused = post_form(app.test_client(), "/login", {"username": "ueditor", "password": PASSWORD})
    assert refused.status_code == 200 and "Tài khoản này đã bị khoá" in refused.get_data(as_text=True)


def test_2_sessions_end_after_their_idle_and_absolute_lifetimes(app: Flask, db) -> None:  # noqa: ANN001
    from signage.models import UserSession

    make_user(db, "bien-tap", "editor")
    for column, ago, words in (
        (UserSession.last_seen_at, timedelta(hours=3), "rời đi quá lâu"),
        (UserSession.created_at, timedelta(hours=13), "hết thời hạn"),
    ):
        client = app.test_client()
        login(client, "bien-tap")
        db.execute(update(UserSession).values({column: datetime.now(UTC).replace(tzinfo=None) - ago}))
        db.commit()
        response = client.get("/slogans/")
        assert response.status_code == 302
        assert words in client.get(response.headers["Location"]).get_data(as_text=True)


# --- 3. open redirect ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example/phish",
        "//evil.example/",
        "/\\evil.example/",
        "/%5Cevil.example/",
        "https://evil.example/",
        "javascript:alert(1)",
        "/%0d%0a/evil.example",
        " //evil.example/",
        "\\\\evil.example",
        "http:/evil.example",
    ],
)
def test_3_next_leaves_the_site_never(app: Flask, db, target: str) -> None:  # noqa: ANN001
    make_user(db, "bien-tap", "editor")
    client = app.test_client()
    response = post_form(
        client, f"/login?next={target}", {"username": "bien-tap", "password": PASSWORD}, form_url="/login"
    )
    assert response.status_code == 302 and response.headers["Location"] == "/", target


def test_3_next_within_the_site_is_kept(app: Flask, db) -> None:  # noqa: ANN001
    make_user(db, "bien-tap", "editor")
    client = app.test_client()
    first = client.get("/slogans/?page=2")
    assert first.status_code == 302
    response = post_form(
        client, first.headers["Location"], {"username": "bien-tap", "password": PASSWORD}, form_url="/login"
    )
    assert response.headers["Location"] == "/slogans/?page=2"


# --- 4. usernames revealed by timing ------------------------------------------------------------------
def test_4_unknown_and_known_names_take_the_same_time(app: Flask, db) -> None:  # noqa: ANN001
    """Before: 340-500 ms for a known name, 27-32 ms for an unknown one (no hash computed)."""
    app.config.update(LOGIN_RATE_LIMIT="1000 per minute", LOGIN_USER_RATE_LIMIT="1000 per minute")
    make_user(db, "bien-tap", "editor")
    client = app.test_client()
    fields = {"csrf_token": csrf_token(client, "/login"), "password": "sai mật khẩu rồi"}

    def took(name: str) -> float:
        began = time.perf_counter()
        assert client.post("/login", data={**fields, "username": name}).status_code == 200
        return time.perf_counter() - began

    took("bien-tap"), took("khong-co-ai")  # warm both paths (the dummy hash is made once)
    known = statistics.median(took("bien-tap") for _ in range(5))
    unknown = statistics.median(took("khong-co-ai") for _ in range(5))
    assert unknown > 0.5 * known and known > 0.5 * unknown, (known, unknown)


# --- 5. CSV formula injection -------------------------------------------------------------------------
def test_5_proof_csv_quotes_every_cell_that_would_start_a_formula(app: Flask, db) -> None:  # noqa: ANN001
    texts = [
        '=HYPERLINK("http://evil.example","Bấm")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\tTab",
        "\rCR",
        "Chào mừng",
        "- 5 năm",
    ]
    start = datetime(2026, 1, 2, 1, 0)
    db.add_all(
        [
            ProofOfPlay(
                record_id=f"r{i}",
                board_slug="cua-khau",
                item_id=f"s{i}",
                item_label=text,
                source="=cmd|' /C calc'!A0",
                actual_start=start + timedelta(minutes=i),
            )
            for i, text in enumerate(texts)
        ]
    )
    db.commit()
    viewer = app.test_client()
    make_user(db, "xem", "viewer")
    login(viewer, "xem")
    body = viewer.get("/proof/proof.csv?start=2026-01-01&end=2026-01-03").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))[1:]  # headers in the user's language
    content, source_id = 1, 12  # the columns "Content" and "Source id"
    assert [r[content] for r in rows] == ["'" + t if t.startswith(FORMULA_STARTS) else t for t in texts]
    assert all(r[source_id] == "'=cmd|' /C calc'!A0" for r in rows)
    assert all(not value.startswith(FORMULA_STARTS) for r in rows for value in r)
    assert safe_cell(-3) == -3 and safe_cell("Đại hội") == "Đại hội"  # numbers and plain text as they are


# --- 6. /health without login -------------------------------------------------------------------------
def test_6_health_tells_strangers_only_status_words(app: Flask, db, redis) -> None:  # noqa: ANN001
    from signage.publish import publish_all

    make_board(db)
    db.add(
        UrgentNotice(
            text="TẠM ĐÓNG CỬA KHẨU LÚC 15:00",
            all_boards=True,
            starts_at=datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=20),
            expires_at=datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=1),
        )
    )
    db.commit()
    publish_all(db, redis)
    redis.hset(
        show.status_key("cua-khau"),
        mapping={
            k: json.dumps(v)
            for k, v in {
                "heartbeat": time.time(),
                "owner": "gate-pc:4242",
                "item": "s1",
                "text": "Khẩu hiệu đang phát",
                "link": "up",
            }.items()
        },
    )
    anonymous = app.test_client().get("/health")
    assert anonymous.get_json() == {"ok": True, "boards": {"cua-khau": {"state": "playing"}}}
    for secret in ("Khẩu hiệu đang phát", "gate-pc", "TẠM ĐÓNG", "15:00"):
        assert secret not in anonymous.get_data(as_text=True)
    assert (
        app.test_client().get("/health", headers={"Authorization": "Bearer wrong"}).get_json()
        == anonymous.get_json()
    )
    token = issue_token(db, make_user(db, "giam-sat", "viewer"), "monitoring")
    db.commit()
    detailed = app.test_client().get("/health", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert detailed["boards"]["cua-khau"]["text"] == "Khẩu hiệu đang phát"
    assert detailed["boards"]["cua-khau"]["state"] == "playing"
    redis.hset(show.status_key("cua-khau"), "link", json.dumps("down"))
    assert app.test_client().get("/health").get_json()["boards"]["cua-khau"] == {"state": "link down"}
    redis.hset(show.status_key("cua-khau"), "heartbeat", json.dumps(time.time() - 60))
    assert app.test_client().get("/health").get_json()["boards"]["cua-khau"] == {"state": "stale"}
    redis.hset(show.status_key("cua-khau"), "heartbeat", json.dumps(time.time() - 3600))
    assert app.test_client().get("/health").get_json()["boards"]["cua-khau"] == {"state": "offline"}


# --- 7. the login throttle ----------------------------------------------------------------------------
def test_7_successful_logins_never_count(app: Flask, db) -> None:  # noqa: ANN001
    make_user(db, "bien-tap", "editor")
    codes = []
    for _ in range(12):
        client = app.test_client()
        codes.append(post_form(client, "/login", {"username": "bien-tap", "password": PASSWORD}).status_code)
    assert codes == [302] * 12


def test_7_one_persons_typos_behind_a_nat_do_not_lock_out_the_office(app: Flask, db) -> None:  # noqa: ANN001
    make_user(db, "bien-tap", "editor")
    make_user(db, "quan-tri", "admin")
    office = app.test_client()  # every PC of the office comes from 127.0.0.1 here: one NAT address
    bad = [
        post_form(office, "/login", {"username": "bien-tap", "password": "đoán sai"}).status_code
        for _ in range(10)
    ]
    assert bad == [200] * 10
    refused = post_form(office, "/login", {"username": "bien-tap", "password": PASSWORD})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and "cho tên đăng nhập này" in page and "phút" in page
    assert (
        post_form(app.test_client(), "/login", {"username": "quan-tri", "password": PASSWORD}).status_code
        == 302
    )
    db.expire_all()
    entries = db.scalars(select(AuditEntry).where(AuditEntry.table == "accounts")).all()
    assert [e.action for e in entries].count("failed") == 10
    assert [e.action for e in entries].count("throttled") == 1 and entries[-1].action == "login"


def test_7_one_address_trying_many_names_is_held_and_told_how_long(app: Flask, db) -> None:  # noqa: ANN001
    app.config["LOGIN_RATE_LIMIT"] = "5 per minute"
    client = app.test_client()
    codes = [
        post_form(client, "/login", {"username": f"ten-{i}", "password": "đoán"}).status_code
        for i in range(6)
    ]
    assert codes == [200] * 5 + [429]
    page = post_form(client, "/login", {"username": "ten-9", "password": "đoán"}).get_data(as_text=True)
    assert "từ máy này" in page and "giây" in page
    client.post("/lang/en", data={"csrf_token": csrf_token(client, "/login")})
    english = post_form(client, "/login", {"username": "ten-9", "password": "x"}).get_data(as_text=True)
    assert "Too many failed logins from this computer; wait" in english and "seconds and try again" in english


# --- 8. a zip that lies about its sizes ---------------------------------------------------------------
def lying_zip(real: int, claimed: int, name: str = "signage.toml") -> bytes:
    """A zip whose member inflates to ``real`` bytes while its directory says ``claimed``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open(name, "w") as member:
        chunk = b"\0" * (1024 * 1024)
        for _ in range(real // len(chunk)):
            member.write(chunk)
    data = bytearray(buffer.getvalue())
    central = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, claimed)  # uncompressed size in the central directory
    struct.pack_into("<I", data, data.index(b"PK\x03\x04") + 22, claimed)  # and in the local header
    return bytes(data)


def test_8_a_zip_that_lies_is_refused_without_inflating_it(tmp_path: Path) -> None:
    """Before: the 1 GiB member claiming 100 bytes grew the server from 541 MB to 2,195 MB."""
    archive = zipfile.ZipFile(io.BytesIO(lying_zip(256 * 1024 * 1024, 100)))
    tracemalloc.start()
    try:
        with pytest.raises(BackupError) as refused:
            safe_extract(archive, tmp_path, "bomb.zip", max_total=128 * 1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "signage.toml: damaged" in str(refused.value)
    assert peak < 8 * 1024 * 1024, f"{peak / 2**20:.0f} MiB held while refusing"


def test_8_the_running_count_bounds_the_ratio_and_the_total(tmp_path: Path) -> None:
    honest = zipfile.ZipFile(io.BytesIO(lying_zip(64 * 1024 * 1024, 64 * 1024 * 1024)))
    with pytest.raises(BackupError, match=f"more than {MAX_RATIO} times its packed size"):
        safe_extract(honest, tmp_path / "a", "ratio.zip")
    with pytest.raises(BackupError, match="more than 16 MB once unpacked"):
        safe_extract(honest, tmp_path / "b", "total.zip", max_total=16 * 1024 * 1024)


def test_8_the_import_page_refuses_it_and_imports_nothing(app: Flask, db) -> None:  # noqa: ANN001
    admin = app.test_client()
    make_user(db, "quan-tri", "admin")
    login(admin, "quan-tri")
    response = admin.post(
        "/transfer/",
        data={
            "csrf_token": csrf_token(admin, "/transfer/"),
            "file": (io.BytesIO(lying_zip(64 * 1024 * 1024, 100)), "bomb.zip"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "signage.toml: " in response.get_data(as_text=True)
    assert slogans_count(db) == 0


def test_8_restore_shares_the_extraction(app: Flask, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(lying_zip(8 * 1024 * 1024, 8 * 1024 * 1024, name="manifest.json"))
    result = CliRunner().invoke(
        main,
        ["restore", str(bomb), "--instance", str(tmp_path / "i")],
        env={"DATABASE_URL": app.config["DATABASE_URL"]},
    )
    assert result.exit_code == 1 and "nothing restored" in result.output, result.output


# --- 9. the API's board status ------------------------------------------------------------------------
def test_9_board_status_through_the_api_answers_its_schema(app: Flask, db, redis) -> None:  # noqa: ANN001
    make_board(db)
    token = issue_token(db, make_user(db, "api-viewer", "viewer"), "tests")
    db.commit()
    redis.hset(
        show.status_key("cua-khau"),
        mapping={"heartbeat": json.dumps(time.time()), "link": json.dumps("up"), "item": json.dumps("s1")},
    )
    response = app.test_client().get(
        "/api/boards/cua-khau/status", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["ok"] is True and body["state"] == "playing" and body["item"] == "s1"
    missing = app.test_client().get(
        "/api/boards/khong-co/status", headers={"Authorization": f"Bearer {token}"}
    )
    assert missing.status_code == 404


# --- 10. users, weak passwords, CSRF at login, the queue view, restore without counts --------------
def test_10_an_admin_revokes_a_token_and_the_script_is_refused(app: Flask, db) -> None:  # noqa: ANN001
    user = make_user(db, "kich-ban", "editor")
    token = issue_token(db, user, "script")
    db.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/slogans", headers=headers).status_code == 200
    admin = app.test_client()
    make_user(db, "quan-tri", "admin")
    login(admin, "quan-tri")
    token_id = db.scalar(select(User).where(User.username == "kich-ban")).id
    from signage.models import ApiToken

    row = db.scalar(select(ApiToken).where(ApiToken.user_id == token_id))
    url = f"/users/{token_id}/tokens/{row.id}/revoke"
    asked = post_form(admin, url, {}, form_url=f"/users/{token_id}")
    assert asked.status_code == 200 and "Thu hồi mã truy cập API script" in asked.get_data(as_text=True)
    assert app.test_client().get("/api/slogans", headers=headers).status_code == 200  # only asked so far
    post_form(admin, url, {"confirmed": "1"}, form_url=f"/users/{token_id}")
    assert app.test_client().get("/api/slogans", headers=headers).status_code == 401
    db.expire_all()
    entry = db.scalar(
        select(AuditEntry).where(AuditEntry.table == "api_tokens", AuditEntry.action == "delete")
    )
    assert entry is not None and entry.actor == "quan-tri"


@pytest.mark.parametrize(
    "password, reason",
    [
        ("a", "at least 10 characters"),
        ("quan-tri-1", None),
        ("1234567890", "first ones guessed"),
        ("admin12345", "first ones guessed"),
    ],
)
def test_10_weak_passwords_are_refused_everywhere(password: str, reason: str | None, tmp_path: Path) -> None:
    runner = CliRunner()
    create = runner.invoke(
        main,
        ["create-user", "quan-tri-1", "--instance", str(tmp_path / "i")],
        env={"SIGNAGE_NEW_PASSWORD": password, "DATABASE_URL": None},
    )
    expected = reason or "may not be the username"
    assert create.exit_code == 2 and expected in create.output, create.output
    if reason:  # refused before anything starts (a valid one would start the whole demo)
        demo = runner.invoke(
            main,
            ["demo", "--instance", str(tmp_path / "i")],
            env={"SIGNAGE_ADMIN_PASSWORD": password, "SIGNAGE_ADMIN_USER": "admin"},
        )
        assert demo.exit_code == 1 and "SIGNAGE_ADMIN_PASSWORD: " in demo.output and reason in demo.output


def test_10_the_csrf_token_is_new_after_login(app: Flask, db) -> None:  # noqa: ANN001
    make_user(db, "bien-tap", "editor")
    client = app.test_client()
    before = csrf_token(client, "/login")
    login(client, "bien-tap")
    after = csrf_token(client, "/slogans/new")
    assert before != after
    stale = client.post(
        "/slogans/new",
        data={
            "csrf_token": before,
            "text": "Giả mạo",
            "effect": "auto",
            "speed": 32,
            "color": "#ff0000",
            "playlist": 0,
            "duration": 10,
        },
    )
    assert stale.status_code == 400 and slogans_count(db) == 0


def test_10_an_unknown_job_in_the_queue_view_is_a_404(app: Flask, db) -> None:  # noqa: ANN001
    pytest.importorskip("rq_dashboard")
    admin = app.test_client()
    make_user(db, "quan-tri", "admin")
    login(admin, "quan-tri")
    page = admin.get("/admin/rq/0/view/job/khong-co-viec-nay")
    assert page.status_code == 404 and "Không có việc nào" in page.get_data(as_text=True)
    data = admin.get("/admin/rq/0/data/job/khong-co-viec-nay.json")
    assert data.status_code == 404 and data.get_json()["status"] == "NOT_FOUND"


def test_10_restore_of_a_manifest_without_counts_says_so(app: Flask, db, tmp_path: Path) -> None:  # noqa: ANN001
    db.add(Slogan(text="Chào mừng"))
    db.commit()
    write_backup(db, tmp_path / "full.zip")
    with zipfile.ZipFile(tmp_path / "full.zip") as full, zipfile.ZipFile(tmp_path / "old.zip", "w") as old:
        for info in full.infolist():
            data = full.read(info)
            if info.filename == "manifest.json":
                manifest = json.loads(data)
                del manifest["counts"]
                data = json.dumps(manifest).encode()
            old.writestr(info.filename, data)
    result = CliRunner().invoke(
        main,
        ["restore", str(tmp_path / "old.zip"), "--instance", str(tmp_path / "i"), "--force"],
        env={"DATABASE_URL": app.config["DATABASE_URL"]},
    )
    assert result.exit_code == 0, result.output
    assert "lists no counts" in result.output and "1 slogans" in result.output
