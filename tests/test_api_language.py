"""The API answers in the caller's language (issue #6, "bad input"): Vietnamese unless
``Accept-Language`` prefers English, for our own messages and marshmallow's alike, and a
refused request saves nothing in either language."""

from __future__ import annotations

import json
import string
from datetime import date, timedelta
from typing import Any

import pytest
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import func, select

from signage.models import Base, Playlist, Slogan
from signage.web.api import banners, campaigns, changes, content, notices, schedules, schemas, timeline
from signage.web.api.auth import issue_token
from signage.web.api.language import FIXED, say_library
from tests.conftest import make_user, post_form

#: (Accept-Language sent, the language the answer must be in); None sends no header.
LANGUAGES = [
    (None, "vi"),
    ("vi", "vi"),
    ("en", "en"),
    ("vi-VN,vi;q=0.9,en;q=0.5", "vi"),
    ("en-US,en;q=0.9", "en"),
    ("fr", "vi"),
]
#: English that must not reach a Vietnamese answer (marshmallow's phrases and our own).
ENGLISH = (
    "Not a valid",
    "Missing data",
    "Unknown field",
    "Must be",
    "changed by someone else",
    "no slogan",
    "nothing was saved",
    "Nothing was saved",
)


def headers_for(db, role: str, language: str | None) -> dict[str, str]:  # noqa: ANN001
    token = issue_token(db, make_user(db, f"api-{role}", role), "tests")
    db.commit()
    return {"Authorization": f"Bearer {token}", **({"Accept-Language": language} if language else {})}


def rows(db) -> dict[str, int]:  # noqa: ANN001
    """How many rows each content table holds (not the audit log, tokens or users)."""
    db.expire_all()
    return {
        t.name: db.scalar(select(func.count()).select_from(t))
        for t in Base.metadata.sorted_tables
        if t.name not in ("audit_log", "api_tokens", "users")
    }


def said(response) -> str:  # noqa: ANN001
    return json.dumps(response.get_json(), ensure_ascii=False)


def check_language(response, expected: str) -> None:  # noqa: ANN001
    assert response.headers["Content-Language"] == expected
    assert "Accept-Language" in response.headers["Vary"]
    if expected == "vi":
        assert not [w for w in ENGLISH if w in said(response)], said(response)


@pytest.fixture
def playlist_id(playlist: Playlist) -> int:
    return playlist.id


@pytest.mark.parametrize("language, expected", LANGUAGES)
def test_wrong_types_are_named_in_the_callers_language(app, db, playlist_id, language, expected) -> None:  # noqa: ANN001
    client, headers = app.test_client(), headers_for(db, "editor", language)
    before = rows(db)
    slogan = client.post("/api/slogans", headers=headers, json={"text": "Xin chào", "speed": "nhanh"})
    schedule = client.post(
        "/api/schedules",
        headers=headers,
        json={
            "playlist_id": playlist_id,
            "priority": 5000,
            "weekdays": [1, 9],
            "enabled": "có lẽ",
            "start_time": "25:00",
            "end_time": "06:00",
        },
    )
    assert slogan.status_code == 422 and schedule.status_code == 422
    speed = slogan.get_json()["errors"]["json"]["speed"]
    errors = schedule.get_json()["errors"]["json"]
    if expected == "vi":
        assert speed == ["Không phải số nguyên hợp lệ."]
        assert errors["priority"] == ["Phải lớn hơn hoặc bằng -1000 và nhỏ hơn hoặc bằng 1000."]
        assert errors["weekdays"] == {"1": ["Phải lớn hơn hoặc bằng 1 và nhỏ hơn hoặc bằng 7."]}
        assert errors["enabled"] == ["Không phải giá trị đúng/sai (true/false) hợp lệ."]
        assert errors["start_time"] == ["Hãy viết giờ theo dạng HH:MM, ví dụ 22:00."]
    else:
        assert speed == ["Not a valid integer."]
        assert errors["priority"] == [
            "Must be greater than or equal to -1000 and less than or equal to 1000."
        ]
        assert errors["weekdays"] == {
            "1": ["Must be greater than or equal to 1 and less than or equal to 7."]
        }
        assert errors["enabled"] == ["Not a valid boolean."]
        assert errors["start_time"] == ["Write the time as HH:MM, e.g. 22:00."]
    check_language(slogan, expected)
    check_language(schedule, expected)
    assert rows(db) == before


