"""The services for slogans, banners, playlists, notices and the bin, used as scripts use them:
a Session and plain data, no Flask. Every refusal names all its problems with their fields,
every write is in the audit log under who made it, and the bin keeps deletes for 30 days."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.audit import acting_as
from signage.db import create_schema, make_engine
from signage.models import (
    AuditEntry,
    Banner,
    Board,
    BoardGroup,
    Playlist,
    PlaylistItem,
    Schedule,
    Slogan,
    UrgentNotice,
    utcnow,
)
from signage.services import InvalidInput, Stale, content, fingerprint, notices, playlists
from signage.services import bin as trash
from signage.services.content import BannerChange, SloganData
from signage.services.notices import NoticeData
from signage.services.playlists import Timing


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine = make_engine(f"sqlite:///{tmp_path / 'signage.db'}")
    create_schema(engine)
    with Session(engine, expire_on_commit=False) as s:
        yield s


def png(color: str = "yellow") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (96, 32), color).save(buf, "PNG")
    return buf.getvalue()


def board() -> Board:
    return Board(
        slug="cua-khau", name="Cửa khẩu", width=192, height=32, color="mono", port_url="socket://x:9"
    )


def fields(refused: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    return sorted(p.field for p in refused.value.problems)


def test_a_slogan_is_refused_with_every_problem_and_nothing_is_saved(session: Session) -> None:
    bad = SloganData(text="  ", effect="explode", speed=0, color="red", source="x" * 300)
    with pytest.raises(InvalidInput) as refused:
        content.save_slogan(session, bad, playlist_id=999, duration=0)
    assert fields(refused) == ["color", "duration", "effect", "playlist", "source", "speed", "text"]
    session.rollback()
    assert session.scalar(select(Slogan)) is None


def test_a_slogan_goes_into_its_playlist_and_an_old_version_is_refused(session: Session) -> None:
    playlist = playlists.create_playlist(session, "Hằng ngày")
    with acting_as("bientap"):
        slogan = content.save_slogan(
            session, SloganData("Chào mừng Đại hội", "scroll-left", 40), playlist_id=playlist.id, duration=20
        )
    assert [(i.slogan_id, i.duration) for i in session.get(Playlist, playlist.id).items] == [(slogan.id, 20)]
    seen = fingerprint(slogan)
    content.save_slogan(session, SloganData("Chào mừng Đại hội XIII"), slogan, version=seen)
    with pytest.raises(Stale):
        content.save_slogan(session, SloganData("Khác"), slogan, version=seen)
    assert session.get(Slogan, slogan.id).text == "Chào mừng Đại hội XIII"
    audit = session.scalars(select(AuditEntry).where(AuditEntry.actor == "bientap")).all()
    assert {(a.table, a.action) for a in audit} == {("slogans", "create"), ("playlist_items", "create")}


def test_playlist_rules_name_their_fields(session: Session) -> None:
    playlists.create_playlist(session, "Hằng ngày")
    with pytest.raises(InvalidInput) as refused:
        playlists.create_playlist(session, "Hằng ngày")
    assert fields(refused) == ["name"] and "exists already" in str(refused.value)
    playlist = session.scalar(select(Playlist))
    still = content.save_slogan(session, SloganData("Chào", "static"))
    with pytest.raises(InvalidInput) as refused:
        playlists.add_item(session, playlist, "slogan", still.id, Timing(2, "passes"))
    assert fields(refused) == ["passes"]
    with pytest.raises(InvalidInput) as refused:
        playlists.add_item(session, playlist, "banner", 12345, Timing(10))
    assert fields(refused) == ["content_id"]
    item = playlists.add_item(session, playlist, "slogan", still.id, Timing(15))
    with pytest.raises(InvalidInput) as refused:
        playlists.set_timing(session, item, Timing(0))
    assert fields(refused) == ["duration"]
    with pytest.raises(Stale):
        playlists.toggle_item(session, item, version="not what it is")
    assert item.enabled and playlists.toggle_item(session, item, version=fingerprint(playlist)) is False


def test_a_banner_upload_and_change_are_checked(session: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        content.upload_banner(session, "Pano", b"not a picture", "wobble")
    assert fields(refused) == ["fit"]
    with pytest.raises(InvalidInput) as refused:
        content.upload_banner(session, "Pano", b"not a picture")
    assert fields(refused) == ["image"]
    banner, created = content.upload_banner(session, "Pano Đại hội", png(), "fill")
    assert created and content.upload_banner(session, "again", png(), "fill") == (banner, False)
    with pytest.raises(InvalidInput) as refused:
        content.update_banner(session, banner, BannerChange(name=" ", fit="wobble"))
    assert fields(refused) == ["fit", "name"]
    content.update_banner(
        session, banner, BannerChange(fit="stretch"), version=content.banner_version(banner)
    )
    assert session.get(Banner, banner.id).fit == "stretch"


def test_a_notice_is_refused_with_every_problem(session: Session) -> None:
    session.add(board())
    session.commit()
    now = utcnow()
    bad = NoticeData(
        text="",
        effect="typewriter",
        color="red",
        board_slugs=["khong-co"],
        starts_at=now - timedelta(hours=2),
        minutes=30,
    )
    with pytest.raises(InvalidInput) as refused:
        notices.create_notice(session, bad)
    assert fields(refused) == ["boards", "color", "effect", "expires_at", "text"]
    with pytest.raises(InvalidInput) as refused:
        notices.create_notice(session, NoticeData("KHẨN", all_boards=False))
    assert [p.template for p in refused.value.problems] == ["list the boards, or set all_boards"]
    assert session.scalar(select(UrgentNotice)) is None


def test_a_cancelled_notice_waits_in_the_bin_and_comes_back(session: Session) -> None:
    session.add(board())
    session.commit()
    with acting_as("duyet"):
        notice = notices.create_notice(session, NoticeData("TẠM ĐÓNG", board_slugs=["cua-khau"], minutes=30))
        assert [b.slug for b in notice.boards] == ["cua-khau"] and notices.is_active(notice)
        assert notices.cancel_notice(session, notice) and not notices.cancel_notice(session, notice)
        assert notices.binned_notices(session) == [notice]
        notices.restore_notice(session, notice)
    assert notices.is_active(notice) and notices.binned_notices(session) == []
    with pytest.raises(InvalidInput):
        notices.restore_notice(session, notice)  # not cancelled: nothing to bring back
    audit = session.scalars(select(AuditEntry).where(AuditEntry.table == "urgent_notices")).all()
    assert [a.action for a in audit] == ["create", "update", "update"] and {a.actor for a in audit} == {
        "duyet"
    }


def test_a_delete_goes_to_the_bin_comes_back_and_is_purged_after_30_days(session: Session) -> None:
    playlist = playlists.create_playlist(session, "Hằng ngày")
    slogan = content.save_slogan(session, SloganData("CHÀO MỪNG"), playlist_id=playlist.id)
    banner, _ = content.upload_banner(session, "Pano", png())
    with acting_as("bientap"):
        content.delete_slogan(session, slogan, version=fingerprint(slogan))
        content.delete_banner(session, banner)
    assert session.scalar(select(Slogan)) is None and session.scalar(select(Banner)) is None
    assert [s.id for s in trash.binned(session, Slogan)] == [slogan.id]
    found = trash.find_binned(session, Slogan, slogan.id)
    assert found is not None and found.deleted_by == "bientap"
    trash.restore(session, found)
    assert (
        session.scalar(select(Slogan)) is not None and trash.find_binned(session, Slogan, slogan.id) is None
    )

    # 31 days in the bin: purged, with its playlist entry; the banner, binned today, stays
    with acting_as("bientap"):
        content.delete_slogan(session, slogan)
    slogan.deleted_at = utcnow() - timedelta(days=31)
    session.commit()
    with acting_as("cli purge-bin"):
        purged = trash.purge(session)
    assert purged == {
        "slogan": [f"slogan #{slogan.id} «CHÀO MỪNG» (deleted {slogan.deleted_at:%Y-%m-%d} by bientap)"]
    }
    session.expire_all()
    everything = select(Slogan).execution_options(include_deleted=True)
    assert session.scalars(everything).all() == [] and session.scalar(select(PlaylistItem)) is None
    assert trash.find_binned(session, Banner, banner.id) is not None
    gone = session.scalar(
        select(AuditEntry).where(AuditEntry.action == "delete", AuditEntry.table == "slogans")
    )
    assert (
        gone is not None and gone.actor == "cli purge-bin" and json.loads(gone.before)["text"] == "CHÀO MỪNG"
    )
    assert trash.purge(session) == {}


def test_signage_purge_bin_says_what_it_removed(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'signage.db'}")
    create_schema(engine)
    with Session(engine) as s:
        s.add_all(
            [
                Slogan(text="CŨ", deleted_at=utcnow() - timedelta(days=40), deleted_by="bientap"),
                Slogan(text="MỚI", deleted_at=utcnow() - timedelta(days=2), deleted_by="bientap"),
            ]
        )
        s.commit()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from signage.cli import main; main()",
            "purge-bin",
            "--instance",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "«CŨ»" in done.stdout and "MỚI" not in done.stdout and "1 rows purged" in done.stdout
    assert "purged from the bin: slogan" in done.stderr  # logged too
    with Session(engine) as s:
        left = s.scalars(select(Slogan.text).execution_options(include_deleted=True)).all()
    assert left == ["MỚI"]


def test_a_group_schedules_still_target_stays_in_the_bin(session: Session) -> None:
    """Removing a group takes the schedules that target it along (ON DELETE CASCADE): the purge
    keeps such a group until they are gone too."""
    long_ago = utcnow() - timedelta(days=40)
    group = BoardGroup(name="Cổng", deleted_at=long_ago, deleted_by="quantri")
    playlist = Playlist(name="Hằng ngày")
    entry = Schedule(name="Cả ngày", playlist=playlist, group=group)
    session.add_all([group, playlist, entry])
    session.commit()
    assert trash.purge(session) == {}
    assert trash.find_binned(session, BoardGroup, group.id) is not None
    entry.deleted_at, entry.deleted_by = long_ago, "bientap"
    session.commit()
    assert sorted(trash.purge(session)) == ["group", "schedule"]
    session.expire_all()
    assert trash.find_binned(session, BoardGroup, group.id) is None
