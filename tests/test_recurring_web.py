"""Yearly schedules and slogan sources through the admin, the API and the CLI."""

from __future__ import annotations

import re

from click.testing import CliRunner
from sqlalchemy import func, select

from signage import seed
from signage.cli import main
from signage.models import Campaign, Schedule, Slogan
from signage.recurrence import Rule
from tests.conftest import post_form
from tests.test_api import token_for
from tests.test_schedule_web import published, setup_content

GIO_TO = Rule("lunar", 3, 10)


def form(playlist_id: int, **extra: object) -> dict:
    return {
        "name": "",
        "playlist": playlist_id,
        "board": 0,
        "group": 0,
        "phase": 0,
        "priority": 0,
        "weekdays": [str(d) for d in range(1, 8)],
        "repeat": "daily",
        "repeat_days": 1,
        "enabled": "y",
        **extra,
    }


def cells(page: str) -> list[str]:
    """The text of every table row, tags and runs of white space removed."""
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in rows]


def test_gio_to_from_the_official_days_lands_on_10_3_lunar_in_2027_and_2028(
    app,
    editor_client,
    db,  # noqa: ANN001
    redis,
) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = False
    board, _fallback, congress = setup_content(db)
    page = editor_client.get("/schedules/new").get_data(as_text=True)
    assert "Giỗ Tổ Hùng Vương" in page and "Quốc khánh nước Cộng hòa Dân chủ Nhân dân Lào (2/12)" in page
    response = post_form(editor_client, "/schedules/new", form(congress.id, official_day="hung-kings"))
    assert response.status_code == 302, response.get_data(as_text=True)
    entry = db.scalar(select(Schedule))
    assert (entry.name, entry.repeat, entry.repeat_day, entry.repeat_month) == (
        "Giỗ Tổ Hùng Vương",
        "lunar",
        10,
        3,
    )
    for year, day in ((2027, "16/04/2027"), (2028, "04/04/2028")):
        page = editor_client.get(f"/schedules/timeline/{board.slug}?start={year}-04-01&days=30")
        rows = cells(page.get_data(as_text=True))
        next_day = f"{int(day[:2]) + 1:02d}{day[2:]}"
        # "Thứ 6 16/04/2027 00:00 | Thứ 7 17/04/2027 00:00 | Giỗ Tổ Hùng Vương | lịch phát #1"
        assert any(re.search(f"{day} 00:00 .*{next_day} 00:00 Giỗ Tổ Hùng Vương lịch", r) for r in rows), rows
        assert sum("Giỗ Tổ Hùng Vương lịch" in r for r in rows) == 1  # only that day, then the fallback
    # published as format 3: a worker too old for yearly rules keeps its last show instead of
    # playing Giỗ Tổ every day
    doc = published(redis)
    assert doc.format == 3 and doc.schedules[0].repeat == GIO_TO
    yearly = next(r for r in cells(page.get_data(as_text=True)) if r.startswith(f"#{entry.id} "))
    assert "10/3 âm lịch" in yearly and "04/04/2028 (10/03 Mậu Thân)" in yearly
    edit = editor_client.get(f"/schedules/{entry.id}/edit").get_data(as_text=True)
    assert 'value="10/3"' in edit and '<option selected value="hung-kings">' in edit


def test_an_official_day_fills_in_its_rule_without_the_script_and_keeps_what_was_typed(
    editor_client, db
) -> None:  # noqa: ANN001
    _board, _fallback, congress = setup_content(db)
    # no script ran: the fields still say "daily"; the pick fills in Tết's rule, 3 days
    response = post_form(editor_client, "/schedules/new", form(congress.id, official_day="tet"))
    assert response.status_code == 302
    # the script filled the fields in and the editor shortened it to one day: that stays
    post_form(
        editor_client,
        "/schedules/new",
        form(
            congress.id, name="Mùng 1", official_day="tet", repeat="lunar", repeat_date="1/1", repeat_days=1
        ),
    )
    rows = db.scalars(select(Schedule).order_by(Schedule.id)).all()
    assert [(s.name, s.repeat, s.repeat_month, s.repeat_day, s.repeat_days) for s in rows] == [
        ("Tết Nguyên đán", "lunar", 1, 1, 3),
        ("Mùng 1", "lunar", 1, 1, 1),
    ]


def test_yearly_schedule_bad_input_is_named_and_nothing_saved(editor_client, db) -> None:  # noqa: ANN001
    _board, _fallback, congress = setup_content(db)
    cases = [
        ({"repeat": "yearly"}, "hãy nhập ngày và tháng"),
        ({"repeat": "yearly", "repeat_date": "30/2"}, "ngày 30 không có trong tháng 2"),
        ({"repeat": "lunar", "repeat_date": "10/3/2027"}, "ngày/tháng"),
        ({"repeat": "yearly", "repeat_date": "2/9", "repeat_leap": "y"}, "chỉ ngày âm lịch"),
        ({"repeat": "lunar", "repeat_date": "1/1", "repeat_days": 90}, "từ 1 đến 60 ngày"),
        ({"repeat": "weekly"}, "Lựa chọn không hợp lệ."),
    ]
    for extra, message in cases:
        response = post_form(editor_client, "/schedules/new", form(congress.id, **extra))
        assert response.status_code == 422, extra
        assert message.lower() in response.get_data(as_text=True).lower(), (extra, message)
    assert db.scalar(select(func.count()).select_from(Schedule)) == 0


