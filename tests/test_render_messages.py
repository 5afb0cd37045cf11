"""The renderer's errors and legibility warnings reach the admin in the user's language, while
the worker, the CLI and logs keep the English (one template, translated in the web layer)."""

from __future__ import annotations

import html
import io

import pytest

from drivers.pixels import BoardSpec
from signage.render import RenderError, render_item
from signage.render.lint import lint_item
from tests.conftest import hidden_fields, post_form

LONG = "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG"
Q = {"effect": "scroll-left", "speed": 900, "color": "#ff0000", "text": LONG}


def test_lint_warnings_are_in_vietnamese_and_english_on_request(editor_client) -> None:  # noqa: ANN001
    warnings = editor_client.get("/preview/slogan.json", query_string=Q).get_json()["warnings"]
    fast = next(w for w in warnings if w["code"] == "too-fast")
    assert fast["message"].startswith("mỗi chữ chỉ hiện trên bảng ")
    assert "hãy giảm tốc độ xuống dưới" in fast["message"]
    # The same numbers the renderer computed, in the English the CLI prints.
    lints = lint_item({"kind": "slogan", **Q}, BoardSpec(192, 32, "mono"))
    english = next(w for w in lints if w.code == "too-fast")
    assert english.message.startswith("each word is on the board for ")
    assert english.params["speed"] in fast["message"]
    post_form(
        editor_client, "/lang/en", {}, form_url="/slogans/", headers={"Referer": "http://localhost/slogans/"}
    )
    warnings = editor_client.get("/preview/slogan.json", query_string=Q).get_json()["warnings"]
    assert english.message in [w["message"] for w in warnings]


def test_render_errors_in_the_preview_are_in_vietnamese(editor_client) -> None:  # noqa: ANN001
    bad = {**Q, "effect": "static", "text": "Còn {countdown:2020-13-45} ngày"}
    response = editor_client.get("/preview/slogan.json", query_string=bad)
    assert response.status_code == 400
    assert response.get_json()["error"] == "ngày đếm ngược '2020-13-45' không viết theo dạng YYYY-MM-DD"
    with pytest.raises(RenderError, match="countdown date '2020-13-45' is not a date written YYYY-MM-DD"):
        list(render_item({"kind": "slogan", **bad}, BoardSpec(192, 32, "mono")))


def test_a_banner_that_is_not_an_image_is_refused_in_vietnamese(editor_client) -> None:  # noqa: ANN001
    fields = hidden_fields(editor_client, "/banners/new")
    response = editor_client.post(
        "/banners/new",
        data={**fields, "name": "Pano", "fit": "fit", "image": (io.BytesIO(b"not a picture"), "pano.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "tệp băng rôn không phải là ảnh: hãy dùng PNG, JPEG, GIF hoặc WebP" in html.unescape(
        response.get_data(as_text=True)
    )


def test_english_messages_stay_what_the_cli_printed() -> None:
    """Plain messages (no params) and templated ones read the same as before in English."""
    with pytest.raises(RenderError) as info:
        list(render_item({"kind": "slogan", "text": "x", "effect": "zoom"}, BoardSpec(192, 32, "mono")))
    assert str(info.value) == (
        "unknown effect 'zoom': use one of static, scroll-left, scroll-right, "
        "scroll-up, blink, wipe, typewriter, hold or auto"
    )
    assert info.value.template == "unknown effect %(value)r: use one of %(known)s or auto"
    assert str(RenderError("plain 100% message")) == "plain 100% message"
