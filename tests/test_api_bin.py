"""An API delete is undoable like the admin's (issue #16.4): DELETE moves a slogan or banner to the
bin, and cancels a notice into it; the board loses it at once; /api/bin lists it and restoring
puts it back on the board."""

from __future__ import annotations

import io
import json

from PIL import Image
from sqlalchemy import select

from signage import show
from signage.models import Banner, PlaylistItem, Slogan
from signage.publish import publish_all
from tests.conftest import gate_board
from tests.test_api_more import token_for


def on_board(redis) -> list[str]:  # noqa: ANN001
    doc = show.check(json.loads(redis.get(show.show_key("cua-khau"))))
    return [i.get("text") or i.get("name") for i in doc["items"]]


def notices_on_board(redis) -> list[str]:  # noqa: ANN001
    return [n["text"] for n in show.check(json.loads(redis.get(show.show_key("cua-khau"))))["notices"]]


def test_an_api_delete_goes_to_the_bin_and_restore_brings_it_back(app, db, redis) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = False
    board, slogan = gate_board(db)
    publish_all(db, redis)
    client, editor = app.test_client(), token_for(db, "editor")
    assert on_board(redis) == ["CHÀO MỪNG"]

    assert client.delete(f"/api/slogans/{slogan.id}", headers=editor).status_code == 204
    assert on_board(redis) == []  # the board lost it at once
    assert client.get(f"/api/slogans/{slogan.id}", headers=editor).status_code == 404
    db.expire_all()
    binned = db.scalar(select(Slogan).execution_options(include_deleted=True))
    assert binned is not None and binned.deleted_by == "api:api-editor"  # kept, not removed
    assert db.scalar(select(PlaylistItem)) is not None  # its place in the playlist waits too
    listed = client.get("/api/bin", headers=editor).get_json()
    assert [(e["kind"], e["id"], e["name"], e["deleted_by"]) for e in listed] == [
        ("slogan", slogan.id, "CHÀO MỪNG", "api:api-editor")
    ]

    back = client.post(f"/api/bin/slogan/{slogan.id}/restore", headers=editor)
    assert back.status_code == 200, back.get_json()
    assert list(back.get_json()["published"]) == ["cua-khau"]
    assert on_board(redis) == ["CHÀO MỪNG"] and client.get("/api/bin", headers=editor).get_json() == []
    again = client.post(f"/api/bin/slogan/{slogan.id}/restore", headers=editor)
    assert again.status_code == 404 and "not in the bin" in again.get_json()["message"]

    # a banner the same way
    buf = io.BytesIO()
    Image.new("RGB", (96, 32), "white").save(buf, "PNG")
    made = client.post(
        "/api/banners",
        headers=editor,
        content_type="multipart/form-data",
        data={"image": (io.BytesIO(buf.getvalue()), "p.png"), "name": "Pano"},
    ).get_json()
    assert client.delete(f"/api/banners/{made['id']}", headers=editor).status_code == 204
    assert client.get(f"/api/banners/{made['id']}", headers=editor).status_code == 404
    assert [e["name"] for e in client.get("/api/bin", headers=editor).get_json()] == ["Pano"]
    assert client.post(f"/api/bin/banner/{made['id']}/restore", headers=editor).status_code == 200
    db.expire_all()
    assert db.scalar(select(Banner.name)) == "Pano"

    # the kinds an editor may not restore, and the ones that do not exist
    assert client.post("/api/bin/group/1/restore", headers=editor).status_code == 403
    assert client.post("/api/bin/notice/1/restore", headers=editor).status_code == 403
    assert client.post("/api/bin/nothing/1/restore", headers=editor).status_code == 404
    viewer = token_for(db, "viewer")
    assert client.get("/api/bin", headers=viewer).status_code == 403
    assert client.delete(f"/api/slogans/{slogan.id}", headers=viewer).status_code == 403
    assert on_board(redis) == ["CHÀO MỪNG"]


def test_an_api_delete_of_a_notice_cancels_it_into_the_bin(app, db, redis) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = False
    gate_board(db)
    publish_all(db, redis)
    client, approver = app.test_client(), token_for(db, "approver")
    sent = client.post("/api/notices", headers=approver, json={"text": "TẠM ĐÓNG CỬA KHẨU", "minutes": 30})
    notice = sent.get_json()
    assert sent.status_code == 201 and notices_on_board(redis) == ["TẠM ĐÓNG CỬA KHẨU"]

    assert client.delete(f"/api/notices/{notice['id']}", headers=approver).status_code == 204
    assert notices_on_board(redis) == []
    after = client.get(f"/api/notices/{notice['id']}", headers=approver).get_json()
    assert after["cancelled_at"] is not None and after["active"] is False
    assert client.delete(f"/api/notices/{notice['id']}", headers=approver).status_code == 204  # twice: same
    listed = client.get("/api/bin", headers=approver).get_json()
    assert [(e["kind"], e["id"]) for e in listed] == [("notice", notice["id"])]

    back = client.post(f"/api/bin/notice/{notice['id']}/restore", headers=approver)
    assert back.status_code == 200 and list(back.get_json()["published"]) == ["cua-khau"]
    assert notices_on_board(redis) == ["TẠM ĐÓNG CỬA KHẨU"]
    assert client.get(f"/api/notices/{notice['id']}", headers=approver).get_json()["active"] is True
