"""The draft -> approval workflow: an editor's save waits, an approver reviews and publishes.

What a user notices is what the board plays (the show in Redis) and what the pages and
the API say; both are checked against real Redis and the real app.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from signage import approval, config, show
from signage.models import AuditEntry, Playlist
from tests.conftest import gate, hidden_fields, login, make_user, post_form

CONGRESS = "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI XIII"
ANNIVERSARY = "MỪNG 90 NĂM NGÀY THÀNH LẬP ĐẢNG"


@pytest.fixture
def setup(app, db, redis) -> Playlist:  # noqa: ANN001
    """Approval on, one board on an empty playlist, published (so nothing is pending)."""
    app.config["APPROVAL_REQUIRED"] = True
    playlist = Playlist(name="Đại hội")
    db.add_all(
        [
            playlist,
            gate(playlist=playlist),
        ]
    )
    db.commit()
    approval.publish_and_record(db, redis, "setup")
    return playlist


def on_board(redis) -> list[str]:  # noqa: ANN001
    """The slogans the board's published show plays."""
    doc = show.check(json.loads(redis.get(show.show_key("cua-khau"))))
    return [i["text"] for i in doc["items"]]


def user(app, db, name: str, role: str):  # noqa: ANN001, ANN201
    make_user(db, name, role)
    client = app.test_client()
    login(client, name)
    return client


def write_slogan(client, playlist: Playlist, text: str):  # noqa: ANN001, ANN201
    """Write a slogan into the playlist through the form, following the redirect."""
    return post_form(
        client,
        "/slogans/new",
        {
            "text": text,
            "effect": "static",
            "speed": 32,
            "color": "#ff0000",
            "playlist": playlist.id,
            "duration": 10,
        },
        follow_redirects=True,
    )


def publishes(db) -> list[AuditEntry]:  # noqa: ANN001
    db.expire_all()
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == "publish").order_by(AuditEntry.id)))