def test_api_carries_the_yearly_rule_and_refuses_a_bad_one(app, db) -> None:  # noqa: ANN001
    client, headers = app.test_client(), token_for(db, "editor")
    board, _fallback, congress = setup_content(db)
    body = {
        "playlist_id": congress.id,
        "name": "Tết",
        "repeat": "lunar",
        "repeat_month": 1,
        "repeat_day": 1,
        "repeat_days": 3,
    }
    saved = client.post("/api/schedules", json=body, headers=headers)
    assert saved.status_code == 201, saved.get_json()
    got = client.get(f"/api/schedules/{saved.get_json()['id']}", headers=headers).get_json()
    rule = [got[k] for k in ("repeat", "repeat_month", "repeat_day", "repeat_leap", "repeat_days")]
    assert rule == ["lunar", 1, 1, False, 3]
    url = f"/api/boards/{board.slug}/timeline?from=2027-01-01&days=1"
    timeline = client.get(url, headers=headers).get_json()
    assert timeline["yearly"][0]["repeat"] == "lunar" and timeline["yearly"][0]["next"] == [
        {"first": "2027-02-06", "last": "2027-02-08"},
        {"first": "2028-01-26", "last": "2028-01-28"},
        {"first": "2029-02-13", "last": "2029-02-15"},
    ]
    bad = client.post("/api/schedules", json={**body, "repeat_day": 31}, headers=headers)
    assert bad.status_code == 422
    problem = bad.get_json()["errors"]["json"]["repeat_day"]
    assert problem == ["day 31 does not exist in month 1; use 1 to 30"]
    assert db.scalar(select(func.count()).select_from(Schedule)) == 1


def test_slogan_source_in_the_form_the_list_and_the_api(app, editor_client, db) -> None:  # noqa: ANN001
    response = post_form(
        editor_client,
        "/slogans/new",
        {
            "text": "NHIỆT LIỆT CHÀO MỪNG",
            "effect": "auto",
            "speed": 32,
            "color": "#ff0000",
            "source": "  KH 17/KH-BQLKKT ",
            "playlist": 0,
            "duration": 10,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    slogan = db.scalar(select(Slogan))
    assert slogan.source == "KH 17/KH-BQLKKT"
    assert "KH 17/KH-BQLKKT" in editor_client.get("/slogans/").get_data(as_text=True)
    assert 'value="KH 17/KH-BQLKKT"' in editor_client.get(f"/slogans/{slogan.id}/edit").get_data(as_text=True)
    long = post_form(
        editor_client,
        "/slogans/new",
        {
            "text": "KHÁC",
            "effect": "auto",
            "speed": 32,
            "color": "#ff0000",
            "source": "x" * 201,
            "playlist": 0,
            "duration": 10,
        },
    )
    assert long.status_code == 422 and "201" in long.get_data(as_text=True)
    client, headers = app.test_client(), token_for(db, "editor")
    assert client.get(f"/api/slogans/{slogan.id}", headers=headers).get_json()["source"] == "KH 17/KH-BQLKKT"
    made = client.post("/api/slogans", json={"text": "MỪNG XUÂN", "source": "HD 05/HD-BTG"}, headers=headers)
    assert made.status_code == 201 and made.get_json()["source"] == "HD 05/HD-BTG"


def test_cli_campaign_lists_yearly_occurrences_for_any_year(tmp_path, database_url) -> None:  # noqa: ANN001
    env = {"DATABASE_URL": database_url}
    instance = str(tmp_path / "inst")
    toml = tmp_path / "lich.toml"
    toml.write_text(
        'format = 2\n[[slogans]]\nkey = "a"\ntext = "GIỖ TỔ"\n[[playlists]]\nname = "Giỗ Tổ"\n'
        'items = [{ slogan = "a" }]\n[[boards]]\nslug = "b"\nname = "B"\nwidth = 192\nheight = 32\n'
        'port_url = "socket://127.0.0.1:9"\n[[schedules]]\nname = "Giỗ Tổ"\nplaylist = "Giỗ Tổ"\n'
        'repeat = "lunar"\non = "10/3"\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(toml), "--instance", instance], env=env).exit_code == 0
    result = runner.invoke(main, ["campaign", "--year", "2027", "--instance", instance], env=env)
    assert result.exit_code == 0, result.output
    assert "Giỗ Tổ: every year on 10/03 (lunar), 1 day: 16/04/2027 (10/03 Đinh Mùi)" in result.output
    assert "16/04/2027 00:00 - 16/04/2027 23:59  schedule  Giỗ Tổ" in result.output


def test_the_campaign_overview_shows_the_corrected_days(editor_client, db) -> None:  # noqa: ANN001
    seed.ensure_demo_board(db, "socket://127.0.0.1:9")  # the demo's first run: imports playlists/
    db.commit()
    campaign = db.scalar(select(Campaign))
    rows = cells(editor_client.get(f"/campaigns/{campaign.id}/overview").get_data(as_text=True))
    phase3 = "Giai đoạn 3: Sau Đại hội XVI Đảng bộ tỉnh đến Đại hội XIII của Đảng"
    expected = [
        "22/09/2020 24/09/2020 3 Giai đoạn 2: Cao điểm Đại hội XVI Đảng bộ tỉnh Đại hội XVI Đảng bộ tỉnh - "
        "những ngày Đại hội",
        f"26/09/2020 24/01/2021 121 {phase3} Đại hội - Giai đoạn 3",  # the day after the congress closed
        "02/09/2020 02/09/2020 1 Giai đoạn 2: Cao điểm Đại hội XVI Đảng bộ tỉnh Kỷ niệm 75 năm Quốc khánh",
        "03/02/2021 03/02/2021 1 Giai đoạn 4: Sau Đại hội XIII của Đảng Kỷ niệm 91 năm thành lập Đảng",
        "12/02/2021 14/02/2021 3 Giai đoạn 4: Sau Đại hội XIII của Đảng Tết Tân Sửu 2021",
    ]
    for row in expected:
        assert row in rows, (row, rows)
