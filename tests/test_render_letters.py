"""Every Vietnamese letter stays whole and distinct on the smallest rows we support."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from drivers.pixels import BoardSpec
from signage.render import render_item
from signage.render.fonts import VIETNAMESE_LETTERS, Face, auto_font

NOW = datetime(2026, 11, 26, 8, 30)


def reference_ink(face: Face, text: str) -> int:
    """Lit pixels of ``text`` drawn 1-bit on a canvas far larger than any line."""
    size = face.size
    canvas = Image.new("1", (int(face.font.getlength(text)) + 8 * size, 8 * size), 0)
    draw = ImageDraw.Draw(canvas)
    draw.fontmode = "1"
    draw.text((4 * size, 5 * size), text, font=face.font, fill=1, anchor="ls")
    return sum(canvas.histogram()[1:])


def lit(image: Image.Image) -> int:
    return sum(image.histogram()[1:])


def letter_frame(letter: str, spec: BoardSpec) -> Image.Image:
    frames = list(render_item({"text": letter, "effect": "static", "align": "left"}, spec, now=NOW))
    assert len(frames) == 1
    return frames[0].image


def test_there_are_134_precomposed_letters() -> None:
    assert len(VIETNAMESE_LETTERS) == len(set(VIETNAMESE_LETTERS)) == 134
    assert all(unicodedata.normalize("NFC", c) == c and len(c) == 1 for c in VIETNAMESE_LETTERS)
    assert {"Ẩ", "ẵ", "Ệ", "đ", "Đ", "ữ", "ỵ"} <= set(VIETNAMESE_LETTERS)


@pytest.mark.parametrize(
    ("rows", "font"), [(16, "galmuri9"), (13, "galmuri7"), (32, "dejavu-sans-condensed-bold")]
)
def test_default_font_for_rows(rows: int, font: str) -> None:
    assert auto_font(rows).info.name == font
    assert auto_font(rows).height <= rows


@pytest.mark.parametrize("rows", [13, 16, 24, 32])
def test_no_letter_loses_a_pixel(rows: int) -> None:
    spec = BoardSpec(48, rows, "mono")
    face = auto_font(rows)
    clipped = {}
    for letter in VIETNAMESE_LETTERS:
        lost = reference_ink(face, letter) - lit(letter_frame(letter, spec))
        if lost:
            clipped[letter] = lost
    assert clipped == {}


@pytest.mark.parametrize("rows", [13, 16])
def test_no_two_letters_look_the_same(rows: int) -> None:
    spec = BoardSpec(48, rows, "mono")
    seen: dict[bytes, str] = {}
    collisions = []
    for letter in VIETNAMESE_LETTERS:
        key = letter_frame(letter, spec).tobytes()
        if key in seen:
            collisions.append((seen[key], letter))
        seen[key] = letter
    assert collisions == []


@pytest.mark.parametrize("rows", [13, 16, 32])
def test_lines_of_letters_lose_no_pixel(rows: int) -> None:
    spec = BoardSpec(1024, rows, "mono")
    face = auto_font(rows)
    text = "".join(VIETNAMESE_LETTERS) + "gjpqy|"
    for chunk in (text[i : i + 40] for i in range(0, len(text), 40)):
        frame = letter_frame(chunk, spec)
        assert lit(frame) == reference_ink(face, chunk) > 0


@pytest.mark.parametrize("rows", [13, 16, 32])
def test_nfd_letters_render_identical_to_nfc(rows: int) -> None:
    spec = BoardSpec(192, rows, "mono")
    text = "".join(VIETNAMESE_LETTERS[:67]) if rows > 13 else "Ẩ Ẳ Ấ Ẫ Ắ Ẵ Ệ ữ ỵ đ"
    for chunk in (text[i : i + 12] for i in range(0, len(text), 12)):
        nfc = letter_frame(chunk, spec)
        nfd = letter_frame(unicodedata.normalize("NFD", chunk), spec)
        assert nfc.tobytes() == nfd.tobytes()


vietnamese_words = st.lists(
    st.text(alphabet="".join(VIETNAMESE_LETTERS) + "abcdeghiklmnopqrstuvxy", min_size=1, max_size=8),
    min_size=1,
    max_size=6,
).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(text=vietnamese_words, rows=st.sampled_from([13, 16, 32]))
def test_any_vietnamese_text_renders_nfd_like_nfc_and_fits_the_board(text: str, rows: int) -> None:
    spec = BoardSpec(160, rows, "mono")
    nfc = list(render_item({"text": text, "speed": 400}, spec, now=NOW))
    nfd = list(render_item({"text": unicodedata.normalize("NFD", text), "speed": 400}, spec, now=NOW))
    assert [f.image.tobytes() for f in nfc] == [f.image.tobytes() for f in nfd]
    assert all(f.image.size == spec.size for f in nfc)
