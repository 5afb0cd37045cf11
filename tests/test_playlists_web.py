"""The playlist page: seconds or passes per item, on/off, the total, adding through a search,
and edits on a playlist someone else changed meanwhile refused (all without JavaScript)."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from drivers.pixels import BoardSpec
from signage.models import Banner, Board, Playlist, PlaylistItem, Slogan
from signage.publish import compile_show
from signage.render import render_item
from signage.render.timing import item_seconds
from tests.conftest import gate, hidden_fields, post_form

LONG = "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG"


def setup_playlist(db, *contents) -> tuple[Playlist, Board]:  # noqa: ANN001
    playlist = Playlist(name="Đại hội")
    for position, content in enumerate(contents):
        kind = "banner" if isinstance(content, Banner) else "slogan"
        playlist.items.append(PlaylistItem(position=position, duration=10, **{kind: content}))
    board = gate(playlist=playlist)
    db.add_all([playlist, board])
    db.commit()
    return playlist, board


def banner() -> Banner:
    return Banner(
        name="Pano Đại hội", sha256="b" * 64, mime="image/png", data=b"\x89PNG", width=192, height=32
    )


def items(db, playlist_id: int) -> list[PlaylistItem]:  # noqa: ANN001
    db.expire_all()
    return db.get(Playlist, playlist_id).items


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_item_plays_for_passes_and_the_boards_get_them(editor_client, db) -> None:  # noqa: ANN001
    playlist, board = setup_playlist(db, Slogan(text=LONG, effect="scroll-left", speed=40))
    url = f"/playlists/{playlist.id}"
    item = items(db, playlist.id)[0]
    response = post_form(
        editor_client, f"{url}/items/{item.id}/timing", {"amount": "3", "unit": "passes"}, form_url=url
    )
    assert response.status_code == 302
    assert (items(db, playlist.id)[0].passes, items(db, playlist.id)[0].duration) == (3, 10)
    doc, _ = compile_show(db.get(Board, board.id), db)
    shown = doc.playlist_items(str(playlist.id))[0]
    assert shown.passes == 3
    # The total is estimated from the scroll on this board, and the page says "about".
    expected = item_seconds(shown.render(), BoardSpec(192, 32, "mono")).seconds
    assert expected > 30  # three passes of a long slogan, not the 10 s duration
    page = text_of(editor_client.get(url).get_data(as_text=True))
    minutes, seconds = divmod(round(expected), 60)
    assert f"Tổng thời lượng các mục đang bật: khoảng {minutes} phút {seconds} giây" in page
    assert "trên bảng cua-khau, 192x32" in page
    # Back to seconds: the item plays for its duration again.
    post_form(
        editor_client, f"{url}/items/{item.id}/timing", {"amount": "12", "unit": "seconds"}, form_url=url
    )
    assert (items(db, playlist.id)[0].passes, items(db, playlist.id)[0].duration) == (None, 12)
    doc, _ = compile_show(db.get(Board, board.id), db)
    # seconds for a scroll: the show carries the whole passes that fill them (one here: the
    # pass is longer than 12 s), so the worker never leaves the board dark (issue #16.8)
    assert doc.playlist_items(str(playlist.id))[0].passes == 1


def test_bad_timings_are_refused_with_a_message_and_nothing_changes(editor_client, db) -> None:  # noqa: ANN001
    playlist, _ = setup_playlist(
        db, Slogan(text=LONG, effect="scroll-left"), Slogan(text="Chào", effect="static"), banner()
    )
    url = f"/playlists/{playlist.id}"
    scroll, still, image = items(db, playlist.id)
    not_passes = "chỉ khẩu hiệu chạy chữ hoặc nhấp nháy mới phát theo số lượt"
    cases = [
        (scroll, {"amount": "0", "unit": "passes"}, "số lượt 0 nằm ngoài khoảng 1..100"),
        (scroll, {"amount": "2.5", "unit": "passes"}, "số lượt 2.5 không phải số nguyên"),
        (scroll, {"amount": "0", "unit": "seconds"}, "thời lượng 0.0 giây nằm ngoài 1..3600 giây"),
        (scroll, {"amount": "", "unit": "seconds"}, "Hãy cho biết mục phát trong bao lâu."),
        (still, {"amount": "2", "unit": "passes"}, not_passes),
        (image, {"amount": "2", "unit": "passes"}, not_passes),
    ]
    for item, data, message in cases:
        response = post_form(
            editor_client, f"{url}/items/{item.id}/timing", data, form_url=url, follow_redirects=True
        )
        assert message in response.get_data(as_text=True), (data, text_of(response.get_data(as_text=True)))
    assert [(i.duration, i.passes) for i in items(db, playlist.id)] == [(10, None)] * 3


def test_switching_items_off_keeps_them_listed_but_off_the_boards(editor_client, db) -> None:  # noqa: ANN001
    playlist, board = setup_playlist(
        db, Slogan(text="Một", effect="static"), Slogan(text="Hai", effect="static")
    )
    url = f"/playlists/{playlist.id}"
    first, second = items(db, playlist.id)
    post_form(
        editor_client, f"{url}/items/{second.id}/timing", {"amount": "20", "unit": "seconds"}, form_url=url
    )
    page = text_of(editor_client.get(url).get_data(as_text=True))
    assert "Tổng thời lượng các mục đang bật: 30 giây" in page
    post_form(editor_client, f"{url}/items/{second.id}/toggle", {}, form_url=url)
    assert [i.enabled for i in items(db, playlist.id)] == [True, False]
    page = text_of(editor_client.get(url).get_data(as_text=True))
    assert "Tổng thời lượng các mục đang bật: 10 giây" in page and "Hai" in page  # still listed
    doc, _ = compile_show(db.get(Board, board.id), db)
    assert [i.text for i in doc.playlist_items(str(playlist.id))] == ["Một"]
    post_form(editor_client, f"{url}/items/{second.id}/toggle", {}, form_url=url)
    assert [i.enabled for i in items(db, playlist.id)] == [True, True]


def test_content_is_added_through_a_search_not_a_list_of_every_slogan(editor_client, db) -> None:  # noqa: ANN001
    playlist, _ = setup_playlist(db)
    db.add_all(
        [
            Slogan(text=f"Khẩu hiệu số {n}: chào mừng Đại hội Đảng bộ tỉnh Kon Tum lần thứ XVI")
            for n in range(1000)
        ]
        + [banner()]
    )
    db.commit()
    url = f"/playlists/{playlist.id}"
    html = editor_client.get(url).get_data(as_text=True)
    assert len(html.encode()) < 40_000, len(html.encode())  # ten matches, not a thousand options
    assert html.count('name="content_id"') == 10
    found = editor_client.get(url, query_string={"q": "SỐ 99"}).get_data(as_text=True)
    labels = re.findall(r"Khẩu hiệu số (\d+):", found)
    assert labels == ["999", "998", "997", "996", "995", "994", "993", "992", "991", "990"]
    page2 = editor_client.get(url, query_string={"q": "số 99", "page": 2}).get_data(as_text=True)
    assert re.findall(r"Khẩu hiệu số (\d+):", page2) == ["99"]
    assert "Pano Đại hội" in editor_client.get(url, query_string={"q": "pano"}).get_data(as_text=True)
    nothing = editor_client.get(url, query_string={"q": "không có đâu"}).get_data(as_text=True)
    assert "Không có gì khớp" in nothing
    # Add the third match for three passes; the redirect keeps the search.
    wanted = db.scalar(select(Slogan).where(Slogan.text.startswith("Khẩu hiệu số 997:")))
    response = post_form(
        editor_client,
        f"{url}/items",
        {"kind": "slogan", "content_id": wanted.id, "amount": "3", "unit": "passes", "q": "số 99"},
        form_url=url,
    )
    assert response.status_code == 302 and "q=" in response.location
    added = items(db, playlist.id)
    assert [(i.slogan_id, i.passes) for i in added] == [(wanted.id, 3)]
    image = db.scalar(select(Banner))
    post_form(
        editor_client,
        f"{url}/items",
        {"kind": "banner", "content_id": image.id, "amount": "6", "unit": "seconds"},
        form_url=url,
    )
    assert [(i.banner_id, i.duration) for i in items(db, playlist.id)][1] == (image.id, 6)
    refused = post_form(
        editor_client,
        f"{url}/items",
        {"kind": "banner", "content_id": image.id, "amount": "2", "unit": "passes"},
        form_url=url,
        follow_redirects=True,
    )
    assert "chỉ khẩu hiệu chạy chữ hoặc nhấp nháy" in refused.get_data(as_text=True)
    assert len(items(db, playlist.id)) == 2


def test_an_edit_on_a_playlist_changed_meanwhile_is_refused(editor_client, db) -> None:  # noqa: ANN001
    playlist, _ = setup_playlist(db, Slogan(text="Một"), Slogan(text="Hai"))
    url = f"/playlists/{playlist.id}"
    first, second = items(db, playlist.id)
    seen = hidden_fields(editor_client, url)  # the page as this editor opened it
    other = db.get(PlaylistItem, second.id)
    other.duration = 25  # someone else saves meanwhile
    db.commit()
    for path, data in (
        (f"{url}/items/{first.id}/timing", {"amount": "40", "unit": "seconds"}),
        (f"{url}/items/{first.id}/toggle", {}),
        (f"{url}/items/{first.id}/move/down", {}),
        (f"{url}/items", {"kind": "slogan", "content_id": first.slogan_id, "amount": "5", "unit": "seconds"}),
    ):
        response = editor_client.post(path, data={**seen, **data}, follow_redirects=True)
        assert "Danh sách phát đã được người khác thay đổi" in response.get_data(as_text=True), path
    assert [(i.label, i.duration, i.enabled) for i in items(db, playlist.id)] == [
        ("Một", 10, True),
        ("Hai", 25, True),
    ]


def test_viewers_see_the_times_without_the_edit_forms(app, db) -> None:  # noqa: ANN001
    from tests.conftest import client_as

    playlist, _ = setup_playlist(db, Slogan(text=LONG, effect="scroll-left"))
    item = items(db, playlist.id)[0]
    item.passes = 2
    db.commit()
    viewer = client_as(app, db, "xem", "viewer")
    page = viewer.get(f"/playlists/{playlist.id}").get_data(as_text=True)
    assert "2 lượt" in text_of(page) and 'name="amount"' not in page and 'name="content_id"' not in page


def test_the_player_ends_an_item_after_its_passes_not_its_duration(redis, tmp_path) -> None:  # noqa: ANN001
    """Real parts: the worker's player, the renderer and a simulated board over TCP."""
    from drivers.simulator import Simulator
    from signage import show
    from signage.playout import Player

    spec = BoardSpec(192, 32, "mono")
    sim = Simulator("native", spec, listen="tcp://127.0.0.1:0", baud=None).start()
    item = {
        "kind": "slogan",
        "text": "Chào mừng",
        "effect": "scroll-left",
        "speed": 400,
        "id": "a",
        "duration": 3600,
        "passes": 2,
    }
    doc = {
        "format": 2,
        "board": {
            "slug": "x",
            "width": 192,
            "height": 32,
            "color": "mono",
            "protocol": "native",
            "port_url": sim.url,
            "baud": 115200,
        },
        "playlists": {"1": {"name": "a", "items": [item]}},
        "fallback": "1",
        "notices": [],
        "schedules": [],
    }
    show.store(redis, "x", doc)
    player = Player("x", redis, tmp_path)
    try:
        assert player.lease.acquire()
        started = time.monotonic()
        record = player.play("rq")
        assert time.monotonic() - started < 600  # not the hour of its duration
        frames = list(render_item(item, spec))
        one_pass = list(render_item({**item, "passes": 1}, spec))
        assert record["frames_sent"] == len(frames) > 1.9 * len(one_pass)  # two whole passes
        assert record["error"] is None and not record["interrupted"]
        planned = (_iso(record["planned_end"]) - _iso(record["planned_start"])).total_seconds()
        assert abs(planned - (frames[-1].at + frames[-1].hold)) < 0.01
    finally:
        player.close_link()
        sim.stop()


