"""Urgent notices go out alone, and the notice page tells when the board confirms one.

The read-back test runs the real parts: the admin (Flask test client), a private Redis, a
``signage worker`` process and a ``signage sim`` board on the native protocol.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from drivers.pixels import BoardSpec
from signage import schedule, show
from signage.models import Board, Playlist, PlaylistItem, Slogan, UrgentNotice
from signage.publish import publish_all
from signage.readback import expected, frame_crc
from signage.render import render_item
from tests.conftest import client_as, post_form, stop_process
from tests.processes import LineReader, wait_until
from tests.test_browser import SHOTS, browser  # noqa: F401 - the chromium fixture
from tests.test_end_to_end import Simulator, same_pixels, start_worker

SPEC = BoardSpec(192, 32, "mono")


def content(db, port_url: str = "socket://127.0.0.1:9", slug: str = "cua-khau") -> tuple[Board, Slogan]:  # noqa: ANN001
    playlist = Playlist(name="Mặc định")
    slogan = Slogan(text="CHÀO MỪNG")
    playlist.items.append(PlaylistItem(slogan=slogan, position=0, duration=30))
    board = Board(slug=slug, name="Cửa khẩu", width=192, height=32, color="mono", protocol="native",
                  port_url=port_url, baud=115200, playlist=playlist)
    db.add_all([playlist, board])
    db.commit()
    return board, slogan


def published(redis, slug: str = "cua-khau") -> dict:  # noqa: ANN001
    return show.check(json.loads(redis.get(show.show_key(slug))))


def texts(doc: dict) -> list[str]:
    return [i.get("text") for p in doc["playlists"].values() for i in p["items"]]


def test_a_notice_does_not_carry_a_pending_slogan_edit_to_the_board(app, db, redis) -> None:  # noqa: ANN001
    board, slogan = content(db)
    publish_all(db, redis)
    before = published(redis)
    slogan.text = "BẢN NHÁP CHƯA DUYỆT"  # saved in the database, not published: a draft
    db.commit()
    approver = client_as(app, db, "duyet", "approver")
    response = post_form(approver, "/notices/", {"text": "TẠM ĐÓNG CỬA KHẨU", "effect": "static",
                                                 "all_boards": "y", "minutes": 30}, follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Đã gửi tới bảng: cua-khau (v2)" in page
    doc = published(redis)
    assert doc["version"] == before["version"] + 1  # a newer show, so the worker switches at once
    assert texts(doc) == ["CHÀO MỪNG"]  # the draft stayed in the database
    choice = schedule.what_plays(doc, datetime.now(UTC))
    assert choice.kind == "notice" and choice.items[0]["text"] == "TẠM ĐÓNG CỬA KHẨU"
    notice = db.scalar(select(UrgentNotice))
    post_form(approver, f"/notices/{notice.id}/cancel", {}, form_url="/notices/")
    doc = published(redis)
    assert doc["notices"] == [] and texts(doc) == ["CHÀO MỪNG"]
    assert schedule.what_plays(doc, datetime.now(UTC)).kind == "fallback"


def test_a_notice_for_a_board_never_published_compiles_its_show(app, db, redis) -> None:  # noqa: ANN001
    board, _slogan = content(db)
    approver = client_as(app, db, "duyet", "approver")
    response = post_form(approver, "/notices/", {"text": "KHẨN", "effect": "static",
                                                 "boards": [board.id], "minutes": 5})
    assert response.status_code == 302
    doc = published(redis)
    assert texts(doc) == ["CHÀO MỪNG"] and [n["text"] for n in doc["notices"]] == ["KHẨN"]


def test_notice_page_without_a_worker_says_the_board_does_not_answer(app, db, redis) -> None:  # noqa: ANN001
    content(db)
    approver = client_as(app, db, "duyet", "approver")
    response = post_form(approver, "/notices/", {"text": "KHẨN", "effect": "static",
                                                 "all_boards": "y", "minutes": 5})
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


def test_expected_crc_is_the_simulator_packing_and_moving_effects_have_none() -> None:
    still = {"kind": "slogan", "text": "ĐÓNG CỬA", "effect": "static", "duration": 60}
    want = expected(still, SPEC)
    assert want.crc == frame_crc(next(iter(render_item(still, SPEC))).image, SPEC)
    assert expected({**still, "effect": "blink"}, SPEC).why_not == "moving"
    assert expected({**still, "effect": "scroll-left"}, SPEC).why_not == "moving"
    assert expected(still, SPEC, protocol="tpm2").why_not == "protocol"


@pytest.mark.slow
def test_notice_page_reports_confirmed_once_the_board_reads_back_the_notice(app, db, redis, redis_server,
                                                                             tmp_path) -> None:  # noqa: ANN001
    sim = Simulator()
    worker = None
    try:
        content(db, sim.port_url)
        publish_all(db, redis)
        worker = start_worker("cua-khau", redis_server.url, tmp_path / "worker")
        out = LineReader(worker)
        normal = next(iter(render_item({"kind": "slogan", "text": "CHÀO MỪNG", "effect": "auto",
                                        "duration": 30}, SPEC))).image
        assert wait_until(lambda: same_pixels(sim.frame(), normal), 20), "\n".join(out.seen)

        approver = client_as(app, db, "duyet", "approver")
        response = post_form(approver, "/notices/", {"text": "TẠM ĐÓNG CỬA KHẨU", "effect": "static",
                                                     "all_boards": "y", "minutes": 10})
        assert response.status_code == 302
        status_url = response.location.rstrip("/") + "/status.json"

        def state() -> dict:
            return approver.get(status_url).get_json()["boards"][0]

        assert wait_until(lambda: state()["state"] == "confirmed", 15), (state(), out.seen)
        row = state()
        assert row["readback"] == row["expected"] and row["since"]
        notice_frame = next(iter(render_item({"kind": "slogan", "text": "TẠM ĐÓNG CỬA KHẨU",
                                              "effect": "static", "duration": 60}, SPEC))).image
        assert same_pixels(sim.frame(), notice_frame)  # what "confirmed" claims, seen on the board
        page = approver.get(response.location).get_data(as_text=True)
        assert "đang trên bảng (đã xác nhận bằng đọc lại)" in page

        # A blinking notice is on the board too, but no single frame can be matched.
        response = post_form(approver, "/notices/", {"text": "KHẨN", "effect": "blink",
                                                     "all_boards": "y", "minutes": 10})
        blink_url = response.location.rstrip("/") + "/status.json"

        def blink_row() -> dict:
            return approver.get(blink_url).get_json()["boards"][0]

        assert wait_until(lambda: blink_row()["state"] == "unconfirmed", 15), blink_row()
        row = blink_row()
        assert "không so được" in row["detail"]
        assert state()["state"] == "waiting"  # the newer notice is the one on the board now
    finally:
        if worker is not None:
            stop_process(worker)
        sim.stop()


def test_notice_on_a_slow_worker_waits_until_it_plays(app, db, redis) -> None:  # noqa: ANN001
    """A worker that beats but still plays the schedule: the page says waiting, with what plays."""
    content(db)
    approver = client_as(app, db, "duyet", "approver")
    redis.hset(show.status_key("cua-khau"), mapping={
        "heartbeat": json.dumps(time.time()), "source": json.dumps("fallback:1"),
        "label": json.dumps("CHÀO MỪNG"), "since": json.dumps(time.time())})
    response = post_form(approver, "/notices/", {"text": "KHẨN", "effect": "static",
                                                 "all_boards": "y", "minutes": 5})
    row = approver.get(response.location + "/status.json").get_json()["boards"][0]
    assert row["state"] == "waiting" and "CHÀO MỪNG" in row["detail"]


def test_notice_page_says_not_answering_when_the_worker_cannot_reach_the_board(app, db, redis) -> None:  # noqa: ANN001
    content(db)
    approver = client_as(app, db, "duyet", "approver")
    redis.hset(show.status_key("cua-khau"), mapping={
        "heartbeat": json.dumps(time.time()), "link": json.dumps("down"),
        "error": json.dumps("socket://127.0.0.1:9: connection refused")})
    response = post_form(approver, "/notices/", {"text": "KHẨN", "effect": "static",
                                                 "all_boards": "y", "minutes": 5})
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
        content(s, sim.port_url)
        publish_all(s, redis)
    engine.dispose()
    env = environ(DATABASE_URL=url, REDIS_URL=redis_server.url, SIGNAGE_INSTANCE=str(tmp_path / "inst"),
                  SECRET_KEY="browser-test")
    port = free_port()
    admin = subprocess.Popen(signage_command("serve", "--port", str(port)), env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
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
        page.wait_for_function("() => document.querySelector('[data-field=label]').textContent"
                               ".includes('đã xác nhận')", timeout=20_000)
        assert "Đã gửi tới bảng: cua-khau" in page.locator("main").inner_text()  # the flash, still there
        assert not errors, errors  # no script error, nothing refused by the CSP
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "notice.png"))
    finally:
        for proc in (worker, admin):
            stop_process(proc)
        sim.stop()
