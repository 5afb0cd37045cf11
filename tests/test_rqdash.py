"""rq-dashboard at /admin/rq: administrators see the board queues; nobody else gets in; nobody
can change RQ through it; its looser CSP stays on its own pages. Real private Redis, real RQ
queues, the real rq-dashboard blueprint (installed by the test extra)."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue, SimpleWorker

from signage import create_app
from signage.playout import queue_name
from tests.conftest import client_as, csrf_token, gate, login, make_user

pytest.importorskip("rq_dashboard", reason="rq-dashboard is in the test extra: pip install -e '.[test]'")

SLUG = "cua-khau"
QUEUE = queue_name(SLUG)
STRICT = "default-src 'self'; img-src 'self' data:; style-src 'self'"
ACTIONS = [  # every way rq-dashboard offers to change RQ
    ("POST", f"/admin/rq/queue/{QUEUE}/queued/empty"),
    ("POST", f"/admin/rq/queue/{QUEUE}/failed/empty"),
    ("POST", f"/admin/rq/queue/{QUEUE}/compact"),
    ("POST", f"/admin/rq/requeue/{QUEUE}"),
    ("GET", f"/admin/rq/requeue/{QUEUE}"),  # requeue-all answers GET too
    ("POST", "/admin/rq/job/{job}/delete"),
    ("POST", "/admin/rq/job/{job}/requeue"),
    ("POST", "/admin/rq/job/{failed}/requeue"),
]


@pytest.fixture
def jobs(redis: Redis) -> dict[str, str]:
    """The board's queue with one job that a real worker ran and saw fail, and one play job waiting."""
    board = Queue(QUEUE, connection=redis)
    failed = board.enqueue("builtins.int", "cable cut")  # ValueError: invalid literal ... 'cable cut'
    SimpleWorker([board], connection=redis).work(burst=True)
    waiting = board.enqueue_call("signage.playout.play_item", args=(SLUG, 0), description=f"play {SLUG} #0")
    return {"job": waiting.id, "failed": failed.id}


def redis_snapshot(redis: Redis) -> dict[bytes, bytes | None]:
    """Every key and its serialized value: equal snapshots mean nothing in Redis changed."""
    return {key: redis.dump(key) for key in sorted(redis.keys("*"))}


