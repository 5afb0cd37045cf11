"""Urgent notices go out alone, and the notice page tells when the board confirms one.

The read-back tests run the real parts: the admin (Flask test client), a private Redis, a
``signage worker`` process and a ``signage sim`` board on the native protocol over a serial
link (the ``live_board`` fixture): still, blinking and scrolling notices end up confirmed by
the board's own read-back, and a board showing something else does not. The pure check of a
read-back against a notice's frames (``signage.readback``) is tested on its own too.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from drivers.pixels import BoardSpec
from signage import readback, schedule, show
from signage.models import UrgentNotice
from signage.publish import publish_all
from signage.readback import Expected, check, frame_crc
from signage.render import render_item
from tests.conftest import LiveBoard, client_as, gate_board, post_form
from tests.processes import LineReader, Simulator, same_pixels, start_worker, stop_process, wait_until
from tests.test_browser import SHOTS, browser  # noqa: F401 - the chromium fixture

SPEC = BoardSpec(192, 32, "mono")


def expected(item: dict[str, Any], spec: BoardSpec, **options: Any) -> Expected:
    """``readback.expected`` of an item written as the show's JSON."""
    return readback.expected(show.ShowItem.from_json(item), spec, **options)


def published(redis, slug: str = "cua-khau") -> dict:  # noqa: ANN001
    return show.check(json.loads(redis.get(show.show_key(slug))))


def texts(doc: dict) -> list[str]:
    return [i.get("text") for p in doc["playlists"].values() for i in p["items"]]


