"""One schema per record: a playlist file and the API refuse the same value in the same words."""

from __future__ import annotations

from pathlib import Path

import pytest

from signage.bundle import BundleError, read_path
from tests.test_api_more import token_for

SLOGAN = 'format = 2\n[[slogans]]\nkey = "a"\ntext = "CHÀO MỪNG"\n'
PLAN = 'format = 2\n[[campaigns]]\nname = "KH 17"\n[[campaigns.phases]]\nname = "Giai đoạn 1"\n'
SCHEDULE = 'format = 2\n[[schedules]]\nplaylist = "Thử"\n'
BOARD = 'format = 2\n[[boards]]\nslug = "b"\nname = "B"\nwidth = 192\nheight = 32\nport_url = "/dev/null"\n'
STEPS = [{"at": "06:00", "level": 50}, {"at": "06:00", "level": 60}]

#: (file text, what the API is sent, the field as the file names it, as the API names it).
CASES = {
    "speed out of range": (
        SLOGAN + "speed = 0\n",
        ("/api/slogans", {"text": "x", "speed": 0}),
        "speed",
        "speed",
    ),
    "colour not #rrggbb": (
        SLOGAN + 'color = "red"\n',
        ("/api/slogans", {"text": "x", "color": "red"}),
        "color",
        "color",
    ),
    "unknown effect": (
        SLOGAN + 'effect = "spin"\n',
        ("/api/slogans", {"text": "x", "effect": "spin"}),
        "effect",
        "effect",
    ),
    "slogan too long": (
        SLOGAN.replace("CHÀO MỪNG", "x" * 3000),
        ("/api/slogans", {"text": "x" * 3000}),
        "text",
        "text",
    ),
    "schedule ends before it starts": (
        SCHEDULE + 'start = "02/02/2021"\nend = "01/02/2021"\n',
        ("/api/schedules", {"starts_on": "2021-02-02", "ends_on": "2021-02-01"}),
        "end",
        "ends_on",
    ),
    "phase ends before it starts": (
        PLAN + "start = 2020-08-01\nend = 2020-07-31\n",
        (
            "/api/campaigns/{campaign}/phases",
            {"name": "P", "starts_on": "2020-08-01", "ends_on": "2020-07-31"},
        ),
        "end",
        "ends_on",
    ),
    "a brightness time given twice": (
        BOARD + 'brightness = [{ at = "06:00", level = 50 }, { at = "06:00", level = 60 }]\n',
        ("PUT /api/boards/b/hours", {"brightness": STEPS}),
        "brightness[1].at",
        "brightness",
    ),
    "on without off": (
        BOARD + 'on = "06:00"\n',
        ("PUT /api/boards/b/hours", {"on": "06:00"}),
        "off",
        "off",
    ),
    "lunar day that does not exist": (
        SCHEDULE + 'repeat = "lunar"\non = "31/1"\n',
        ("/api/schedules", {"repeat": "lunar", "repeat_day": 31, "repeat_month": 1}),
        "on",
        "repeat_day",
    ),
}


def _file_problem(tmp_path: Path, text: str, field: str) -> str:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BundleError) as refused:
        read_path(path)
    found = [p for p in refused.value.problems if f"]{field}: " in p or f".{field}: " in p]
    assert len(found) == 1, refused.value.problems
    return found[0].split(f"{field}: ", 1)[1]


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_file_and_the_api_refuse_a_value_in_the_same_words(case: str, tmp_path: Path, app, db) -> None:  # noqa: ANN001
    text, (url, body), file_field, api_field = CASES[case]
    in_file = _file_problem(tmp_path, text, file_field)
    client, headers = app.test_client(), token_for(db, "admin")
    if "{campaign}" in url:
        made = client.post("/api/campaigns", headers=headers, json={"name": "KH 17"})
        url = url.format(campaign=made.get_json()["id"])
    if url == "/api/schedules":
        body = {"playlist_id": 1, **body}  # refused by its schema before any row is looked up
    method, _, url = url.rpartition(" ")
    response = client.open(url, method=method or "POST", headers=headers, json=body)
    assert response.status_code == 422, response.get_json()
    said = response.get_json()["errors"]["json"][api_field]
    assert said == ({"1": {"at": [in_file]}} if api_field == "brightness" else [in_file])


def test_a_file_lists_the_keys_its_schema_has(tmp_path: Path) -> None:
    """The keys a file may write are the schema's fields (with the file's own names)."""
    found = _file_problem(tmp_path, SLOGAN + "speeed = 40\n", "speeed")
    assert found == "unknown key; known: color, effect, font, key, source, speed, text"
    found = _file_problem(tmp_path, SCHEDULE + "start_time = 1\n", "start_time")
    assert found.startswith("unknown key; known: board, campaign, days, enabled, end, group, hours, leap,")


@pytest.mark.parametrize("case", ["speed out of range", "schedule ends before it starts"])
def test_the_same_words_in_vietnamese(case: str, tmp_path: Path, app, db) -> None:  # noqa: ANN001
    """The import page and the API say a shared refusal with the same Vietnamese."""
    from signage.web.messages import say

    text, (url, body), file_field, api_field = CASES[case]
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BundleError) as refused:
        read_path(path)
    (problem,) = refused.value.problems
    headers = {**token_for(db, "admin"), "Accept-Language": "vi"}
    if url == "/api/schedules":
        body = {"playlist_id": 1, **body}
    answer = app.test_client().post(url, headers=headers, json=body).get_json()
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        on_the_import_page = say(problem)
    said = answer["errors"]["json"][api_field][0]
    assert on_the_import_page.endswith(f".{file_field}: {said}") and said != problem.message, said
