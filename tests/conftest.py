"""Shared fixtures: a private redis-server, the app on SQLite (and PostgreSQL when asked),
a logged-in client, and real worker and simulator processes.

The tests start their own redis-server and flush only that one. Set ``TEST_DATABASE_URL``
(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the database tests again
on that database; its tables are dropped and recreated by each test.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import text

from drivers.pixels import BoardSpec
from signage import create_app, show
from signage.db import make_engine
from signage.models import Base, Board, Playlist, PlaylistItem, Slogan, User
from signage.publish import publish_all
from signage.redis_server import PrivateRedis
from signage.render import render_item
from tests.processes import (  # noqa: F401 - signage_command too: many tests import it from here
    LineReader,
    Simulator,
    same_pixels,
    signage_command,
    start_worker,
    stop_process,
    wait_until,
)

ROOT = Path(__file__).resolve().parents[1]
DB_PARAMS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
HIDDEN_RE = re.compile(r'<input[^>]*type="hidden"[^>]*>')
NAME_RE = re.compile(r'name="([^"]+)"')
VALUE_RE = re.compile(r'value="([^"]*)"')
#: The size and colours of ``gate_board``.
GATE_SPEC = BoardSpec(192, 32, "mono")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateRedis]:
    """A redis-server of our own for the whole run."""
    server = PrivateRedis(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def redis(redis_server: PrivateRedis) -> Redis:
    """A clean database on the private server (flushing is safe: we started it)."""
    conn = Redis.from_url(redis_server.url)
    conn.flushall()
    return conn


@pytest.fixture(params=DB_PARAMS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite in the test's folder, and PostgreSQL too when ``TEST_DATABASE_URL`` is set."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'signage.db'}"
    url = os.environ["TEST_DATABASE_URL"]
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:  # and Alembic's bookkeeping, so each test starts from nothing
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    return url


@pytest.fixture
def app(tmp_path: Path, database_url: str, redis: Redis, redis_server: PrivateRedis) -> Iterator[Flask]:
    app = create_app(
        {
            "INSTANCE": str(tmp_path / "instance"),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_server.url,
            "TESTING": True,
            "SECRET_KEY": "test",
        }
    )
    yield app
    app.extensions["signage.engine"].dispose()


@pytest.fixture
def db(app: Flask):  # noqa: ANN201 - a SQLAlchemy session
    session = app.extensions["signage.sessionmaker"]()
    yield session
    session.close()


def make_user(db, username: str, role: str, password: str = "correct horse battery") -> User:  # noqa: ANN001
    """A tiny factory: a user with a role."""
    user = User(username=username, role=role)
    user.set_password(password)
    db.add(user)
    db.commit()
    return user


def hidden_fields(client: FlaskClient, url: str) -> dict[str, str]:
    """The hidden fields (CSRF token, record version) of the first form on ``url``."""
    html = client.get(url).get_data(as_text=True)
    fields: dict[str, str] = {}
    for tag in HIDDEN_RE.findall(html):
        name, value = NAME_RE.search(tag), VALUE_RE.search(tag)
        if name and name.group(1) not in fields:
            fields[name.group(1)] = value.group(1) if value else ""
    assert "csrf_token" in fields, f"no CSRF token on {url}"
    return fields


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token of the form on ``url``, as a browser would submit it."""
    return hidden_fields(client, url)["csrf_token"]


def post_form(client: FlaskClient, url: str, data: dict, form_url: str | None = None, **kwargs):  # noqa: ANN201
    """POST like a browser: the form page's hidden fields first, then what the user typed."""
    return client.post(url, data={**hidden_fields(client, form_url or url), **data}, **kwargs)


def login(client: FlaskClient, username: str, password: str = "correct horse battery") -> None:
    response = post_form(client, "/login", {"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


def client_as(app: Flask, db, username: str, role: str) -> FlaskClient:  # noqa: ANN001
    """A test client logged in as a new user with ``role``."""
    make_user(db, username, role)
    client = app.test_client()
    login(client, username)
    return client


@pytest.fixture
def playlist(db) -> Playlist:  # noqa: ANN001
    """A playlist of one slogan, for tests that need something to point at."""
    playlist = Playlist(name="Đại hội")
    playlist.items.append(PlaylistItem(slogan=Slogan(text="Chào mừng Đại hội"), position=0, duration=5))
    db.add(playlist)
    db.commit()
    return playlist


@pytest.fixture
def editor_client(app: Flask, db) -> FlaskClient:  # noqa: ANN001
    return client_as(app, db, "bien-tap", "editor")


@pytest.fixture
def admin_client(app: Flask, db) -> FlaskClient:  # noqa: ANN001
    return client_as(app, db, "quan-tri", "admin")


def gate(
    playlist: Playlist | None = None, port_url: str = "socket://127.0.0.1:9", slug: str = "cua-khau"
) -> Board:
    """The border gate's board as the tests know it (192x32, one colour, native protocol, 115200
    baud), not yet added to a session; the default port answers nobody."""
    return Board(
        slug=slug,
        name="Cửa khẩu",
        width=192,
        height=32,
        color="mono",
        protocol="native",
        port_url=port_url,
        baud=115200,
        playlist=playlist,
    )


def gate_board(db, port_url: str = "socket://127.0.0.1:9", slug: str = "cua-khau") -> tuple[Board, Slogan]:  # noqa: ANN001
    """The border gate's board (``gate``) playing one slogan, "CHÀO MỪNG", saved."""
    playlist = Playlist(name="Mặc định")
    slogan = Slogan(text="CHÀO MỪNG")
    playlist.items.append(PlaylistItem(slogan=slogan, position=0, duration=30))
    board = gate(playlist, port_url, slug)
    db.add_all([playlist, board])
    db.commit()
    return board, slogan


@dataclass
class LiveBoard:
    """A board played for real: its ``signage sim``, its ``signage worker`` and that one's output."""

    board: Board
    slogan: Slogan
    sim: Simulator
    worker: subprocess.Popen
    out: LineReader


@pytest.fixture
def live_board(db, redis: Redis, redis_server: PrivateRedis, tmp_path: Path) -> Iterator[LiveBoard]:  # noqa: ANN001
    """``gate_board`` on a simulator, published and played by a worker of its own, already
    showing its slogan when the test starts; worker and simulator stopped afterwards."""
    sim = Simulator()
    worker = None
    try:
        board, slogan = gate_board(db, sim.port_url)
        publish_all(db, redis)
        worker = start_worker(board.slug, redis_server.url, tmp_path / "worker")
        out = LineReader(worker)
        normal = next(
            iter(
                render_item(
                    {"kind": "slogan", "text": slogan.text, "effect": "auto", "duration": 30}, GATE_SPEC
                )
            )
        ).image
        assert wait_until(lambda: same_pixels(sim.frame(), normal), 20), "\n".join(out.seen)
        # The status thread pushes a moment after the first frame: wait for what the admin sees.
        assert wait_until(
            lambda: (
                redis.hget(show.status_key(board.slug), "heartbeat") is not None
                and redis.hget(show.status_key(board.slug), "link") == b'"up"'
            ),
            10,
        ), "\n".join(out.seen)
        yield LiveBoard(board, slogan, sim, worker, out)
    finally:
        if worker is not None:
            stop_process(worker)
        sim.stop()
