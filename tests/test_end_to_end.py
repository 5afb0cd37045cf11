"""The whole path with real parts: admin form -> database -> Redis -> RQ worker -> Pillow ->
native protocol over a socket:// serial link -> the simulator's framebuffer."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from drivers.pixels import BoardSpec
from signage import show
from signage.models import Board, Playlist
from signage.render import render_item
from tests.conftest import client_as, post_form
from tests.processes import LineReader, Simulator, alive, same_pixels, start_worker, stop_process, wait_until

pytestmark = pytest.mark.slow
SPEC = BoardSpec(192, 32, "mono")


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    sim = Simulator()
    yield sim
    sim.stop()


def test_slogan_from_the_form_reaches_the_simulated_board(
    app, editor_client, db, redis_server, simulator, tmp_path
) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = True  # the default: the editor's slogan waits for an approver
    playlist = Playlist(name="Cửa khẩu")
    db.add(playlist)
    db.add(
        Board(
            slug="e2e",
            name="E2E",
            width=192,
            height=32,
            color="mono",
            protocol="native",
            port_url=simulator.port_url,
            baud=115200,
            playlist=playlist,
        )
    )
    db.commit()
    text = "Chào mừng Đại hội"
    response = post_form(
        editor_client,
        "/slogans/new",
        {
            "text": text,
            "effect": "static",
            "speed": 32,
            "color": "#ff0000",
            "playlist": playlist.id,
            "duration": 30,
        },
    )
    assert response.status_code == 302
    approver = client_as(app, db, "duyet", "approver")
    assert post_form(approver, "/changes/publish", {}, form_url="/changes/").status_code == 302

    worker = start_worker("e2e", redis_server.url, tmp_path / "worker")
    output = LineReader(worker)
    try:
        assert wait_until(lambda: simulator.stats()["frames"] >= 1, 20), "\n".join(output.seen)
        expected = next(
            iter(
                render_item(
                    {
                        "kind": "slogan",
                        "text": text,
                        "effect": "static",
                        "speed": 32,
                        "color": "#ff0000",
                        "duration": 30,
                    },
                    SPEC,
                )
            )
        ).image
        assert expected.getbbox() is not None, "the rendered frame is dark"
        assert same_pixels(simulator.frame(), expected)
        assert simulator.stats()["errors"] in ({}, 0) or sum(simulator.stats()["errors"].values()) == 0
    finally:
        stop_process(worker)
    assert worker.returncode == 0


def test_worker_survives_bad_items_and_a_missing_port(redis, redis_server, simulator, tmp_path) -> None:  # noqa: ANN001
    board = {
        "slug": "bad",
        "width": 192,
        "height": 32,
        "color": "mono",
        "protocol": "native",
        "port_url": "socket://127.0.0.1:1",
        "baud": 115200,
        "address": 1,
    }
    good = {"kind": "slogan", "text": "ĐÚNG", "effect": "static", "duration": 30, "id": "slogan:2"}
    show.store(redis, "bad", {"format": 1, "board": board, "items": [good]})
    worker = start_worker("bad", redis_server.url, tmp_path / "worker")
    output = LineReader(worker)
    try:
        # The port does not exist: the worker says so and keeps running.
        assert wait_until(
            lambda: any(
                "cannot reach the board" in line or "link" in line.lower() for line in _drain(output)
            ),
            20,
        ), "\n".join(output.seen)
        assert alive(worker.pid)
        # A broken item on a good port: skipped with a message, the next item plays.
        board["port_url"] = simulator.port_url
        broken = {"kind": "slogan", "text": "", "effect": "static", "duration": 5, "id": "slogan:1"}
        short = {**good, "duration": 3}
        show.store(redis, "bad", {"format": 1, "board": board, "items": [broken, short]})
        assert wait_until(lambda: simulator.stats()["frames"] >= 1, 30), "\n".join(output.seen)
        assert alive(worker.pid)
        expected = next(iter(render_item(good, SPEC))).image
        assert wait_until(lambda: same_pixels(simulator.frame(), expected), 10)
        assert wait_until(lambda: any("cannot be rendered" in line for line in _drain(output)), 15), (
            "\n".join(output.seen)
        )
        # A show from a newer version is refused; the last good one keeps playing.
        redis.set(show.show_key("bad"), json.dumps({"format": 99, "board": board, "items": []}))
        redis.incr(show.version_key("bad"))
        assert wait_until(lambda: any("newer than this worker" in line for line in _drain(output)), 30)
        assert alive(worker.pid) and same_pixels(simulator.frame(), expected)
    finally:
        stop_process(worker)


def _drain(reader: LineReader) -> list[str]:
    while not reader.lines.empty():
        reader.seen.append(reader.lines.get().rstrip("\n"))
    return reader.seen
