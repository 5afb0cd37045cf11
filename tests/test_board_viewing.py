"""Issue #17: a board's pixel pitch and viewing distance, from the form, the API and the
files to the worker's show document, and the legibility warning in the staff's language."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from signage.bundle import apply, read_path
from signage.db import create_schema, make_engine, session_scope
from signage.exporter import export_dir
from signage.models import Board, Slogan
from signage.publish import compile_show
from tests.conftest import post_form
from tests.test_api import token_for


def board_form(**overrides) -> dict:  # noqa: ANN003
    return {
        "slug": "bo-y",
        "name": "Cửa khẩu Bờ Y",
        "width": 192,
        "height": 32,
        "color": "mono",
        "protocol": "native",
        "port_url": "socket://127.0.0.1:7000",
        "baud": 115200,
        "address": 1,
        "playlist": 0,
        **overrides,
    }


def test_admin_sets_pitch_and_viewing_distance_and_the_worker_gets_them(admin_client, db) -> None:  # noqa: ANN001
    response = post_form(admin_client, "/boards/new", board_form(pitch_mm="6.67", viewing_m="40"))
    assert response.status_code == 302
    board = db.scalar(select(Board))
    assert (board.pitch_mm, board.viewing_m) == (6.67, 40.0)
    doc, _ = compile_show(board, db)
    assert (doc.board.pitch_mm, doc.board.viewing_m) == (6.67, 40.0)
    page = admin_client.get("/boards/bo-y/edit").get_data(as_text=True)
    assert "Khoảng cách đọc (m)" in page and 'value="40.0"' in page


def test_a_board_saved_without_the_new_fields_gets_the_defaults(admin_client, db) -> None:  # noqa: ANN001
    assert post_form(admin_client, "/boards/new", board_form()).status_code == 302
    board = db.scalar(select(Board))
    assert (board.pitch_mm, board.viewing_m) == (10.0, 25.0)


def test_impossible_pitch_or_distance_is_refused_in_vietnamese(admin_client, db) -> None:  # noqa: ANN001
    for overrides, message in [
        ({"pitch_mm": "0"}, "khoảng cách điểm ảnh 0.0 mm nằm ngoài 1..50 mm"),
        ({"viewing_m": "9000"}, "khoảng cách đọc 9000.0 m nằm ngoài 1..500 m"),
        ({"viewing_m": "xa"}, "Không phải số hợp lệ."),
    ]:
        response = post_form(admin_client, "/boards/new", board_form(**overrides))
        assert response.status_code == 422, overrides
        assert message in response.get_data(as_text=True), overrides
    assert db.scalar(select(func.count()).select_from(Board)) == 0


def test_preview_says_the_letter_height_and_reach_in_vietnamese(admin_client, db) -> None:  # noqa: ANN001
    post_form(admin_client, "/boards/new", board_form(viewing_m="40"))
    query = {"text": "Việt Nam - Lào hữu nghị đời đời bền vững", "effect": "static", "board": "bo-y"}
    data = admin_client.get("/preview/slogan.json", query_string=query).get_json()
    assert any(
        w["message"].startswith("chữ cao 9 cm, đọc được từ khoảng 27 m; bảng được đọc từ 40 m")
        for w in data["warnings"]
    )
    assert data["layout"]["lines"] == ["Việt Nam - Lào hữu nghị", "đời đời bền vững"]
    assert data["summary"] == (
        "static, phông galmuri9 12 px: chữ cao 9 cm, đọc được từ khoảng 27 m (bảng được đọc từ 40 m)"
    )


def test_api_gives_boards_viewing_and_a_slogans_layout(app, db) -> None:  # noqa: ANN001
    db.add(
        Board(
            slug="bo-y",
            name="Bờ Y",
            width=192,
            height=32,
            color="mono",
            protocol="native",
            port_url="socket://127.0.0.1:7000",
            viewing_m=40,
        )
    )
    slogan = Slogan(text="Việt Nam - Lào hữu nghị đời đời bền vững", effect="static")
    db.add(slogan)
    db.commit()
    client = app.test_client()
    headers = token_for(db, "viewer")
    boards = client.get("/api/boards", headers=headers).get_json()
    assert (boards[0]["pitch_mm"], boards[0]["viewing_m"]) == (10.0, 40.0)
    layout = client.get(f"/api/slogans/{slogan.id}/layout?board=bo-y", headers=headers).get_json()
    assert layout["letter_cm"] == 9.0 and layout["readable_m"] == 27.0 and layout["effect"] == "static"
    assert layout["warnings"][0]["message"].startswith("letters 9 cm tall read from about 27 m")
    vi = client.get(f"/api/slogans/{slogan.id}/layout", headers={**headers, "Accept-Language": "vi"})
    assert vi.get_json()["warnings"][0]["message"].startswith("chữ cao 9 cm")
    missing = client.get(f"/api/slogans/{slogan.id}/layout?board=nowhere", headers=headers)
    assert missing.status_code == 404 and "nowhere" in missing.get_json()["message"]


def test_export_and_import_keep_pitch_and_viewing(database_url: str, tmp_path: Path) -> None:
    engine = make_engine(database_url)
    create_schema(engine)
    with session_scope(engine) as session:
        session.add(
            Board(
                slug="bo-y",
                name="Bờ Y",
                width=192,
                height=32,
                color="mono",
                protocol="native",
                port_url="/dev/ttyUSB0",
                pitch_mm=16,
                viewing_m=60,
            )
        )
    with session_scope(engine) as session:
        export_dir(session, tmp_path / "export")
        session.execute(Board.__table__.update().values(pitch_mm=10, viewing_m=25))
    with session_scope(engine) as session:
        apply(session, read_path(tmp_path / "export"))
    with session_scope(engine) as session:
        board = session.scalar(select(Board))
        assert (board.pitch_mm, board.viewing_m) == (16.0, 60.0)
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'format = 2\n[[boards]]\nslug = "x"\nname = "X"\nwidth = 192\nheight = 32\n'
        'port_url = "/dev/null"\nviewing_m = 0\n',
        "utf-8",
    )
    try:
        read_path(bad)
    except Exception as exc:  # noqa: BLE001 - the importer's own error type carries the problems
        assert "viewing distance 0 m is outside 1..500 m" in str(exc)
    else:
        raise AssertionError("a viewing distance of 0 m was accepted")
    engine.dispose()


def test_staff_add_a_word_that_never_breaks_in_the_admin(editor_client, tmp_path: Path) -> None:  # noqa: ANN001
    """The list is in the admin's own instance folder (here tmp_path/instance, not SIGNAGE_INSTANCE)."""
    page = editor_client.get("/words/").get_data(as_text=True)
    assert "Từ không ngắt dòng" in page and "Hồ Chí Minh" in page and "Chưa có." in page
    response = post_form(editor_client, "/words/", {"word": "Ya  Chim"})
    assert response.status_code == 302
    page = editor_client.get("/words/").get_data(as_text=True)
    assert "Đã thêm: dòng chữ sẽ không bị ngắt giữa từ này." in page and "Ya Chim" in page
    again = post_form(editor_client, "/words/", {"word": "ya chim"}, follow_redirects=True)
    assert "Từ này đã có trong danh sách." in again.get_data(as_text=True)
    bad = post_form(editor_client, "/words/", {"word": "Chim"})
    assert bad.status_code == 422
    assert "không phải một từ hay tên gồm 2 đến 8 âm tiết" in bad.get_data(as_text=True)
    assert (tmp_path / "instance" / "words.txt").read_text("utf-8") == "Ya Chim\n"
    query = {"text": "dân các dân tộc xã Ya Chim thành phố Kon Tum", "effect": "static"}  # was "xã Ya / Chim"
    lines = editor_client.get("/preview/slogan.json", query_string=query).get_json()["layout"]["lines"]
    assert lines == ["dân các dân tộc xã", "Ya Chim thành phố Kon Tum"]
