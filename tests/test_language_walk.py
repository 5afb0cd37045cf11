"""Every page, as every role, in both languages: no code word and no untranslated message
reaches staff (issue #16.6). The pages are walked with real content in every table, so the
words the content brings (effects, fits, colours, roles, link states, sources, weekdays,
units) are on them."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from rq import Queue, SimpleWorker
from sqlalchemy import select

from signage import show
from signage.models import (
    Banner,
    Board,
    BoardGroup,
    Campaign,
    Phase,
    Playlist,
    PlaylistItem,
    Schedule,
    Slogan,
    UrgentNotice,
    utcnow,
)
from signage.playout import queue_name
from signage.publish import publish_all
from tests.conftest import client_as, gate, post_form
from tests.test_banners import png

ROLES = ("viewer", "editor", "approver", "admin")
#: Code words that must never reach a page, in either language.
CODE = re.compile(
    r"scroll-left|scroll-right|scroll-up|typewriter|\bmono\b|\brgb565\b|image/png|"
    r"\b(?:schedule|fallback|notice|slogan|banner):\d|"
    r"\bplaylist_items\b|\bslogan_id\b|\bNone\b|\bTrue\b|\bFalse\b"
)
#: And these on Vietnamese pages, where they can only be code (English words on English pages).
CODE_VI = re.compile(
    r"\b(?:auto|static|blink|wipe|hold|fit|fill|stretch|up|down|create|update|delete|"
    r"viewer|editor|approver|admin|seconds|passes)\b"
)


def _catalog() -> Catalog:
    po = Path(__file__).resolve().parents[1] / "signage/translations/vi/LC_MESSAGES/messages.po"
    with po.open("rb") as fh:
        return read_po(fh, locale="vi")


#: Catalog messages long enough that, seen in English on a Vietnamese page, they are untranslated.
ENGLISH = sorted(
    {
        m.id
        for m in _catalog()
        if isinstance(m.id, str)
        and isinstance(m.string, str)
        and m.id != m.string
        and len(m.id.split()) >= 3
        and "%(" not in m.id
        and "{" not in m.id
    },
    key=len,
    reverse=True,
)


def visible_text(html: str) -> str:
    """The words a person reads: no scripts, no tags, no attribute values, no administrators'
    raw stored values (<details class="raw">), no <code> (ports, checksums)."""
    html = re.sub(r"(?s)<script.*?</script>|<style.*?</style>|<code>.*?</code>", " ", html)
    html = re.sub(r'(?s)<details class="raw">.*?</details>', " ", html)
    html = re.sub(r"(?s)<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html.replace("&nbsp;", " "))


@pytest.fixture
def content(app, db, redis):  # noqa: ANN001, ANN201
    """One of everything, published, with a board status, proof of play and pages in the bin."""
    daily = Playlist(name="Hằng ngày")
    slogan = Slogan(text="CHÀO MỪNG ĐẠI HỘI", effect="scroll-left")
    banner = Banner(
        name="Pano", sha256="c" * 64, mime="image/png", data=png(), width=384, height=64, fit="fill"
    )
    daily.items.append(PlaylistItem(slogan=slogan, position=0, duration=10))
    daily.items.append(PlaylistItem(banner=banner, position=1, duration=8))
    daily.items.append(PlaylistItem(slogan=Slogan(text="MÁY CHỮ", effect="typewriter"), position=2, passes=2))
    board = gate(playlist=daily)
    color = Board(
        slug="mau",
        name="Bảng màu",
        width=128,
        height=64,
        color="rgb565",
        protocol="tpm2",
        port_url="socket://127.0.0.1:9",
        baud=115200,
    )
    group = BoardGroup(name="Cửa khẩu quốc tế", boards=[board, color])
    campaign = Campaign(
        name="Kế hoạch 17",
        phases=[
            Phase(
                name="Giai đoạn 1",
                position=0,
                starts_on=datetime(2026, 1, 1).date(),
                ends_on=datetime(2027, 1, 1).date(),
            )
        ],
    )
    db.add_all([daily, board, color, group, campaign])
    db.flush()
    db.add_all(
        [
            Schedule(
                name="Ngày thường",
                playlist=daily,
                group=group,
                weekdays="12345",
                priority=2,
                phase=campaign.phases[0],
            ),
            Schedule(name="Đã xoá", playlist=daily, deleted_at=utcnow(), deleted_by="bien-tap"),
            Slogan(text="TRONG THÙNG RÁC", deleted_at=utcnow(), deleted_by="bien-tap"),
            Playlist(name="Danh sách cũ", deleted_at=utcnow(), deleted_by="bien-tap"),
            UrgentNotice(text="TẠM ĐÓNG CỬA KHẨU", all_boards=True, expires_at=utcnow() + timedelta(hours=1)),
            UrgentNotice(
                text="ĐÃ HUỶ",
                effect="scroll-left",
                all_boards=True,
                cancelled_at=utcnow(),
                expires_at=utcnow() + timedelta(hours=1),
            ),
        ]
    )
    db.commit()
    publish_all(db, redis)
    now = datetime.now(UTC)
    for slug, link in (("cua-khau", "up"), ("mau", "down")):
        played = {"item": f"slogan:{slogan.id}", "label": "Ngày thường", "source": "schedule:1"}
        redis.hset(
            show.status_key(slug),
            mapping={
                k: json.dumps(v)
                for k, v in {
                    **played,
                    "heartbeat": time.time(),
                    "text": slogan.text,
                    "kind": "schedule",
                    "link": link,
                    "since": time.time() - 5,
                    "frames": 3,
                    "acked": 3,
                    "errors": 1,
                    "readback": "f5a0f415",
                }.items()
            },
        )
        redis.lpush(
            show.proof_key(slug),
            json.dumps(
                {
                    **played,
                    "record_id": f"r-{slug}",
                    "board": slug,
                    "content": slogan.text,
                    "show_version": 1,
                    "planned_start": now.isoformat(),
                    "actual_start": now.isoformat(),
                    "actual_end": now.isoformat(),
                    "frames_sent": 3,
                    "frames_acked": 3,
                    "interrupted": False,
                }
            ),
        )
    # a play that a real RQ worker ran and saw fail, for the queue page
    failing = Queue(queue_name("cua-khau"), connection=redis)
    failing.enqueue("builtins.int", "cable cut")
    SimpleWorker([failing], connection=redis).work(burst=True)
    live = db.scalar(select(UrgentNotice).where(UrgentNotice.cancelled_at.is_(None)))
    return {
        "slogan": slogan,
        "banner": banner,
        "board": board,
        "group": group,
        "campaign": campaign,
        "playlist": daily,
        "notice": live,
    }


def pages(c: dict, db) -> list[str]:  # noqa: ANN001
    entry = db.scalar(select(Schedule))
    return [
        "/",
        "/slogans/",
        "/slogans/new",
        f"/slogans/{c['slogan'].id}/edit",
        f"/slogans/{c['slogan'].id}/delete",
        "/banners/",
        "/banners/new",
        f"/banners/{c['banner'].id}/delete",
        "/playlists/",
        f"/playlists/{c['playlist'].id}",
        f"/playlists/{c['playlist'].id}/delete",
        "/boards/",
        "/boards/new",
        "/boards/cua-khau/edit",
        "/schedules/",
        "/schedules/new",
        f"/schedules/{entry.id}/edit",
        f"/schedules/{entry.id}/delete",
        "/schedules/timeline/cua-khau",
        "/schedules/board/cua-khau/hours",
        "/notices/",
        f"/notices/{c['notice'].id}",
        f"/notices/{c['notice'].id}/cancel",
        "/campaigns/",
        f"/campaigns/{c['campaign'].id}",
        f"/campaigns/{c['campaign'].id}/overview",
        "/campaigns/new",
        "/groups/",
        "/groups/new",
        f"/groups/{c['group'].id}/edit",
        "/changes/",
        "/proof/",
        "/audit/",
        "/transfer/",
        "/bin/",
        "/admin/queues/",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_speaks_the_users_language(app, db, redis, content, role: str) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = True
    client = client_as(
        app, db, {"viewer": "xem", "editor": "bientap", "approver": "duyet", "admin": "quantri"}[role], role
    )
    # everything above is pending (published without a record): the Changes page tells it all
    walked = 0
    problems: list[str] = []
    for language in ("vi", "en"):
        post_form(client, f"/lang/{language}", {}, form_url="/")
        for url in pages(content, db):
            response = client.get(url)
            if response.status_code in (403, 404) or response.status_code == 302:
                continue  # not this role's page
            assert response.status_code == 200, (url, response.status_code)
            walked += 1
            text = visible_text(response.get_data(as_text=True))
            problems += [f"{language} {url}: code word {m!r}" for m in set(CODE.findall(text))]
            if language == "vi":
                problems += [f"vi {url}: code word {m!r}" for m in set(CODE_VI.findall(text))]
                problems += [f"vi {url}: untranslated {m!r}" for m in ENGLISH if m in text]
    assert walked >= 20 if role == "admin" else walked >= 8
    assert not problems, "\n".join(sorted(problems))
