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
    return post_form(client, "/transfer/", {"file": (io.BytesIO(data), name)},
                     content_type="multipart/form-data")


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
    assert snapshot(db) == before and count(db, Schedule) == 11
    assert "11 schedules" in admin_client.get("/transfer/").get_data(as_text=True)  # the flash


def test_a_toml_upload_imports(admin_client, db) -> None:  # noqa: ANN001
    data = (ROOT / "playlists" / "everyday.toml").read_bytes()
    assert upload(admin_client, "everyday.toml", data).status_code == 302
    assert [p.name for p in db.scalars(select(Playlist))] == ["Hằng ngày"]


@pytest.mark.parametrize("name, data, message", [
    ("bad.toml", b'format = 2\n\n[[slogans]]\nkey = "a"\ntext = ""\n',
     "bad.toml:5: slogans[0].text: the slogan is empty"),
    ("bad.toml", b"format = 2\nslogans = [", "bad.toml:2: not valid TOML"),
    ("bad.toml", b"format = 2\n[[campaigns]]\nname = \"C\"\n[[campaigns.phases]]\nname = \"P\"\n"
                 b"start = \"31/02/2021\"\nend = \"01/03/2021\"\n",
     "bad.toml:6: campaigns[0].phases[0].start: &#39;31/02/2021&#39; is not a date that exists"),
    ("notes.txt", b"hello", "Hãy tải lên tệp .toml hoặc tệp xuất .zip."),
    ("x.zip", b"not a zip", "x.zip: not a zip archive"),
])
def test_bad_uploads_import_nothing_and_say_where(admin_client, db, name: str, data: bytes,  # noqa: ANN001
                                                  message: str) -> None:
    response = upload(admin_client, name, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(db, Slogan) == 0


def test_a_zip_with_a_path_outside_its_folder_is_refused(admin_client, db, tmp_path: Path) -> None:  # noqa: ANN001
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("signage.toml", (ROOT / "playlists" / "everyday.toml").read_text(encoding="utf-8"))
        archive.writestr("../../escape.toml", "format = 2\n")
    response = upload(admin_client, "export.zip", buffer.getvalue())
    assert response.status_code == 400
    assert "../../escape.toml: refused, the path leads outside" in response.get_data(as_text=True).replace(
        "&#39;", "'")
    assert count(db, Playlist) == 0


def test_too_large_uploads_are_refused(admin_client, db, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(transfer, "MAX_UPLOAD_BYTES", 100)
    response = upload(admin_client, "everyday.toml", (ROOT / "playlists" / "everyday.toml").read_bytes())
    assert response.status_code == 400 and count(db, Slogan) == 0


def test_upload_without_csrf_is_refused(admin_client, db) -> None:  # noqa: ANN001
    response = admin_client.post("/transfer/", data={"file": (io.BytesIO(b"format = 2\n"), "x.toml")},
                                 content_type="multipart/form-data")
    assert response.status_code == 400 and count(db, Slogan) == 0


def test_a_zip_bomb_is_refused_before_unpacking(admin_client, db, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(transfer, "MAX_UNPACKED_BYTES", 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("signage.toml", "format = 2\n")
        archive.writestr("banners/zeros.png", b"\0" * (4 * 1024 * 1024))
    assert len(buffer.getvalue()) < 64 * 1024
    response = upload(admin_client, "bomb.zip", buffer.getvalue())
    assert response.status_code == 400 and "more than 1 MB once unpacked" in response.get_data(as_text=True)
