"""The proof-of-play page: viewers filter what the boards played and export the same rows."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from signage import show
from signage.models import Banner, Board, ProofOfPlay, Slogan
from signage.publish import collect_proof, publish_all
from tests.conftest import client_as, post_form
from tests.processes import wait_until


def _played(
    redis,
    slug: str,
    content: str | None,
    start: datetime,
    interrupted: bool = False,  # noqa: ANN001
    item: str = "slogan:1",
    source: str = "schedule:3",
    label: str = "Lịch hằng ngày",
) -> None:
    """A record as the worker writes it: the item's id and words, what chose it and its name."""
    record = {
        "record_id": f"{slug}-{content}-{start.timestamp()}",
        "board": slug,
        "item": item,
        "label": label,
        "source": source,
        "show_version": 1,
        "planned_start": start.isoformat(),
        "actual_start": start.isoformat(),
        "actual_end": (start + timedelta(seconds=10)).isoformat(),
        "frames_sent": 3,
        "frames_acked": 3,
        "interrupted": interrupted,
    }
    if content is not None:
        record["content"] = content
    redis.lpush(show.proof_key(slug), json.dumps(record))


def _setup(db, redis) -> None:  # noqa: ANN001
    for slug in ("bo-y", "lao-bao"):
        db.add(
            Board(
                slug=slug,
                name=slug,
                width=192,
                height=32,
                color="mono",
                protocol="native",
                port_url="socket://127.0.0.1:9",
                baud=115200,
            )
        )
    db.commit()
    # 01/03/2026 09:00 in Hà Nội is 02:00 UTC; 02/03 the next day.
    day1 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    _played(redis, "bo-y", "CHÀO MỪNG ĐẠI HỘI", day1)
    _played(
        redis,
        "bo-y",
        "TẠM ĐÓNG CỬA KHẨU",
        day1 + timedelta(days=1),
        interrupted=True,
        item="notice:4",
        source="notice:4",
        label="TẠM ĐÓNG CỬA KHẨU",
    )
    _played(redis, "lao-bao", "<script>alert(1)</script>", day1)


def test_viewer_filters_proof_by_board_day_and_text(app, db, redis) -> None:  # noqa: ANN001
    _setup(db, redis)
    viewer = client_as(app, db, "xem", "viewer")
    page = viewer.get("/proof/").get_data(as_text=True)
    assert "CHÀO MỪNG ĐẠI HỘI" in page and "TẠM ĐÓNG CỬA KHẨU" in page
    assert "01/03/2026 09:00:00" in page  # local time, dd/mm/yyyy
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    page = viewer.get("/proof/?board=bo-y&start=2026-03-02&end=2026-03-02").get_data(as_text=True)
    assert "TẠM ĐÓNG CỬA KHẨU" in page and "CHÀO MỪNG ĐẠI HỘI" not in page
    page = viewer.get("/proof/?text=chào").get_data(as_text=True)
    assert "CHÀO MỪNG ĐẠI HỘI" in page and "TẠM ĐÓNG" not in page
    page = viewer.get("/proof/?interrupted=yes").get_data(as_text=True)
    assert "TẠM ĐÓNG CỬA KHẨU" in page and "CHÀO MỪNG ĐẠI HỘI" not in page


def test_csv_exports_the_rows_the_page_shows(app, db, redis) -> None:  # noqa: ANN001
    _setup(db, redis)
    viewer = client_as(app, db, "xem", "viewer")
    page = viewer.get("/proof/?board=bo-y").get_data(as_text=True)
    assert "/proof/proof.csv?board=bo-y" in page
    response = viewer.get("/proof/proof.csv?board=bo-y")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["Nội dung"] for r in rows] == ["CHÀO MỪNG ĐẠI HỘI", "TẠM ĐÓNG CỬA KHẨU"]
    assert [r["Chọn bởi"] for r in rows] == ["lịch phát «Lịch hằng ngày»", "thông báo khẩn"]
    assert rows[0]["Bắt đầu"] == "2026-03-01 09:00:00"
    assert [r["Bị ngắt"] for r in rows] == ["không", "có"]
    assert [r["Mã mục"] for r in rows] == ["slogan:1", "notice:4"]  # the ids stay, as extra columns
    assert [r["Mã nguồn"] for r in rows] == ["schedule:3", "notice:4"]
    old_style = viewer.get("/proof/proof.csv?from=2026-03-02&to=2026-03-02").get_data(as_text=True)
    assert "TẠM ĐÓNG" in old_style and "CHÀO MỪNG" not in old_style


def test_bad_filters_are_named_not_a_crash(app, db, redis) -> None:  # noqa: ANN001
    _setup(db, redis)
    viewer = client_as(app, db, "xem", "viewer")
    response = viewer.get("/proof/?start=2026-03-05&end=2026-03-01")
    assert response.status_code == 400
    assert "Ngày cuối đứng trước ngày đầu." in response.get_data(as_text=True)
    assert viewer.get("/proof/?start=not-a-day").status_code == 400
    assert viewer.get("/proof/?board=no-such-board").status_code == 400
    assert viewer.get("/proof/proof.csv?from=2020-13-01").status_code == 400
    assert viewer.get("/proof/?page=999").status_code == 200  # past the end: the last page


