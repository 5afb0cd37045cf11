"""Campaign, phase and board-group pages through the Flask test client, as staff use them."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from signage.models import Board, BoardGroup, Campaign, Phase, Playlist, PlaylistItem, Schedule, Slogan
from tests.conftest import client_as, gate, post_form

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def setup_content(db) -> tuple[Board, Playlist, Playlist]:  # noqa: ANN001
    fallback, congress = Playlist(name="Mặc định"), Playlist(name="Đại hội")
    fallback.items.append(PlaylistItem(slogan=Slogan(text="CHÀO MỪNG"), position=0, duration=5))
    congress.items.append(PlaylistItem(slogan=Slogan(text="ĐẠI HỘI XIII"), position=0, duration=5))
    board = gate(playlist=fallback)
    db.add_all([fallback, congress, board])
    db.commit()
    return board, fallback, congress


def count(db, model) -> int:  # noqa: ANN001
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def dmy(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def make_campaign(client, name: str = "Đại hội XIII") -> int:  # noqa: ANN001
    response = post_form(client, "/campaigns/new", {"name": name, "description": "Kế hoạch 17/KH-BQLKKT"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/campaigns/(\d+)$", response.location).group(1))


def add_phase(client, campaign_id: int, name: str, first: date, last: date):  # noqa: ANN001, ANN201
    return post_form(
        client,
        f"/campaigns/{campaign_id}/phases/new",
        {"name": name, "starts_on": first.isoformat(), "ends_on": last.isoformat()},
    )


def test_campaign_with_two_phases_drives_a_schedule_on_the_phase_days(editor_client, db) -> None:  # noqa: ANN001
    board, _fallback, congress = setup_content(db)
    today = datetime.now(LOCAL).date()
    first_days = (today - timedelta(days=40), today - timedelta(days=1))
    peak = (today, today + timedelta(days=9))

    campaign_id = make_campaign(editor_client)
    assert add_phase(editor_client, campaign_id, "Giai đoạn 1", *first_days).status_code == 302
    assert add_phase(editor_client, campaign_id, "Cao điểm", *peak).status_code == 302

    page = editor_client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert "Giai đoạn 1" in page and "Cao điểm" in page
    assert dmy(peak[0]) in page and dmy(peak[1]) in page  # dd/mm/yyyy, as staff write dates
    listing = editor_client.get("/campaigns/").get_data(as_text=True)
    assert f"Cao điểm: {dmy(peak[0])} – {dmy(peak[1])}" in listing
    peak_phase = db.scalar(select(Phase).where(Phase.name == "Cao điểm"))
    link = f"/schedules/new?phase={peak_phase.id}"
    assert link in page

    # The schedule form opened from the phase has the phase chosen already.
    form = editor_client.get(link).get_data(as_text=True)
    assert re.search(rf'<option selected value="{peak_phase.id}">', form), "the phase is not preselected"
    response = post_form(
        editor_client,
        "/schedules/new",
        {
            "name": "",
            "playlist": congress.id,
            "board": 0,
            "group": 0,
            "phase": peak_phase.id,
            "weekdays": list("1234567"),
            "priority": 10,
            "enabled": "y",
        },
        form_url=link,
    )
    assert response.status_code == 302, response.get_data(as_text=True)

    # The campaign page lists the schedule under its phase, with a link to edit it.
    entry = db.scalar(select(Schedule))
    page = editor_client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert f"/schedules/{entry.id}/edit" in page

    # The board's timeline plays the phase's playlist on the phase's days, then the fallback.
    timeline = editor_client.get(f"/schedules/timeline/{board.slug}?days=14").get_data(as_text=True)
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td>\s*<td>(.*?)</td>", timeline)
    assert [plays for _start, _end, plays in rows] == ["Đại hội", "Mặc định"]
    assert dmy(peak[1] + timedelta(days=1)) in rows[1][0]  # the day after the phase: back to the fallback

    # The overview: day runs per board across the campaign's phases.
    overview = editor_client.get(f"/campaigns/{campaign_id}/overview").get_data(as_text=True)
    row = r"<tr><td>([\d/]+)</td><td>([\d/]+)</td><td>(\d+)</td><td>(.*?)</td>\s*<td>(.*?)</td></tr>"
    runs = re.findall(row, overview)
    assert [(a, b, n, phase, plays.split(" <small>")[0]) for a, b, n, phase, plays in runs] == [
        (dmy(first_days[0]), dmy(first_days[1]), "40", "Giai đoạn 1", "Mặc định"),
        (dmy(peak[0]), dmy(peak[1]), "10", "Cao điểm", "Đại hội"),
    ]


def test_bad_input_is_refused_in_vietnamese_and_nothing_is_saved(editor_client, db) -> None:  # noqa: ANN001
    setup_content(db)
    campaign_id = make_campaign(editor_client)
    response = add_phase(editor_client, campaign_id, "Giai đoạn 1", date(2019, 11, 1), date(2020, 7, 31))
    assert response.status_code == 302
    before = (count(db, Campaign), count(db, Phase))

    cases = [
        ("/campaigns/new", {"name": "Đại hội XIII"}, "đã có đợt tuyên truyền tên Đại hội XIII"),
        ("/campaigns/new", {"name": "  Đại hội   XIII "}, "đã có đợt tuyên truyền tên Đại hội XIII"),
        ("/campaigns/new", {"name": "x" * 10_000}, "tên dài 10000 ký tự; chỉ được tối đa 200"),
        ("/campaigns/new", {"name": "   "}, "tên đang trống"),
        (f"/campaigns/{campaign_id}/edit", {"name": "y" * 10_000}, "tên dài 10000 ký tự"),
        (
            f"/campaigns/{campaign_id}/phases/new",
            {"name": "Cao điểm", "starts_on": "2020-09-30", "ends_on": "2020-08-01"},
            "ngày cuối 01/08/2020 đứng trước ngày đầu 30/09/2020",
        ),
        (
            f"/campaigns/{campaign_id}/phases/new",
            {"name": "Cao điểm", "starts_on": "2020-07-31", "ends_on": "2020-09-30"},
            "các ngày này trùng với giai đoạn Giai đoạn 1 (01/11/2019 – 31/07/2020)",
        ),
        (
            f"/campaigns/{campaign_id}/phases/new",
            {"name": "Cao điểm", "starts_on": "30/09/2020", "ends_on": "2020-10-30"},
            "Ngày phải viết theo dạng YYYY-MM-DD.",
        ),
        (
            f"/campaigns/{campaign_id}/phases/new",
            {"name": "Cao điểm", "starts_on": "2020-08-01", "ends_on": ""},
            "hãy nhập ngày cuối của giai đoạn",
        ),
        (
            f"/campaigns/{campaign_id}/phases/new",
            {"name": "Giai đoạn 1", "starts_on": "2021-08-01", "ends_on": "2021-09-01"},
            "đợt tuyên truyền này đã có giai đoạn tên Giai đoạn 1",
        ),
    ]
    for url, data, message in cases:
        response = post_form(editor_client, url, data)
        assert response.status_code == 422, (url, data)
        assert message in response.get_data(as_text=True), (url, data)
    assert (count(db, Campaign), count(db, Phase)) == before
    assert db.get(Campaign, campaign_id).name == "Đại hội XIII"

    # The end-before-start message sits under the field it names.
    page = post_form(
        editor_client,
        f"/campaigns/{campaign_id}/phases/new",
        {"name": "Cao điểm", "starts_on": "2020-09-30", "ends_on": "2020-08-01"},
    )
    page = page.get_data(as_text=True)
    field = re.search(r"<span>Ngày cuối \(tính cả ngày này\)</span>(.*?)</label>", page, re.S).group(1)
    assert "ngày cuối 01/08/2020 đứng trước ngày đầu 30/09/2020" in field

    # Unknown ids: a campaign or phase that is not there is a 404; a phase of another campaign too.
    other = make_campaign(editor_client, "Đợt khác")
    phase = db.scalar(select(Phase))
    assert editor_client.get("/campaigns/999999/phases/new").status_code == 404
    assert editor_client.get(f"/campaigns/{other}/phases/{phase.id}/edit").status_code == 404
    assert (
        post_form(
            editor_client, f"/campaigns/{other}/phases/{phase.id}/delete", {}, form_url=f"/campaigns/{other}"
        ).status_code
        == 404
    )
    assert editor_client.get("/campaigns/99999999999/edit").status_code == 404
    form = editor_client.get("/schedules/new?phase=999999").get_data(as_text=True)
    assert '<option selected value="0">' in form  # an unknown phase is not chosen for the user
    assert count(db, Phase) == 1


def test_groups_are_for_admins_and_unknown_boards_are_refused(app, db, admin_client) -> None:  # noqa: ANN001
    board, _fallback, congress = setup_content(db)
    editor = client_as(app, db, "bien-tap", "editor")
    assert editor.get("/groups/").status_code == 200  # reading is open, like boards
    assert editor.get("/groups/new").status_code == 403
    assert post_form(editor, "/groups/new", {"name": "x"}, form_url="/groups/").status_code == 403

    for members, message in (
        (["999999"], "không có bảng nào có mã số 999999"),
        ([str(board.id), "abc"], "không có bảng nào có mã số abc"),
    ):
        response = post_form(admin_client, "/groups/new", {"name": "Cửa khẩu Bờ Y", "boards": members})
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert count(db, BoardGroup) == 0

    response = post_form(admin_client, "/groups/new", {"name": "Cửa khẩu Bờ Y", "boards": [str(board.id)]})
    assert response.status_code == 302, response.get_data(as_text=True)
    group = db.scalar(select(BoardGroup))
    assert [b.slug for b in group.boards] == ["cua-khau"]
    edit = admin_client.get(f"/groups/{group.id}/edit").get_data(as_text=True)
    assert f'value="{board.id}" checked' in edit  # the checkbox shows the membership
    duplicate = post_form(admin_client, "/groups/new", {"name": "Cửa khẩu Bờ Y"})
    assert duplicate.status_code == 422
    assert "đã có nhóm bảng tên Cửa khẩu Bờ Y" in duplicate.get_data(as_text=True)

    # A group a schedule uses is not deleted (its schedules would go with it).
    db.add(Schedule(name="Theo nhóm", playlist_id=congress.id, group_id=group.id))
    db.commit()
    page = post_form(
        admin_client, f"/groups/{group.id}/delete", {}, form_url="/groups/", follow_redirects=True
    ).get_data(as_text=True)
    assert "Chưa xoá nhóm bảng Cửa khẩu Bờ Y: lịch phát #" in page
    assert count(db, BoardGroup) == 1 and count(db, Schedule) == 1

    # Unticking every box empties the group.
    response = post_form(admin_client, f"/groups/{group.id}/edit", {"name": "Cửa khẩu Bờ Y"})
    assert response.status_code == 302
    db.expire_all()
    assert db.get(BoardGroup, group.id).boards == []


def test_script_in_a_campaign_name_is_shown_as_text(editor_client, db) -> None:  # noqa: ANN001
    campaign_id = make_campaign(editor_client, "<script>alert(1)</script>")
    add_phase(editor_client, campaign_id, "<b>giai đoạn</b>", date(2020, 1, 1), date(2020, 1, 31))
    for url in ("/campaigns/", f"/campaigns/{campaign_id}", f"/campaigns/{campaign_id}/overview"):
        page = editor_client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page and "<b>giai" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


def test_stale_saves_are_refused_and_used_phases_are_kept(app, db, editor_client) -> None:  # noqa: ANN001
    _board, _fallback, congress = setup_content(db)
    campaign_id = make_campaign(editor_client)
    add_phase(editor_client, campaign_id, "Một", date(2020, 1, 1), date(2020, 1, 31))
    add_phase(editor_client, campaign_id, "Hai", date(2020, 2, 1), date(2020, 2, 28))
    one, two = db.scalars(select(Phase).order_by(Phase.position)).all()

    # Two people open the same campaign; the second save is refused, not silently lost.
    other = client_as(app, db, "nguoi-khac", "editor")
    opened = {
        "base_version": re.search(
            r'name="base_version"[^>]*value="([^"]*)"',
            editor_client.get(f"/campaigns/{campaign_id}/edit").get_data(as_text=True),
        ).group(1)
    }
    response = post_form(other, f"/campaigns/{campaign_id}/edit", {"name": "Tên của người khác"})
    assert response.status_code == 302
    response = post_form(editor_client, f"/campaigns/{campaign_id}/edit", {"name": "Tên của tôi", **opened})
    assert response.status_code == 409
    assert "Người khác đã lưu đợt tuyên truyền này sau khi bạn mở" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Campaign, campaign_id).name == "Tên của người khác"

    # Reorder: "Hai" moves up; a press on an outdated page moves nothing.
    show = f"/campaigns/{campaign_id}"
    old_version = re.search(
        r'name="base_version"[^>]*value="([^"]*)"', editor_client.get(show).get_data(as_text=True)
    ).group(1)
    assert post_form(editor_client, f"{show}/phases/{two.id}/move/up", {}, form_url=show).status_code == 302
    page = editor_client.get(show).get_data(as_text=True)
    assert page.index("Hai") < page.index("Một")
    page = post_form(
        editor_client,
        f"{show}/phases/{two.id}/move/down",
        {"base_version": old_version},
        form_url=show,
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Người khác vừa thay đổi đợt tuyên truyền này" in page
    assert page.index("Hai") < page.index("Một")

    # A phase a schedule uses is not deleted (the schedule would lose its dates), nor its campaign.
    db.add(Schedule(name="Tháng hai", playlist_id=congress.id, phase_id=two.id))
    db.commit()
    page = post_form(
        editor_client, f"{show}/phases/{two.id}/delete", {}, form_url=show, follow_redirects=True
    ).get_data(as_text=True)
    assert "Chưa xoá giai đoạn Hai: lịch phát #" in page
    page = post_form(editor_client, f"{show}/delete", {}, form_url=show, follow_redirects=True)
    page = page.get_data(as_text=True)
    assert "Chưa xoá đợt tuyên truyền" in page
    assert count(db, Phase) == 2 and count(db, Campaign) == 1

    # An unused phase goes; the campaign goes once no schedule uses its phases.
    assert post_form(editor_client, f"{show}/phases/{one.id}/delete", {}, form_url=show).status_code == 302
    assert count(db, Phase) == 1
    db.execute(Schedule.__table__.delete())
    db.commit()
    assert post_form(editor_client, f"{show}/delete", {}, form_url=show).status_code == 302
    assert count(db, Campaign) == 0 and count(db, Phase) == 0


def test_viewers_read_campaigns_but_do_not_change_them(app, db) -> None:  # noqa: ANN001
    viewer = client_as(app, db, "xem", "viewer")
    assert viewer.get("/campaigns/").status_code == 200
    assert viewer.get("/campaigns/new").status_code == 403
    assert post_form(viewer, "/campaigns/new", {"name": "x"}, form_url="/campaigns/").status_code == 403
    assert count(db, Campaign) == 0


def test_overview_shows_each_board_its_own_days(editor_client, db) -> None:  # noqa: ANN001
    board, fallback, congress = setup_content(db)
    others = [
        Board(
            slug=slug,
            name=slug,
            width=192,
            height=32,
            color="mono",
            protocol="native",
            port_url="socket://127.0.0.1:9",
            baud=115200,
            playlist=fallback,
        )
        for slug in ("bo-y", "dak-to")
    ]
    campaign = Campaign(
        name="Đại hội",
        phases=[
            Phase(name="Một", position=0, starts_on=date(2020, 1, 1), ends_on=date(2020, 1, 10)),
            Phase(name="Hai", position=1, starts_on=date(2020, 1, 11), ends_on=date(2020, 1, 20)),
        ],
    )
    db.add_all([*others, campaign])
    db.flush()
    db.add(Schedule(name="", playlist_id=congress.id, board_id=board.id, phase_id=campaign.phases[1].id))
    db.commit()
    page = editor_client.get(f"/campaigns/{campaign.id}/overview").get_data(as_text=True)
    sections = dict(re.findall(r"<h2>([a-z-]+) — .*?</h2>(.*?)</section>", page, re.S))
    assert set(sections) == {"cua-khau", "bo-y", "dak-to"}
    assert "Đại hội" in sections["cua-khau"] and "20/01/2020" in sections["cua-khau"]
    for slug in ("bo-y", "dak-to"):  # no schedule of theirs: their own playlist all along, one run per phase
        assert "Đại hội" not in sections[slug]
        assert sections[slug].count("Mặc định") == 2, slug
