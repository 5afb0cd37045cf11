"""The typed show: one module reads and writes the document, and the bytes publish writes stay.

``tests/data/show_sample.json`` is what publish wrote for ``tests/show_sample.py``'s rows
before the show was typed, ``tests/data/show_demo.json`` the demo campaign's show of that
code; both must come out of the typed show byte for byte.
"""

from __future__ import annotations

import ast
import json
from dataclasses import fields
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from redis import Redis

from signage import show
from signage.db import create_schema, make_engine, session_scope
from signage.publish import compile_show, publish_board
from signage.recurrence import Rule
from signage.show import Show, ShowBoard, ShowError, ShowItem, ShowNotice, ShowSchedule
from tests import show_sample

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"

#: Keys of the show document (top level, board, schedules, notices, hours, brightness).
SHOW_KEYS = frozenset(
    {
        "format", "compiled_at", "board", "playlist", "items", "playlists", "fallback", "schedules",
        "notices", "hours", "brightness", "publish_id", "starts_on", "ends_on", "weekdays", "start_time",
        "end_time", "priority", "target", "repeat", "starts_at", "expires_at", "timezone", "port_url",
    }
)  # fmt: skip
#: Keys of a show's items and notices, looked for where a show is read (the item's own keys
#: are also those of the renderer's mapping, status rows and requests, so only there).
ITEM_KEYS = frozenset(
    {
        "kind",
        "text",
        "image",
        "effect",
        "speed",
        "color",
        "fit",
        "name",
        "font",
        "id",
        "duration",
        "passes",
        "version",
    }
)
#: Names a show, or a part of one, went by when it was a dict.
SHOW_NAMES = frozenset(
    {"doc", "new", "old", "plan", "entry", "notice", "n", "s", "item", "candidate", "hours", "board"}
)
#: Files that read other documents with the same key names: the TOML files, the export, the
#: API's and forms' input, a backup's manifest, version snapshots of records.
OTHER_DOCUMENTS = (
    "signage/bundle/",
    "signage/exporter.py",
    "signage/services/versions.py",
    "signage/web/api/boards.py",
    "signage/web/api/campaigns.py",
    "signage/web/api/layout.py",
    "signage/web/api/notices.py",
    "signage/web/api/schedules.py",
    "signage/web/banners.py",
    "signage/web/preview.py",
    "signage/schemas/",
)
#: Values that are other documents under the show's key names: a backup's manifest, a
#: board's hours as the API gives them.
OTHER_RECEIVERS = ("manifest", "read_hours(")
#: The modules that read a show: the schedule, the worker, read-back, reach and the web's views of it.
SHOW_READERS = (
    "signage/schedule.py",
    "signage/readback.py",
    "signage/keep_playing.py",
    "signage/reach.py",
    "signage/campaigns.py",
    "signage/publish.py",
    "signage/playlist_time.py",
    "signage/player/",
    "signage/web/dashboard.py",
    "signage/web/api/timeline.py",
    "signage/web/schedules.py",
    "signage/notice_state.py",
)


