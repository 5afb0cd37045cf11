"""A small database with every part of a show, for the show's byte-for-byte tests.

Kept free of ``signage.show``'s types so the same builder ran against the code before the show
was typed: ``tests/data/show_sample.json`` is what that code published for these rows.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy.orm import Session

from signage.models import (
    Banner,
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
    UrgentNotice,
)
from signage.recurrence import Rule

#: The instant the sample's shows say they were compiled (compile_show says "now").
COMPILED_AT = "2026-12-04T20:00:00+00:00"


def build(session: Session) -> list[Board]:
    """Two boards sharing schedules, one in a group with hours, brightness and notices."""
    banner = Banner(
        name="Cổng", sha256="ab" * 32, mime="image/png", data=b"png", width=8, height=8, fit="fill"
    )
    slogans = [
        Slogan(text="CHÀO MỪNG QUÝ KHÁCH", effect="scroll-left", speed=40, color="#ff0000"),
        Slogan(text="Giờ: {time}", effect="static", speed=32, color="#00ff00", font="dejavu-sans"),
        Slogan(text="ĐẠI HỘI XIII", effect="blink", speed=32, color="#ffff00"),
        Slogan(text="Chúc mừng năm mới", effect="scroll-left", speed=48, color="#ff0000"),
    ]
    daily, congress, tet = Playlist(name="Hằng ngày"), Playlist(name="Đại hội"), Playlist(name="Tết")
    session.add_all([banner, *slogans, daily, congress, tet])
    session.flush()
    daily.items += [
        PlaylistItem(position=0, slogan_id=slogans[0].id, duration=20.0),  # passes filled in by publish
        PlaylistItem(position=1, slogan_id=slogans[1].id, duration=7.5),
        PlaylistItem(position=2, banner_id=banner.id, duration=5.0),
        PlaylistItem(position=3, slogan_id=slogans[2].id, duration=5.0, enabled=False),
    ]
    congress.items += [PlaylistItem(position=0, slogan_id=slogans[2].id, duration=10.0, passes=3)]
    tet.items += [PlaylistItem(position=0, slogan_id=slogans[3].id, duration=12.0, passes=2)]
    gate = Board(slug="cua-khau", name="Cửa khẩu", width=192, height=32, port_url="socket://127.0.0.1:9")
    pano = Board(
        slug="pano", name="Pano", width=96, height=16, color="rgb", protocol="tpm2",
        port_url="/dev/ttyUSB0", baud=57600, address=2, pitch_mm=6.67, viewing_m=40.0,
    )  # fmt: skip
    gate.playlist, pano.playlist = daily, daily
    campaign = Campaign(name="Đại hội XIII")
    phase = Phase(
        campaign=campaign,
        position=0,
        name="Giai đoạn 1",
        starts_on=date(2020, 8, 1),
        ends_on=date(2021, 2, 1),
    )
    group = BoardGroup(name="Biên giới")
    session.add_all([gate, pano, campaign, phase, group])
    session.flush()
    group.boards.append(pano)
    night = Schedule(
        name="", playlist_id=congress.id, board_id=pano.id, phase_id=phase.id, starts_on=date(2020, 9, 1),
        weekdays="12345", start_time=time(22), end_time=time(6), priority=5,
    )  # fmt: skip
    lunar = Schedule(name="Tết Nguyên đán", playlist_id=tet.id, group_id=group.id, priority=10)
    lunar.rule = Rule("lunar", 1, 1, False, 3)  # Tết: mùng 1 - mùng 3
    everyone = Schedule(name="Cả nước", playlist_id=congress.id, ends_on=date(2030, 12, 31))
    session.add_all([night, lunar, everyone])
    session.add(
        BoardSettings(board_id=pano.id, timezone="Asia/Bangkok", on_time=time(6), off_time=time(22, 30))
    )
    session.add_all(
        [
            BrightnessStep(board_id=pano.id, at=time(6), level=80),
            BrightnessStep(board_id=pano.id, at=time(18, 15), level=30),
        ]
    )
    text = UrgentNotice(
        text="TẠM ĐÓNG CỬA KHẨU", effect="scroll-left", all_boards=True,
        starts_at=datetime(2026, 1, 1, 1, 2, 3), expires_at=datetime(2099, 1, 1),
    )  # fmt: skip
    image = UrgentNotice(
        text=None,
        banner_id=banner.id,
        starts_at=datetime(2026, 1, 1, 1, 2, 3, 500),
        expires_at=datetime(2099, 1, 2),
    )
    image.boards.append(pano)
    session.add_all([text, image])
    session.flush()
    return [gate, pano]
