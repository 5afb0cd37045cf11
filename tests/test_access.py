"""Walk every route in the URL map: each role gets exactly what it should, and every POST
without a CSRF token is refused before it can change anything."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter, Rule

from signage.models import (
    ROLES,
    Base,
    BoardGroup,
    Campaign,
    Phase,
    Playlist,
    PlaylistItem,
    Slogan,
    UrgentNotice,
    utcnow,
)
from signage.web.rqdash import refused as rq_dashboard_refuses
from tests.conftest import gate, login, make_user

#: Routes anyone may reach, and the ones any logged-in user may (log out).
PUBLIC = {"auth.login", "dashboard.health", "i18n.switch", "static", "api-docs.openapi_json"}
ANY_USER = {"auth.logout"}


@pytest.fixture
def objects(db):  # noqa: ANN001, ANN201
    playlist = Playlist(name="Kiểm tra")
    slogan = Slogan(text="Kiểm tra quyền")
    playlist.items.append(PlaylistItem(slogan=slogan, position=0, duration=5))
    board = gate(playlist=playlist)
    campaign = Campaign(
        name="Đại hội",
        phases=[Phase(name="Một", position=0, starts_on=date(2020, 1, 1), ends_on=date(2020, 1, 31))],
    )
    group = BoardGroup(name="Cửa khẩu Bờ Y", boards=[board])
    notice = UrgentNotice(
        text="Kiểm tra quyền", effect="static", all_boards=True, expires_at=utcnow() + timedelta(hours=1)
    )
    db.add_all([playlist, board, campaign, group, notice])
    db.commit()
    return {
        "slogan_id": slogan.id,
        "playlist_id": playlist.id,
        "item_id": playlist.items[0].id,
        "slug": "cua-khau",
        "direction": "up",
        "campaign_id": campaign.id,
        "phase_id": campaign.phases[0].id,
        "group_id": group.id,
        "notice_id": notice.id,
    }


def url_for_rule(rule: Rule, values: dict) -> str:
    """A concrete URL for a rule: known objects where the argument names one, else a stand-in."""
    args = {}
    for name in rule.arguments - set(rule.defaults or {}):  # a default is not in the path
        numeric = isinstance(rule._converters[name], IntegerConverter)  # noqa: SLF001 - only to pick a type
        args[name] = values.get(name, 1 if numeric else "x")
    return rule.build(args, append_unknown=False)[1]


def routes(app):  # noqa: ANN001, ANN201
    """The admin's page routes (the token-authenticated API is walked in test_api.py)."""
    return [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint != "static" and not hasattr(app.view_functions[r.endpoint], "view_class")
    ]


def api_routes(app):  # noqa: ANN001, ANN201
    return [r for r in app.url_map.iter_rules() if hasattr(app.view_functions[r.endpoint], "view_class")]


#: Campaign and group pages: everyone reads; campaigns are content (editors); groups decide
#: which physical boards a schedule reaches (administrators, like boards).
CAMPAIGN_ROLES = {
    "campaigns.index": "viewer",
    "campaigns.show": "viewer",
    "campaigns.overview": "viewer",
    "campaigns.new": "editor",
    "campaigns.edit": "editor",
    "campaigns.delete": "editor",
    "campaigns.new_phase": "editor",
    "campaigns.edit_phase": "editor",
    "campaigns.move_phase": "editor",
    "campaigns.delete_phase": "editor",
    "groups.index": "viewer",
    "groups.new": "admin",
    "groups.edit": "admin",
    "groups.delete": "admin",
}


def test_campaign_and_group_routes_need_their_roles(app) -> None:  # noqa: ANN001
    endpoints = {r.endpoint for r in routes(app) if r.endpoint.split(".")[0] in ("campaigns", "groups")}
    assert endpoints == set(CAMPAIGN_ROLES)
    assert {e: app.view_functions[e].required_role for e in endpoints} == CAMPAIGN_ROLES


#: A notice's page and its JSON are for those who send notices; the test pattern lights a
#: real board at the gate, so only administrators may press it.
NOTICE_AND_BOARD_ROLES = {
    "notices.show": "approver",
    "notices.status_json": "approver",
    "notices.cancel": "approver",
    "boards.test_pattern": "admin",
}


def test_notice_page_and_test_pattern_need_their_roles(app) -> None:  # noqa: ANN001
    assert {e: app.view_functions[e].required_role for e in NOTICE_AND_BOARD_ROLES} == NOTICE_AND_BOARD_ROLES


