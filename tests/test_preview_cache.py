"""The slogan preview keeps finished images: the same inputs give the same bytes with an ETag
(so a browser gets a bodiless 304), and any input that changes the pixels (text, board
size, live token's minute, font file) gives a fresh image, never a stale one."""

from __future__ import annotations

import io
import os
import shutil
from datetime import datetime
from pathlib import Path

from PIL import Image

from drivers.pixels import BoardSpec
from signage.models import Board
from signage.render.fonts import fonts_dir
from signage.web import preview_cache
from signage.web.preview_cache import PREVIEWS, preview_key

Q = {"text": "Chào mừng đại hội", "effect": "static", "speed": 32, "color": "#ff0000", "scale": 1}


def _board(db, width: int = 192) -> Board:  # noqa: ANN001
    board = Board(
        slug="cua-khau",
        name="Cửa khẩu",
        width=width,
        height=32,
        color="mono",
        protocol="native",
        port_url="socket://127.0.0.1:9",
        baud=115200,
    )
    db.add(board)
    db.commit()
    return board


def test_the_same_preview_again_is_the_same_image_and_a_browser_revalidates_for_free(
    editor_client, db
) -> None:  # noqa: ANN001
    _board(db)
    PREVIEWS.clear()
    first = editor_client.get("/preview/slogan.png", query_string=Q)
    again = editor_client.get("/preview/slogan.png", query_string=Q)
    assert first.status_code == again.status_code == 200
    assert first.data == again.data and first.headers["ETag"] == again.headers["ETag"]
    assert PREVIEWS.stats.hits >= 1  # drawn once
    cache_control = first.headers["Cache-Control"]
    assert "private" in cache_control and "no-cache" in cache_control and "no-store" not in cache_control
    revalidated = editor_client.get(
        "/preview/slogan.png", query_string=Q, headers={"If-None-Match": first.headers["ETag"]}
    )
    assert revalidated.status_code == 304 and revalidated.data == b""
    other = editor_client.get("/preview/slogan.png", query_string={**Q, "text": "Nhiệt liệt chào mừng"})
    assert other.status_code == 200 and other.headers["ETag"] != first.headers["ETag"]
    gif = editor_client.get("/preview/slogan.gif", query_string=Q)
    assert gif.status_code == 200 and gif.mimetype == "image/gif" and gif.headers["ETag"]
    assert (
        editor_client.get(
            "/preview/slogan.gif", query_string=Q, headers={"If-None-Match": gif.headers["ETag"]}
        ).status_code
        == 304
    )


def test_a_resized_board_gets_a_new_image_at_the_same_url(editor_client, db) -> None:  # noqa: ANN001
    board = _board(db)
    before = editor_client.get("/preview/slogan.png", query_string=Q)
    assert Image.open(io.BytesIO(before.data)).size == (192, 32)
    board.width = 256
    db.commit()
    after = editor_client.get(
        "/preview/slogan.png", query_string=Q, headers={"If-None-Match": before.headers["ETag"]}
    )
    assert after.status_code == 200 and Image.open(io.BytesIO(after.data)).size == (256, 32)


def test_bad_input_is_still_named_and_not_cached(editor_client, db) -> None:  # noqa: ANN001
    _board(db)
    for _ in range(2):
        bad = editor_client.get("/preview/slogan.png", query_string={**Q, "text": "{countdown:soon}"})
        assert bad.status_code == 400 and "soon" in bad.get_json()["error"]


def test_live_tokens_key_on_their_value_now() -> None:
    spec = BoardSpec(192, 32, "mono")
    item = {"kind": "slogan", "text": "Bây giờ là {time}", "effect": "static"}
    nine, nine_later = datetime(2026, 1, 1, 9, 0, 5), datetime(2026, 1, 1, 9, 0, 50)
    ten = datetime(2026, 1, 1, 9, 1)
    assert preview_key("png", item, spec, nine, 4) == preview_key("png", item, spec, nine_later, 4)
    assert preview_key("png", item, spec, nine, 4) != preview_key("png", item, spec, ten, 4)
    plain = {**item, "text": "Chào mừng"}
    assert preview_key("png", plain, spec, nine, 4) == preview_key("png", plain, spec, ten, 4)
    assert preview_key("png", plain, spec, nine, 4) != preview_key("png", plain, spec, nine, 2)
    rgb = BoardSpec(192, 32, "rgb")
    assert preview_key("png", plain, spec, nine, 4) != preview_key("png", plain, rgb, nine, 4)


def test_a_replaced_font_file_is_a_new_key(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    fonts = tmp_path / "fonts"
    shutil.copytree(fonts_dir(), fonts)
    monkeypatch.setenv("SIGNAGE_FONTS_DIR", str(fonts))
    monkeypatch.setattr(preview_cache, "FONTS_RECHECK_SECONDS", 0.0)
    spec, now = BoardSpec(192, 32, "mono"), datetime(2026, 1, 1)
    item = {"kind": "slogan", "text": "Chào mừng", "effect": "static"}
    before = preview_key("png", item, spec, now, 4)
    font = next(fonts.glob("*.ttf"))
    os.utime(font, ns=(font.stat().st_atime_ns, font.stat().st_mtime_ns + 1_000_000_000))
    assert preview_key("png", item, spec, now, 4) != before


def test_every_led_of_the_board_is_a_dot_in_its_place_for_each_size() -> None:
    from signage.render.preview import OFF_LED, LedLook

    for size, scale in (((13, 5), 5), ((5, 13), 4), ((13, 5), 5), ((192, 32), 4)):  # again: kept mask
        img = Image.new("1", size, 0)
        for x in range(size[0]):
            for y in range(size[1]):
                img.putpixel((x, y), (x + y) % 2)
        big = LedLook(size, scale=scale, led=(255, 0, 0))(img)
        assert big.size == (size[0] * scale, size[1] * scale)
        for x in range(size[0]):
            for y in range(size[1]):
                centre = big.getpixel((x * scale + scale // 2, y * scale + scale // 2))
                assert centre == ((255, OFF_LED[1], OFF_LED[2]) if (x + y) % 2 else OFF_LED), (size, x, y)
                assert big.getpixel((x * scale, y * scale)) == (0, 0, 0), (size, x, y)  # the panel between
