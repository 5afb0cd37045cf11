"""Hypothesis on every admin form: whatever is typed, the answer is never a 500, and a refused
submission changes nothing in the database.

The forms are found, not listed: every POST route of the URL map is submitted with the fields
its page's form really has (read from the HTML), filled by hypothesis with text, numbers,
huge values, control characters and the form's own choices; a valid CSRF token rides along,
so the fuzz reaches the validation and not just the CSRF check.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.routing import Rule

from signage.models import (
    ApiToken,
    Base,
    BoardGroup,
    Campaign,
    Phase,
    Playlist,
    PlaylistItem,
    Schedule,
    Slogan,
    UrgentNotice,
)
from tests.conftest import client_as, gate, make_user, post_form
from tests.test_access import url_for_rule

#: Routes whose success would end the fuzzing session itself, not a form worth fuzzing.
SKIP = {"auth.login", "auth.logout", "i18n.switch"}
REFUSED = {400, 403, 404, 405, 409, 413, 415, 422}


class FormReader(HTMLParser):
    """The forms of a page: action, and each field's name, kind and offered values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": {}}
            )
            return
        if not self.forms or "name" not in a:
            if tag == "option" and self._select and self.forms:
                self.forms[-1]["fields"][self._select]["choices"].append(a.get("value", ""))
            return
        fields = self.forms[-1]["fields"]
        if tag == "input":
            fields.setdefault(
                a["name"], {"kind": a.get("type", "text"), "value": a.get("value", ""), "choices": []}
            )
            if a.get("type") in ("radio", "checkbox"):
                fields[a["name"]]["choices"].append(a.get("value", "y"))
        elif tag == "textarea":
            fields[a["name"]] = {"kind": "textarea", "value": "", "choices": []}
        elif tag == "select":
            fields[a["name"]] = {"kind": "select", "value": "", "choices": []}
            self._select = a["name"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def page_forms(client, url: str) -> list[dict]:  # noqa: ANN001
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.content_type:
        return []
    reader = FormReader()
    reader.feed(response.get_data(as_text=True))
    return reader.forms


def snapshot(db) -> dict[str, list[tuple]]:  # noqa: ANN001
    """Every row of every table: a refused submission must leave all of it as it was (except
    what records the refusal: an account event in the audit log, a session's last-seen time)."""
    db.expire_all()
    db.rollback()
    out = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "user_sessions":
            continue
        rows = db.execute(select(table)).all()
        if table.name == "audit_log":
            rows = [row for row in rows if row.table != "accounts"]
        out[table.name] = sorted(tuple(repr(v) for v in row) for row in rows)
    return out


NASTY = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e309",
        "nan",
        "inf",
        "2147483648",
        "99999999999999999999",
        "0x10",
        "1,5",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "\x00",
        "\u202e",
        "A" * 10_001,
        "Đ" * 5_000,
        "2026-02-30",
        "2026-13-01",
        "25:61",
        "9999-12-31T23:59",
        "socket://",
        "/dev/null",
        "../../etc/passwd",
    ]
)


def value_for(field: dict) -> st.SearchStrategy:
    """What a user, a script or a broken browser might send in this field."""
    own = [v for v in field["choices"] + [field["value"]] if v is not None]
    pieces = [
        NASTY,
        st.text(max_size=300),
        st.integers(-(10**12), 10**12).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
    ]
    if own:
        pieces.append(st.sampled_from(own))
        pieces.append(st.sampled_from(own))  # the form's own values: reach deeper into validation
    return st.one_of(*pieces)


def file_value() -> st.SearchStrategy:
    pngish = st.binary(max_size=2000).map(lambda b: b"\x89PNG\r\n\x1a\n" + b)
    return st.tuples(
        st.one_of(st.binary(max_size=2000), pngish),
        st.sampled_from(["x.png", "a.gif", "b.toml", "c.zip", "d.exe", "", "ảnh.jpg"]),
    )


@pytest.fixture
def content(db):  # noqa: ANN001, ANN201
    playlist = Playlist(name="Kiểm tra")
    slogan = Slogan(text="Kiểm tra biểu mẫu")
    playlist.items.append(PlaylistItem(slogan=slogan, position=0, duration=5))
    board = gate(playlist=playlist)
    entry = Schedule(name="Buổi tối", playlist=playlist, board=board)
    notice = UrgentNotice(
        text="TẠM ĐÓNG",
        all_boards=True,
        expires_at=datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=1),
    )
    campaign = Campaign(name="Đại hội Đảng bộ tỉnh")
    phase = Phase(
        campaign=campaign,
        position=0,
        name="Trước đại hội",
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 9, 30),
    )
    group = BoardGroup(name="Cửa khẩu phía Lào")
    db.add_all([playlist, board, entry, notice, campaign, phase, group])
    db.commit()
    other = make_user(db, "bien-tap", "editor")  # the Users page's forms act on someone else
    token = ApiToken(user=other, name="script", token_sha256="0" * 64)
    db.add(token)
    db.commit()
    return {
        "user_id": other.id,
        "token_id": token.id,
        "slogan_id": slogan.id,
        "playlist_id": playlist.id,
        "item_id": playlist.items[0].id,
        "entry_id": entry.id,
        "notice_id": notice.id,
        "campaign_id": campaign.id,
        "phase_id": phase.id,
        "group_id": group.id,
        "slug": "cua-khau",
        "direction": "up",
    }


