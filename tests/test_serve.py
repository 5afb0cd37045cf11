"""``signage serve`` as an operator runs it: worker processes on every core, the long preview
URLs the slogan form makes still answered, and SIGTERM leaving no process behind."""

from __future__ import annotations

import http.cookiejar
import io
import re
import signal
import subprocess
import urllib.parse
import urllib.request

import pytest
from PIL import Image

from signage.db import create_schema, make_engine, session_scope
from signage.demo import answers, free_port
from signage.models import Board, User
from tests.conftest import signage_command, stop_process
from tests.processes import alive, descendants, environ, wait_until

pytestmark = pytest.mark.slow
PASSWORD = "correct horse battery"


def _instance(tmp_path) -> str:  # noqa: ANN001
    """An instance with an editor and a board."""
    instance = tmp_path / "instance"
    instance.mkdir()
    engine = make_engine(f"sqlite:///{instance / 'signage.db'}")
    create_schema(engine)
    with session_scope(engine) as s:
        user = User(username="bien-tap", role="editor")
        user.set_password(PASSWORD)
        s.add_all(
            [
                user,
                Board(
                    slug="cua-khau",
                    name="Cửa khẩu",
                    width=192,
                    height=32,
                    color="mono",
                    protocol="native",
                    port_url="socket://127.0.0.1:9",
                    baud=115200,
                ),
            ]
        )
    engine.dispose()
    return str(instance)


def _login(base: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    html = opener.open(base + "/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    form = {"csrf_token": token, "username": "bien-tap", "password": PASSWORD}
    with opener.open(base + "/login", urllib.parse.urlencode(form).encode(), timeout=10) as r:
        assert "/login" not in r.url, "login failed"
    return opener


def test_serve_uses_worker_processes_answers_long_previews_and_stops_cleanly(tmp_path, redis_server) -> None:  # noqa: ANN001
    port = free_port()
    proc = subprocess.Popen(
        signage_command("serve", "--port", str(port), "--workers", "2", "--instance", _instance(tmp_path)),
        env=environ(REDIS_URL=redis_server.url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: answers(base + "/login"), 60), "signage serve did not answer"
        assert wait_until(lambda: len(descendants(proc.pid)) == 2, 10), descendants(proc.pid)
        workers = descendants(proc.pid)
        client = _login(base)
        for _ in range(6):  # whichever worker answers, the session cookie is good
            with client.open(base + "/slogans/", timeout=10) as r:
                assert r.status == 200 and "/login" not in r.url
        # The slogan form previews the whole text in the URL: 2,000 characters of Vietnamese
        # are 5 kB or more encoded, beyond gunicorn's default 4 kB request line.
        text = ("Nhiệt liệt chào mừng Đại hội Đảng bộ tỉnh Kon Tum " * 50)[:2000]
        query = urllib.parse.urlencode({"text": text, "effect": "scroll-left", "scale": 1})
        assert len(query) > 4096
        with client.open(f"{base}/preview/slogan.png?{query}", timeout=60) as r:
            assert r.status == 200 and Image.open(io.BytesIO(r.read())).size == (192, 32)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(20)
        finally:
            stop_process(proc)
    assert code == 0
    assert not [pid for pid in workers if alive(pid)], "a worker outlived signage serve"
