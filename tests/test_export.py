"""Export then import into an empty database gives the same database."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from PIL import Image
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from signage.bundle import apply, read_path
from signage.cli import main
from signage.db import create_schema, make_engine, session_scope
from signage.exporter import export_dir, export_zip, slug
from signage.models import (
    Banner,
    Base,
    Board,
    BoardGroup,
    BoardSettings,
    BrightnessStep,
    Campaign,
    Phase,
    Playlist,
    PlaylistItem,
    Schedule,
    Slogan,
)

ROOT = Path(__file__).resolve().parents[1]


def snapshot(session: Session) -> dict[str, Any]:
    """Every row that matters, by natural keys (ids and timestamps differ between databases)."""
    session.expire_all()

    def settings(board: Board) -> Any:
        s = session.get(BoardSettings, board.id)
        return (s.timezone, s.on_time, s.off_time) if s else None

    def item(i: PlaylistItem) -> tuple:
        ref = ("slogan", i.slogan.text) if i.slogan else ("banner", i.banner.sha256)
        return (*ref, i.duration, i.enabled)

    return {
        "boards": [
            (
                b.slug,
                b.name,
                b.width,
                b.height,
                b.color,
                b.protocol,
                b.port_url,
                b.baud,
                b.address,
                b.playlist.name if b.playlist else None,
                settings(b),
                [
                    (s.at, s.level)
                    for s in session.scalars(
                        select(BrightnessStep)
                        .where(BrightnessStep.board_id == b.id)
                        .order_by(BrightnessStep.at)
                    )
                ],
            )
            for b in session.scalars(select(Board).order_by(Board.slug))
        ],
        "groups": [
            (g.name, g.description, [b.slug for b in g.boards])
            for g in session.scalars(select(BoardGroup).order_by(BoardGroup.name))
        ],
        "slogans": sorted(
            (s.text, s.effect, s.speed, s.color, s.font or "", s.source)
            for s in session.scalars(select(Slogan))
        ),
        "banners": sorted(
            (b.sha256, b.name, b.mime, b.width, b.height, b.fit, b.data)
            for b in session.scalars(select(Banner))
        ),
        "playlists": {p.name: [item(i) for i in p.items] for p in session.scalars(select(Playlist))},
        "campaigns": {
            c.name: (c.description, [(p.position, p.name, p.starts_on, p.ends_on) for p in c.phases])
            for c in session.scalars(select(Campaign))
        },
        "schedules": sorted(
            (
                s.name,
                s.playlist.name,
                s.board.slug if s.board else "",
                s.group.name if s.group else "",
                (s.phase.campaign.name, s.phase.name) if s.phase else ("", ""),
                s.starts_on or date.min,
                s.ends_on or date.max,
                s.weekdays,
                s.start_time or time.min,
                s.end_time or time.min,
                s.priority,
                s.enabled,
                s.repeat,
                s.repeat_month or 0,
                s.repeat_day or 0,
                s.repeat_leap,
                s.repeat_days,
            )
            for s in session.scalars(select(Schedule))
        ),
    }


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    create_schema(engine)
    yield engine
    engine.dispose()


def empty(engine: Engine) -> None:
    """The same database, emptied: what a new machine starts from."""
    Base.metadata.drop_all(engine)
    create_schema(engine)


def round_trip(engine: Engine, tmp_path: Path) -> tuple[dict, dict]:
    with session_scope(engine) as session:
        before = snapshot(session)
        export_dir(session, tmp_path / "export")
    empty(engine)
    with session_scope(engine) as session:
        apply(session, read_path(tmp_path / "export"))
    with session_scope(engine) as session:
        return before, snapshot(session)


def image(fmt: str, color: str, size: tuple[int, int] = (96, 32)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "playlists").glob("*.toml")))
def test_every_file_in_playlists_round_trips(name: str, engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        apply(session, read_path(ROOT / "playlists" / name))
    before, after = round_trip(engine, tmp_path)
    assert after == before and before["playlists"]
    first = (tmp_path / "export" / "signage.toml").read_text(encoding="utf-8")
    with session_scope(engine) as session:  # and the second export is the same file
        export_dir(session, tmp_path / "again")
    assert (tmp_path / "again" / "signage.toml").read_text(encoding="utf-8") == first


def test_everything_the_format_holds_round_trips(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        twin_a = Slogan(text="CHÀO MỪNG", effect="blink", speed=20, color="#ffff00", source="KH 17/KH-BQLKKT")
        twin_b = Slogan(text="CHÀO MỪNG", effect="static", speed=32, color="#ff0000", font="noto-sans-bold")
        lonely = Slogan(text="Không nằm trong danh sách nào")
        png = Banner(
            name="Pano Đại hội",
            sha256="",
            mime="image/png",
            data=image("PNG", "red"),
            width=96,
            height=32,
            fit="fill",
        )
        gif = Banner(
            name="Pano Đại hội",
            sha256="",
            mime="image/gif",
            data=image("GIF", "yellow"),
            width=96,
            height=32,
            fit="stretch",
        )
        for b in (png, gif):
            b.sha256 = hashlib.sha256(b.data).hexdigest()
        main_list = Playlist(
            name="Chính",
            items=[
                PlaylistItem(position=0, slogan=twin_a, duration=12.5),
                PlaylistItem(position=1, slogan=twin_b, duration=8, enabled=False),
                PlaylistItem(position=2, banner=png, duration=6),
                PlaylistItem(position=3, banner=gif, duration=7),
            ],
        )
        spare = Playlist(name="Dự phòng")
        session.add_all([lonely, main_list, spare])
        gate = Board(
            slug="bo-y",
            name="Cửa khẩu Bờ Y",
            width=192,
            height=32,
            color="mono",
            protocol="native",
            port_url="/dev/ttyUSB7",
            baud=9600,
            address=3,
            playlist=main_list,
        )
        office = Board(
            slug="van-phong",
            name="Văn phòng",
            width=128,
            height=64,
            color="rgb",
            protocol="tpm2",
            port_url="socket://10.0.0.5:7000",
            baud=115200,
        )
        session.add_all([gate, office])
        session.flush()
        session.add_all(
            [
                BoardSettings(
                    board_id=gate.id, timezone="Asia/Ho_Chi_Minh", on_time=time(6), off_time=time(23, 30)
                ),
                BoardSettings(board_id=office.id, timezone="Asia/Vientiane"),
                BrightnessStep(board_id=gate.id, at=time(6), level=60),
                BrightnessStep(board_id=gate.id, at=time(18, 15), level=100),
                BrightnessStep(board_id=office.id, at=time(0), level=30),
            ]
        )
        group = BoardGroup(name="Cửa khẩu", description="Mọi bảng ở cửa khẩu", boards=[gate, office])
        campaign = Campaign(
            name="Đợt A",
            description="Mô tả",
            phases=[
                Phase(position=0, name="Một", starts_on=date(2020, 1, 1), ends_on=date(2020, 6, 30)),
                Phase(position=1, name="Một", starts_on=date(2020, 7, 1), ends_on=date(2020, 12, 31)),
            ],
        )
        session.add_all([group, campaign])
        session.flush()
        session.add_all(
            [
                Schedule(
                    name="Đêm",
                    playlist=spare,
                    board=gate,
                    weekdays="67",
                    start_time=time(22),
                    end_time=time(6),
                    priority=5,
                ),
                Schedule(
                    name="",
                    playlist=main_list,
                    group=group,
                    phase=campaign.phases[1],
                    priority=-2,
                    starts_on=date(2020, 8, 1),
                    enabled=False,
                ),
                Schedule(name="Đêm", playlist=main_list, phase=campaign.phases[0], ends_on=date(2020, 3, 1)),
                Schedule(
                    name="Giỗ Tổ",
                    playlist=spare,
                    repeat="lunar",
                    repeat_month=3,
                    repeat_day=10,
                    repeat_days=2,
                    starts_on=date(2026, 1, 1),
                ),
                Schedule(
                    name="Rằm",
                    playlist=spare,
                    repeat="lunar",
                    repeat_month=4,
                    repeat_day=15,
                    repeat_leap=True,
                ),
                Schedule(name="Quốc khánh", playlist=spare, repeat="yearly", repeat_month=9, repeat_day=2),
            ]
        )
    before, after = round_trip(engine, tmp_path)
    assert after == before
    assert len(before["slogans"]) == 3 and len(before["schedules"]) == 6 and len(before["banners"]) == 2
    exported = (tmp_path / "export" / "signage.toml").read_text(encoding="utf-8")
    assert 'repeat = "lunar"\non = "10/3"\ndays = 2' in exported and 'source = "KH 17/KH-BQLKKT"' in exported
    assert sorted(p.name for p in (tmp_path / "export" / "banners").iterdir()) == [
        "pano-dai-hoi-2.gif",
        "pano-dai-hoi.png",
    ]


def test_export_zip_holds_the_same_files(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        apply(session, read_path(ROOT / "playlists"))
        data = export_zip(session)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["signage.toml"]
        text = archive.read("signage.toml").decode()
    assert "format = 2" in text and 'name = "Hằng ngày"' in text


def test_keys_are_readable_ascii() -> None:
    assert slug("NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẢNG BỘ CÁC CẤP") == "nhiet-liet-chao-mung-dai-hoi-dang-bo-cac"
    assert slug("ຍິນດີຕ້ອນຮັບ") == "x" and slug("Đ") == "d"


def test_cli_export_then_import_into_another_instance(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"DATABASE_URL": None}
    first, second = str(tmp_path / "one"), str(tmp_path / "two")
    result = runner.invoke(main, ["import", str(ROOT / "playlists"), "--instance", first], env=env)
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["export", str(tmp_path / "out"), "--instance", first], env=env)
    assert result.exit_code == 0 and "signage.toml" in result.output, result.output
    result = runner.invoke(main, ["import", str(tmp_path / "out"), "--instance", second], env=env)
    assert result.exit_code == 0, result.output
    (tmp_path / "out" / "old.toml").write_text("format = 2\n")
    result = runner.invoke(main, ["export", str(tmp_path / "out"), "--instance", first], env=env)
    assert result.exit_code == 0 and "also holds old.toml" in result.output
    snaps = []
    for inst in (first, second):
        engine = make_engine(f"sqlite:///{inst}/signage.db")
        with session_scope(engine) as session:
            snaps.append(snapshot(session))
        engine.dispose()
    assert snaps[0] == snaps[1] and len(snaps[0]["schedules"]) == 22
