"""Every main page holds its layout on a 1024 px screen and on a 360 px phone: nothing makes
the page scroll sideways (issue #16.9), and no image is broken (#16.10). Screenshots of each
page at both widths go to artifacts/screenshots/ (<page>-1024.png, <page>-360.png)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from signage.demo import free_port
from tests.conftest import make_user
from tests.test_browser import SHOTS, browser  # noqa: F401 - the chromium fixture
from tests.test_language_walk import content, pages  # noqa: F401 - one of everything

pytestmark = pytest.mark.slow
WIDTHS = (1024, 360)
#: The page's own width beyond the window (a scrollbar's pixel or two is not a layout).
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
#: Images that were asked for and came back as nothing (a broken-image icon for staff).
BROKEN = (
    "() => Array.from(document.images).filter(i => i.getAttribute('src') && i.complete"
    " && i.naturalWidth === 0).map(i => i.getAttribute('src'))"
)


@pytest.fixture
def served(app, db, content) -> Iterator[str]:  # noqa: ANN001, F811
    """The test app (with its content) on a real port, in a thread."""
    make_user(db, "quantri", "admin", password="mật khẩu quản trị")
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(5)


def _name(url: str) -> str:
    return url.strip("/").replace("/", "-") or "dashboard"


def test_no_page_scrolls_sideways_at_1024_or_360_px(browser, served, db, content) -> None:  # noqa: ANN001, F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    wide: list[str] = []
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 800}, locale="vi-VN")
        page.goto(served + "/login")
        page.fill("input[name=username]", "quantri")
        page.fill("input[name=password]", "mật khẩu quản trị")
        page.click("input[type=submit]")
        page.wait_for_url(served + "/")
        for url in [*pages(content, db), "/login"]:
            if url == "/login":
                page.context.clear_cookies()
            page.goto(served + url)
            page.wait_for_load_state("networkidle")
            over = page.evaluate(OVERFLOW)
            if over > 2:
                wide.append(f"{url} at {width} px: {over} px wider than the window")
            wide += [f"{url} at {width} px: broken image {src}" for src in page.evaluate(BROKEN)]
            page.screenshot(path=str(SHOTS / f"{_name(url)}-{width}.png"), full_page=True)
        page.close()
    assert not wide, "\n".join(wide)
