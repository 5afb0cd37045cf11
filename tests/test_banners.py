"""Banner uploads through the admin: validation, the preview at the board's depth, playlists."""

from __future__ import annotations

import io
import json
import re

from PIL import Image
from sqlalchemy import func, select

from signage import show
from signage.models import Banner, Board, Playlist
from tests.conftest import hidden_fields


def png(size: tuple[int, int] = (384, 64), color: str = "yellow") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def upload(client, data: bytes, filename: str = "pano.png"):  # noqa: ANN001, ANN201
    """Upload as staff do; a colour picture for a one-colour board is saved after its warning
    ("Save anyway", see test_led_colour.py)."""
    fields = hidden_fields(client, "/banners/new")
    response = client.post(
        "/banners/new",
        data={**fields, "name": "Pano Đại hội", "fit": "fill", "image": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )
    held = re.search(r'name="held" value="([0-9a-f]+)"', response.get_data(as_text=True))
    if response.status_code == 200 and held:
        response = client.post(
            "/banners/new", data={**fields, "held": held.group(1), "name": "Pano Đại hội", "fit": "fill"}
        )
    return response


def count(db) -> int:  # noqa: ANN001
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Banner))


def test_upload_preview_and_playlist(app, editor_client, db, redis) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = False  # about publishing itself; review is in test_approval.py
    playlist = Playlist(name="Pano")
    db.add_all(
        [
            playlist,
            Board(
                slug="pano",
                name="Pano",
                width=192,
                height=32,
                color="mono",
                protocol="native",
                port_url="socket://127.0.0.1:9",
                baud=115200,
                playlist=playlist,
            ),
        ]
    )
    db.commit()
    assert upload(editor_client, png()).status_code == 302
    banner = db.scalar(select(Banner))
    assert (banner.name, banner.width, banner.height, banner.mime) == ("Pano Đại hội", 384, 64, "image/png")
    assert upload(editor_client, png()).status_code == 302 and count(db) == 1  # same image: kept once
    preview = editor_client.get(f"/banners/{banner.id}/preview.png?scale=1")
    image = Image.open(io.BytesIO(preview.data)).convert("L")
    assert image.size == (192, 32) and {value for _, value in image.getcolors()} <= {0, 255}
    fields = hidden_fields(editor_client, f"/playlists/{playlist.id}")
    response = editor_client.post(
        f"/playlists/{playlist.id}/items",
        data={**fields, "kind": "banner", "content_id": banner.id, "amount": 8, "unit": "seconds"},
    )
    assert response.status_code == 302
    doc = json.loads(redis.get(show.show_key("pano")))
    assert banner.sha256 in json.dumps(doc) and redis.get(show.blob_key(banner.sha256)) == banner.data


def test_bad_files_are_refused_with_a_reason_and_nothing_saved(editor_client, db, app) -> None:  # noqa: ANN001
    cases = [
        (b"this is not an image", "pano.png", "không phải là ảnh"),
        (png()[:200], "pano.png", "bị hỏng hoặc thiếu"),
        (png(), "pano.exe", "Chỉ nhận PNG, JPEG, GIF hoặc WebP"),
    ]
    Image.MAX_IMAGE_PIXELS, saved = None, Image.MAX_IMAGE_PIXELS
    try:
        bomb = io.BytesIO()
        Image.new("1", (20_000, 20_000)).save(bomb, "PNG")
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    cases.append((bomb.getvalue(), "bomb.png", "bom giải nén"))
    for data, name, reason in cases:
        response = upload(editor_client, data, name)
        assert response.status_code == 422, name
        assert reason in response.get_data(as_text=True), (name, reason)
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    too_big = upload(editor_client, png((3000, 3000)) + b"\0" * (2 * 1024 * 1024))
    assert too_big.status_code == 413 and "1 MB" in too_big.get_data(as_text=True)
    assert count(db) == 0
