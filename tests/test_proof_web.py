"""The proof-of-play page: viewers filter what the boards played and export the same rows."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from signage import show
from signage.models import Board
from tests.conftest import client_as


def _played(redis, slug: str, label: str, start: datetime, interrupted: bool = False) -> None:  # noqa: ANN001
    redis.lpush(show.proof_key(slug), json.dumps({
        "record_id": f"{slug}-{label}-{start.timestamp()}", "board": slug, "item": "slogan:1", "label": label,
        "source": "fallback:1", "show_version": 1, "planned_start": start.isoformat(),
        "actual_start": start.isoformat(), "actual_end": (start + timedelta(seconds=10)).isoformat(),
        "frames_sent": 3, "frames_acked": 3, "interrupted": interrupted}))


def _setup(db, redis) -> None:  # noqa: ANN001
    for slug in ("bo-y", "lao-bao"):
        db.add(Board(slug=slug, name=slug, width=192, height=32, color="mono", protocol="native",
                     port_url="socket://127.0.0.1:9", baud=115200))
    db.commit()
    # 01/03/2026 09:00 in Hà Nội is 02:00 UTC; 02/03 the next day.
    day1 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    _played(redis, "bo-y", "CHÀO MỪNG ĐẠI HỘI", day1)
    _played(redis, "bo-y", "TẠM ĐÓNG CỬA KHẨU", day1 + timedelta(days=1), interrupted=True)
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
    assert [r["label"] for r in rows] == ["CHÀO MỪNG ĐẠI HỘI", "TẠM ĐÓNG CỬA KHẨU"]
    assert rows[0]["actual_start"] == "2026-03-01 09:00:00"
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
