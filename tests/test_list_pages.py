"""List pages make what every row repeats once (links, CSRF field, button labels); each row's
links and buttons must still act on that row, with a token the server accepts."""

from __future__ import annotations

import re

from flask import url_for

from signage.models import Slogan
from signage.web.forms import ActionForm


def test_each_slogan_row_edits_and_deletes_its_own_slogan(app, editor_client, db) -> None:  # noqa: ANN001
    slogans = [Slogan(text=f"Khẩu hiệu {i}") for i in range(3)]
    db.add_all(slogans)
    db.commit()
    page = editor_client.get("/slogans/").get_data(as_text=True)
    with app.test_request_context():
        for s in slogans:
            assert f'href="{url_for("slogans.edit", slogan_id=s.id)}"' in page
            assert f'href="{url_for("slogans.delete", slogan_id=s.id)}"' in page  # asks first
    victim = slogans[1]
    confirm = editor_client.get(f"/slogans/{victim.id}/delete").get_data(as_text=True)
    assert "Khẩu hiệu 1" in confirm and "Chuyển vào thùng rác" in confirm
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', confirm).group(1)
    assert editor_client.get(f"/slogans/{victim.id}/edit").status_code == 200
    response = editor_client.post(f"/slogans/{victim.id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    kept = {slogans[0].id, slogans[2].id}
    db.expire_all()
    assert {s.id for s in db.query(Slogan)} == kept


def test_a_row_button_shows_the_version_it_holds_now(app) -> None:  # noqa: ANN001
    with app.test_request_context():
        form = ActionForm(formdata=None, base_version="v1")
        assert str(form.base_version) == str(form.base_version)
        assert 'value="v1"' in str(form.base_version)
        form.base_version.data = "v2"
        assert 'value="v2"' in str(form.base_version)
        assert 'class="x"' in form.base_version(class_="x")  # arguments still honoured
        assert form.csrf_token.current_token in str(form.csrf_token)


def test_playlist_list_counts_items_and_says_when_a_total_is_a_lower_bound(editor_client, db) -> None:  # noqa: ANN001
    """The list adds set durations only; an enabled item that may scroll makes it "at least"."""
    from signage.models import Playlist, PlaylistItem

    still = Playlist(name="Tĩnh")
    still.items = [
        PlaylistItem(slogan=Slogan(text="CHÀO", effect="static"), position=0, duration=12),
        PlaylistItem(slogan=Slogan(text="MỪNG", effect="static"), position=1, duration=8),
        PlaylistItem(slogan=Slogan(text="TẮT", effect="scroll-left"), position=2, duration=30, enabled=False),
    ]
    moving = Playlist(name="Chạy chữ")
    moving.items = [
        PlaylistItem(slogan=Slogan(text="BIÊN GIỚI", effect="static"), position=0, duration=10),
        PlaylistItem(slogan=Slogan(text="HỮU NGHỊ", effect="scroll-left"), position=1, duration=5),
        PlaylistItem(slogan=Slogan(text="HỢP TÁC", effect="scroll-left"), position=2, duration=5, passes=2),
    ]
    db.add_all([still, moving, Playlist(name="Trống")])
    db.commit()
    page = editor_client.get("/playlists/").get_data(as_text=True)
    assert re.search(r"Tĩnh</a>\s*\(3 mục, 20 giây\)", page), page  # the switched-off item is not counted
    assert re.search(r"Chạy chữ</a>\s*\(3 mục, ít nhất 15 giây\)", page), page
    assert re.search(r"Trống</a>\s*\(0 mục, 0 giây\)", page), page
