"""The admin downloads and uploads the same playlist files: admin only, CSRF, checked, all or nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from signage.backup import wipe
from signage.bundle import apply, read_path
from signage.models import Playlist, Schedule, Slogan
from signage.web import transfer
from tests.conftest import make_user, post_form
from tests.test_export import snapshot

ROOT = Path(__file__).resolve().parents[1]


def upload(client, name: str, data: bytes):  # noqa: ANN001, ANN201
    return post_form(
        client, "/transfer/", {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def count(db, model) -> int:  # noqa: ANN001
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def test_only_administrators_may_transfer(app, db) -> None:  # noqa: ANN001
    make_user(db, "bien-tap", "editor")
    client = app.test_client()
    post_form(client, "/login", {"username": "bien-tap", "password": "correct horse battery"})
    for url in ("/transfer/", "/transfer/export.zip", "/transfer/export.toml"):
        assert client.get(url).status_code == 403, url
    assert app.test_client().get("/transfer/").status_code == 302  # not logged in: to the login page


def test_download_then_upload_gives_the_same_content(admin_client, db) -> None:  # noqa: ANN001
    apply(db, read_path(ROOT / "playlists"))
    db.commit()
    before = snapshot(db)
    page = admin_client.get("/transfer/").get_data(as_text=True)
    assert 'href="/transfer/export.zip"' in page and 'href="/transfer/"' in page  # the nav link too
    response = admin_client.get("/transfer/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.data
    toml = admin_client.get("/transfer/export.toml")
    assert toml.status_code == 200 and 'name = "Hằng ngày"' in toml.get_data(as_text=True)
    wipe(db)
    db.commit()
    assert count(db, Slogan) == 0
    response = upload(admin_client, "signage.zip", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert snapshot(db) == before and count(db, Schedule) == 22
    assert "22 lịch phát" in admin_client.get("/transfer/").get_data(as_text=True)  # the flash, in Vietnamese


def test_a_toml_upload_imports(admin_client, db) -> None:  # noqa: ANN001
    data = (ROOT / "playlists" / "everyday.toml").read_bytes()
    assert upload(admin_client, "everyday.toml", data).status_code == 302
    assert [p.name for p in db.scalars(select(Playlist))][0] == "Hằng ngày"  # then the yearly holidays' lists
    assert count(db, Schedule) == 8


@pytest.mark.parametrize(
    "name, data, message",
    [
        (
            "bad.toml",
            b'format = 2\n\n[[slogans]]\nkey = "a"\ntext = ""\n',
            "bad.toml:5: slogans[0].text: khẩu hiệu đang trống",
        ),
        ("bad.toml", b"format = 2\nslogans = [", "bad.toml:2: không phải TOML hợp lệ: "),
        (
            "bad.toml",
            b'format = 2\n[[campaigns]]\nname = "C"\n[[campaigns.phases]]\nname = "P"\n'
            b'start = "31/02/2021"\nend = "01/03/2021"\n',
            "bad.toml:6: campaigns[0].phases[0].start: &#39;31/02/2021&#39; không phải ngày có thật "
            "(tháng này không có ngày đó)",
        ),
        (
            "bad.toml",
            b'format = 2\n[[slogans]]\nkey = "a"\ntext = "x"\ncolour = "red"\n',
            "bad.toml:5: slogans[0].colour: khoá không hợp lệ; các khoá dùng được: color, effect, font, key, "
            "source, speed, text",
        ),
        (
            "bad.toml",
            b'format = 2\n[[schedules]]\nplaylist = "P"\nboard = "khong-co"\n[[playlists]]\nname = "P"\n',
            "bad.toml:4: schedules[0].board: không có bảng &#39;khong-co&#39; trong các tệp lẫn "
            "trong cơ sở dữ liệu",
        ),
        ("bad.toml", b"\xff\xfe not utf-8", "bad.toml:1: không phải văn bản UTF-8"),
        ("notes.txt", b"hello", "Hãy tải lên tệp .toml hoặc tệp xuất .zip."),
        ("x.zip", b"not a zip", "x.zip: không phải tệp nén .zip"),
    ],
)
def test_bad_uploads_import_nothing_and_say_where(
    admin_client,
    db,
    name: str,
    data: bytes,  # noqa: ANN001
    message: str,
) -> None:
    """Each problem names its file, line and field, in the page's language (Vietnamese by default)."""
    response = upload(admin_client, name, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(db, Slogan) == 0 and count(db, Playlist) == 0 and count(db, Schedule) == 0


def test_import_problems_follow_the_session_language(admin_client, db) -> None:  # noqa: ANN001
    """Switched to English, the same problems read as the CLI prints them; nothing is imported either way."""
    bad = (
        b'format = 2\n[[slogans]]\nkey = "a"\ntext = ""\n[[playlists]]\nname = "P"\n'
        b'items = [{ slogan = "b" }]\n'
    )
    vietnamese = upload(admin_client, "bad.toml", bad).get_data(as_text=True)
    assert "bad.toml:4: slogans[0].text: khẩu hiệu đang trống" in vietnamese
    assert "Không nhập gì cả:" in vietnamese
    post_form(
        admin_client, "/lang/en", {}, form_url="/transfer/", headers={"Referer": "http://localhost/transfer/"}
    )
    english = upload(admin_client, "bad.toml", bad)
    page = english.get_data(as_text=True)
    assert english.status_code == 400 and "Nothing was imported:" in page
    assert "bad.toml:4: slogans[0].text: the slogan is empty" in page
    assert "khẩu hiệu đang trống" not in page
    assert count(db, Slogan) == 0 and count(db, Playlist) == 0


def test_a_zip_with_a_path_outside_its_folder_is_refused(admin_client, db, tmp_path: Path) -> None:  # noqa: ANN001
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("signage.toml", (ROOT / "playlists" / "everyday.toml").read_text(encoding="utf-8"))
        archive.writestr("../../escape.toml", "format = 2\n")
    response = upload(admin_client, "export.zip", buffer.getvalue())
    assert response.status_code == 400
    assert "../../escape.toml: bị từ chối vì đường dẫn đi ra ngoài thư mục của tệp nén" in response.get_data(
        as_text=True
    )
    assert count(db, Playlist) == 0


def test_too_large_uploads_are_refused(admin_client, db, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(transfer, "MAX_UPLOAD_BYTES", 100)
    response = upload(admin_client, "everyday.toml", (ROOT / "playlists" / "everyday.toml").read_bytes())
    assert response.status_code == 400 and count(db, Slogan) == 0
    assert "everyday.toml lớn hơn 0 MB." in response.get_data(as_text=True)


def test_upload_without_csrf_is_refused(admin_client, db) -> None:  # noqa: ANN001
    response = admin_client.post(
        "/transfer/",
        data={"file": (io.BytesIO(b"format = 2\n"), "x.toml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and count(db, Slogan) == 0


def test_a_zip_bomb_is_refused_before_unpacking(admin_client, db, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(transfer, "MAX_UNPACKED_BYTES", 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("signage.toml", "format = 2\n")
        archive.writestr("banners/zeros.png", b"\0" * (4 * 1024 * 1024))
    assert len(buffer.getvalue()) < 64 * 1024
    response = upload(admin_client, "bomb.zip", buffer.getvalue())
    assert response.status_code == 400
    assert "bomb.zip: giải nén ra sẽ hơn 1 MB" in response.get_data(as_text=True)