def test_a_notice_does_not_carry_a_pending_slogan_edit_to_the_board(app, db, redis) -> None:  # noqa: ANN001
    board, slogan = gate_board(db)
    publish_all(db, redis)
    before = published(redis)
    slogan.text = "BẢN NHÁP CHƯA DUYỆT"  # saved in the database, not published: a draft
    db.commit()
    approver = client_as(app, db, "duyet", "approver")
    response = post_form(
        approver,
        "/notices/",
        {"text": "TẠM ĐÓNG CỬA KHẨU", "effect": "static", "all_boards": "y", "minutes": 30},
        follow_redirects=True,
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Đã gửi tới bảng: Cửa khẩu. Thông báo hiện ngay, trước mọi nội dung khác." in page
    doc = published(redis)
    assert doc["version"] == before["version"] + 1  # a newer show, so the worker switches at once
    assert texts(doc) == ["CHÀO MỪNG"]  # the draft stayed in the database
    choice = schedule.what_plays(show.Show.from_json(doc), datetime.now(UTC))
    assert choice.kind == "notice" and choice.items[0].text == "TẠM ĐÓNG CỬA KHẨU"
    notice = db.scalar(select(UrgentNotice))
    post_form(approver, f"/notices/{notice.id}/cancel", {}, form_url="/notices/")
    doc = published(redis)
    assert doc["notices"] == [] and texts(doc) == ["CHÀO MỪNG"]
    assert schedule.what_plays(show.Show.from_json(doc), datetime.now(UTC)).kind == "fallback"


def test_a_notice_for_a_board_never_published_compiles_its_show(app, db, redis) -> None:  # noqa: ANN001
    board, _slogan = gate_board(db)
    approver = client_as(app, db, "duyet", "approver")
    response = post_form(
        approver, "/notices/", {"text": "KHẨN", "effect": "static", "boards": [board.id], "minutes": 5}
    )
    assert response.status_code == 302
    doc = published(redis)
    assert texts(doc) == ["CHÀO MỪNG"] and [n["text"] for n in doc["notices"]] == ["KHẨN"]


def test_notice_page_without_a_worker_says_the_board_does_not_answer(app, db, redis) -> None:  # noqa: ANN001
    gate_board(db)
    approver = client_as(app, db, "duyet", "approver")
    response = post_form(
        approver, "/notices/", {"text": "KHẨN", "effect": "static", "all_boards": "y", "minutes": 5}
    )
    notice = db.scalar(select(UrgentNotice))
    assert response.location.endswith(f"/notices/{notice.id}")
    page = approver.get(response.location).get_data(as_text=True)
    assert "bảng không trả lời" in page and "notice-status.js" in page and "<script>" not in page
    data = approver.get(f"/notices/{notice.id}/status.json").get_json()
    assert [(r["board"], r["state"]) for r in data["boards"]] == [("cua-khau", "not-answering")]
    post_form(approver, f"/notices/{notice.id}/cancel", {}, form_url="/notices/")
    data = approver.get(f"/notices/{notice.id}/status.json").get_json()
    assert data["over"] and data["boards"][0]["state"] == "expired"
    assert approver.get("/notices/99999/status.json").status_code == 404


def test_expected_crc_is_the_simulator_packing_and_moving_effects_have_a_set() -> None:
    still = {"kind": "slogan", "text": "ĐÓNG CỬA", "effect": "static", "duration": 60}
    want = expected(still, SPEC)
    assert want.crc == frame_crc(next(iter(render_item(still, SPEC))).image, SPEC)
    assert want.frames == {want.crc} and not want.moving
    blink = expected({**still, "effect": "blink"}, SPEC)
    assert blink.why_not == "moving" and blink.crc is None and blink.hex is None  # no single frame
    assert blink.frames == {want.crc}  # its on half is the still frame; the off half is dark
    assert blink.dark == {frame_crc(SPEC.blank(), SPEC)}
    assert expected({**still, "effect": "scroll-left"}, SPEC).why_not == "moving"
    assert expected(still, SPEC, protocol="tpm2").why_not == "protocol"
    assert expected({**still, "text": "{countdown:sắp}"}, SPEC).why_not == "render"


def test_check_still_blink_scroll_blank_and_wrong_read_backs() -> None:
    still_item = {"kind": "slogan", "text": "ĐÓNG CỬA", "effect": "static", "duration": 60}
    other = frame_crc(next(iter(render_item({**still_item, "text": "MỞ CỬA"}, SPEC))).image, SPEC)
    dark = f"{frame_crc(SPEC.blank(), SPEC):08x}"
    still = expected(still_item, SPEC)
    assert check(still, still.hex) == check(still, still.crc) == readback.CONFIRMED
    assert check(still, f"{other:08x}") == readback.DIFFERS
    assert check(still, dark) == readback.DIFFERS  # a still notice is never dark: the board is off
    assert check(still, None) == check(still, "") == readback.NO_READBACK
    assert check(still, "not hex") == readback.DIFFERS
    assert check(expected(still_item, SPEC, protocol="tpm2"), still.hex) == readback.UNCOMPARABLE

    blink = expected({**still_item, "effect": "blink", "duration": 3600}, SPEC)  # an hour: 7,200 frames
    assert check(blink, still.hex) == readback.CONFIRMED  # caught in its on half
    assert check(blink, dark) == readback.DARK  # caught in its off half: not yet seen
    assert check(blink, other) == readback.DIFFERS

    scroll_item = {**still_item, "text": "TẠM ĐÓNG CỬA KHẨU", "effect": "scroll-left", "passes": 3}
    frames = list(render_item({**scroll_item, "passes": 1}, SPEC))
    scroll = expected(scroll_item, SPEC)
    assert scroll.complete and scroll.dark == {frame_crc(SPEC.blank(), SPEC)}  # it starts and ends empty
    assert all(check(scroll, frame_crc(f.image, SPEC)) in (readback.CONFIRMED, readback.DARK) for f in frames)
    middle = frames[len(frames) // 2].image
    assert check(scroll, f"{frame_crc(middle, SPEC):08x}") == readback.CONFIRMED
    assert check(scroll, dark) == readback.DARK
    assert check(scroll, other) == check(scroll, still.crc) == readback.DIFFERS


def test_long_scrolls_compare_their_first_frames_and_say_not_yet_for_the_rest(monkeypatch) -> None:  # noqa: ANN001
    item = {"kind": "slogan", "text": "TẠM ĐÓNG CỬA KHẨU", "effect": "scroll-left"}
    frames = [frame_crc(f.image, SPEC) for f in render_item(item, SPEC)]
    monkeypatch.setattr(readback, "MAX_FRAMES", 100)
    want = expected(item, SPEC)
    assert not want.complete and frames[50] in want.frames and frames[300] not in want.frames
    assert check(want, frames[50]) == readback.CONFIRMED
    assert check(want, frames[300]) == readback.UNLISTED  # a frame not drawn here: no mismatch claimed


def test_live_tokens_are_drawn_at_the_read_backs_time() -> None:
    item = {"kind": "slogan", "text": "GIỜ {time}", "effect": "static", "duration": 600}

    def crc_at(text: str) -> int:
        return frame_crc(next(iter(render_item({**item, "text": text}, SPEC))).image, SPEC)

    taken = datetime(2020, 9, 25, 12, 0, 3)  # 3 s after the minute turned
    want = expected(item, SPEC, now=taken)
    assert want.crc == crc_at("GIỜ 12:00") and not want.moving
    assert check(want, crc_at("GIỜ 12:00")) == readback.CONFIRMED
    assert check(want, crc_at("GIỜ 11:59")) == readback.CONFIRMED  # sent just before the read-back
    assert check(want, crc_at("GIỜ 12:05")) == readback.DIFFERS
    later = expected(item, SPEC, now=datetime(2020, 9, 25, 12, 0, 40))
    assert check(later, crc_at("GIỜ 11:59")) == readback.DIFFERS  # long past: not what the board shows
    scroll = expected({**item, "effect": "scroll-left"}, SPEC, now=taken)
    assert (
        scroll.moving
        and scroll.frames >= expected({**item, "text": "GIỜ 12:00", "effect": "scroll-left"}, SPEC).frames
    )


def test_a_scrolling_notice_plays_pass_after_pass_until_it_expires() -> None:
    """Played "for its duration", one pass of a scroll would leave the board empty for the rest."""
    now = datetime.now(UTC)
    notice = {
        "id": 7,
        "text": "KHẨN",
        "effect": "scroll-left",
        "starts_at": now.isoformat(),
        "expires_at": (now + timedelta(minutes=30)).isoformat(),
    }
    entry = show.ShowNotice.from_json(notice, "notice")
    assert schedule.notice_item(entry, now).passes == 1
    # a blink blinks for the duration; still text stays
    assert schedule.notice_item(replace(entry, effect="blink"), now).passes is None
    assert schedule.notice_item(replace(entry, effect="static"), now).passes is None


def send_notice(approver: FlaskClient, text: str, effect: str) -> tuple[Any, Callable[[], dict]]:
    """Send a 10-minute notice to every board; its answer, and a reader of its board's status row."""
    response = post_form(
        approver, "/notices/", {"text": text, "effect": effect, "all_boards": "y", "minutes": 10}
    )
    assert response.status_code == 302
    status_url = response.location.rstrip("/") + "/status.json"
    return response, lambda: approver.get(status_url).get_json()["boards"][0]


@pytest.mark.slow
def test_notice_page_reports_confirmed_once_the_board_reads_back_the_notice(
    app, db, redis, live_board: LiveBoard
) -> None:  # noqa: ANN001
    sim, out = live_board.sim, live_board.out
    approver = client_as(app, db, "duyet", "approver")
    response, state = send_notice(approver, "TẠM ĐÓNG CỬA KHẨU", "static")

    assert wait_until(lambda: state()["state"] == "confirmed", 15), (state(), out.seen)
    row = state()
    assert row["readback"] == row["expected"] and row["since"] and row["check"] == "confirmed"
    notice_frame = next(
        iter(
            render_item(
                {"kind": "slogan", "text": "TẠM ĐÓNG CỬA KHẨU", "effect": "static", "duration": 60}, SPEC
            )
        )
    ).image
    assert same_pixels(sim.frame(), notice_frame)  # what "confirmed" claims, seen on the board
    page = approver.get(response.location).get_data(as_text=True)
    assert "đang trên bảng (đã xác nhận bằng đọc lại)" in page

    # A blinking notice: confirmed by a read-back of its on half.
    response, blink_row = send_notice(approver, "KHẨN", "blink")

    assert wait_until(lambda: blink_row()["state"] == "confirmed", 15), (blink_row(), out.seen)
    row = blink_row()
    on = next(iter(render_item({"kind": "slogan", "text": "KHẨN", "effect": "static"}, SPEC))).image
    assert row["readback"] == row["expected"] == f"{frame_crc(on, SPEC):08x}"
    assert wait_until(lambda: same_pixels(sim.frame(), on), 5, interval=0.05)  # it is on the board...
    assert wait_until(lambda: sim.frame().getbbox() is None, 5, interval=0.05)  # ...and blinks
    assert "đã xác nhận" in approver.get(response.location).get_data(as_text=True)
    assert state()["state"] == "waiting"  # the newer notice is the one on the board now


@pytest.mark.slow
def test_a_scrolling_notice_is_confirmed_and_a_board_showing_another_is_not(
    app, db, redis, live_board: LiveBoard
) -> None:  # noqa: ANN001
    sim, out = live_board.sim, live_board.out
    approver = client_as(app, db, "duyet", "approver")
    response, row = send_notice(approver, "TẠM ĐÓNG", "scroll-left")  # a 10 s pass
    notice = db.scalar(select(UrgentNotice))

    assert wait_until(lambda: row()["state"] == "confirmed", 15), (row(), out.seen)
    first = row()
    assert first["readback"] == first["expected"] and first["since"] and first["check"] == "confirmed"
    want = expected({"kind": "slogan", "text": "TẠM ĐÓNG", "effect": "scroll-left", "speed": 32}, SPEC)
    assert int(first["readback"], 16) in want.frames  # one of the scroll's own frames
    seen = [check(want, frame_crc(sim.frame(), SPEC)) for _ in range(5)]  # the board really scrolls it
    assert set(seen) <= {"confirmed", "dark"} and "confirmed" in seen, seen

    def passes() -> int:
        records = [json.loads(r) for r in redis.lrange(show.proof_key("cua-khau"), 0, -1)]
        return sum(r["source"] == f"notice:{notice.id}" for r in records)

    # Pass after pass it keeps scrolling, read back every few seconds, on the board since it began.
    assert wait_until(lambda: passes() >= 1, 20), out.seen
    before = row()["readback"]
    assert wait_until(lambda: row()["readback"] != before, 10), row()
    again = row()
    assert again["state"] == "confirmed" and again["since"] == first["since"], (first, again)

    # The page describes another text than the board shows (changed behind the workers' back,
    # never sent): the board's read-backs are none of its frames, so nothing is confirmed.
    notice.text = "MỞ CỬA LẠI"
    db.commit()
    other = row()
    assert other["state"] == "unconfirmed" and other["check"] == "differs", other
    assert other["readback"] and other["expected"] is None
    assert wait_until(lambda: row()["readback"] != other["readback"], 10)  # a later read-back: the same
    assert row()["state"] == "unconfirmed" and row()["check"] == "differs"


def test_notice_on_a_slow_worker_waits_until_it_plays(app, db, redis) -> None:  # noqa: ANN001
    """A worker that beats but still plays the schedule: the page says waiting, with what plays."""
    gate_board(db)
    approver = client_as(app, db, "duyet", "approver")
    redis.hset(
        show.status_key("cua-khau"),
        mapping={
            "heartbeat": json.dumps(time.time()),
            "source": json.dumps("fallback:1"),
            "label": json.dumps("CHÀO MỪNG"),
            "since": json.dumps(time.time()),
        },
    )
    response = post_form(
        approver, "/notices/", {"text": "KHẨN", "effect": "static", "all_boards": "y", "minutes": 5}
    )
    row = approver.get(response.location + "/status.json").get_json()["boards"][0]
    assert row["state"] == "waiting" and "CHÀO MỪNG" in row["detail"]


def test_notice_page_says_not_answering_when_the_worker_cannot_reach_the_board(app, db, redis) -> None:  # noqa: ANN001
    gate_board(db)
    approver = client_as(app, db, "duyet", "approver")
    redis.hset(
        show.status_key("cua-khau"),
        mapping={
            "heartbeat": json.dumps(time.time()),
            "link": json.dumps("down"),
            "error": json.dumps("socket://127.0.0.1:9: connection refused"),
        },
    )
    response = post_form(
        approver, "/notices/", {"text": "KHẨN", "effect": "static", "all_boards": "y", "minutes": 5}
    )
    row = approver.get(response.location + "/status.json").get_json()["boards"][0]
    assert row["state"] == "not-answering" and "connection refused" in row["detail"]
    assert "bộ phát không kết nối được tới bảng" in row["detail"]


@pytest.mark.slow
def test_notice_page_updates_itself_in_a_browser(browser, redis, redis_server, tmp_path) -> None:  # noqa: ANN001, F811
    """The page's own script (no inline code, CSP default-src 'self') turns the row to confirmed."""
    import subprocess

    from signage.db import create_schema, make_engine, session_scope
    from signage.demo import answers, free_port
    from signage.models import User
    from tests.conftest import signage_command
    from tests.processes import environ

    sim = Simulator()
    url = f"sqlite:///{tmp_path / 'signage.db'}"
    engine = make_engine(url)
    create_schema(engine)
    with session_scope(engine) as s:
        user = User(username="duyet", role="approver")
        user.set_password("mật khẩu duyệt")
        s.add(user)
        gate_board(s, sim.port_url)
        publish_all(s, redis)
    engine.dispose()
    env = environ(
        DATABASE_URL=url,
        REDIS_URL=redis_server.url,
        SIGNAGE_INSTANCE=str(tmp_path / "inst"),
        SECRET_KEY="browser-test",
    )
    port = free_port()
    admin = subprocess.Popen(
        signage_command("serve", "--port", str(port)),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    worker = start_worker("cua-khau", redis_server.url, tmp_path / "worker")
    logs = [LineReader(admin), LineReader(worker)]
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_until(lambda: answers(base + "/login"), 20), "\n".join(logs[0].seen)
        page = browser.new_page(viewport={"width": 1100, "height": 760}, locale="vi-VN")
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if "Security Policy" in m.text else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base + "/login")
        page.fill("input[name=username]", "duyet")
        page.fill("input[name=password]", "mật khẩu duyệt")
        page.click("input[type=submit]")
        page.wait_for_url(base + "/")
        page.goto(base + "/notices/")
        page.fill("textarea[name=text]", "TẠM ĐÓNG CỬA KHẨU")
        page.click("input[type=submit]")
        page.wait_for_url("**/notices/*")
        # The flash is only in the first page: a confirmation without it came from the script.
        page.wait_for_function(
            "() => document.querySelector('[data-field=label]').textContent.includes('đã xác nhận')",
            timeout=20_000,
        )
        assert "Đã gửi tới bảng: Cửa khẩu" in page.locator("main").inner_text()  # the flash, still there
        assert not errors, errors  # no script error, nothing refused by the CSP
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "notice.png"))
    finally:
        for proc in (worker, admin):
            stop_process(proc)
        sim.stop()
