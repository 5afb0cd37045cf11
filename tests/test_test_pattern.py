"""The board's test-pattern button: admin only, through Redis to the worker, on the board for a
few seconds, then the schedule again; audited and in proof of play.

The end-to-end test runs a real ``signage worker`` and ``signage sim`` (native protocol,
the ``live_board`` fixture).
"""

from __future__ import annotations

import json
import re

import pytest
from PIL import Image
from redis import Redis
from sqlalchemy import select

from drivers.pixels import BoardSpec, to_board_image
from signage import show
from signage.models import AuditEntry, ProofOfPlay
from signage.publish import collect_proof
from signage.render import render_item
from signage.render.testpattern import test_pattern as pattern_frames
from tests.conftest import LiveBoard, csrf_token, gate_board
from tests.processes import same_pixels, wait_until

SPEC = BoardSpec(192, 32, "mono")


def flashed(page: str) -> str:
    """The page's flash messages, for a failing assertion to say what the admin was told."""
    return "\n".join(re.findall(r'class="flash[^"]*"[^>]*>(.*?)<', page, re.S))


def press(client, slug: str = "cua-khau"):  # noqa: ANN001, ANN201
    """Press the button on the board's edit page, as a browser would."""
    token = csrf_token(client, f"/boards/{slug}/edit")
    return client.post(
        f"/boards/{slug}/test-pattern", data={"csrf_token": token, "back": "edit"}, follow_redirects=True
    )


def test_pattern_has_border_words_checkerboard_and_colour_bars() -> None:
    mono = {f.name: f.image for f in pattern_frames(SPEC, "cua-khau")}
    assert set(mono) == {"info", "all-on", "checker", "checker-inverse"}
    info = to_board_image(mono["info"], SPEC)
    w, h = SPEC.size
    assert all(info.getpixel(p) for p in [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1), (w // 2, 0)])
    assert info.crop((2, 2, w - 2, h - 2)).getbbox() is not None  # words inside the border
    assert info.tobytes() != to_board_image(pattern_frames(SPEC, "khac")[0].image, SPEC).tobytes()
    assert to_board_image(mono["all-on"], SPEC).getextrema() == (255, 255)
    checker = to_board_image(mono["checker"], SPEC)
    assert checker.getpixel((0, 0)) != checker.getpixel((1, 0)) == checker.getpixel((0, 1))

    rgb = BoardSpec(128, 64, "rgb")
    colours = {f.name: f.image for f in pattern_frames(rgb, "cua-khau")}
    found = {c for _n, c in colours["bars"].getcolors(64)}
    assert {(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)} <= found
    bicolor = {f.name: f.image for f in pattern_frames(BoardSpec(64, 16, "bicolor"), "x")}["bars"]
    assert {c for _n, c in bicolor.getcolors(8)} == {(255, 0, 0), (0, 255, 0), (255, 255, 0)}
    tiny = pattern_frames(BoardSpec(8, 8, "mono"), "cua-khau")[0].image  # no room for words: a border
    assert tiny.getpixel((0, 0)) == (255, 255, 255)


def test_button_without_a_worker_says_so_and_is_audited(app, db, admin_client, redis) -> None:  # noqa: ANN001
    gate_board(db)
    page = press(admin_client).get_data(as_text=True)
    assert "chưa có bộ phát nào từng chạy bảng cua-khau" in page
    request = json.loads(redis.get(show.test_pattern_key("cua-khau")))
    assert request["by"] == "quan-tri" and 0 < redis.pttl(show.test_pattern_key("cua-khau")) <= 15_000
    entry = db.scalar(select(AuditEntry).where(AuditEntry.table == "test_pattern"))
    assert entry.actor == "quan-tri" and entry.row_id == "cua-khau"
    assert "test_pattern" in admin_client.get("/audit/?table=test_pattern").get_data(as_text=True)
    assert (
        admin_client.post(
            "/boards/khong-co/test-pattern", data={"csrf_token": csrf_token(admin_client, "/boards/")}
        ).status_code
        == 404
    )


def test_button_with_redis_away_says_so_and_records_nothing(app, db, admin_client, tmp_path) -> None:  # noqa: ANN001
    gate_board(db)
    token = csrf_token(admin_client, "/boards/cua-khau/edit")
    app.extensions["signage.redis"] = Redis(unix_socket_path=str(tmp_path / "nobody.sock"))
    page = admin_client.post(
        "/boards/cua-khau/test-pattern", data={"csrf_token": token}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Chưa gửi được mẫu thử: Redis không trả lời." in page
    db.expire_all()
    assert db.scalar(select(AuditEntry).where(AuditEntry.table == "test_pattern")) is None


def test_only_administrators_see_the_button(app, db, admin_client) -> None:  # noqa: ANN001
    from tests.conftest import client_as

    gate_board(db)
    assert "Mẫu thử" in admin_client.get("/boards/").get_data(as_text=True)
    approver = client_as(app, db, "duyet", "approver")
    assert "Mẫu thử" not in approver.get("/boards/").get_data(as_text=True)
    token = csrf_token(approver, "/boards/")
    assert approver.post("/boards/cua-khau/test-pattern", data={"csrf_token": token}).status_code == 403


@pytest.mark.slow
def test_board_shows_the_pattern_then_its_schedule_again(
    app, db, admin_client, redis, live_board: LiveBoard
) -> None:  # noqa: ANN001
    app.config["TEST_PATTERN_SECONDS"] = 6  # info 3 s, all-on its whole 2 s: easy to catch
    sim, out = live_board.sim, live_board.out
    normal = next(
        iter(render_item({"kind": "slogan", "text": "CHÀO MỪNG", "effect": "auto", "duration": 30}, SPEC))
    ).image

    page = press(admin_client).get_data(as_text=True)
    assert "Đã gửi mẫu thử: bảng cua-khau hiện mẫu thử trong 6 giây" in page, flashed(page)
    pictures: list[Image.Image] = [to_board_image(f.image, SPEC) for f in pattern_frames(SPEC, "cua-khau")]
    info = pictures[0]
    assert wait_until(lambda: same_pixels(sim.frame(), info), 5, interval=0.05), "\n".join(out.seen)
    assert wait_until(lambda: same_pixels(sim.frame(), pictures[1]), 5, interval=0.05)  # all LEDs on
    assert wait_until(lambda: same_pixels(sim.frame(), normal), 10), "\n".join(out.seen)

    assert wait_until(
        lambda: (
            collect_proof(db, redis) >= 0
            and db.scalar(select(ProofOfPlay).where(ProofOfPlay.source == "test-pattern")) is not None
        ),
        10,
    )
    proof = db.scalar(select(ProofOfPlay).where(ProofOfPlay.source == "test-pattern"))
    assert proof.item_label == "test pattern (quan-tri)" and proof.frames_sent >= 2
    assert not proof.interrupted
