"""The congress campaign in playlists/: each phase and anniversary plays exactly on its dates.

Checked through what the board would do: the files are imported like the demo seeds them,
the demo board's show is compiled, and ``signage.schedule`` says what plays when.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from drivers.pixels import BoardSpec
from signage import schedule, seed
from signage.bundle import read_path
from signage.db import create_schema, make_engine, session_scope
from signage.publish import compile_show
from signage.render.lint import lint_item
from signage.show import Show

ROOT = Path(__file__).resolve().parents[1]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PHASES = {  # the plan's section III, with the provincial congress held 22-25/9/2020: phase 3 the day after
    "Giai đoạn 1": (date(2019, 11, 1), date(2020, 7, 31)),
    "Giai đoạn 2": (date(2020, 8, 1), date(2020, 9, 25)),
    "Giai đoạn 3": (date(2020, 9, 26), date(2021, 2, 1)),
    "Giai đoạn 4": (date(2021, 2, 2), date(2021, 6, 30)),
}
ANNIVERSARIES = {  # the correct years: the seed's text has two typos
    date(2020, 2, 3): ("Kỷ niệm 90 năm thành lập Đảng", "03/02/1930 - 03/02/2020"),
    date(2020, 3, 16): ("Kỷ niệm 45 năm giải phóng tỉnh Kon Tum", "16/3/1975 - 16/3/2020"),
    date(2020, 4, 30): ("Kỷ niệm 45 năm giải phóng miền Nam, thống nhất đất nước", "30/4/1975 - 30/4/2020"),
    date(2020, 5, 19): ("Kỷ niệm 130 năm ngày sinh Chủ tịch Hồ Chí Minh", "19/5/1890 - 19/5/2020"),
    date(2020, 9, 25): ("Kỷ niệm 90 năm Ngày truyền thống Đảng bộ tỉnh Kon Tum", "25/9/1930 - 25/9/2020"),
    # holidays the plan's "such as" list leaves out
    date(2020, 9, 2): ("Kỷ niệm 75 năm Quốc khánh", "2/9/1945 - 2/9/2020"),
    date(2021, 2, 3): ("Kỷ niệm 91 năm thành lập Đảng", "03/02/1930 - 03/02/2021"),
}
TET_TAN_SUU = (date(2021, 2, 12), date(2021, 2, 14))  # mùng 1 - mùng 3 of the lunar year Tân Sửu
NATIONAL_CONGRESS = (date(2021, 1, 25), date(2021, 2, 1))


@pytest.fixture(scope="module")
def show(tmp_path_factory: pytest.TempPathFactory) -> Show:
    """The demo board's show after the demo's first-run seed (it imports playlists/)."""
    engine: Engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('campaign') / 'db.sqlite'}")
    create_schema(engine)
    with session_scope(engine) as session:
        board = seed.ensure_demo_board(session, "socket://127.0.0.1:9")
        doc, _ = compile_show(board, session)
    engine.dispose()
    return doc


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def matching(doc: Show, moment: datetime) -> set[str]:
    return {s.name for s in schedule.matching_schedules(doc, moment)}


@pytest.mark.parametrize("phase", sorted(PHASES))
def test_each_phase_is_active_exactly_inside_its_dates(show: Show, phase: str) -> None:
    first, last = PHASES[phase]
    assert phase in matching(show, at(first, 0)) and phase in matching(show, at(last, 23))
    assert phase not in matching(show, at(first - timedelta(days=1), 23))
    assert phase not in matching(show, at(last + timedelta(days=1), 0))
    day = first
    while day <= last:  # and every day in between (weekdays, all day)
        assert phase in matching(show, at(day)), day
        day += timedelta(days=7)


def test_the_phases_cover_the_campaign_without_gap_or_overlap(show: Show) -> None:
    day, end = date(2019, 11, 1), date(2021, 6, 30)
    while day <= end:
        assert len(matching(show, at(day)) & set(PHASES)) == 1, day
        day += timedelta(days=1)


@pytest.mark.parametrize("day", sorted(ANNIVERSARIES))
def test_each_anniversary_plays_on_its_day_only(show: Show, day: date) -> None:
    playlist, years = ANNIVERSARIES[day]
    for hour in (0, 12, 23):
        choice = schedule.what_plays(show, at(day, hour))
        assert choice.kind == "schedule" and show.playlist_name(choice.playlist) == playlist
    assert years in choice.items[0].text
    for other in (day - timedelta(days=1), day + timedelta(days=1)):
        name = show.playlist_name(schedule.what_plays(show, at(other)).playlist)
        assert name != playlist


def test_the_national_congress_days_have_their_own_playlist(show: Show) -> None:
    first, last = NATIONAL_CONGRESS
    name = "Đại hội XIII của Đảng - những ngày Đại hội"
    for day in (first, last):
        assert show.playlist_name(schedule.what_plays(show, at(day)).playlist) == name
    for day in (first - timedelta(days=1), last + timedelta(days=1)):
        assert show.playlist_name(schedule.what_plays(show, at(day)).playlist) != name


def test_tet_tan_suu_plays_its_three_lunar_days(show: Show) -> None:
    first, last = TET_TAN_SUU
    day = first - timedelta(days=1)
    while day <= last + timedelta(days=1):
        name = show.playlist_name(schedule.what_plays(show, at(day)).playlist)
        assert (name == "Tết Tân Sửu 2021") == (first <= day <= last), (day, name)
        day += timedelta(days=1)


def test_the_welcome_in_english_and_lao_plays_every_day_of_the_campaign(show: Show) -> None:
    day, end = date(2019, 11, 1), date(2021, 6, 30)
    while day <= end:
        texts = [i.text for i in schedule.what_plays(show, at(day, 9)).items]
        assert "Bờ Y International Border Gate welcomes you" in texts, day
        assert any("\u0e80" <= c <= "\u0eff" for t in texts for c in t), day
        day += timedelta(days=1)


def test_phase_3_begins_the_day_after_the_provincial_congress(show: Show) -> None:
    congress = "Đại hội XVI Đảng bộ tỉnh - những ngày Đại hội"
    assert show.playlist_name(schedule.what_plays(show, at(date(2020, 9, 24))).playlist) == congress
    after = schedule.what_plays(show, at(date(2020, 9, 26)))
    assert show.playlist_name(after.playlist) == "Đại hội - Giai đoạn 3"
    assert not any("Chúc Đại hội" in (i.text or "") for i in after.items)


def test_every_campaign_slogan_names_its_source_and_the_wording_is_fixed() -> None:
    bundle = read_path(ROOT / "playlists" / "dai-hoi-xiii.toml")
    assert all(s.source.startswith("KH 17/KH-BQLKKT, mục ") for s in bundle.slogans.values())
    texts = [s.text for s in bundle.slogans.values()]
    assert not [t for t in texts if re.search(r"CHÀO MỪNG \d+ NĂM", t)]  # "CHÀO MỪNG KỶ NIỆM ... NĂM"
    assert not [t for t in texts if "Đại hội Đại biểu" in t]  # "Đại hội đại biểu"


@pytest.mark.parametrize(
    ("day", "playlist"),
    [
        (date(2027, 2, 6), "Tết Nguyên đán"),
        (date(2027, 2, 8), "Tết Nguyên đán"),
        (date(2027, 4, 16), "Giỗ Tổ Hùng Vương"),
        (date(2028, 4, 4), "Giỗ Tổ Hùng Vương"),
        (date(2027, 9, 2), "Quốc khánh"),
        (date(2030, 12, 2), "Quốc khánh Lào"),
        (date(2027, 3, 3), "Ngày Biên phòng toàn dân"),
        (date(2027, 7, 18), "Ngày Hiệp ước Hữu nghị và Hợp tác Việt Nam - Lào"),
    ],
)
def test_the_holidays_come_back_every_year_after_the_campaign(show: Show, day: date, playlist: str) -> None:
    assert show.playlist_name(schedule.what_plays(show, at(day)).playlist) == playlist
    after = day + timedelta(days=3 if "Tết" in playlist else 1)
    assert schedule.what_plays(show, at(after)).label == "Hằng ngày"


def test_outside_the_campaign_the_everyday_playlist_plays(show: Show) -> None:
    for moment in (at(date(2019, 10, 31)), at(date(2021, 7, 1)), at(date(2026, 11, 26))):
        choice = schedule.what_plays(show, moment)
        assert choice.kind == "fallback" and choice.label == "Hằng ngày"


def test_slogans_use_the_correct_years_and_both_cases() -> None:
    bundle = read_path(ROOT / "playlists")
    texts = [s.text for s in bundle.slogans.values()]
    years = {int(y) for t in texts for y in re.findall(r"\b(1[89]\d\d)\b", t)}
    assert years == {1890, 1930, 1945, 1962, 1975, 1977}
    assert any(t.isupper() for t in texts) and any(t != t.upper() for t in texts)
    lengths = sorted(len(t) for t in texts)
    assert lengths[0] < 15 and lengths[-1] > 100
    assert any("\u0e80" <= c <= "\u0eff" for t in texts for c in t), "the Lao welcome"


def test_every_slogan_renders_with_its_glyphs_on_the_demo_board() -> None:
    spec = BoardSpec(192, 32, "mono")
    for key, s in read_path(ROOT / "playlists").slogans.items():
        item = {"kind": "slogan", "text": s.text, "effect": s.effect, "speed": s.speed, "color": s.color}
        codes = {lint.code for lint in lint_item(item, spec, now=datetime(2020, 11, 20, 8))}
        assert not codes & {"unsupported", "overflow", "clipped", "too-fast"}, (key, codes)


def test_cli_shows_the_campaign_by_simulated_time(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from signage.cli import main
    from signage.models import Board

    runner, env = CliRunner(), {"DATABASE_URL": None}
    inst = str(tmp_path / "inst")
    result = runner.invoke(main, ["import", str(ROOT / "playlists"), "--instance", inst], env=env)
    assert result.exit_code == 0, result.output
    assert "no board yet" in runner.invoke(main, ["campaign", "--instance", inst], env=env).output
    engine = make_engine(f"sqlite:///{inst}/signage.db")
    with session_scope(engine) as session:
        session.add(Board(slug="bo-y", name="Bờ Y", width=192, height=32, port_url="socket://127.0.0.1:9"))
    engine.dispose()
    result = runner.invoke(main, ["campaign", "--instance", inst, "--board", "bo-y"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    phase1 = "Giai đoạn 1: Đại hội cơ sở, cấp huyện, chào mừng Đại hội XVI Đảng bộ tỉnh"
    assert f"  01/11/2019 - 31/07/2020  {phase1}" in lines
    party = "90 năm thành lập Đảng (3/2/1930 - 3/2/2020)"
    assert f"  03/02/2020 00:00 - 03/02/2020 23:59  schedule  {party}" in lines
    assert "  26/09/2020 00:00 - 25/01/2021 23:59  schedule  Giai đoạn 3" not in lines  # the congress days
    assert "  26/09/2020 00:00 - 24/01/2021 23:59  schedule  Giai đoạn 3" in lines
    assert "  15/02/2021 00:00 - 30/06/2021 23:59  schedule  Giai đoạn 4" in lines  # after Tết Tân Sửu
    tet = "Tết Tân Sửu (mùng 1 - mùng 3, 12-14/2/2021)"
    assert f"  12/02/2021 00:00 - 14/02/2021 23:59  schedule  {tet}" in lines
    result = runner.invoke(
        main, ["campaign", "--instance", inst, "--start", "24/01/2021", "--end", "2021-01-25"], env=env
    )
    assert result.output.splitlines()[-1].endswith("Những ngày Đại hội XIII của Đảng (25/1-1/2/2021)")