def test_an_admin_sees_the_board_queue_and_its_jobs(admin_client: FlaskClient, jobs) -> None:  # noqa: ANN001
    home = admin_client.get("/").get_data(as_text=True)
    assert '<a href="/admin/queues/">Hàng đợi</a>' in home  # the menu opens our page in words...
    queues = admin_client.get("/admin/queues/").get_data(as_text=True)
    assert '<a href="/admin/rq/">Chi tiết kỹ thuật</a>' in queues  # ...and rq-dashboard is one click away

    page = admin_client.get("/admin/rq/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<table id="queues"' in html
    assert "Trang chỉ để xem, dành cho quản trị viên" in html  # our read-only note in its footer

    queues = admin_client.get("/admin/rq/0/data/queues.json").get_json()["queues"]
    row = next(q for q in queues if q["name"] == QUEUE)
    assert row["count"] == 1 and row["failed_job_registry_count"] == 1

    queued = admin_client.get(f"/admin/rq/0/data/jobs/{QUEUE}/queued/8/asc/1.json").get_json()
    assert [j["description"] for j in queued["jobs"]] == [f"play {SLUG} #0"]
    failed = admin_client.get(f"/admin/rq/0/data/jobs/{QUEUE}/failed/8/asc/1.json").get_json()
    assert "cable cut" in failed["jobs"][0]["exc_info"]
    assert admin_client.get(f"/admin/rq/0/data/job/{jobs['job']}.json").get_json()["origin"] == QUEUE
    for url in (
        "/admin/rq/0/view/workers",
        f"/admin/rq/0/view/jobs/{QUEUE}/failed/8/asc/1",
        f"/admin/rq/0/view/job/{jobs['failed']}",
        "/admin/rq/0/data/workers.json",
    ):
        assert admin_client.get(url).status_code == 200, url
    # One Redis only: another instance number is a plain 404, not rq-dashboard's 500.
    assert admin_client.get("/admin/rq/1/view/queues").status_code == 404


@pytest.mark.parametrize("role", ["viewer", "editor", "approver"])
def test_other_roles_are_refused_and_see_no_link(app: Flask, db, jobs, role: str) -> None:  # noqa: ANN001
    client = client_as(app, db, f"user-{role}", role)
    assert "/admin/rq/" not in client.get("/").get_data(as_text=True)
    for url in (
        "/admin/rq/",
        "/admin/rq/0/data/queues.json",
        f"/admin/rq/0/view/job/{jobs['job']}",
        "/admin/rq/static/css/main.css",
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_go_to_the_login(app: Flask, jobs) -> None:  # noqa: ANN001
    client = app.test_client()
    for url in ("/admin/rq/", "/admin/rq/0/data/queues.json", "/admin/rq/1/view"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location, url
    response = client.post(f"/admin/rq/queue/{QUEUE}/queued/empty")
    assert response.status_code == 302 and "/login" in response.location


def test_every_action_is_refused_and_changes_nothing_in_redis(
    admin_client: FlaskClient, redis: Redis, jobs
) -> None:  # noqa: ANN001
    before = redis_snapshot(redis)
    token = csrf_token(admin_client, "/")
    for method, template in ACTIONS:
        url = template.format(**jobs)
        # As its scripts send it (jQuery: XHR header), even with a valid CSRF token: JSON saying why.
        response = admin_client.open(
            url, method=method, data={"csrf_token": token}, headers={"X-Requested-With": "XMLHttpRequest"}
        )
        assert response.status_code == 403, (method, url)
        assert response.get_json()["status"] == "READ_ONLY"
        assert "lệnh rq trên máy chủ" in response.get_json()["message"]
        # As a browser following a link or a form: a page in the user's language.
        response = admin_client.open(url, method=method)
        assert response.status_code == 403, (method, url)
        assert "chỉ để xem: không có gì bị thay đổi" in response.get_data(as_text=True)
    assert redis_snapshot(redis) == before
    assert Queue(QUEUE, connection=redis).count == 1


def test_the_refusal_speaks_english_when_asked(admin_client: FlaskClient, jobs) -> None:  # noqa: ANN001
    admin_client.post("/lang/en", data={"csrf_token": csrf_token(admin_client, "/")})
    response = admin_client.post(
        f"/admin/rq/job/{jobs['job']}/delete", headers={"X-Requested-With": "XMLHttpRequest"}
    )
    assert response.status_code == 403
    assert response.get_json()["message"].startswith("The queue view is read-only")


def inline_script_hashes(html: str) -> set[str]:
    """What a browser hashes: the text of each inline script it runs (not templates)."""
    bodies = re.findall(r'<script type="text/javascript">(.*?)</script>', html, re.S)
    return {"'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'" for b in bodies}


def test_the_looser_csp_is_on_the_dashboard_pages_only(admin_client: FlaskClient, jobs) -> None:  # noqa: ANN001
    page = admin_client.get(f"/admin/rq/0/view/jobs/{QUEUE}/queued/8/asc/1")
    policy = page.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'" and directives["style-src"] == "'self'"
    script_src = set(directives["script-src"].split())
    hashes = inline_script_hashes(page.get_data(as_text=True))
    assert hashes and script_src == {"'self'", "'unsafe-eval'"} | hashes  # no 'unsafe-inline'
    assert "'unsafe-inline'" not in policy
    # Its JSON, its files and the whole rest of the admin keep the strict policy.
    for url in (
        "/admin/rq/0/data/queues.json",
        "/admin/rq/static/css/main.css",
        "/",
        "/slogans/",
        "/boards/",
        "/admin/rq/1/view/queues",
    ):
        assert admin_client.get(url).headers["Content-Security-Policy"] == STRICT, url


def test_without_rq_dashboard_nothing_is_mounted(tmp_path: Path, redis_server, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setitem(sys.modules, "rq_dashboard", None)  # as if the extra were not installed
    app = create_app(
        {
            "INSTANCE": str(tmp_path / "instance"),
            "REDIS_URL": redis_server.url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}",
            "TESTING": True,
            "SECRET_KEY": "test",
        }
    )
    try:
        make_user(app.extensions["signage.sessionmaker"](), "quan-tri", "admin")
        client = app.test_client()
        login(client, "quan-tri")
        home = client.get("/")
        assert home.status_code == 200 and "/admin/rq" not in home.get_data(as_text=True)
        assert client.get("/admin/rq/").status_code == 404
    finally:
        app.extensions["signage.engine"].dispose()


# --- in a real browser ---------------------------------------------------------------------------


@pytest.fixture
def server(tmp_path: Path, redis: Redis, redis_server, jobs) -> Iterator[str]:  # noqa: ANN001
    """The admin served by ``signage serve`` with one administrator; the board's queue has jobs."""
    from signage.db import create_schema, make_engine, session_scope
    from signage.demo import answers, free_port
    from signage.models import User
    from tests.conftest import signage_command, stop_process
    from tests.processes import LineReader, environ, wait_until

    url = f"sqlite:///{tmp_path / 'signage.db'}"
    engine = make_engine(url)
    create_schema(engine)
    with session_scope(engine) as s:
        user = User(username="quan-tri", role="admin")
        user.set_password("mật khẩu quản trị")
        s.add(user)
        s.add(gate())  # the board whose queue the jobs are on
    engine.dispose()
    port = free_port()
    env = environ(
        DATABASE_URL=url,
        REDIS_URL=redis_server.url,
        SIGNAGE_INSTANCE=str(tmp_path / "inst"),
        SECRET_KEY="rqdash-browser",
    )
    admin = subprocess.Popen(
        signage_command("serve", "--port", str(port)),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    log = LineReader(admin)
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_until(lambda: answers(base + "/login"), 20), "\n".join(log.seen)
        yield base
    finally:
        stop_process(admin)


@pytest.mark.slow
def test_the_queues_page_works_in_a_browser_under_its_csp(server: str) -> None:
    from tests.test_browser import ARGS, CHROMIUM, SHOTS

    if not Path(CHROMIUM).exists():
        pytest.skip("no chromium at /usr/bin/chromium: `apt-get install chromium` to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 760}, locale="vi-VN")
            console: list[str] = []
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.goto(server + "/login")
            page.fill("input[name=username]", "quan-tri")
            page.fill("input[name=password]", "mật khẩu quản trị")
            page.click("input[type=submit]")
            page.wait_for_url(server + "/")
            page.click("text=Hàng đợi")  # our page in words first
            page.wait_for_url(server + "/admin/queues/")
            assert "lỗi khi phát" in page.locator("main").inner_text()
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "queues-failed.png"))
            page.click("text=Chi tiết kỹ thuật")  # rq-dashboard one click away
            page.wait_for_url(server + "/admin/rq/")
            # Its scripts fill the table from the JSON: only possible if the CSP let them run.
            row = page.locator("table#queues tr[data-role=queue]", has_text=QUEUE)
            row.wait_for(timeout=10_000)
            assert row.locator("td").nth(1).inner_text().strip() == "1"
            page.screenshot(path=str(SHOTS / "rq-queues.png"))
            page.goto(f"{server}/admin/rq/0/view/jobs/{QUEUE}/failed/8/asc/1")
            page.locator("table#jobs tr[data-role=job]").first.wait_for(timeout=10_000)
            assert "cable cut" in page.locator("table#jobs").inner_text()
            assert not page.locator("#requeue-all-btn").is_visible()  # read-only: no action buttons
            assert not page.locator("[data-role=requeue-job-btn]").first.is_visible()
            blocked = [m for m in console if "Content Security Policy" in m or m.startswith("pageerror")]
            assert blocked == [], "\n".join(console)
        finally:
            browser.close()
