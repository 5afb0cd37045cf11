"""Publishing does not cut short the item on the board unless it changed, went, or a notice
pre-empts it; a scroll given seconds fills them with whole passes (issue #16.8)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from drivers.pixels import BoardSpec
from signage import show
from signage.keep_playing import still_plays
from signage.models import Slogan, UrgentNotice, utcnow
from signage.publish import compile_show, publish_all
from signage.render.timing import item_seconds, passes_to_fill, scroll_seconds
from tests.conftest import gate_board
from tests.processes import wait_until

GATE = BoardSpec(192, 32, "mono")


def status(redis) -> dict:  # noqa: ANN001
    return {k.decode(): json.loads(v) for k, v in redis.hgetall(show.status_key("cua-khau")).items()}


def test_an_unchanged_publish_leaves_the_item_playing_a_change_ends_it(db, redis, live_board) -> None:  # noqa: ANN001
    assert wait_until(lambda: status(redis).get("text") == "CHÀO MỪNG", 10)
    since = status(redis)["since"]
    publish_all(db, redis)  # the same show again (a re-import of unchanged data)
    db.add(Slogan(text="KHÔNG LIÊN QUAN"))  # a slogan no board plays
    db.commit()
    publish_all(db, redis)
    time.sleep(2)  # the worker looks for a newer show every 40 ms
    assert status(redis)["since"] == since and redis.llen(show.proof_key("cua-khau")) == 0
    live_board.slogan.text = "ĐẠI HỘI XIII"  # the item on the board changed: it ends now
    db.commit()
    publish_all(db, redis)
    assert wait_until(lambda: status(redis).get("text") == "ĐẠI HỘI XIII", 5), status(redis)
    # The record goes to the worker's journal first and reaches Redis with the next push.
    assert wait_until(lambda: redis.llen(show.proof_key("cua-khau")) > 0, 10)
    record = json.loads(redis.lindex(show.proof_key("cua-khau"), -1))
    assert record["interrupted"] is True and record["content"] == "CHÀO MỪNG"


def test_still_plays_is_false_for_a_changed_or_pre_empted_item(db, redis) -> None:  # noqa: ANN001
    board, slogan = gate_board(db)
    old, _ = compile_show(board, db)
    now = datetime.now(UTC)
    item = old.items[0]
    key = f"fallback:{board.playlist_id}"
    same, _ = compile_show(board, db)
    assert still_plays(old, same, key, item, now)
    slogan.speed = 40
    db.commit()
    changed, _ = compile_show(board, db)
    assert not still_plays(old, changed, key, item, now)
    slogan.speed = 32
    db.add(UrgentNotice(text="TẠM ĐÓNG", all_boards=True, expires_at=utcnow() + timedelta(minutes=5)))
    db.commit()
    pre_empted, _ = compile_show(board, db)
    assert not still_plays(old, pre_empted, key, item, datetime.now(UTC))
    assert not still_plays(old, None, key, item, now) and not still_plays(old, same, key, None, now)


def test_a_scroll_given_seconds_fills_them_with_whole_passes() -> None:
    long = {
        "kind": "slogan",
        "text": "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII",
        "effect": "scroll-left",
        "speed": 32,
        "duration": 10,
    }
    one = item_seconds({**long, "passes": 1}, GATE).seconds
    assert one > 10
    timed = item_seconds({**long, "duration": one * 1.3}, GATE)
    assert timed.passes == 2 and timed.seconds == item_seconds({**long, "passes": 2}, GATE).seconds
    assert item_seconds(long, GATE).passes == 1  # shorter than a pass: one whole pass
    for duration in (5, 30, 61.5, 300):
        for span, speed in ((500, 32), (1200, 40), (64, 16)):
            n = passes_to_fill(duration, span, speed)
            assert scroll_seconds(span, speed, n) >= duration or n == 1
            assert n == 1 or scroll_seconds(span, speed, n - 1) < duration
    still = {**long, "text": "CHÀO", "effect": "auto", "duration": 12}
    assert item_seconds(still, GATE) == (12, False, None)  # fits the board: its seconds, no passes
