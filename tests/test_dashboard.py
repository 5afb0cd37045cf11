"""The dashboard tells staff what the board plays, since when, what comes next and when the
schedule hands over, next to what the board acknowledged."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from signage import show
from signage.models import Playlist, PlaylistItem, Schedule, Slogan
from signage.publish import publish_all
from tests.conftest import client_as, gate
from tests.test_schedule_web import setup_content


def test_dashboard_shows_current_next_and_the_coming_change(app, db, redis) -> None:  # noqa: ANN001
    fallback, congress = Playlist(name="Mặc định"), Playlist(name="Đại hội")
    for i, text in enumerate(("CHÀO MỪNG", "BẢO VỆ BIÊN GIỚI", "<b>HỮU NGHỊ</b>")):
        fallback.items.append(PlaylistItem(slogan=Slogan(text=text), position=i, duration=5))
    congress.items.append(PlaylistItem(slogan=Slogan(text="ĐẠI HỘI XIII"), position=0, duration=5))
    board = gate(playlist=fallback)
    tomorrow = (datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + timedelta(days=1)).date()
    congress_day = Schedule(
        name="Đại hội", playlist=congress, board=board, starts_on=tomorrow, ends_on=tomorrow
    )
    db.add_all([fallback, congress, board, congress_day])
    db.commit()
    publish_all(db, redis)
    items = json.loads(redis.get(show.show_key("cua-khau")))["playlists"]
    first = next(iter(items.values()))["items"]
    since = time.time() - 90
    redis.hset(
        show.status_key("cua-khau"),
        mapping={
            k: json.dumps(v)
            for k, v in {
                "heartbeat": time.time(),
                "item": first[1]["id"],
                "text": "BẢO VỆ BIÊN GIỚI",
                "since": since,
                "link": "up",
                "frames": 40,
                "acked": 39,
                "readback": "0badf00d",
            }.items()
        },
    )
    page = client_as(app, db, "xem", "viewer").get("/").get_data(as_text=True)
    local_since = datetime.fromtimestamp(since, ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%H:%M:%S")
    assert "BẢO VỆ BIÊN GIỚI" in page and f"từ {local_since}" in page
    assert "Mục tiếp theo" in page and "&lt;b&gt;HỮU NGHỊ&lt;/b&gt;" in page  # the next item, as text
    assert f"từ 00:00 {tomorrow:%d/%m/%Y}: Đại hội" in page  # the schedule hands over at midnight
    assert "<dd>40</dd>" in page and "<dd>39</dd>" in page and "0badf00d" in page  # under the details
    health = client_as(app, db, "may", "viewer").get("/health").get_json()
    board_health = health["boards"]["cua-khau"]
    assert board_health["next"]["text"] == "<b>HỮU NGHỊ</b>" and board_health["change"]["label"] == "Đại hội"
    assert (
        datetime.fromtimestamp(board_health["change"]["at"], UTC)
        .astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
        .date()
        == tomorrow
    )


def _status(redis, **fields) -> None:  # noqa: ANN001
    redis.delete(show.status_key("cua-khau"))
    redis.hset(show.status_key("cua-khau"), mapping={k: json.dumps(v) for k, v in fields.items()})


def test_live_json_turns_the_card_red_with_the_reason_in_words(app, db, redis) -> None:  # noqa: ANN001
    """Issue #16.5: one small endpoint gives each card's words; a stale heartbeat, a dead cable
    or a board showing something its schedule does not say make it red, saying why."""
    board, fallback, congress = setup_content(db)
    publish_all(db, redis)
    viewer = client_as(app, db, "xem", "viewer")
    fresh = {
        "heartbeat": time.time(),
        "item": "slogan:1",
        "text": "CHÀO MỪNG",
        "label": "Mặc định",
        "kind": "fallback",
        "source": f"fallback:{fallback.id}",
        "since": time.time() - 3,
        "link": "up",
    }
    _status(redis, **fresh)
    card = viewer.get("/live.json").get_json()["cua-khau"]
    assert card["bad"] is False and card["state"] == "đang phát" and card["now"] == "CHÀO MỪNG"
    assert card["link"] == "đã kết nối" and card["heartbeat"].endswith("giây trước")

    _status(redis, **{**fresh, "heartbeat": time.time() - 40})
    card = viewer.get("/live.json").get_json()["cua-khau"]
    assert card["bad"] is True and card["state"] == "không phát"
    assert "Đã 40 giây không có tín hiệu từ bộ phát" in card["reason"]

    _status(redis, **{**fresh, "link": "down", "error": "cổng /dev/ttyUSB0 không mở được"})
    card = viewer.get("/live.json").get_json()["cua-khau"]
    assert card["bad"] and card["link"] == "mất kết nối" and "Bảng không trả lời qua cáp" in card["reason"]

    # a schedule for the congress list all day from now: the board still plays the fallback,
    # and its item began after the schedule took over, so it is wrong
    db.add(Schedule(name="Cả ngày Đại hội", playlist=congress, board=board))
    db.commit()
    publish_all(db, redis)
    _status(redis, **{**fresh, "since": time.time()})  # began after the publish
    card = viewer.get("/live.json").get_json()["cua-khau"]
    assert (
        card["bad"]
        and card["reason"] == "Bảng đang phát «Mặc định» nhưng theo lịch phải là «Cả ngày Đại hội»."
    )
    assert card["scheduled"] == "Cả ngày Đại hội"
    # an item that began before the show with the schedule was published is finishing: not wrong
    _status(redis, **{**fresh, "since": time.time() - 3600})
    assert viewer.get("/live.json").get_json()["cua-khau"]["bad"] is False
    page = viewer.get("/").get_data(as_text=True)
    assert 'data-live-url="/live.json"' in page and 'data-field="reason"' in page
    redis.delete(show.status_key("cua-khau"))
    card = viewer.get("/live.json").get_json()["cua-khau"]
    assert card["bad"] and "Chưa có bộ phát nào chạy bảng này" in card["reason"]
    assert client_as(app, db, "khach", "viewer").get("/live.json").status_code == 200
    assert app.test_client().get("/live.json").status_code in (302, 401)  # logged-in staff only