def _iso(value: str):  # noqa: ANN202
    from datetime import datetime

    return datetime.fromisoformat(value)


def test_passes_survive_export_and_import_and_banners_refuse_them(db, tmp_path) -> None:  # noqa: ANN001
    """Backups and playlist files go through the bundle: passes must not be lost on the way."""
    from signage.bundle import apply, read_path
    from signage.bundle.read import BundleError
    from signage.exporter import export_dir

    playlist, _ = setup_playlist(db, Slogan(text=LONG, effect="scroll-left"), Slogan(text="Hai"))
    items(db, playlist.id)[0].passes = 3
    db.commit()
    export_dir(db, tmp_path / "export")
    db.delete(db.get(Playlist, playlist.id))
    db.commit()
    apply(db, read_path(tmp_path / "export"))
    db.commit()
    again = db.scalar(select(Playlist).where(Playlist.name == "Đại hội"))
    assert [(i.label, i.passes) for i in again.items] == [(LONG, 3), ("Hai", None)]
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.toml").write_text(
        'format = 2\n[[banners]]\nkey = "p"\nname = "P"\nimage = "p.png"\n'
        '[[playlists]]\nname = "X"\nitems = [{ banner = "p", passes = 2 }]\n',
        encoding="utf-8",
    )
    with pytest.raises(BundleError, match="passes"):
        read_path(bad)


@pytest.mark.parametrize("content_id", [2**31, 2**70, 0, -1])
def test_an_item_naming_no_possible_record_is_refused_in_words(editor_client, db, content_id) -> None:  # noqa: ANN001
    """An id no table can hold (SQLite cannot even compare 2**70) names nothing: the page says
    so and adds nothing, rather than failing."""
    playlist, _ = setup_playlist(db)
    before = len(items(db, playlist.id))
    url = f"/playlists/{playlist.id}"
    response = post_form(
        editor_client,
        f"{url}/items",
        {"kind": "slogan", "content_id": str(content_id), "amount": "3", "unit": "seconds"},
        form_url=url,
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert len(items(db, playlist.id)) == before
