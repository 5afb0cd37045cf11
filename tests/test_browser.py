"""The staff journey in a real browser (Debian's chromium driven by Playwright) against the
real admin server, worker and simulator. Screenshots of each page go to artifacts/screenshots/."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from signage.db import create_schema, make_engine, session_scope
from signage.demo import answers, free_port
from signage.models import Board, Playlist, User
from tests.conftest import ROOT, signage_command, stop_process
from tests.processes import LineReader, Simulator, environ, wait_until

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = ROOT / "artifacts" / "screenshots"
PASSWORD = "mật khẩu biên tập"


@pytest.fixture
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("no chromium at /usr/bin/chromium: `apt-get install chromium` to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def system(tmp_path: Path, redis, redis_server) -> Iterator[dict]:  # noqa: ANN001
    """Admin server, worker and simulator processes on a fresh database."""
    sim = Simulator()
    url = f"sqlite:///{tmp_path / 'signage.db'}"
    engine = make_engine(url)
    create_schema(engine)
    with session_scope(engine) as s:
        user = User(username="bien-tap", role="editor")
        user.set_password(PASSWORD)
        approver = User(username="duyet", role="approver")
        approver.set_password(PASSWORD)
        s.add(approver)
        admin = User(username="quan-tri", role="admin")  # the Users page journey (issue #15)
        admin.set_password(PASSWORD)
        s.add(admin)
        playlist = Playlist(name="Đón khách")
        s.add(Playlist(name="Đại hội"))  # played only when a schedule puts it on the board
        s.add_all(
            [
                user,
                playlist,
                Board(
                    slug="cong",
                    name="Cổng chính",
                    width=192,
                    height=32,
                    color="mono",
                    protocol="native",
                    port_url=sim.port_url,
                    baud=115200,
                    playlist=playlist,
                ),
            ]
        )
    engine.dispose()
    env = environ(
        DATABASE_URL=url,
        REDIS_URL=redis_server.url,
        SIGNAGE_INSTANCE=str(tmp_path / "inst"),
        SECRET_KEY="browser-test",
        SIGNAGE_APPROVAL_REQUIRED="1",
    )
    port = free_port()
    admin = subprocess.Popen(
        signage_command("serve", "--port", str(port)),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        signage_command("worker", "--board", "cong"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    logs = [LineReader(admin), LineReader(worker)]
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_until(lambda: answers(base + "/login"), 20), "\n".join(logs[0].seen)
        yield {"base": base, "sim": sim, "logs": logs}
    finally:
        for proc in (worker, admin):
            stop_process(proc)
        sim.stop()


def test_staff_journey_from_login_to_the_board(browser, system) -> None:  # noqa: ANN001
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = system["base"]
    context = browser.new_context(viewport={"width": 1100, "height": 760}, locale="vi-VN")
    page = context.new_page()  # a context of its own: a second tab shares the login
    page.goto(base + "/")
    assert "/login" in page.url
    page.screenshot(path=str(SHOTS / "login.png"))
    page.fill("input[name=username]", "bien-tap")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/")

    page.click("text=Khẩu hiệu")
    page.click("text=Viết khẩu hiệu mới")
    text = "Chào mừng Đại hội Đảng bộ tỉnh Kon Tum"
    page.fill("textarea[name=text]", text)
    page.select_option("select[name=effect]", "static")
    # The live preview renders as staff type: wait for the magnified board image.
    page.wait_for_function(
        "() => { const i = document.getElementById('preview');"
        " return i && i.complete && i.naturalWidth === 192 * 4; }",
        timeout=10_000,
    )
    assert page.locator("#preview-info").inner_text().startswith("192×32, một màu")
    # and the layout chosen, in words (issue #17): letter height and how far it reads
    assert "chữ cao 9 cm, đọc được từ khoảng 27 m" in page.locator("#preview-layout").inner_text()
    assert page.locator("#preview-lines li").count() == 2
    page.select_option("select[name=playlist]", label="Đại hội")
    page.screenshot(path=str(SHOTS / "slogan-form.png"))
    page.click("input[type=submit]")
    page.wait_for_url(base + "/slogans/")
    assert "Đã lưu bản nháp" in page.locator("main").inner_text()  # an editor's save waits
    page.screenshot(path=str(SHOTS / "slogans.png"))

    # Schedule the playlist on the gate's board from today, all day: it beats the fallback.
    page.click("header >> text=Lịch phát")
    page.click("text=Thêm lịch phát")
    page.fill("input[name=name]", "Tuần lễ Đại hội")
    page.select_option("select[name=playlist]", label="Đại hội")
    page.select_option("select[name=board]", label="cong")
    page.fill("input[name=starts_on]", datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y-%m-%d"))
    page.fill("input[name=priority]", "5")
    page.screenshot(path=str(SHOTS / "schedule-form.png"))
    page.click("input[type=submit]")
    page.wait_for_url(base + "/schedules/")
    assert "Tuần lễ Đại hội" in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / "schedules.png"))
    page.click("text=cong — Cổng chính")
    assert "Tuần lễ Đại hội" in page.locator("main").inner_text()  # the timeline shows what plays when
    page.screenshot(path=str(SHOTS / "timeline.png"))

    # An approver reviews the draft on the Changes page and publishes it.
    page.click("text=Đăng xuất")
    page.goto(base + "/login")
    page.fill("input[name=username]", "duyet")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/")
    assert "chưa lên bảng" in page.locator("main").inner_text()  # the overview says the boards are behind
    page.click("header >> text=Chờ duyệt")
    page.wait_for_url(base + "/changes/")
    changes = page.locator("main").inner_text()
    # the approver reads what will go out in sentences, not table rows (issue #16.2)
    assert f"bien-tap thêm khẩu hiệu «{text}» vào danh sách «Đại hội»" in changes, changes
    assert "bien-tap tạo lịch phát «Tuần lễ Đại hội»" in changes and "playlist_items" not in changes
    page.screenshot(path=str(SHOTS / "changes.png"))
    with page.expect_navigation():  # the POST answers with a redirect to the same page
        page.click("form button[type=submit]:has-text('Duyệt và xuất bản')")
    assert "Đã duyệt và xuất bản: Cổng chính" in page.locator("main").inner_text()

    page.click("text=Danh sách phát")
    page.click("main >> a:text-is('Đại hội')")
    page.wait_for_url("**/playlists/*")
    assert text in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / "playlist.png"))

    # The board plays it: the simulator's framebuffer and the dashboard mirror both show it.
    assert wait_until(lambda: system["sim"].stats()["frames"] >= 1, 20), "\n".join(system["logs"][1].seen)
    page.click("text=Tổng quan")
    page.wait_for_function(
        "() => { const i = document.querySelector('img.mirror');"
        " return i && i.complete && i.naturalWidth === 192; }",
        timeout=15_000,
    )

    def dashboard_names_it() -> bool:
        page.reload()
        return text in page.locator("main").inner_text()

    assert wait_until(dashboard_names_it, 15, interval=1), page.locator("main").inner_text()
    assert "đang phát" in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / "dashboard.png"))

    # Proof of play names the slogan by its words, and finds it by them (issue #16.1).
    def proof_names_it() -> bool:
        page.goto(base + "/proof/?text=" + "Đảng bộ tỉnh")
        return text in page.locator("table.proof").inner_text()

    assert wait_until(proof_names_it, 30, interval=1), page.locator("main").inner_text()
    assert "lịch phát «Tuần lễ Đại hội»" in page.locator("table.proof").inner_text()
    page.screenshot(path=str(SHOTS / "proof-by-text.png"))

    # The dashboard follows the board without a reload (issue #16.5): the slogan goes to the
    # bin on another tab, after a confirmation page that says the board loses it, and back.
    page.goto(base + "/")
    now_playing = "document.querySelector('[data-field=now]').textContent"
    page.wait_for_function(f"() => {now_playing}.includes({text!r})", timeout=15_000)
    other = context.new_page()
    other.goto(base + "/slogans/")
    other.click("a.delete")
    assert "Cổng chính đang phát nội dung này: nó sẽ rời khỏi bảng." in other.locator("main").inner_text()
    other.screenshot(path=str(SHOTS / "delete-confirm.png"))
    with other.expect_navigation():
        other.click("main button[type=submit]")
    assert "vào thùng rác" in other.locator("main").inner_text()
    page.wait_for_function(f"() => !{now_playing}.includes({text!r})", timeout=20_000)  # no reload
    page.screenshot(path=str(SHOTS / "dashboard-after-delete.png"))
    other.click("main >> text=Hoàn tác trong Thùng rác")
    other.wait_for_url(base + "/bin/")
    assert text in other.locator("main").inner_text()
    with other.expect_navigation():
        other.click("main button[type=submit]:has-text('Khôi phục')")
    assert "Đã khôi phục khẩu hiệu" in other.locator("main").inner_text()
    page.wait_for_function(f"() => {now_playing}.includes({text!r})", timeout=20_000)  # back, still no reload

    # The urgent notice form previews the notice on each chosen board as it is typed (#16.10).
    other.goto(base + "/notices/")
    other.fill("textarea[name=text]", "TẠM ĐÓNG CỬA KHẨU")
    other.wait_for_function(
        "() => { const i = document.querySelector('#notice-preview img');"
        " return i && !i.hidden && i.complete && i.naturalWidth > 0; }",
        timeout=10_000,
    )
    other.screenshot(path=str(SHOTS / "notice-preview.png"))
    other.close()
    for path, name in (
        ("/boards/", "boards"),
        ("/notices/", "notices"),
        ("/proof/", "proof"),
        ("/campaigns/", "campaigns"),
        ("/banners/", "banners"),
        ("/playlists/", "playlists"),
    ):
        page.goto(base + path)
        page.screenshot(path=str(SHOTS / f"{name}.png"))
    sim_page = browser.new_page(viewport={"width": 1000, "height": 300})
    sim_page.goto(system["sim"].view + "/")
    sim_page.wait_for_timeout(1000)
    sim_page.screenshot(path=str(SHOTS / "simulator.png"))


def log_in(page, base: str, username: str, password: str = PASSWORD) -> None:  # noqa: ANN001
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/")


def test_admin_adds_an_editor_and_switching_them_off_ends_their_session(browser, system) -> None:  # noqa: ANN001
    """Issue #15: the Users page in a real browser; the editor's open session is refused at the
    next click after the admin switches them off (two browsers, each with its own cookies)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = system["base"]
    admin = browser.new_context(viewport={"width": 1100, "height": 760}, locale="vi-VN").new_page()
    log_in(admin, base, "quan-tri")
    admin.click("header >> text=Người dùng")
    admin.wait_for_url(base + "/users/")
    admin.fill("input[name=username]", "bien-tap-moi")
    admin.select_option("select[name=role]", "editor")
    admin.fill("input[name=password]", "mật khẩu người mới")
    admin.click("input[type=submit][value='Thêm người dùng']")
    assert "Đã thêm người dùng bien-tap-moi" in admin.locator("main").inner_text()
    admin.screenshot(path=str(SHOTS / "user.png"))

    editor = browser.new_context(viewport={"width": 1100, "height": 760}, locale="vi-VN").new_page()
    log_in(editor, base, "bien-tap-moi", "mật khẩu người mới")
    editor.click("header >> text=Khẩu hiệu")
    editor.wait_for_url(base + "/slogans/")

    admin.goto(base + "/users/")
    admin.click("main >> a:text-is('bien-tap-moi')")
    assert "Phiên đang mở" in admin.locator("main").inner_text()
    admin.click("button:has-text('Khoá tài khoản')")
    assert "Khoá bien-tap-moi?" in admin.locator("main").inner_text()  # it asks first
    admin.screenshot(path=str(SHOTS / "user-confirm.png"))
    admin.click("button:has-text('Đồng ý, thực hiện')")
    assert "Đã khoá bien-tap-moi" in admin.locator("main").inner_text()
    admin.goto(base + "/users/")
    admin.screenshot(path=str(SHOTS / "users.png"))
    # The queue page says in words what the board's real worker does (no rq-dashboard English).
    admin.click("header >> text=Hàng đợi")
    admin.wait_for_url(base + "/admin/queues/")
    state = admin.locator("[data-board=cong] dd.state").inner_text()
    assert state in ("đang phát", "chờ mục tiếp theo"), state
    admin.screenshot(path=str(SHOTS / "queues.png"))

    editor.click("header >> text=Danh sách phát")
    editor.wait_for_url("**/login**")
    assert "Tài khoản của bạn đã bị khoá" in editor.locator("main").inner_text()
    editor.fill("input[name=username]", "bien-tap-moi")
    editor.fill("input[name=password]", "mật khẩu người mới")
    editor.click("input[type=submit]")
    assert "Tài khoản này đã bị khoá" in editor.locator("main").inner_text()
    assert "/login" in editor.url
