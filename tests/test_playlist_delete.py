"""A playlist is deleted like a slogan or a schedule (issue #16.4): a page asks first (no script
needed), the playlist waits in the bin ("Thùng rác") for 30 days and comes back from there. While
a schedule plays it or a board falls back to it the page says which, what the board plays of
it, and offers no delete, as a board group a schedule targets is refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from signage import schedule, show
from signage.models import Board, Playlist, PlaylistItem, Schedule, Slogan, utcnow
from signage.publish import publish_all
from signage.services import bin as trash
from tests.conftest import client_as, gate_board, post_form
from tests.test_api_more import token_for


def on_board(redis) -> list[str]:  # noqa: ANN001
    """What the board plays now by its published show, as the worker chooses (schedule first)."""
    doc = show.Show.loads(redis.get(show.show_key("cua-khau")))
    return [i.text or i.name for i in schedule.what_plays(doc, datetime.now(UTC)).items]


def morning(db, board: Board) -> tuple[Playlist, Schedule]:  # noqa: ANN001
    """A playlist "Buổi sáng" ("XIN CHÀO") that the schedule "Sáng" plays on the board all day."""
    playlist = Playlist(name="Buổi sáng")
    playlist.items.append(PlaylistItem(slogan=Slogan(text="XIN CHÀO"), position=0, duration=20))
    entry = Schedule(name="Sáng", playlist=playlist, board_id=board.id, priority=5)
    db.add_all([playlist, entry])
    db.commit()
    return playlist, entry


def test_a_playlist_asks_first_is_refused_while_played_and_comes_back_from_the_bin(  # noqa: ANN001
    app, db, redis, editor_client
) -> None:
    app.config["APPROVAL_REQUIRED"] = False
    board, _slogan = gate_board(db)
    playlist, entry = morning(db, board)
    publish_all(db, redis)
    assert on_board(redis) == ["XIN CHÀO"]
    url = f"/playlists/{playlist.id}/delete"
    page = editor_client.get(f"/playlists/{playlist.id}").get_data(as_text=True)
    assert f'href="{url}"' in page and "Xoá danh sách phát này" in page  # a link to a page

    # played by a schedule: says which, and what the board plays of it; no delete offered
    refused = editor_client.get(url).get_data(as_text=True)
    assert "Chưa thể xoá: lịch phát «Sáng» đang phát danh sách này" in refused
    assert "Cửa khẩu đang phát: lịch phát «Sáng»." in refused
    assert "<button" not in refused.split("<main>")[1] and "<script" not in refused.split("<main>")[1]
    said = post_form(editor_client, url, {}, form_url=f"/playlists/{playlist.id}", follow_redirects=True)
    assert "Chưa xoá danh sách phát «Buổi sáng»" in said.get_data(as_text=True)
    db.expire_all()
    assert db.get(Playlist, playlist.id) is not None and on_board(redis) == ["XIN CHÀO"]

    # the board's fallback list is refused too, naming the board
    fallback = editor_client.get(f"/playlists/{board.playlist_id}/delete").get_data(as_text=True)
    assert "bảng Cửa khẩu phát danh sách này khi không có lịch nào" in fallback

    # once its schedule is in the bin, no board plays it: the page asks, then it goes
    admin = client_as(app, db, "quan-tri", "admin")
    post_form(admin, f"/schedules/{entry.id}/delete", {}, form_url=f"/schedules/{entry.id}/delete")
    assert on_board(redis) == ["CHÀO MỪNG"]  # the board falls back to its own list
    confirm = editor_client.get(url).get_data(as_text=True)
    assert (
        "«Buổi sáng»" in confirm
        and "các bảng không thay đổi" in confirm
        and "Chuyển vào thùng rác" in confirm
    )
    db.expire_all()
    assert db.get(Playlist, playlist.id) is not None  # asking changed nothing
    done = post_form(editor_client, url, {}, follow_redirects=True).get_data(as_text=True)
    assert "Đã chuyển danh sách phát «Buổi sáng» vào thùng rác" in done
    db.expire_all()
    assert db.scalar(select(Playlist).where(Playlist.name == "Buổi sáng")) is None
    assert "Buổi sáng" not in editor_client.get("/playlists/").get_data(as_text=True)
    assert editor_client.get(f"/playlists/{playlist.id}").status_code == 404
    again = post_form(editor_client, "/playlists/", {"name": "Buổi sáng"}).get_data(as_text=True)
    assert "Một danh sách phát cùng tên đang ở Thùng rác" in again

    # the schedule cannot come back before its playlist; then both do, and the board plays it
    binned = admin.get("/bin/").get_data(as_text=True)
    assert "Buổi sáng" in binned and "Sáng" in binned
    early = post_form(admin, f"/bin/schedule/{entry.id}/restore", {}, form_url="/bin/", follow_redirects=True)
    assert "danh sách phát «Buổi sáng» của lịch đang ở Thùng rác" in early.get_data(as_text=True)
    db.expire_all()
    assert trash.find_binned(db, Schedule, entry.id) is not None and on_board(redis) == ["CHÀO MỪNG"]
    back = post_form(
        admin, f"/bin/playlist/{playlist.id}/restore", {}, form_url="/bin/", follow_redirects=True
    )
    assert "Đã khôi phục danh sách phát «Buổi sáng»" in back.get_data(as_text=True)
    post_form(admin, f"/bin/schedule/{entry.id}/restore", {}, form_url="/bin/")
    assert on_board(redis) == ["XIN CHÀO"]
    assert "Thùng rác trống." in admin.get("/bin/").get_data(as_text=True)
    lines = admin.get("/audit/").get_data(as_text=True)
    assert "bien-tap chuyển danh sách phát «Buổi sáng» vào thùng rác" in lines
    assert "quan-tri lấy lại danh sách phát «Buổi sáng» từ thùng rác" in lines


def test_the_api_deletes_a_playlist_into_the_bin_and_restores_it(app, db, redis) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = False
    board, _slogan = gate_board(db)
    playlist, entry = morning(db, board)
    publish_all(db, redis)
    client, editor = app.test_client(), token_for(db, "editor")

    refused = client.delete(f"/api/playlists/{playlist.id}", headers=editor)
    assert refused.status_code == 409 and "«Sáng»" in refused.get_json()["message"]
    assert client.delete(f"/api/schedules/{entry.id}", headers=editor).status_code == 204
    assert client.delete(f"/api/playlists/{playlist.id}", headers=editor).status_code == 204
    assert client.get(f"/api/playlists/{playlist.id}", headers=editor).status_code == 404
    listed = {(e["kind"], e["name"]) for e in client.get("/api/bin", headers=editor).get_json()}
    assert listed == {("playlist", "Buổi sáng"), ("schedule", "Sáng")}

    early = client.post(f"/api/bin/schedule/{entry.id}/restore", headers=editor)
    assert early.status_code == 422 and "bring the playlist back first" in json.dumps(early.get_json())
    assert client.post(f"/api/bin/playlist/{playlist.id}/restore", headers=editor).status_code == 200
    assert client.post(f"/api/bin/schedule/{entry.id}/restore", headers=editor).status_code == 200
    assert on_board(redis) == ["XIN CHÀO"]
    viewer = token_for(db, "viewer")
    assert client.delete(f"/api/playlists/{playlist.id}", headers=viewer).status_code == 403


def test_a_binned_playlist_stays_while_a_binned_schedule_plays_it(db, redis) -> None:  # noqa: ANN001
    board, _slogan = gate_board(db)
    playlist, entry = morning(db, board)
    lone = Playlist(name="Lẻ")
    db.add(lone)
    db.commit()
    old = utcnow() - timedelta(days=31)
    for row in (playlist, entry, lone):
        row.deleted_at, row.deleted_by = old, "bien-tap"
    db.commit()
    purged = trash.purge(db)
    assert [p.split(" (")[0] for p in purged["playlist"]] == [f"playlist #{lone.id} «Lẻ»"]
    assert "schedule" in purged  # the schedule went; its playlist goes at the next purge
    assert trash.find_binned(db, Playlist, playlist.id) is not None
    assert trash.purge(db)["playlist"][0].startswith(f"playlist #{playlist.id} «Buổi sáng»")