def test_editor_draft_waits_until_an_approver_publishes_it(app, db, redis, setup) -> None:  # noqa: ANN001
    editor = user(app, db, "bien-tap", "editor")
    page = write_slogan(editor, setup, CONGRESS).get_data(as_text=True)
    assert "Đã lưu bản nháp" in page
    assert on_board(redis) == []  # the board still plays the published show

    listing = editor.get("/changes/").get_data(as_text=True)
    assert CONGRESS in listing and "bien-tap" in listing
    assert "Duyệt và xuất bản" not in listing  # an editor sees the list, not the button
    assert 'class="count">2<' in listing  # the slogan and its playlist item, in the menu
    viewer = user(app, db, "xem", "viewer")
    assert "2 thay đổi chưa lên bảng" in viewer.get("/").get_data(as_text=True)
    assert "chưa lên bảng" in viewer.get("/").get_data(as_text=True)
    assert viewer.get("/changes/").status_code == 403

    forbidden = post_form(editor, "/changes/publish", {"seen": "999"}, form_url="/changes/")
    assert forbidden.status_code == 403 and on_board(redis) == []

    approver = user(app, db, "duyet", "approver")
    assert "Duyệt và xuất bản" in approver.get("/changes/").get_data(as_text=True)
    done = post_form(approver, "/changes/publish", {}, form_url="/changes/", follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "Đã duyệt và xuất bản: Cửa khẩu" in text and "Không có gì chờ duyệt" in text
    assert on_board(redis) == [CONGRESS]
    last = publishes(db)[-1]
    assert last.actor == "duyet" and last.row_id == "*" and json.loads(last.after) == {"cua-khau": 2}
    assert approval.pending_count(db) == 0
    assert "thay đổi đã lưu chưa lên bảng" not in approver.get("/").get_data(as_text=True)


def test_approver_save_waits_while_someone_elses_draft_is_pending(app, db, redis, setup) -> None:  # noqa: ANN001
    editor, approver = user(app, db, "bien-tap", "editor"), user(app, db, "duyet", "approver")
    write_slogan(editor, setup, CONGRESS)
    page = write_slogan(approver, setup, ANNIVERSARY).get_data(as_text=True)
    assert "có thay đổi của người khác đang chờ duyệt" in page and 'href="/changes/"' in page
    assert on_board(redis) == []  # the approver's save did not carry the editor's unseen draft out

    listing = approver.get("/changes/").get_data(as_text=True)
    assert CONGRESS in listing and ANNIVERSARY in listing
    post_form(approver, "/changes/publish", {}, form_url="/changes/")
    assert on_board(redis) == [CONGRESS, ANNIVERSARY]


def test_approver_save_with_nothing_pending_publishes_at_once(app, db, redis, setup) -> None:  # noqa: ANN001
    approver = user(app, db, "duyet", "approver")
    page = write_slogan(approver, setup, CONGRESS).get_data(as_text=True)
    assert "Đã gửi tới bảng. Hiện trên: Cửa khẩu ngay bây giờ" in page
    assert on_board(redis) == [CONGRESS]
    assert publishes(db)[-1].actor == "duyet" and approval.pending_count(db) == 0
    # The approver's own earlier change does not hold the next one back.
    write_slogan(approver, setup, ANNIVERSARY)
    assert on_board(redis) == [CONGRESS, ANNIVERSARY]


def test_a_draft_saved_during_review_is_not_published_unseen(app, db, redis, setup) -> None:  # noqa: ANN001
    editor, approver = user(app, db, "bien-tap", "editor"), user(app, db, "duyet", "approver")
    write_slogan(editor, setup, CONGRESS)
    reviewed = hidden_fields(approver, "/changes/")  # what the approver was shown
    write_slogan(editor, setup, ANNIVERSARY)  # saved while the approver reads
    refused = approver.post("/changes/publish", data=reviewed, follow_redirects=True)
    assert "Có thay đổi mới được lưu trong lúc bạn đang xem" in refused.get_data(as_text=True)
    assert on_board(redis) == []
    post_form(approver, "/changes/publish", {}, form_url="/changes/")
    assert on_board(redis) == [CONGRESS, ANNIVERSARY]


def test_approval_off_every_save_publishes_at_once(app, db, redis, setup) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = False
    editor = user(app, db, "bien-tap", "editor")
    page = write_slogan(editor, setup, CONGRESS).get_data(as_text=True)
    assert "Đã gửi tới bảng. Hiện trên: Cửa khẩu ngay bây giờ" in page and "bản nháp" not in page
    assert on_board(redis) == [CONGRESS]
    assert publishes(db)[-1].actor == "bien-tap"
    assert 'class="count"' not in editor.get("/").get_data(as_text=True)


def test_an_urgent_notice_is_not_held_back_by_a_pending_draft(app, db, redis, setup) -> None:  # noqa: ANN001
    write_slogan(user(app, db, "bien-tap", "editor"), setup, CONGRESS)
    approver = user(app, db, "duyet", "approver")
    response = post_form(
        approver,
        "/notices/",
        {"text": "TẠM ĐÓNG CỬA KHẨU", "effect": "static", "all_boards": "y", "minutes": 30},
    )
    assert response.status_code == 302
    doc = show.check(json.loads(redis.get(show.show_key("cua-khau"))))
    assert [n["text"] for n in doc["notices"]] == ["TẠM ĐÓNG CỬA KHẨU"]


def test_the_setting_comes_from_the_environment(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.delenv("SIGNAGE_APPROVAL_REQUIRED", raising=False)
    assert config.load(tmp_path)["APPROVAL_REQUIRED"] is True
    for raw, expected in (("0", False), ("off", False), ("FALSE", False), ("on", True), ("1", True)):
        monkeypatch.setenv("SIGNAGE_APPROVAL_REQUIRED", raw)
        assert config.load(tmp_path)["APPROVAL_REQUIRED"] is expected, raw
    monkeypatch.setenv("SIGNAGE_APPROVAL_REQUIRED", "maybe")
    with pytest.raises(ValueError, match="SIGNAGE_APPROVAL_REQUIRED must be on or off.*'maybe'"):
        config.load(tmp_path)


def api_token(db, name: str, role: str) -> dict[str, str]:  # noqa: ANN001
    from signage.web.api.auth import issue_token

    token = issue_token(db, make_user(db, name, role), "tests")
    db.commit()
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}  # the messages checked are English


def test_api_editor_writes_wait_and_an_approver_publishes(app, db, redis, setup) -> None:  # noqa: ANN001
    client = app.test_client()
    editor, viewer = api_token(db, "api-bien-tap", "editor"), api_token(db, "api-xem", "viewer")
    approver = api_token(db, "api-duyet", "approver")
    created = client.post("/api/slogans", headers=editor, json={"text": CONGRESS, "effect": "static"})
    added = client.post(
        f"/api/playlists/{setup.id}/items",
        headers=editor,
        json={"slogan_id": created.get_json()["id"], "duration": 12},
    ).get_json()
    assert added["published"] == {} and added["pending_approval"] is True
    assert "approver" in added["pending_reason"] and on_board(redis) == []

    changes = client.get("/api/changes", headers=viewer).get_json()
    assert changes["approval_required"] is True and changes["count"] == 2
    assert {c["actor"] for c in changes["changes"]} == {"api:api-bien-tap"}
    assert any(c["after"].get("text") == CONGRESS for c in changes["changes"])
    assert changes["last_publish"]["actor"] == "setup"

    refused = client.post("/api/publish", headers=editor, json={})
    assert refused.status_code == 403 and on_board(redis) == []
    stale = client.post("/api/publish", headers=approver, json={"seen": changes["seen"] - 1})
    assert stale.status_code == 409 and "nothing was published" in stale.get_json()["message"]
    assert on_board(redis) == []

    done = client.post("/api/publish", headers=approver, json={"seen": changes["seen"]})
    assert done.status_code == 200 and done.get_json()["published"] == {"cua-khau": 2}
    assert on_board(redis) == [CONGRESS]
    assert publishes(db)[-1].actor == "api:api-duyet"
    after = client.get("/api/changes", headers=viewer).get_json()
    assert after["count"] == 0 and after["changes"] == []
    assert after["last_publish"]["actor"] == "api:api-duyet"


def test_api_approver_write_publishes_when_nothing_else_waits(app, db, redis, setup) -> None:  # noqa: ANN001
    client, approver = app.test_client(), api_token(db, "api-duyet", "approver")
    created = client.post("/api/slogans", headers=approver, json={"text": CONGRESS, "effect": "static"})
    added = client.post(
        f"/api/playlists/{setup.id}/items", headers=approver, json={"slogan_id": created.get_json()["id"]}
    ).get_json()
    assert added["published"] == {"cua-khau": 2} and added["pending_approval"] is False
    assert on_board(redis) == [CONGRESS]


def test_cli_publish_is_the_operators_override_and_is_recorded(
    app, db, redis, redis_server, setup, monkeypatch
) -> None:  # noqa: ANN001
    from signage.cli import main

    write_slogan(user(app, db, "bien-tap", "editor"), setup, CONGRESS)
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    result = CliRunner().invoke(main, ["publish", "--instance", app.config["INSTANCE"]])
    assert result.exit_code == 0, result.output
    assert "cua-khau v2" in result.output and on_board(redis) == [CONGRESS]
    assert publishes(db)[-1].actor == "cli" and approval.pending_count(db) == 0


def test_demo_admin_saves_publish_at_once(app, db, redis) -> None:  # noqa: ANN001
    """`signage demo` seeds, publishes with a record, and logs in as admin: nothing waits."""
    from signage.seed import DEMO_PLAYLIST, DEMO_SLUG, ensure_demo_board

    app.config["APPROVAL_REQUIRED"] = True
    ensure_demo_board(db, "socket://127.0.0.1:9")
    db.commit()
    approval.publish_and_record(db, redis, "demo")
    admin = user(app, db, "admin", "admin")
    playlist = db.scalar(select(Playlist).where(Playlist.name == DEMO_PLAYLIST))
    page = write_slogan(admin, playlist, CONGRESS).get_data(as_text=True)
    assert "Đã gửi tới bảng. Hiện trên: Bảng demo (cửa khẩu) ngay bây giờ" in page
    doc = show.check(json.loads(redis.get(show.show_key(DEMO_SLUG))))
    assert CONGRESS in [i.get("text") for i in doc["items"]]
