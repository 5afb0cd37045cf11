"""Importing playlist files: every bad input names file, line and field, and nothing is written."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from signage.bundle import BundleError, apply, read_path
from signage.cli import main
from signage.db import create_schema, make_engine, session_scope
from signage.models import AuditEntry, Banner, Board, Campaign, Phase, Playlist, Schedule, Slogan

ROOT = Path(__file__).resolve().parents[1]
GOOD = """\
format = 2

[[slogans]]
key = "a"
text = "NHIỆT LIỆT CHÀO MỪNG"

[[playlists]]
name = "Thử"
items = [{ slogan = "a", duration = 10 }]
"""


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    create_schema(engine)
    yield engine
    engine.dispose()


def rows(engine: Engine) -> dict[str, int]:
    with session_scope(engine) as session:
        return {
            m.__name__: session.scalar(select(func.count()).select_from(m))
            for m in (Slogan, Playlist, Banner, Campaign, Phase, Schedule)
        }


def write(tmp_path: Path, text: str, name: str = "bad.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def png(color: str = "red", size: tuple[int, int] = (64, 16)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def problems(path: Path) -> list[str]:
    with pytest.raises(BundleError) as info:
        read_path(path)
    return info.value.problems


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "playlists").glob("*.toml")))
def test_each_file_in_playlists_imports_alone(name: str, engine: Engine) -> None:
    bundle = read_path(ROOT / "playlists" / name)
    with session_scope(engine) as session:
        apply(session, bundle)
    assert rows(engine)["Playlist"] == len(bundle.playlists) > 0


def test_importing_twice_changes_nothing(engine: Engine) -> None:
    for _ in range(2):
        with session_scope(engine) as session:
            apply(session, read_path(ROOT / "playlists"))
        counts = rows(engine)
    assert counts == rows(engine) and counts["Schedule"] == 22 and counts["Phase"] == 4


BAD_CASES = {
    "syntax": ('format = 2\n\n[[slogans]]\nkey = "a"\ntext = "không đóng ngoặc\n', 5, "not valid TOML"),
    "unknown key": (
        GOOD.replace('text = "NHIỆT', 'txet = "x"\ntext = "NHIỆT'),
        5,
        "slogans[0].txet: unknown key",
    ),
    "31/02 as text": (
        GOOD + '\n[[campaigns]]\nname = "C"\n[[campaigns.phases]]\nname = "P"\n'
        'start = "31/02/2020"\nend = "01/03/2020"\n',
        15,
        "campaigns[0].phases[0].start: '31/02/2020' is not a date that exists",
    ),
    "31/02 as a TOML date": (
        GOOD + '\n[[campaigns]]\nname = "C"\n[[campaigns.phases]]\nname = "P"\n'
        "start = 2020-02-31\nend = 2020-03-01\n",
        15,
        "not valid TOML",
    ),
    "missing slogan": (
        GOOD.replace('{ slogan = "a"', '{ slogan = "khong-co"'),
        9,
        "playlists[0].items[0].slogan: no slogan with key 'khong-co'",
    ),
    "end before start": (
        GOOD + '\n[[campaigns]]\nname = "C"\n\n[[campaigns.phases]]\nname = "P"\n'
        "start = 2020-08-01\nend = 2020-07-31\n",
        17,
        "campaigns[0].phases[0].end: the last day 31/07/2020 comes before the first day 01/08/2020",
    ),
    "schedule end before start": (
        GOOD + '\n[[schedules]]\nplaylist = "Thử"\nstart = "02/02/2021"\nend = "01/02/2021"\n',
        14,
        "schedules[0].end: the end date 01/02/2021 comes before the start date 02/02/2021",
    ),
    "repeat unknown": (
        GOOD + '\n[[schedules]]\nplaylist = "Thử"\nrepeat = "monthly"\non = "1/1"\n',
        13,
        "schedules[0].repeat: 'monthly' is not one of daily, yearly, lunar",
    ),
    "repeat without a day": (
        GOOD + '\n[[schedules]]\nplaylist = "Thử"\nrepeat = "lunar"\n',
        11,
        "schedules[0].on: give the day and month",
    ),
    "repeat on 30/2": (
        GOOD + '\n[[schedules]]\nplaylist = "Thử"\nrepeat = "yearly"\non = "30/2"\n',
        14,
        "schedules[0].on: day 30 does not exist in month 2; use 1 to 29",
    ),
    "repeat on a date with a year": (
        GOOD + '\n[[schedules]]\nplaylist = "Thử"\nrepeat = "yearly"\non = "2/9/2020"\n',
        14,
        "schedules[0].on: expected a day and month",
    ),
    "leap month of a solar date": (
        GOOD + '\n[[schedules]]\nplaylist = "Thử"\nrepeat = "yearly"\non = "2/9"\nleap = true\n',
        15,
        "schedules[0].leap: only a lunar date can fall in a leap month",
    ),
    "on without repeat": (
        GOOD + '\n[[schedules]]\nplaylist = "Thử"\non = "2/9"\n',
        11,
        "schedules[0].repeat: a day and month, a leap month and a number of days are for",
    ),
    "newer format": (GOOD.replace("format = 2", "format = 3"), 1, "format 3 is newer than this version"),
    "bad effect": (
        GOOD.replace('text = "NHIỆT', 'effect = "spin"\ntext = "NHIỆT'),
        5,
        "slogans[0].effect: unknown effect 'spin'",
    ),
    "duration out of range": (GOOD.replace("duration = 10", "duration = 0"), 9, "items[0].duration"),
    "format 2 table in a format 1 file": (
        GOOD.replace("format = 2", "format = 1") + '\n[[banners]]\nkey = "b"\nimage = "b.png"\n',
        11,
        "unknown key (format 2 only",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_input_names_file_line_and_field_and_imports_nothing(
    case: str, tmp_path: Path, database_url: str
) -> None:
    text, line, fragment = BAD_CASES[case]
    path = write(tmp_path, text)
    found = problems(path)
    assert any(p.startswith(f"{path}:{line}: ") and fragment in p for p in found), found
    result = CliRunner().invoke(
        main, ["import", str(path), "--instance", str(tmp_path / "inst")], env={"DATABASE_URL": database_url}
    )
    assert result.exit_code == 1 and "nothing imported" in result.output
    assert f"{path}:{line}:" in result.output
    engine = make_engine(database_url)
    create_schema(engine)
    assert set(rows(engine).values()) == {0}
    engine.dispose()


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace('text = "NHIỆT', 'speed = 0\ncolor = "red"\ntext = "NHIỆT')
    found = problems(write(tmp_path, text))
    assert [p.split(": ")[1] for p in found] == ["slogans[0].speed", "slogans[0].color"]
    assert found[0].startswith(f"{tmp_path / 'bad.toml'}:5: ") and ":6: " in found[1]


def test_a_bad_file_in_a_folder_stops_the_good_ones(tmp_path: Path, engine: Engine) -> None:
    write(tmp_path, GOOD, "a-good.toml")
    write(tmp_path, GOOD.replace('key = "a"', 'key = "a"\nkey2 = 1').replace("Thử", "Khác"), "b-bad.toml")
    with pytest.raises(BundleError, match=r"b-bad.toml:5: slogans\[0\].key2: unknown key"):
        read_path(tmp_path)
    assert set(rows(engine).values()) == {0}


def test_a_name_missing_from_files_and_database_rolls_everything_back(tmp_path: Path, engine: Engine) -> None:
    path = write(tmp_path, GOOD + '\n[[schedules]]\nname = "S"\nplaylist = "Không có"\n')
    bundle = read_path(path)  # the playlist might be in the database: only apply can tell
    with pytest.raises(BundleError, match=r"bad.toml:13: schedules\[0\].playlist: no playlist 'Không có'"):
        with session_scope(engine) as session:
            apply(session, bundle)
    assert set(rows(engine).values()) == {0}


def test_a_schedule_may_name_a_playlist_already_in_the_database(tmp_path: Path, engine: Engine) -> None:
    with session_scope(engine) as session:
        apply(session, read_path(write(tmp_path, GOOD, "first.toml")))
    other = write(
        tmp_path,
        'format = 2\n[[schedules]]\nname = "S"\nplaylist = "Thử"\nweekdays = [1, 2]\nhours = "22:00-06:00"\n',
        "second.toml",
    )
    with session_scope(engine) as session:
        apply(session, read_path(other))
    with session_scope(engine) as session:
        schedule = session.scalar(select(Schedule))
        assert (schedule.playlist.name, schedule.weekdays) == ("Thử", "12")
        assert (str(schedule.start_time), str(schedule.end_time)) == ("22:00:00", "06:00:00")


def test_a_playlist_in_the_bin_comes_back_when_the_files_define_it(tmp_path: Path, engine: Engine) -> None:
    with session_scope(engine) as session:
        apply(session, read_path(write(tmp_path, GOOD, "first.toml")))
    with session_scope(engine) as session:
        binned = session.scalar(select(Playlist))
        binned.deleted_at, binned.deleted_by = datetime(2026, 12, 1), "bien-tap"
    with session_scope(engine) as session:
        apply(session, read_path(write(tmp_path, GOOD, "again.toml")))
    with session_scope(engine) as session:
        back = session.scalar(select(Playlist))
        assert (back.name, back.deleted_at, len(back.items)) == ("Thử", None, 1)


def test_a_board_from_the_gate_keeps_its_led_colour_and_its_device_need_not_be_here(
    tmp_path: Path, engine: Engine
) -> None:
    board = (
        'format = 2\n[[boards]]\nslug = "x"\nname = "X"\nwidth = 192\nheight = 32\n'
        'port_url = "/dev/ttyUSB-o-cua-khau"\n'
    )
    with session_scope(engine) as session:
        apply(session, read_path(write(tmp_path, board, "first.toml")))
    with session_scope(engine) as session:
        session.scalar(select(Board)).led_color = "#ffffff"  # set in the admin; files do not carry it
    with session_scope(engine) as session:
        apply(session, read_path(write(tmp_path, board.replace('"X"', '"Cửa khẩu"'), "again.toml")))
    with session_scope(engine) as session:
        found = session.scalar(select(Board))
        assert (found.name, found.led_color, found.port_url) == (
            "Cửa khẩu",
            "#ffffff",
            "/dev/ttyUSB-o-cua-khau",
        )


@pytest.mark.parametrize(
    "image, fragment",
    [
        ("../outside.png", "outside the imported folder"),
        ("/etc/passwd", "outside the imported folder"),
        ("sub/../../outside.png", "outside the imported folder"),
        ("link.png", "leads outside the imported folder"),
        ("missing.png", "no such file"),
        ("not-an-image.png", "not an image"),
    ],
)
def test_banner_paths_stay_inside_the_folder_and_are_images(
    image: str, fragment: str, tmp_path: Path
) -> None:
    folder = tmp_path / "bundle"
    folder.mkdir()
    (tmp_path / "outside.png").write_bytes(png())
    (folder / "link.png").symlink_to(tmp_path / "outside.png")
    (folder / "not-an-image.png").write_text("<html>")
    path = write(folder, f'format = 2\n\n[[banners]]\nkey = "b"\nimage = "{image}"\n')
    found = problems(path)
    assert len(found) == 1 and found[0].startswith(f"{path}:5: banners[0].image: ") and fragment in found[0]


def test_banners_import_with_their_image(tmp_path: Path, engine: Engine) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "pano.png").write_bytes(png("yellow", (128, 32)))
    path = write(
        tmp_path,
        'format = 2\n[[banners]]\nkey = "p"\nname = "Pano Đại hội"\n'
        'image = "img/pano.png"\nfit = "fill"\n[[playlists]]\nname = "Ảnh"\n'
        'items = [{ banner = "p", duration = 8 }]\n',
    )
    with session_scope(engine) as session:
        apply(session, read_path(path))
    with session_scope(engine) as session:
        banner = session.scalar(select(Banner))
        assert (banner.name, banner.mime, banner.width, banner.height, banner.fit) == (
            "Pano Đại hội",
            "image/png",
            128,
            32,
            "fill",
        )
        assert session.scalar(select(Playlist)).items[0].banner_id == banner.id


def test_format_1_files_still_import(tmp_path: Path, engine: Engine) -> None:
    path = write(tmp_path, GOOD.replace("format = 2", "format = 1"))
    with session_scope(engine) as session:
        apply(session, read_path(path))
    assert rows(engine)["Slogan"] == 1


def test_legacy_and_decomposed_text_is_stored_nfc(tmp_path: Path) -> None:
    decomposed = "Chào mừng".replace("à", "a\u0300").replace("ừ", "u\u031b\u0300")
    bundle = read_path(write(tmp_path, GOOD.replace("NHIỆT LIỆT CHÀO MỪNG", decomposed)))
    assert bundle.slogans["a"].text == "Chào mừng"


def test_cli_import_honours_instance_and_database_url(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD, "good.toml")
    runner = CliRunner()
    result = runner.invoke(
        main, ["import", str(path), "--instance", str(tmp_path / "inst")], env={"DATABASE_URL": None}
    )
    assert result.exit_code == 0, result.output
    assert "1 slogans, 0 banners, 1 playlists" in result.output
    assert (tmp_path / "inst" / "signage.db").exists()
    engine = make_engine(f"sqlite:///{tmp_path / 'inst' / 'signage.db'}")
    with session_scope(engine) as session:  # the audit log says who imported
        assert set(session.scalars(select(AuditEntry.actor))) == {"cli import"}
    engine.dispose()
    other = f"sqlite:///{tmp_path / 'other.db'}"
    result = runner.invoke(
        main, ["import", str(path), "--instance", str(tmp_path / "inst")], env={"DATABASE_URL": other}
    )
    assert result.exit_code == 0 and (tmp_path / "other.db").exists()


def test_windows_files_with_bom_and_crlf_read_and_keep_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "notepad.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    assert read_path(path).slogans["a"].text == "NHIỆT LIỆT CHÀO MỪNG"
    path.write_bytes(
        b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").replace("duration = 10", "duration = 0").encode()
    )
    assert problems(path)[0].startswith(f"{path}:9: playlists[0].items[0].duration: ")


def test_text_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "tcvn3.toml"
    path.write_bytes(GOOD.encode("utf-8").replace("CHÀO".encode(), b"CH\xb5O"))
    assert problems(path) == [
        f"{path}:1: not UTF-8 text: save the file as UTF-8 (legacy TCVN3/VNI text: signage convert-text)"
    ]


def test_a_refusal_of_the_schedule_service_is_said_at_the_files_line_and_key(
    tmp_path: Path, engine: Engine
) -> None:
    """The importer saves through the services; what one of them refuses (the reader checked
    it first: here the bundle is changed after reading) names the file, the line and the key."""
    text = GOOD + '\n[[schedules]]\nname = "S"\nplaylist = "Thử"\nweekdays = [1, 2]\nhours = "22:00-06:00"\n'
    bundle = read_path(write(tmp_path, text))
    bundle.schedules[0].weekdays = ""
    bundle.schedules[0].end_time = None
    with pytest.raises(BundleError) as refused:
        with session_scope(engine) as session:
            apply(session, bundle)
    assert sorted(p.split("/")[-1] for p in refused.value.problems) == [
        "bad.toml:14: schedules[0].weekdays: choose at least one weekday",
        "bad.toml:15: schedules[0].hours: give both daily times, or neither (all day)",
    ]
    assert set(rows(engine).values()) == {0}