def post_routes(app) -> list[Rule]:  # noqa: ANN001
    return sorted(
        (
            r
            for r in app.url_map.iter_rules()
            if "POST" in r.methods
            and r.endpoint not in SKIP
            and not hasattr(app.view_functions[r.endpoint], "view_class")
        ),  # the API: test_api.py
        key=lambda r: ("delete" in r.endpoint or "remove" in r.endpoint, r.rule),
    )  # deletes last


def form_for(client, rule: Rule, url: str, ids: dict) -> dict:  # noqa: ANN001
    """The form that posts to ``url``: from its own page, else from the page listing it."""
    pages = [url] if "GET" in rule.methods else []
    pages += [
        "/",
        "/slogans/",
        "/playlists/",
        f"/playlists/{ids['playlist_id']}",
        "/boards/",
        "/schedules/",
        "/notices/",
        "/banners/",
    ]
    for page in pages:
        for form in page_forms(client, page):
            if form["method"] == "post" and (
                form["action"] in (url, "") and page == url or form["action"] == url
            ):
                return form
    return {"fields": {"csrf_token": {"kind": "hidden", "value": "", "choices": []}}}


def fuzz(client, db, csrf: str, url: str, strategy: st.SearchStrategy, files: set[str]) -> None:  # noqa: ANN001
    """Submit ``url`` with hypothesis's data: never a 500, and a refusal leaves every row alone."""

    @given(data=strategy)
    @settings(
        max_examples=12,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    def submit(data: dict) -> None:
        body = {"csrf_token": csrf, **{k: v for k, v in data.items() if k not in files}}
        for name in files:
            raw, filename = data[name]
            body[name] = (io.BytesIO(raw), filename)
        before = snapshot(db)
        response = client.post(url, data=body, content_type="multipart/form-data")
        assert response.status_code < 500, (url, data, response.get_data(as_text=True)[:2000])
        if response.status_code in REFUSED:
            assert snapshot(db) == before, f"{url} refused ({response.status_code}) yet changed rows"

    submit()


def test_no_form_input_gives_a_500_or_a_partial_write(app, db, content) -> None:  # noqa: ANN001
    admin = client_as(app, db, "quan-tri", "admin")
    token_page = page_forms(admin, "/slogans/new")
    csrf = next(f["fields"]["csrf_token"]["value"] for f in token_page if "csrf_token" in f["fields"])
    tried = []
    for rule in post_routes(app):
        url = url_for_rule(rule, content)
        form = form_for(admin, rule, url, content)
        fields = {n: f for n, f in form["fields"].items() if n != "csrf_token"}
        files = {n for n, f in fields.items() if f["kind"] == "file"}
        strategy = st.fixed_dictionaries(
            {n: (file_value() if n in files else value_for(f)) for n, f in fields.items()},
            optional={"unexpected": st.text(max_size=20)},
        )
        tried.append((rule.endpoint, sorted(fields)))

        fuzz(admin, db, csrf, url, strategy, files)
    assert len(tried) >= 15, tried  # the walk really found the admin's forms
    with_fields = [e for e, f in tried if f]
    assert {
        "slogans.new",
        "slogans.edit",
        "boards.new",
        "boards.edit",
        "schedules.new",
        "schedules.edit",
        "notices.index",
        "banners.new",
        "playlists.index",
    } <= set(with_fields), tried


def test_a_huge_time_zone_name_is_named_not_a_crash(app, db, content) -> None:  # noqa: ANN001
    """Found by the fuzz above: ZoneInfo read a 10,000-character name as a file path (OSError, 500)."""
    admin = client_as(app, db, "quan-tri", "admin")
    url = "/schedules/board/cua-khau/hours"
    before = snapshot(db)
    for name in ("A" * 10_000, "../../etc/passwd", "Asia/Hà_Nội"):
        response = post_form(admin, url, {"timezone": name, "on_time": "", "off_time": "", "brightness": ""})
        assert response.status_code == 422, name
        assert "Không rõ múi giờ này" in response.get_data(as_text=True)
    assert snapshot(db) == before
