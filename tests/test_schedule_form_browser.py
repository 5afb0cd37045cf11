"""The schedule form in a real browser: picking an official day fills in its yearly rule."""

from __future__ import annotations

import pytest

from tests.test_browser import PASSWORD, SHOTS, browser, system  # noqa: F401 - the fixtures

pytestmark = pytest.mark.slow


def test_picking_gio_to_fills_the_lunar_rule_and_the_timeline_shows_it(browser, system) -> None:  # noqa: ANN001, F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = system["base"]
    page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="vi-VN")
    page.goto(base + "/login")
    page.fill("input[name=username]", "bien-tap")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/")

    page.goto(base + "/schedules/new")
    page.select_option("select[name=playlist]", label="Đại hội")
    page.select_option("select[name=official_day]", "hung-kings")
    assert page.input_value("select[name=repeat]") == "lunar"
    assert page.input_value("input[name=repeat_date]") == "10/3"
    assert page.input_value("input[name=repeat_days]") == "1"
    assert page.input_value("input[name=name]") == "Giỗ Tổ Hùng Vương"
    page.select_option("select[name=official_day]", "tet")
    assert page.input_value("input[name=repeat_date]") == "1/1"
    assert page.input_value("input[name=repeat_days]") == "3"
    assert page.input_value("input[name=name]") == "Giỗ Tổ Hùng Vương"  # a name typed (or filled) stays
    page.select_option("select[name=official_day]", "hung-kings")
    page.fill("input[name=repeat_days]", "1")
    page.screenshot(path=str(SHOTS / "schedule-form-yearly.png"))
    page.click("input[type=submit]")
    page.wait_for_url(base + "/schedules/")

    page.goto(base + "/schedules/timeline/cong?start=2027-04-10&days=10")
    main = page.locator("main").inner_text()
    assert "16/04/2027 (10/03 Đinh Mùi)" in main and "04/04/2028 (10/03 Mậu Thân)" in main
    # (the playlist is still empty here, so the segments show the fallback: test_recurring_web.py
    # checks the day's segment with a playlist that has items)
    page.screenshot(path=str(SHOTS / "timeline-yearly.png"))
