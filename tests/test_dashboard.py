"""The dashboard tells staff what the board plays, since when, what comes next and when the
schedule hands over, next to what the board acknowledged."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from signage import show
from signage.models import Board, Playlist, PlaylistItem, Schedule, Slogan
from signage.publish import publish_all
from tests.conftest import client_as


def test_dashboard_shows_current_next_and_the_coming_change(app, db, redis) -> None:  # noqa: ANN001
    fallback, congress = Playlist(name="Mặc định"), Playlist(name="Đại hội")
    for i, text in enumerate(("CHÀO MỪNG", "BẢO VỆ BIÊN GIỚI", "<b>HỮU NGHỊ</b>")):
        fallback.items.append(PlaylistItem(slogan=Slogan(text=text), position=i, duration=5))
    congress.items.append(PlaylistItem(slogan=Slogan(text="ĐẠI HỘI XIII"), position=0, duration=5))
    board = Board(slug="cua-khau", name="Cửa khẩu", width=192, height=32, color="mono", protocol="native",
                  port_url="socket://127.0.0.1:9", baud=115200, playlist=fallback)
    tomorrow = (datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + timedelta(days=1)).date()
    congress_day = Schedule(name="Đại hội", playlist=congress, board=board,
                            starts_on=tomorrow, ends_on=tomorrow)
    db.add_all([fallback, congress, board, congress_day])
    db.commit()
    publish_all(db, redis)
    items = json.loads(redis.get(show.show_key("cua-khau")))["playlists"]
    first = next(iter(items.values()))["items"]
    since = time.time() - 90
    redis.hset(show.status_key("cua-khau"), mapping={k: json.dumps(v) for k, v in {
        "heartbeat": time.time(), "item": first[1]["id"], "text": "BẢO VỆ BIÊN GIỚI", "since": since,
        "link": "up", "frames": 40, "acked": 39, "readback": "0badf00d"}.items()})
    page = client_as(app, db, "xem", "viewer").get("/").get_data(as_text=True)
    local_since = datetime.fromtimestamp(since, ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%H:%M:%S")
    assert "BẢO VỆ BIÊN GIỚI" in page and f"từ {local_since}" in page
    assert "Mục tiếp theo" in page and "&lt;b&gt;HỮU NGHỊ&lt;/b&gt;" in page  # the next item, as text
    assert f"từ 00:00 {tomorrow:%d/%m/%Y}: Đại hội" in page  # the schedule hands over at midnight
    assert "40 / 39" in page and "0badf00d" in page
    health = client_as(app, db, "may", "viewer").get("/health").get_json()
    board_health = health["boards"]["cua-khau"]
    assert board_health["next"]["text"] == "<b>HỮU NGHỊ</b>" and board_health["change"]["label"] == "Đại hội"
    assert datetime.fromtimestamp(board_health["change"]["at"], UTC).astimezone(
        ZoneInfo("Asia/Ho_Chi_Minh")).date() == tomorrow
