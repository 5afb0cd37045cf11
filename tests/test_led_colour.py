"""A one-colour board's own LED colour in the preview, the mirror and the forms; a colour
picture for such a board is shown dithered with a warning before it is saved (issue #16.7)."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select

from signage import show
from signage.models import Banner, Board
from tests.conftest import gate_board, hidden_fields
from tests.test_banners import png

AMBER = (255, 176, 0)


def colours(data: bytes) -> set[tuple[int, int, int]]:
    with Image.open(io.BytesIO(data)) as image:
        return {c for _n, c in image.convert("RGB").getcolors(1 << 20)}


def test_the_board_setting_colours_preview_and_mirror(app, db, redis, admin_client) -> None:  # noqa: ANN001
    gate_board(db)
    form = hidden_fields(admin_client, "/boards/cua-khau/edit")
    assert 'name="led_color"' in admin_client.get("/boards/cua-khau/edit").get_data(as_text=True)
    response = admin_client.post(
        "/boards/cua-khau/edit",
        data={
            **form,
            "slug": "cua-khau",
            "name": "Cửa khẩu",
            "width": 192,
            "height": 32,
            "color": "mono",
            "led_color": "#ffb000",
            "protocol": "native",
            "port_url": "socket://127.0.0.1:9",
            "baud": 115200,
            "address": 1,
            "playlist": 0,
        },
    )
    assert response.status_code == 302
    db.expire_all()
    assert db.scalar(select(Board)).led_color == "#ffb000"
    assert "vàng hổ phách" in admin_client.get("/boards/").get_data(as_text=True)
    preview = admin_client.get("/preview/slogan.png?text=CH%C3%80O&effect=static&scale=2")
    assert AMBER in colours(preview.data) and (255, 40, 16) not in colours(preview.data)
    # the worker keeps the frame it sent, lit or dark; the mirror shows it in the LEDs' colour
    lit = Image.new("1", (192, 32), 0)
    lit.paste(1, (0, 0, 10, 10))
    buf = io.BytesIO()
    lit.save(buf, "PNG")
    redis.set(show.mirror_key("cua-khau"), buf.getvalue())
    assert colours(admin_client.get("/boards/cua-khau/mirror.png").data) == {AMBER, (0, 0, 0)}


def test_the_colour_field_is_there_only_where_a_board_shows_colour(app, db, editor_client) -> None:  # noqa: ANN001
    gate_board(db)
    page = editor_client.get("/slogans/new").get_data(as_text=True)
    hidden = r'<input[^>]*type="hidden"[^>]*name="color"|<input[^>]*name="color"[^>]*type="hidden"'
    assert re.search(hidden, page)
    assert "Các bảng đều là bảng một màu" in page
    db.add(
        Board(
            slug="mau",
            name="Bảng màu",
            width=128,
            height=64,
            color="rgb",
            protocol="tpm2",
            port_url="socket://127.0.0.1:9",
            baud=115200,
        )
    )
    db.commit()
    page = editor_client.get("/slogans/new").get_data(as_text=True)
    assert "Các bảng đều là bảng một màu" not in page and 'type="hidden" value="#ff0000"' not in page


def test_a_colour_banner_for_a_one_colour_board_warns_before_saving(app, db, redis, editor_client) -> None:  # noqa: ANN001
    gate_board(db)
    fields = hidden_fields(editor_client, "/banners/new")
    data = png(color="red")
    page = editor_client.post(
        "/banners/new",
        data={**fields, "name": "Pano đỏ", "fit": "fill", "image": (io.BytesIO(data), "do.png")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Ảnh này có màu, nhưng các bảng dưới đây chỉ sáng một màu" in page
    assert 'src="data:image/png;base64,' in page and "Cửa khẩu (đỏ)" in page
    assert db.scalar(select(Banner)) is None  # nothing saved before the answer
    held = re.search(r'name="held" value="([0-9a-f]+)"', page).group(1)
    saved = editor_client.post(
        "/banners/new",
        data={**hidden_fields(editor_client, "/banners/new"), "held": held, "name": "Pano đỏ", "fit": "fill"},
        follow_redirects=True,
    )
    assert "Đã lưu băng rôn" in saved.get_data(as_text=True)
    assert db.scalar(select(Banner)).name == "Pano đỏ"
    # a grey picture loses nothing but its shades: saved at once
    grey = png(color="grey", size=(200, 40))
    response = editor_client.post(
        "/banners/new",
        data={**fields, "name": "Xám", "fit": "fit", "image": (io.BytesIO(grey), "xam.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    gone = editor_client.post("/banners/new", data={**fields, "held": "abc123", "name": "X", "fit": "fit"})
    assert gone.status_code == 422 and "Ảnh đã chờ quá lâu" in gone.get_data(as_text=True)