def test_proof_names_the_content_and_finds_it_by_its_words(app, db, redis) -> None:  # noqa: ANN001
    """Issue #16.1: the row says the slogan's text and the banner's name, not the schedule's
    name; searching the slogan's words finds it; a record of an older worker (no words) is
    named from the database; what chose the item is said in words, and in English after the switch."""
    db.add(
        Board(
            slug="bo-y",
            name="Bờ Y",
            width=192,
            height=32,
            color="mono",
            protocol="native",
            port_url="socket://127.0.0.1:9",
            baud=115200,
        )
    )
    slogan = Slogan(text="Nhiệt liệt chào mừng Đại hội")
    banner = Banner(name="Pano Đại hội XIII", sha256="b" * 64, mime="image/png", data=b"x", width=1, height=1)
    db.add_all([slogan, banner])
    db.commit()
    start = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    _played(redis, "bo-y", None, start, item=f"slogan:{slogan.id}")  # an older worker: no words
    _played(
        redis,
        "bo-y",
        "Pano Đại hội XIII",
        start + timedelta(seconds=20),
        item=f"banner:{banner.id}",
        source="fallback:2",
        label="Hằng ngày",
    )
    viewer = client_as(app, db, "xem", "viewer")
    page = viewer.get("/proof/").get_data(as_text=True)
    assert "Nhiệt liệt chào mừng Đại hội" in page and "Pano Đại hội XIII" in page
    assert "lịch phát «Lịch hằng ngày»" in page and "danh sách riêng của bảng «Hằng ngày»" in page
    assert "schedule:" not in page and "fallback:" not in page
    found = viewer.get("/proof/?text=CHÀO MỪNG").get_data(as_text=True)
    assert "Nhiệt liệt chào mừng Đại hội" in found and "Pano Đại hội XIII" not in found
    found = viewer.get("/proof/?text=pano đại").get_data(as_text=True)
    assert "Pano Đại hội XIII" in found and "Nhiệt liệt" not in found
    assert "Nhiệt liệt" in viewer.get("/proof/?text=hằng ngày").get_data(as_text=True)  # the schedule's name
    post_form(viewer, "/lang/en", {}, form_url="/proof/")
    exported = viewer.get("/proof/proof.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [r["Content"] for r in rows] == ["Nhiệt liệt chào mừng Đại hội", "Pano Đại hội XIII"]
    assert [r["Chosen by"] for r in rows] == [
        "schedule «Lịch hằng ngày»",
        "the board's own playlist «Hằng ngày»",
    ]
    assert rows[0]["Interrupted"] == "no"


def test_a_real_worker_records_the_words_it_showed(db, redis, live_board) -> None:  # noqa: ANN001
    """The worker's record carries the slogan's words as they were on the board: the slogan
    edited afterwards does not rewrite what proof of play says was shown."""
    live_board.slogan.text = "ĐẠI HỘI XIII"
    db.commit()
    publish_all(db, redis)  # the changed slogan ends the item that was playing
    assert wait_until(lambda: collect_proof(db, redis) > 0, 20)
    row = db.scalar(select(ProofOfPlay).order_by(ProofOfPlay.id))
    assert row.item_label == "CHÀO MỪNG" and row.source_label == "Mặc định"
    assert row.item_id == f"slogan:{live_board.slogan.id}"


def test_a_long_record_is_paged_without_counting_it_all_and_new_plays_show_at_once(app, db, redis) -> None:  # noqa: ANN001
    """A year of plays: the page says "more than 1,000 rows" instead of counting them, still
    pages to the oldest, clamps a page typed past the end, and a play collected after a view
    (the page is kept in the page cache) shows on the next view."""
    _setup(db, redis)
    collect_proof(db, redis)
    start = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    db.add_all(
        ProofOfPlay(
            record_id=f"old-{k}",
            board_slug="bo-y",
            item_id="slogan:1",
            item_label=f"Khẩu hiệu cũ {k}",
            actual_start=start + timedelta(seconds=10 * k),
        )
        for k in range(1200)
    )
    db.commit()
    viewer = client_as(app, db, "xem", "viewer")
    first = viewer.get("/proof/").get_data(as_text=True)
    assert "Trang 1 (hơn 1.000 dòng)" in first and "/proof/?page=2" in first
    assert first.count("<tr>") == 1 + 100  # the header and a page of rows
    assert "Khẩu hiệu cũ 1199" in first and "Khẩu hiệu cũ 1099" not in first  # newest first
    last = viewer.get("/proof/?page=13").get_data(as_text=True)
    assert "Khẩu hiệu cũ 0<" in last and "/proof/?page=12" in last and "page=14" not in last
    assert "Trang 13 / 13 (1203 dòng)" in viewer.get("/proof/?page=999").get_data(as_text=True)
    one = viewer.get("/proof/?board=lao-bao").get_data(as_text=True)
    assert "alert(1)" in one and "Khẩu hiệu cũ" not in one
    _played(redis, "bo-y", "KHẨU HIỆU MỚI PHÁT", datetime.now(UTC))
    assert "KHẨU HIỆU MỚI PHÁT" in viewer.get("/proof/").get_data(as_text=True)
