"""Slogan text pasted from old TCVN3/VNI documents: converted to Unicode, shown to the user
before it is saved, and previewed exactly as it will be saved."""

from __future__ import annotations

import html

from sqlalchemy import select

from signage.models import Slogan
from signage.text import from_unicode
from tests.conftest import post_form

TEXT = "Chào mừng Đại hội Đảng bộ tỉnh Kon Tum lần thứ XVI"
BASE = {"effect": "auto", "speed": 32, "color": "#ff0000", "playlist": 0, "duration": 10}


def saved(db) -> list[str]:  # noqa: ANN001
    db.expire_all()
    return list(db.scalars(select(Slogan.text)))


def test_tcvn3_paste_is_converted_shown_and_saved_on_confirmation(editor_client, db) -> None:  # noqa: ANN001
    legacy = from_unicode(TEXT, "tcvn3")
    assert legacy != TEXT
    response = post_form(editor_client, "/slogans/new", {**BASE, "text": legacy})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and saved(db) == []  # nothing saved before the user saw it
    assert "Văn bản ở bảng mã TCVN3 (ABC, .Vn fonts)" in page
    assert f"\n{TEXT}</textarea>" in page
    confirmed = post_form(editor_client, "/slogans/new", {**BASE, "text": TEXT})
    assert confirmed.status_code == 302 and saved(db) == [TEXT]


def test_vni_paste_in_an_edit_is_converted_too(editor_client, db) -> None:  # noqa: ANN001
    slogan = Slogan(text="Cũ")
    db.add(slogan)
    db.commit()
    url = f"/slogans/{slogan.id}/edit"
    response = post_form(editor_client, url, {**BASE, "text": from_unicode(TEXT, "vni")})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and "Văn bản ở bảng mã VNI" in page and f"\n{TEXT}</textarea>" in page
    assert saved(db) == ["Cũ"]


def test_unicode_text_is_never_touched(editor_client, db) -> None:  # noqa: ANN001
    tricky = "Giá vé: 20.000đ — «Chào» © 2020"
    response = post_form(editor_client, "/slogans/new", {**BASE, "text": tricky})
    assert response.status_code == 302 and saved(db) == [tricky]


def test_the_preview_converts_the_same_way(editor_client, db) -> None:  # noqa: ANN001
    q = {"effect": "static", "speed": 32, "color": "#ff0000", "scale": 1}
    legacy = from_unicode(TEXT, "tcvn3")
    as_saved = editor_client.get("/preview/slogan.png", query_string={**q, "text": TEXT})
    as_pasted = editor_client.get("/preview/slogan.png", query_string={**q, "text": legacy})
    assert as_pasted.status_code == 200 and as_pasted.data == as_saved.data
    info = editor_client.get("/preview/slogan.json", query_string={**q, "text": legacy}).get_json()
    assert info["converted"] == "Đã chuyển từ TCVN3 (ABC, .Vn fonts): khi lưu sẽ giữ bản Unicode."
    plain = editor_client.get("/preview/slogan.json", query_string={**q, "text": TEXT}).get_json()
    assert plain["converted"] is None