def _keyed(tree: ast.AST) -> list[tuple[int, str, str]]:
    """Every ``x["key"]`` and ``x.get("key", ...)`` with a literal key: (line, key, receiver)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            key, receiver = node.slice.value, node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "pop", "setdefault")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            key, receiver = node.args[0].value, node.func.value
        else:
            continue
        if isinstance(key, str):
            found.append((node.lineno, key, ast.unparse(receiver)))
    return found


def string_keyed_show_reads(root: Path = ROOT) -> list[str]:
    """Lines outside ``signage/show.py`` that read the show document by its keys."""
    bad = []
    for path in sorted((root / "signage").rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if name == "signage/show.py":
            continue
        reader = name.startswith(SHOW_READERS)
        for line, key, receiver in _keyed(ast.parse(path.read_text())):
            if name.startswith(OTHER_DOCUMENTS) or receiver.startswith(OTHER_RECEIVERS):
                continue
            base = receiver.split("(")[-1].split(" or ")[0].strip("() ")
            if key in SHOW_KEYS or (reader and key in ITEM_KEYS and base in SHOW_NAMES):
                bad.append(f"{name}:{line}: {receiver}[{key!r}]")
    return bad


def test_nothing_outside_signage_show_reads_the_show_by_its_keys() -> None:
    assert not string_keyed_show_reads()


def test_board_specs_of_a_show_are_made_in_one_place() -> None:
    """``ShowBoard.spec`` is the one place; where a show is read, only a ``Board`` row's spec
    is made otherwise (a playlist's times and a notice's read-back, both from the database)."""
    makers = sorted(
        path.relative_to(ROOT).as_posix()
        for reader in SHOW_READERS
        for path in ([ROOT / reader] if reader.endswith(".py") else sorted((ROOT / reader).rglob("*.py")))
        if "BoardSpec.of(" in path.read_text()
    )
    assert makers == ["signage/notice_state.py", "signage/playlist_time.py"]


def _sample_shows() -> dict[str, str]:
    found: dict[str, str] = json.loads((DATA / "show_sample.json").read_text())
    return found


def test_publish_writes_the_bytes_it_wrote_before_the_show_was_typed() -> None:
    engine = make_engine("sqlite://")
    create_schema(engine)
    with session_scope(engine) as session:
        boards = show_sample.build(session)
        compiled = {b.slug: compile_show(b, session)[0] for b in boards}
    engine.dispose()
    before = _sample_shows()
    assert set(compiled) == set(before)
    for slug, doc in compiled.items():
        assert doc.compiled_at is not None and abs(datetime.now(UTC) - doc.compiled_at) < timedelta(minutes=1)
        fixed = Show.from_json({**doc.to_json(), "compiled_at": show_sample.COMPILED_AT})
        assert fixed.dumps() == before[slug], slug


@pytest.mark.parametrize("name", ["sample:cua-khau", "sample:pano", "demo"])
def test_stored_shows_round_trip_byte_for_byte(name: str) -> None:
    if name == "demo":
        raw = (DATA / "show_demo.json").read_text().strip()
    else:
        raw = _sample_shows()[name.split(":")[1]]
    doc = json.loads(raw)
    assert Show.from_json(doc).to_json() == doc
    assert Show.loads(raw).dumps() == raw
    stamped = {**doc, "version": 7, "publish_id": "abc"}
    assert Show.from_json(stamped).dumps() == json.dumps(stamped, ensure_ascii=False)


def test_store_and_fetch_keep_the_show_and_stamp_it(redis: Redis) -> None:
    doc = Show.loads(_sample_shows()["pano"])
    first = show.store(redis, "pano", doc, {"ab" * 32: b"png"})
    second = show.store(redis, "pano", doc)
    stored = show.fetch(redis, "pano")
    assert (first, second) == (1, 2) and stored is not None
    assert (
        stored.version == 2
        and stored.publish_id
        and show.current_stamp(redis, "pano") == f"{stored.publish_id}/2"
    )
    assert stored.stamped(None, None) == doc
    assert show.fetch(redis, "nobody") is None


def test_publish_stores_what_compile_show_compiles(redis: Redis) -> None:
    engine = make_engine("sqlite://")
    create_schema(engine)
    with session_scope(engine) as session:
        gate, _pano = show_sample.build(session)
        publish_board(redis, gate, session)
        compiled, _blobs = compile_show(gate, session)
    engine.dispose()
    stored = show.fetch(redis, "cua-khau")
    assert stored is not None and stored.stamped(None, None).board == compiled.board
    assert stored.playlists == compiled.playlists and stored.schedules == compiled.schedules


def test_format_1_still_loads_as_a_fallback_playlist() -> None:
    item = {"kind": "slogan", "text": "x", "effect": "static", "duration": 5, "id": "slogan:1"}
    old = Show.from_json({"format": 1, "board": {"slug": "b"}, "playlist": "Cũ", "items": [item]})
    assert old.format == 2 and old.fallback == "default" and old.schedules == () and old.notices == ()
    assert old.playlist_name("default") == "Cũ" and old.playlist_items("default") == (
        ShowItem.from_json(item),
    )


def test_format_2_without_the_optional_parts_loads() -> None:
    doc = Show.from_json({"format": 2, "board": {}, "playlists": {}})
    assert (doc.fallback, doc.schedules, doc.notices, doc.hours, doc.brightness) == (None, (), (), None, ())
    assert doc.board == ShowBoard() and doc.compiled_at is None


@pytest.mark.parametrize(
    ("doc", "says"),
    [
        (None, "needs 'board'"),
        ([], "needs 'board'"),
        ({"format": 2}, "needs 'board'"),
        ({"board": {}, "playlists": {}}, "show format None is newer"),
        (
            {"format": show.SHOW_FORMAT + 1, "board": {}, "playlists": {}},
            f"is newer than this worker's {show.SHOW_FORMAT}",
        ),
        ({"format": "2", "board": {}, "playlists": {}}, "show format '2'"),
        ({"format": 1, "board": {}}, "format 1 needs 'items'"),
        ({"format": 2, "board": {}, "playlists": []}, "needs 'playlists' and 'schedules'"),
        ({"format": 2, "board": {}, "playlists": {}, "schedules": {}}, "needs 'playlists' and 'schedules'"),
        ({"format": 2, "board": [], "playlists": {}}, "malformed show: board is not an object"),
        ({"format": 2, "board": {"width": "192"}, "playlists": {}}, "board.width is not a whole number"),
        (
            {"format": 2, "board": {}, "playlists": {"1": {"items": [{"text": 5}]}}},
            "playlists['1'].items[0].text is not text",
        ),
        (
            {"format": 2, "board": {}, "playlists": {}, "schedules": [{"playlist": "1"}]},
            "schedules[0].id is missing",
        ),
        (
            {
                "format": 2,
                "board": {},
                "playlists": {},
                "schedules": [{"id": 1, "playlist": "1", "start_time": "25:00"}],
            },
            "schedules[0].start_time is not a time of day (HH:MM): '25:00'",
        ),
        (
            {"format": 2, "board": {}, "playlists": {}, "notices": [{"id": 1}]},
            "notices[0] needs id, starts_at and expires_at",
        ),
        (
            {"format": 2, "board": {}, "playlists": {}, "brightness": [{"at": "06:00"}]},
            "brightness[0] needs at and level",
        ),
        ({"format": 2, "board": {}, "playlists": {}, "hours": "always"}, "hours is not an object"),
    ],
)
def test_a_newer_or_malformed_document_is_refused_saying_what_is_wrong(doc: Any, says: str) -> None:
    with pytest.raises(ShowError) as refused:
        Show.from_json(doc)
    assert says in str(refused.value)


def test_text_that_is_not_json_is_refused_as_a_show_error() -> None:
    with pytest.raises(ShowError, match="not JSON"):
        Show.loads(b"{nope")


def test_the_board_gives_the_spec_and_the_link_or_says_what_is_missing() -> None:
    board = Show.loads(_sample_shows()["pano"]).board
    assert board.spec().size == (96, 16) and board.spec().pitch_mm == 6.67
    assert board.link() == ("/dev/ttyUSB0", "tpm2", 57600, 2)
    assert ShowBoard(port_url="socket://x", protocol="native").link() == ("socket://x", "native", 115200, 1)
    with pytest.raises(ValueError, match="width or height"):
        ShowBoard(timezone="Asia/Ho_Chi_Minh").spec()
    with pytest.raises(ValueError, match="port_url"):
        ShowBoard(width=8, height=8).link()


# --- any show the types can say round-trips ------------------------------------------------

_text = st.text(max_size=12)
_maybe_text = st.none() | _text
_times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
_instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
_items = st.builds(
    ShowItem,
    kind=st.none() | st.sampled_from(["slogan", "banner"]),
    text=_maybe_text,
    image=st.none() | st.text("0123456789abcdef", min_size=64, max_size=64),
    effect=st.none() | st.sampled_from(["static", "blink", "scroll-left"]),
    speed=st.none() | st.integers(1, 400),
    color=_maybe_text,
    name=_maybe_text,
    font=_maybe_text,
    id=_maybe_text,
    duration=st.none() | st.integers(0, 3600) | st.floats(0.5, 3600, allow_nan=False),
    passes=st.none() | st.integers(1, 10),
    extra=st.dictionaries(st.sampled_from(["loop", "align"]), st.integers(0, 3), max_size=1),
)
_rules = st.builds(
    Rule,
    st.sampled_from(["yearly", "lunar"]),
    st.integers(1, 12),
    st.integers(1, 28),
    st.booleans(),
    st.integers(1, 5),
)
_schedules = st.builds(
    ShowSchedule,
    id=st.integers(1, 10**6),
    playlist=st.integers(1, 99).map(str),
    name=_maybe_text,
    target=st.sampled_from(["board", "group", "all"]),
    starts_on=st.none() | st.dates(date(2000, 1, 1), date(2100, 1, 1)),
    ends_on=st.none() | st.dates(date(2000, 1, 1), date(2100, 1, 1)),
    weekdays=st.sampled_from(["1234567", "12345", "67"]),
    start_time=st.none() | _times,
    end_time=st.none() | _times,
    priority=st.integers(-1000, 1000),
    phase=_maybe_text,
    repeat=st.none() | _rules,
)
_notices = st.builds(
    ShowNotice,
    id=st.integers(1, 10**6),
    starts_at=_instants,
    expires_at=_instants,
    text=_maybe_text,
    effect=st.sampled_from(["static", "blink", "scroll-left"]),
    color=st.just("#ff0000"),
    image=st.none() | st.just("ab" * 32),
)
_shows = st.builds(
    Show,
    board=st.builds(
        ShowBoard,
        slug=_maybe_text,
        width=st.none() | st.integers(1, 512),
        timezone=st.just("Asia/Ho_Chi_Minh"),
    ),
    format=st.sampled_from([2, 3]),
    compiled_at=st.none() | _instants.map(lambda t: t.replace(microsecond=0)),
    playlist=_maybe_text,
    items=st.lists(_items, max_size=3).map(tuple),
    playlists=st.dictionaries(
        st.integers(1, 99).map(str),
        st.builds(show.ShowPlaylist, name=_maybe_text, items=st.lists(_items, max_size=3).map(tuple)),
        max_size=3,
    ),
    fallback=st.none() | st.integers(1, 99).map(str),
    schedules=st.lists(_schedules, max_size=3).map(tuple),
    notices=st.lists(_notices, max_size=2).map(tuple),
    hours=st.none() | st.builds(show.ShowHours, st.none() | _times, st.none() | _times),
    brightness=st.lists(st.builds(show.ShowStep, _times, st.integers(0, 100)), max_size=3).map(tuple),
    version=st.none() | st.integers(1, 10**6),
    publish_id=st.none() | st.just("0123abcd"),
)


@settings(max_examples=150, deadline=None)
@given(_shows)
def test_any_show_round_trips_through_its_json(doc: Show) -> None:
    raw = doc.dumps()
    again = Show.loads(raw)
    assert again == doc and again.dumps() == raw


def test_times_with_seconds_keep_them() -> None:
    entry = ShowSchedule(1, "1", start_time=time(8, 0, 30))
    assert entry.to_json()["start_time"] == "08:00:30"
    assert ShowSchedule.from_json(entry.to_json(), "s") == entry


def test_the_plain_parts_name_every_field_they_read() -> None:
    for part in (ShowBoard, ShowItem):
        assert part.KEYS == tuple(f.name for f in fields(part) if f.name != "extra")
