"""The JSON API with real tokens: roles, validation, publishing, and schemathesis fuzzing
of /api/openapi.json (no 500, and a refused request writes nothing)."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy import func, select

from signage import show
from signage.models import ROLES, Base, Board, Playlist, Slogan
from signage.web.api.auth import issue_token
from tests.conftest import client_as, make_user


def token_for(db, role: str) -> dict[str, str]:  # noqa: ANN001
    """A token of ``role``, asking for English messages (Vietnamese, the default: test_api_language.py)."""
    user = make_user(db, f"api-{role}", role)
    token = issue_token(db, user, "tests")
    db.commit()
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


def test_openapi_document_describes_the_api(app) -> None:  # noqa: ANN001
    doc = app.test_client().get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.") and "bearerAuth" in doc["components"]["securitySchemes"]
    paths = {"/api/slogans", "/api/playlists/{playlist_id}/items", "/api/boards/{slug}/status"}
    assert paths <= set(doc["paths"])


def test_tokens_not_sessions_open_the_api(app, db) -> None:  # noqa: ANN001
    assert app.test_client().get("/api/slogans").status_code == 401
    logged_in = client_as(app, db, "bien-tap", "admin")
    assert logged_in.get("/api/slogans").status_code == 401
    bad = app.test_client().get(
        "/api/slogans", headers={"Authorization": "Bearer not-a-token", "Accept-Language": "en"}
    )
    assert bad.status_code == 401 and "unknown or revoked" in bad.get_json()["message"]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_read_and_only_editors_write(app, db, role: str) -> None:  # noqa: ANN001
    client = app.test_client()
    headers = token_for(db, role)
    assert client.get("/api/slogans", headers=headers).status_code == 200
    response = client.post("/api/slogans", headers=headers, json={"text": "Chào mừng"})
    assert response.status_code == (201 if ROLES.index(role) >= ROLES.index("editor") else 403)


def test_slogan_through_the_api_reaches_the_show(app, db, redis) -> None:  # noqa: ANN001
    import unicodedata

    app.config["APPROVAL_REQUIRED"] = False  # about publishing itself; review is in test_approval.py

    playlist = Playlist(name="API")
    db.add_all(
        [
            playlist,
            Board(
                slug="api-board",
                name="API",
                width=192,
                height=32,
                color="mono",
                protocol="native",
                port_url="socket://127.0.0.1:9",
                baud=115200,
                playlist=playlist,
            ),
        ]
    )
    db.commit()
    client, headers = app.test_client(), token_for(db, "editor")
    nfd = unicodedata.normalize("NFD", "Chào mừng Đại hội")
    created = client.post("/api/slogans", headers=headers, json={"text": nfd, "effect": "static"})
    assert created.status_code == 201 and created.get_json()["text"] == "Chào mừng Đại hội"
    added = client.post(
        f"/api/playlists/{playlist.id}/items",
        headers=headers,
        json={"slogan_id": created.get_json()["id"], "duration": 12},
    )
    body = added.get_json()
    assert added.status_code == 201 and body["published"] == {"api-board": 1}
    assert [i["label"] for i in body["items"]] == ["Chào mừng Đại hội"]
    doc = json.loads(redis.get(show.show_key("api-board")))
    assert json.dumps(doc, ensure_ascii=False).count("Chào mừng Đại hội") >= 1


def test_bad_input_is_named_and_nothing_saved(app, db) -> None:  # noqa: ANN001
    client, headers = app.test_client(), token_for(db, "editor")
    cases = [
        ({"text": ""}, "text", "the slogan is empty"),
        ({"text": "x" * 10_000}, "text", "10000 characters"),
        ({"text": "ok", "speed": "fast"}, "speed", "integer"),
        ({"text": "ok", "color": "red"}, "color", "#rrggbb"),
        ({"text": "ok", "effect": "explode"}, "effect", "unknown effect"),
    ]
    for body, field, fragment in cases:
        response = client.post("/api/slogans", headers=headers, json=body)
        assert response.status_code == 422, body
        errors = response.get_json()["errors"]["json"]
        assert fragment in json.dumps(errors[field], ensure_ascii=False), (body, errors)
    assert client.get("/api/slogans/999", headers=headers).status_code == 404
    assert db.scalar(select(func.count()).select_from(Slogan)) == 0


def test_fuzzing_finds_no_server_error_and_no_partial_write(app, db) -> None:  # noqa: ANN001
    """Every operation of /api/openapi.json, fed generated requests with an admin token.

    schemathesis's own pytest plugin does not run under pytest 9 here, so the operations'
    hypothesis strategies are driven directly; the checks are schemathesis's.
    """
    from hypothesis import given
    from schemathesis.checks import not_a_server_error

    headers = {"Authorization": token_for(db, "admin")["Authorization"]}  # the language: as generated
    db.add_all([Playlist(name="Fuzz"), Slogan(text="Mồi")])
    db.commit()
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)

    def counts() -> dict[str, int]:
        db.expire_all()
        return {
            t.name: db.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
            if t.name not in ("audit_log", "api_tokens", "users")
        }

    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
        def fuzz(case) -> None:  # noqa: ANN001
            before = counts()
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error])
            if response.status_code >= 400:
                assert counts() == before, (case.method, case.path, response.status_code)

        fuzz()


def test_a_stale_slogan_update_is_refused_and_nothing_saved(app, db) -> None:  # noqa: ANN001
    """Two staff edit the same slogan: the second save, made from an old read, must not win silently."""
    client, headers = app.test_client(), token_for(db, "editor")
    created = client.post("/api/slogans", headers=headers, json={"text": "Chào mừng"}).get_json()
    first = client.put(
        f"/api/slogans/{created['id']}",
        headers=headers,
        json={"text": "Chào mừng Đại hội", "version": created["version"]},
    )
    assert first.status_code == 200 and first.get_json()["version"] != created["version"]
    stale = client.put(
        f"/api/slogans/{created['id']}",
        headers=headers,
        json={"text": "Chào mừng năm mới", "version": created["version"]},
    )
    assert stale.status_code == 409 and "changed by someone else" in stale.get_json()["message"]
    now = client.get(f"/api/slogans/{created['id']}", headers=headers).get_json()
    assert now["text"] == "Chào mừng Đại hội"
    unversioned = client.put(f"/api/slogans/{created['id']}", headers=headers, json={"text": "Xin chào"})
    assert unversioned.status_code == 200  # leaving the version out overwrites, as documented