#: Editors may see what waits for review; only approvers publish it (issue #6). The API's
#: list is a read for any token.
CHANGES_ROLES = {"changes.index": "editor", "changes.publish_now": "approver"}
CHANGES_API_ROLES = {("/api/changes", "get"): "viewer", ("/api/publish", "post"): "approver"}


def test_changes_page_and_publish_need_their_roles(app) -> None:  # noqa: ANN001
    endpoints = {r.endpoint for r in routes(app) if r.endpoint.split(".")[0] == "changes"}
    assert {e: app.view_functions[e].required_role for e in endpoints} == CHANGES_ROLES
    api = {
        (r.rule, m.lower()): getattr(app.view_functions[r.endpoint].view_class, m.lower()).required_role
        for r in api_routes(app)
        if r.rule in ("/api/changes", "/api/publish")
        for m in r.methods - {"HEAD", "OPTIONS"}
    }
    assert api == CHANGES_API_ROLES


def test_every_admin_route_declares_a_role(app) -> None:  # noqa: ANN001
    missing = [
        r.endpoint
        for r in routes(app)
        if r.endpoint not in PUBLIC | ANY_USER
        and not hasattr(app.view_functions[r.endpoint], "required_role")
    ]
    assert missing == [], f"routes without a role check: {missing}"
    for rule in api_routes(app):
        view_class = app.view_functions[rule.endpoint].view_class
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            handler = getattr(view_class, method.lower())
            assert getattr(handler, "token_auth", False), f"{method} {rule.rule} has no token check"


def test_anonymous_visitors_are_sent_to_the_login(app, objects) -> None:  # noqa: ANN001
    client = app.test_client()
    for rule in routes(app):
        if rule.endpoint in PUBLIC or "GET" not in rule.methods:
            continue
        response = client.get(url_for_rule(rule, objects))
        assert response.status_code == 302 and "/login" in response.location, rule.rule
    for rule in api_routes(app):
        method = sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        response = client.open(url_for_rule(rule, objects), method=method)
        assert response.status_code == 401 and response.is_json, rule.rule


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_routes(app, db, objects, role: str) -> None:  # noqa: ANN001
    make_user(db, f"user-{role}", role)
    client = app.test_client()
    login(client, f"user-{role}")
    app.config["WTF_CSRF_ENABLED"] = False  # the role check is what is under test here
    try:
        for rule in routes(app):
            needed = getattr(app.view_functions[rule.endpoint], "required_role", None)
            if needed is None:
                continue
            allowed = ROLES.index(role) >= ROLES.index(needed)
            for method in sorted(rule.methods & {"GET", "POST"}):
                url = url_for_rule(rule, objects)
                response = client.open(url, method=method, data={})
                if rq_dashboard_refuses(rule.endpoint, method):  # mounted read-only: refused to all
                    assert response.status_code == 403, (role, method, rule.rule, response.status_code)
                elif allowed:
                    assert response.status_code != 403, (role, method, rule.rule)
                else:
                    assert response.status_code == 403, (role, method, rule.rule, response.status_code)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_every_post_without_csrf_is_refused_and_changes_nothing(app, db, objects) -> None:  # noqa: ANN001
    make_user(db, "quan-tri", "admin")
    client = app.test_client()
    login(client, "quan-tri")

    def snapshot() -> dict[str, int]:
        db.expire_all()
        return {t.name: db.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}

    before = snapshot()
    posts = [r for r in routes(app) if "POST" in r.methods]
    assert posts
    for rule in posts:
        response = client.post(url_for_rule(rule, objects), data={"text": "x", "name": "x"})
        # rq-dashboard's actions are refused (403, read-only) before the CSRF check could say 400
        expected = 403 if rq_dashboard_refuses(rule.endpoint, "POST") else 400
        assert response.status_code == expected, rule.rule
    assert snapshot() == before
    # The API takes no CSRF token because a session cookie does not open it at all.
    for rule in api_routes(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url_for_rule(rule, objects), method=method, json={"text": "x"})
            assert response.status_code == 401, (method, rule.rule)
    assert snapshot() == before


def test_login_is_rate_limited(app, db) -> None:  # noqa: ANN001
    from tests.conftest import post_form

    make_user(db, "bien-tap", "editor")
    client = app.test_client()
    codes = [
        post_form(client, "/login", {"username": "bien-tap", "password": "đoán"}).status_code
        for _ in range(12)
    ]
    assert codes[:10] == [200] * 10 and codes[-1] == 429