@pytest.mark.parametrize("language, expected", LANGUAGES)
def test_missing_and_unknown_fields_are_named_in_the_callers_language(app, db, language, expected) -> None:  # noqa: ANN001
    client, headers = app.test_client(), headers_for(db, "editor", language)
    before = rows(db)
    response = client.post("/api/slogans", headers=headers, json={"speed": 20, "colour": "#ff0000"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    if expected == "vi":
        assert errors == {
            "text": ["Thiếu dữ liệu cho trường bắt buộc."],
            "colour": ["Trường không có trong API."],
        }
    else:
        assert errors == {"text": ["Missing data for required field."], "colour": ["Unknown field."]}
    empty = client.post("/api/slogans", headers=headers, json={"text": "   "})
    assert empty.get_json()["errors"]["json"]["text"] == [
        "khẩu hiệu đang trống" if expected == "vi" else "the slogan is empty"
    ]
    check_language(response, expected)
    assert rows(db) == before


@pytest.mark.parametrize("language, expected", LANGUAGES)
def test_unknown_ids_are_named_in_the_callers_language(app, db, playlist_id, language, expected) -> None:  # noqa: ANN001
    client, headers = app.test_client(), headers_for(db, "editor", language)
    before = rows(db)
    read = client.get("/api/slogans/999", headers=headers)
    add = client.post(f"/api/playlists/{playlist_id}/items", headers=headers, json={"slogan_id": 999})
    elsewhere = client.post("/api/playlists/999/items", headers=headers, json={"slogan_id": 1})
    schedule = client.post("/api/schedules", headers=headers, json={"playlist_id": 999, "board": "khong-co"})
    codes = (read.status_code, add.status_code, elsewhere.status_code, schedule.status_code)
    assert codes == (404, 404, 404, 422)
    errors = schedule.get_json()["errors"]["json"]
    if expected == "vi":
        assert read.get_json()["message"] == "không có khẩu hiệu 999"
        assert add.get_json()["message"] == "không có khẩu hiệu 999"
        assert elsewhere.get_json()["message"] == "không có danh sách phát 999"
        assert errors == {
            "playlist_id": ["không có danh sách phát 999"],
            "board": ["không có bảng 'khong-co'"],
        }
        assert schedule.get_json()["message"] == "nội dung yêu cầu có lỗi; chưa lưu gì"
    else:
        assert read.get_json()["message"] == "no slogan 999"
        assert elsewhere.get_json()["message"] == "no playlist 999"
        assert errors == {"playlist_id": ["no playlist 999"], "board": ["no board 'khong-co'"]}
        assert schedule.get_json()["message"] == "the request body has errors; nothing was saved"
    for response in (read, add, elsewhere, schedule):
        check_language(response, expected)
    assert rows(db) == before


@pytest.mark.parametrize("language, expected", LANGUAGES)
def test_a_stale_version_is_refused_in_the_callers_language(app, db, language, expected) -> None:  # noqa: ANN001
    client, headers = app.test_client(), headers_for(db, "editor", language)
    created = client.post("/api/slogans", headers=headers, json={"text": "Chào mừng"}).get_json()
    first = client.put(
        f"/api/slogans/{created['id']}",
        headers=headers,
        json={"text": "Chào mừng Đại hội", "version": created["version"]},
    )
    assert first.status_code == 200
    before = rows(db)
    stale = client.put(
        f"/api/slogans/{created['id']}",
        headers=headers,
        json={"text": "Chào mừng năm mới", "version": created["version"]},
    )
    assert stale.status_code == 409
    message = stale.get_json()["message"]
    now = first.get_json()["version"]
    if expected == "vi":
        assert message == (
            f"khẩu hiệu {created['id']} đã được người khác thay đổi sau phiên bản "
            f"{created['version']}; hãy đọc lại (phiên bản hiện tại {now}) rồi sửa lại. "
            "Chưa lưu gì."
        )
    else:
        assert message.startswith(f"slogan {created['id']} was changed by someone else since version")
        assert message.endswith("Nothing was saved.")
    check_language(stale, expected)
    assert rows(db) == before
    db.expire_all()
    assert db.get(Slogan, created["id"]).text == "Chào mừng Đại hội"


def test_pages_keep_the_sessions_language_whatever_the_browser_says(admin_client) -> None:  # noqa: ANN001
    """Accept-Language is for the API only: staff choose the page language with the switcher."""
    page = admin_client.get("/transfer/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Nhập và xuất dữ liệu" in page
    post_form(
        admin_client, "/lang/en", {}, form_url="/transfer/", headers={"Referer": "http://localhost/transfer/"}
    )
    page = admin_client.get("/transfer/", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert "Import and export" in page


def test_the_openapi_document_tells_scripts_about_accept_language(app) -> None:  # noqa: ANN001
    doc = app.test_client().get("/api/openapi.json").get_json()
    assert "Accept-Language" in doc["info"]["description"]
    for path, item in doc["paths"].items():
        names = [p.get("name") for p in item.get("parameters", [])]
        assert names.count("Accept-Language") == 1, path
        header = next(p for p in item["parameters"] if p.get("name") == "Accept-Language")
        assert header["in"] == "header" and header["schema"]["enum"] == ["vi", "en"]


# --- every message our schemas can give is said in Vietnamese --------------------------------------
SCHEMA_MODULES = (schemas, banners, campaigns, changes, content, notices, schedules, timeline)


def _schemas() -> list[type[Schema]]:
    found = {
        obj
        for module in SCHEMA_MODULES
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, Schema) and obj.__module__ == module.__name__
    }
    return sorted(found, key=lambda s: (s.__module__, s.__name__))


def _fields(field: fields.Field) -> list[fields.Field]:
    """A field and the fields inside it (a list's items, a nested schema's fields)."""
    out = [field]
    if isinstance(field, fields.List):
        out += _fields(field.inner)
    if isinstance(field, fields.Nested):
        out += [f for inner in field.schema.fields.values() for f in _fields(inner)]
    return out


def _field_messages(field: fields.Field) -> set[str]:
    """What ``field`` can say when it loads, formatted as marshmallow formats it."""
    out = set()
    for key, template in field.error_messages.items():
        if key == "format":  # said only when dumping, which never refuses a request
            continue
        obj_type = getattr(field, "OBJ_TYPE", "datetime")
        if key == "invalid_awareness" and obj_type != "datetime":  # only a datetime checks its zone
            continue
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(str(template)) if name}
        for awareness in ("naive", "aware"):
            values = {"obj_type": obj_type, "input": "x", "awareness": awareness}
            out.add(str(template).format(**{n: values[n] for n in names}))
    return out


def _validators(field: fields.Field) -> list[Any]:
    todo, out = list(field.validators), []
    while todo:
        check = todo.pop()
        todo += list(getattr(check, "validators", [])) if isinstance(check, validate.And) else []
        out.append(check)
    return out


def _refusal(check: Any) -> list[str]:
    """The message a marshmallow validator gives for a value it refuses (empty: not one of those)."""
    if isinstance(check, validate.Range):
        step = timedelta(days=1) if isinstance(check.min or check.max, date) else 1
        value = check.min - step if check.min is not None else check.max + step
    elif isinstance(check, validate.Length):
        value = "x" * (check.max + 1) if check.max is not None else ""
    elif isinstance(check, validate.OneOf | validate.Regexp):
        value = "\u2603 none of these"
    else:
        return []
    try:
        check(value)
    except ValidationError as exc:
        return list(exc.messages)
    raise AssertionError(f"{check!r} took {value!r}")


def _every_message(app) -> list[tuple[str, Any]]:  # noqa: ANN001
    """Each schema's fields' and validators' messages, as produced under Vietnamese and English."""
    found = []
    for schema_class in _schemas():
        schema = schema_class()
        for name, top in schema.fields.items():
            for field in _fields(top):
                found += [(f"{schema_class.__name__}.{name}", m) for m in _field_messages(field)]
                found += [(f"{schema_class.__name__}.{name}", check) for check in _validators(field)]
    return found


def test_every_message_of_our_schemas_is_said_in_vietnamese(app) -> None:  # noqa: ANN001
    """A marshmallow upgrade that rewords a message (or a new field type) fails here, not in production."""
    untranslated = []
    for where, source in _every_message(app) + [("Schema", m) for m in Schema().error_messages.values()]:
        said_in = {}
        for language in ("vi", "en"):
            with app.test_request_context("/api/slogans", headers={"Accept-Language": language}):
                messages = [source] if isinstance(source, str) else _refusal(source)
                said_in[language] = [say_library(str(m)) for m in messages]
        if said_in["vi"] == said_in["en"] and said_in["vi"]:
            untranslated.append((where, said_in["en"]))
    assert not untranslated, untranslated
    assert "Invalid JSON body." in FIXED  # webargs' own, for a body that is not JSON


def test_a_body_that_is_not_json_is_refused_in_vietnamese(app, db) -> None:  # noqa: ANN001
    client, headers = app.test_client(), headers_for(db, "editor", None)
    before = rows(db)
    response = client.post(
        "/api/slogans", headers={**headers, "Content-Type": "application/json"}, data=b"{not json"
    )
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"json": ["Nội dung JSON không hợp lệ."]}
    assert rows(db) == before
