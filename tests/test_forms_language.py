"""WTForms' own messages on the admin's forms in the user's language (issue #6, "bad input").

Staff who leave a required field empty or type letters in a number read Vietnamese (the
default) or English (after the switch), never WTForms' English under a Vietnamese page, and
a refused form saves nothing. Every message the fields and validators of our forms can give
is read from WTForms' source and must have Vietnamese, so an upgrade that rewords one (or a
new field type) fails here instead of showing English.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, session
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms.fields.core import UnboundField

import signage.web
from signage.models import Base, Board, PlaylistItem
from signage.web.form_language import MESSAGES, PLURALS
from signage.web.forms import Form
from tests.conftest import client_as, post_form

#: WTForms' English that must not reach a Vietnamese page.
ENGLISH = (
    "This field is required",
    "Not a valid",
    "Field cannot be longer",
    "Field must be",
    "Number must be",
    "Date must be",
    "Invalid Choice",
    "Invalid choice",
    "not a valid choice",
    "not valid choices",
    "File does not have",
)
#: The blanks WTForms and Flask-WTF fill in after translating (``%(min)d``, ``%s``, ``{extensions}``).
BLANK = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\w*\}")


def rows(db) -> dict[str, int]:  # noqa: ANN001
    """How many rows each content table holds (not the audit log, tokens or users)."""
    db.expire_all()
    return {
        t.name: db.scalar(select(func.count()).select_from(t))
        for t in Base.metadata.sorted_tables
        if t.name not in ("audit_log", "api_tokens", "users")
    }


def switch_to_english(client: FlaskClient, page: str) -> None:
    response = post_form(
        client, "/lang/en", {}, form_url=page, headers={"Referer": f"http://localhost{page}"}
    )
    assert response.status_code == 302


def shows(html: str, expected: list[str], language: str) -> None:
    html = html.replace("&#39;", "'")
    missing = [m for m in expected if m not in html]
    assert not missing, (language, missing)
    if language == "vi":
        leaked = [phrase for phrase in ENGLISH if phrase in html]
        assert not leaked, leaked


# --- the pages, as staff submit them ---------------------------------------------------------------


def test_a_form_without_its_token_is_refused_in_the_sessions_language(editor_client, db) -> None:  # noqa: ANN001
    """A form left open past a restart (or posted from elsewhere) carries no valid CSRF token:
    refused with a page that says so in the user's language, and nothing saved."""
    before = rows(db)
    form = {"text": "Chào mừng", "effect": "static", "speed": 32, "color": "#ff0000", "duration": 10}
    response = editor_client.post("/slogans/new", data={**form, "csrf_token": "hết hạn"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Biểu mẫu này đã hết hạn" in html and "CSRF" not in html
    switch_to_english(editor_client, "/slogans/new")
    response = editor_client.post("/slogans/new", data=form)
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert rows(db) == before


SLOGAN = {
    "text": "",
    "effect": "nhấp nháy",
    "speed": "nhanh",
    "color": "#ff0000",
    "playlist": 0,
    "duration": "mười",
}
BOARD = {
    "slug": "bo-y",
    "name": "Cửa khẩu Bờ Y " * 10,
    "width": "rộng",
    "height": 32,
    "color": "mono",
    "protocol": "native",
    "port_url": "socket://127.0.0.1:7000",
    "baud": "nhanh",
    "address": "",
    "playlist": 0,
}


def test_slogan_form_says_wtforms_messages_in_the_sessions_language(editor_client, db) -> None:  # noqa: ANN001
    """Empty text, letters in speed and duration, an unknown effect: each named, Vietnamese then English."""
    before = rows(db)
    response = post_form(editor_client, "/slogans/new", SLOGAN)
    assert response.status_code == 422
    shows(
        response.get_data(as_text=True),
        [
            "khẩu hiệu đang trống",
            "Không phải số nguyên hợp lệ.",
            "Không phải số hợp lệ.",
            "Lựa chọn không hợp lệ.",
        ],
        "vi",
    )
    switch_to_english(editor_client, "/slogans/new")
    response = post_form(editor_client, "/slogans/new", SLOGAN)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    shows(
        html,
        [
            "the slogan is empty",
            "Not a valid integer value.",
            "Not a valid float value.",
            "Not a valid choice.",
        ],
        "en",
    )
    assert "Không phải số" not in html
    assert rows(db) == before


def test_board_form_says_wtforms_messages_in_the_sessions_language(admin_client, db) -> None:  # noqa: ANN001
    """Letters in the width and the baud rate, a name too long, no address: nothing saved, either language."""
    before = rows(db)
    response = post_form(admin_client, "/boards/new", BOARD)
    assert response.status_code == 422
    shows(
        response.get_data(as_text=True),
        [
            "Không phải số nguyên hợp lệ.",
            "Không được dài quá 120 ký tự.",
            "Trường này là bắt buộc.",
            "Lựa chọn không hợp lệ: không đọc được giá trị đã chọn.",
        ],
        "vi",
    )
    switch_to_english(admin_client, "/boards/new")
    response = post_form(admin_client, "/boards/new", BOARD)
    html = response.get_data(as_text=True)
    shows(
        html,
        [
            "Not a valid integer value.",
            "Field cannot be longer than 120 characters.",
            "This field is required.",
            "Invalid Choice: could not coerce.",
        ],
        "en",
    )
    assert "Trường này là bắt buộc." not in html
    assert rows(db) == before and db.scalar(select(func.count()).select_from(Board)) == 0


def test_login_form_says_a_missing_username_in_vietnamese(app) -> None:  # noqa: ANN001
    client = app.test_client()
    response = post_form(client, "/login", {"username": "", "password": ""})
    shows(response.get_data(as_text=True), ["Trường này là bắt buộc."], "vi")


def test_schedule_form_says_dates_numbers_and_choices_in_the_sessions_language(app, db, playlist) -> None:  # noqa: ANN001
    client = client_as(app, db, "lich", "editor")
    data = {
        "name": "Lịch",
        "playlist": playlist.id,
        "board": 0,
        "group": 0,
        "phase": 0,
        "starts_on": "31/02/2021",
        "ends_on": "",
        "weekdays": ["1", "9"],
        "start_time": "",
        "end_time": "",
        "priority": "5000",
        "enabled": "y",
    }
    before = rows(db)
    response = post_form(client, "/schedules/new", data)
    assert response.status_code == 422
    shows(
        response.get_data(as_text=True),
        [
            "Ngày không hợp lệ.",
            "Số phải nằm trong khoảng -1000 đến 1000.",
            "'9' không phải lựa chọn hợp lệ của trường này.",
        ],
        "vi",
    )
    switch_to_english(client, "/schedules/new")
    response = post_form(client, "/schedules/new", data)
    shows(
        response.get_data(as_text=True),
        [
            "Not a valid date value.",
            "Number must be between -1000 and 1000.",
            "'9' is not a valid choice for this field.",
        ],
        "en",
    )
    assert rows(db) == before


def test_notice_form_says_its_range_and_choices_in_vietnamese(app, db) -> None:  # noqa: ANN001
    client = client_as(app, db, "duyet", "approver")
    before = rows(db)
    response = post_form(
        client,
        "/notices/",
        {
            "text": "Cửa khẩu tạm đóng",
            "effect": "static",
            "boards": "x",
            "minutes": "0",
            "starts_at": "",
            "expires_at": "ngày mai",
        },
    )
    assert response.status_code == 422
    shows(
        response.get_data(as_text=True),
        [
            "Số phải nằm trong khoảng 1 đến 44640.",
            "Ngày giờ không hợp lệ.",
            "Lựa chọn không hợp lệ: có giá trị gửi lên không đọc được.",
        ],
        "vi",
    )
    assert rows(db) == before


def test_playlist_timing_flashes_letters_in_the_sessions_language(editor_client, db, playlist) -> None:  # noqa: ANN001
    item = playlist.items[0]
    url, page = f"/playlists/{playlist.id}/items/{item.id}/timing", f"/playlists/{playlist.id}"
    before = rows(db)
    response = post_form(
        editor_client, url, {"amount": "năm", "unit": "seconds"}, form_url=page, follow_redirects=True
    )
    shows(response.get_data(as_text=True), ["Không phải số hợp lệ."], "vi")
    switch_to_english(editor_client, page)
    response = post_form(
        editor_client, url, {"amount": "năm", "unit": "seconds"}, form_url=page, follow_redirects=True
    )
    shows(response.get_data(as_text=True), ["Not a valid float value."], "en")
    db.expire_all()
    assert rows(db) == before and db.get(PlaylistItem, item.id).duration == 5


def test_upload_without_a_file_is_named_in_the_sessions_language(admin_client, db) -> None:  # noqa: ANN001
    """The import form says what to pick, in the page's language."""
    before = rows(db)
    response = post_form(admin_client, "/transfer/", {})
    assert response.status_code == 400
    shows(response.get_data(as_text=True), ["Hãy chọn tệp .toml hoặc tệp xuất .zip để tải lên."], "vi")
    switch_to_english(admin_client, "/transfer/")
    shows(
        post_form(admin_client, "/transfer/", {}).get_data(as_text=True),
        ["Choose a .toml file or a .zip export to upload."],
        "en",
    )
    assert rows(db) == before


def test_proof_filter_says_a_wrong_day_in_vietnamese(app, db) -> None:  # noqa: ANN001
    client = client_as(app, db, "xem", "viewer")
    response = client.get("/proof/?start=h%C3%B4m+qua")
    shows(response.get_data(as_text=True), ["Ngày không hợp lệ."], "vi")


# --- every message our forms can give has Vietnamese -----------------------------------------------


def form_classes() -> list[type[FlaskForm]]:
    """Every form class under ``signage.web`` (each module imported, so none is missed)."""
    for module in pkgutil.walk_packages(signage.web.__path__, "signage.web."):
        importlib.import_module(module.name)
    found, todo = set(), [FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("signage."):
                found.add(sub)
    return sorted(found, key=lambda c: (c.__module__, c.__qualname__))


def unbound_fields(form_class: type[FlaskForm]) -> list[tuple[str, UnboundField]]:
    return [
        (name, value)
        for name in dir(form_class)
        if isinstance(value := getattr(form_class, name, None), UnboundField)
    ]


def library(cls: type) -> bool:
    return cls.__module__.split(".")[0] in ("wtforms", "flask_wtf")


def said_by(cls: type) -> set[tuple[str, ...]]:
    """The message ids a WTForms/Flask-WTF class (and the library classes it derives from) can say.

    Read from the source: every ``gettext("...")`` and ``ngettext("...", "...", n)``; a message
    built at run time (an f-string) cannot be in a catalog and is returned as a problem to fix.
    """
    out: set[tuple[str, ...]] = set()
    for klass in filter(library, cls.__mro__):
        tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("gettext", "ngettext")
            ):
                continue
            args = node.args[: 2 if node.func.attr == "ngettext" else 1]
            if all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                out.add(tuple(a.value for a in args))
            elif any(isinstance(a, ast.JoinedStr) for a in args):
                out.add((f"<a message built at run time in {klass.__qualname__}: give it a message>",))
    return out


def every_message() -> tuple[dict[tuple[str, ...], set[str]], dict[str, Any]]:
    """(message id -> where it can come from, our own messages given to WTForms validators by place)."""
    library_messages: dict[tuple[str, ...], set[str]] = {}
    custom: dict[str, Any] = {}
    for form_class in form_classes():
        for name, unbound in unbound_fields(form_class):
            where = f"{form_class.__name__}.{name}"
            validators = unbound.kwargs.get("validators") or (unbound.args[1:2] or [[]])[0]
            sources = [unbound.field_class]
            for check in validators:
                if not library(type(check)):
                    continue  # our own (rules, validate_<field>): said with Flask-Babel where raised
                if getattr(check, "message", None) is None:
                    sources.append(type(check))
                else:
                    custom[f"{where}: {type(check).__name__}"] = check.message
            for source in sources:
                for message in said_by(source):
                    library_messages.setdefault(message, set()).add(where)
    return library_messages, custom


@contextmanager
def speaking(app: Flask, language: str) -> Iterator[None]:
    """A request whose session chose ``language`` (as the switcher does)."""
    with app.test_request_context("/"):
        session["lang"] = language
        yield


def say(app: Flask, language: str, message: tuple[str, ...], n: int = 1) -> str:
    """A WTForms message id as our forms' translations give it to WTForms (blanks not filled in)."""
    with speaking(app, language):
        form = Form()
        translations = form.meta.get_translations(form)
        return translations.gettext(message[0]) if len(message) == 1 else translations.ngettext(*message, n)


def test_every_form_we_define_derives_from_the_translated_base() -> None:
    """A new form on FlaskForm directly would say WTForms' messages in English only."""
    classes = form_classes()
    assert {"SloganForm", "BoardForm", "UploadForm", "NoticeForm", "ScheduleForm", "ProofFilter"} <= {
        c.__name__ for c in classes
    }
    assert [c.__qualname__ for c in classes if not issubclass(c, Form)] == []


def test_every_message_our_forms_can_give_is_said_in_vietnamese(app) -> None:  # noqa: ANN001
    """A WTForms upgrade that rewords a message (or a new field or validator) fails here, not in use."""
    found, custom = every_message()
    assert ("This field is required.",) in found and ("Not a valid integer value.",) in found
    marked = {(m,) for m in MESSAGES} | set(PLURALS)
    unmarked = {m: sorted(where) for m, where in found.items() if m not in marked}
    assert not unmarked, f"mark these in signage/web/form_language.py and translate them: {unmarked}"
    untranslated, blanks = [], []
    for message in sorted(marked | set(found)):
        for n in (1, 5):
            english, vietnamese = say(app, "en", message, n), say(app, "vi", message, n)
            if vietnamese == english:
                untranslated.append(message)
            if sorted(BLANK.findall(vietnamese)) != sorted(BLANK.findall(english)):
                blanks.append((message, vietnamese))
            assert english == message[0 if n == 1 else -1]  # English: WTForms' own words
    assert not untranslated, f"add Vietnamese in messages.po: {sorted(set(untranslated))}"
    assert not blanks, f"the Vietnamese must keep the blanks: {blanks}"
    for where, message in custom.items():  # a message we gave a validator: lazy, so said per request
        with speaking(app, "vi"):
            vietnamese = str(message)
        with speaking(app, "en"):
            assert vietnamese != str(message), where


def test_wtforms_messages_fill_their_blanks_after_translation(app) -> None:  # noqa: ANN001
    """Plural forms come back with their blanks for WTForms to fill (Flask-Babel's ngettext would fail)."""
    message = (
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
    )
    assert say(app, "vi", message, 120) % {"max": 120} == "Không được dài quá 120 ký tự."
    assert say(app, "en", message, 120) % {"max": 120} == "Field cannot be longer than 120 characters."
    assert say(app, "en", message, 1) % {"max": 1} == "Field cannot be longer than 1 character."
