"""Fonts by name, auto-fit, per-character fallback, raqm, live tokens."""

from __future__ import annotations

import warnings
from datetime import date, datetime

import pytest
from PIL import ImageChops, features

from drivers.pixels import BoardSpec
from signage.render import RenderError, RenderWarning, render_item
from signage.render.fonts import FONTS, candidates, face, fit_face, font_info, fonts_dir, raqm_available
from signage.render.layout import split_runs
from signage.render.tokens import expand
from signage.text import format_countdown_vi as countdown
from signage.text import format_date_vi as vietnamese_date

NOW = datetime(2026, 11, 26, 8, 30, 15)


def first(item: dict, spec: BoardSpec) -> list:
    return list(render_item(item, spec, now=NOW))


def test_every_shipped_font_has_its_file_and_a_licence() -> None:
    for info in FONTS.values():
        assert (fonts_dir() / info.file).is_file()
        assert info.licence
    licences = {p.name for p in fonts_dir().glob("*LICENSE*")}
    assert len(licences) >= 4
    assert (fonts_dir() / "README.md").read_text().count("|") > 20


def test_font_names_are_forgiving_and_unknown_ones_are_named() -> None:
    assert font_info("Galmuri9").name == "galmuri9"
    assert font_info("DejaVu Sans Condensed Bold").name == "dejavu-sans-condensed-bold"
    with pytest.raises(RenderError, match="unknown font 'Arial'"):
        font_info("Arial")


def test_cmap_reader_knows_what_each_font_has() -> None:
    from signage.render.cmap import Cmap
    from signage.render.fonts import VIETNAMESE_LETTERS

    for name in (
        "Galmuri7Bitmap-Regular.ttf",
        "Galmuri9Bitmap-Regular.ttf",
        "unifont.otf",
        "DejaVuSansCondensed-Bold.ttf",
        "NotoSans-Bold.ttf",
    ):
        cmap = Cmap(fonts_dir() / name)
        assert all(ord(c) in cmap for c in VIETNAMESE_LETTERS), name
        assert 0x1F9E0 not in cmap and 0xE0000 not in cmap
    lao = Cmap(fonts_dir() / "NotoSansLao-Bold.ttf")
    assert ord("ສ") in lao and ord("Ệ") not in lao
    assert ord("A") not in Cmap(fonts_dir() / "NotoSansKhmer-Bold.ttf")


def test_pixel_fonts_exist_only_at_their_native_size() -> None:
    assert face("galmuri9").size == 12
    with pytest.raises(RenderError, match="native|only at"):
        face("galmuri9", 14)


def test_outline_sizes_grow_with_rows_and_fit_them() -> None:
    sizes = [fit_face("noto-sans-bold", rows) for rows in (16, 24, 32, 64)]
    assert [f.size for f in sizes] == sorted(f.size for f in sizes)
    for rows, f in zip((16, 24, 32, 64), sizes, strict=True):
        assert f.height <= rows


def test_auto_fit_takes_the_largest_face_that_fits() -> None:
    spec = BoardSpec(192, 32)
    big = first({"text": "CHÀO", "effect": "static"}, spec)[0].image.getbbox()
    small = first({"text": "CHÀO MỪNG ĐẠI HỘI ĐẢNG BỘ TỈNH", "effect": "static"}, spec)[0].image.getbbox()
    assert big[3] - big[1] > small[3] - small[1]
    heights = [f.height for f in candidates(None, 32)]
    assert heights[0] <= 32 and heights == sorted(heights, reverse=True)


def test_named_font_is_used() -> None:
    spec = BoardSpec(192, 16)
    a = first({"text": "Việt Nam", "font": "unifont", "effect": "static"}, spec)[0].image
    b = first({"text": "Việt Nam", "font": "galmuri9", "effect": "static"}, spec)[0].image
    assert a.tobytes() != b.tobytes()


def test_lao_falls_back_to_noto_lao_without_warning() -> None:
    spec = BoardSpec(256, 32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = first({"text": "Chào mừng ສະບາຍດີ", "effect": "static"}, spec)
    assert out[0].image.getbbox() is not None
    runs = split_runs("Chào ສະບາຍດີ", (face("galmuri9"), fit_face("noto-sans-lao-bold", 32)))
    assert [r.face.info.name for r in runs] == ["galmuri9", "noto-sans-lao-bold"]
    assert runs[1].text == "ສະບາຍດີ"


def test_a_character_no_font_has_is_named_in_a_warning() -> None:
    with pytest.warns(RenderWarning, match="U\\+1F9E0"):
        first({"text": "Xin chào \U0001f9e0", "effect": "static"}, BoardSpec(192, 32))


@pytest.mark.skipif(not features.check("raqm"), reason="needs raqm to shape Khmer")
def test_khmer_is_shaped_with_raqm() -> None:
    assert raqm_available()
    from PIL import ImageFont

    path = str(fonts_dir() / "NotoSansKhmer-Bold.ttf")
    word = "ស្រ្តី"
    raqm = ImageFont.truetype(path, 24, layout_engine=ImageFont.Layout.RAQM)
    basic = ImageFont.truetype(path, 24, layout_engine=ImageFont.Layout.BASIC)
    assert raqm.getlength(word) < basic.getlength(word)  # the coeng subscripts stack under the base
    assert fit_face("khmer", 32).font.layout_engine == ImageFont.Layout.RAQM


def test_raqm_check_matches_pillow() -> None:
    assert raqm_available() == bool(features.check("raqm"))


def test_vietnamese_dates_and_countdowns() -> None:
    assert vietnamese_date(date(2026, 11, 26)) == "Thứ Năm, 26/11/2026"
    assert vietnamese_date(date(2026, 11, 29)) == "Chủ nhật, 29/11/2026"
    assert countdown(date(2026, 12, 31), date(2026, 11, 26)) == "còn 35 ngày"
    assert countdown(date(2026, 11, 26), date(2026, 11, 26)) == "hôm nay"
    assert expand("{time} {date} {countdown:2026-12-31}", NOW) == "08:30 Thứ Năm, 26/11/2026 còn 35 ngày"
    assert expand("{unknown} {time", NOW) == "{unknown} {time"


def test_a_live_clock_is_redrawn_only_when_the_minute_changes() -> None:
    out = first({"text": "{time}", "effect": "static", "duration": 120}, BoardSpec(96, 16))
    assert [round(f.at, 3) for f in out] == [0, 45, 105]
    assert len({f.image.tobytes() for f in out}) == 3
    assert sum(f.hold for f in out) == pytest.approx(120)


def test_tokens_without_a_change_give_one_frame() -> None:
    out = first({"text": "{countdown:2026-12-31}", "effect": "static", "duration": 60}, BoardSpec(96, 16))
    assert len(out) == 1 and out[0].hold == 60


# --- live tokens in every effect --------------------------------------------------------------

BEFORE = datetime(2026, 11, 26, 8, 59, 57)  # the minute turns 3 s into the item


def _pixels(frames: list) -> list[bytes]:
    return [f.image.tobytes() for f in frames]


def test_a_clock_in_a_scroll_turns_over_mid_scroll_and_nothing_else_moves() -> None:
    spec = BoardSpec(192, 32, "mono")
    item = {"text": "{time} CHÀO MỪNG QUÝ KHÁCH", "effect": "scroll-left", "speed": 32}
    live = list(render_item(item, spec, now=BEFORE))
    old = list(render_item({**item, "text": "08:59 CHÀO MỪNG QUÝ KHÁCH"}, spec, now=BEFORE))
    new = list(render_item({**item, "text": "09:00 CHÀO MỪNG QUÝ KHÁCH"}, spec, now=BEFORE))
    assert len(live) == len(old) == len(new)
    switch = next(i for i, f in enumerate(live) if f.at >= 3.0)
    assert switch == 96  # 1 px a step at 32 px/s
    assert _pixels(live[:switch]) == _pixels(old[:switch])
    assert _pixels(live[switch:]) == _pixels(new[switch:])
    assert live[switch].image.tobytes() != old[switch].image.tobytes()  # the new time is on the board
    assert [f.at for f in live] == [f.at for f in old]
    # every scroll operation still turns the previous frame into this one; the switch needs a full frame
    assert live[switch].op is None
    for prev, f in zip(live, live[1:], strict=False):
        if f.op is not None:
            assert f.op.apply(prev.image).tobytes() == f.image.tobytes()
    assert [f.pack(spec) for f in live] == [spec.pack(f.image) for f in live]


@pytest.mark.parametrize("effect", ["static", "hold", "blink", "wipe", "typewriter", "scroll-up"])
def test_every_effect_shows_the_new_minute_after_the_boundary(effect: str) -> None:
    spec = BoardSpec(96, 16, "mono")
    item = {"text": "Giờ {time}", "effect": effect, "speed": 200, "duration": 6, "blink_period": 2}
    if effect == "scroll-up":  # a blink with passes would blink 40 times (80 s), past the next minute
        item["passes"] = 40
    live = list(render_item(item, spec, now=BEFORE))
    old = {f.image.tobytes() for f in render_item({**item, "text": "Giờ 08:59"}, spec, now=BEFORE)}
    new = {f.image.tobytes() for f in render_item({**item, "text": "Giờ 09:00"}, spec, now=BEFORE)}
    before = [f for f in live if f.at < 3 - 1e-9]
    after = [f for f in live if f.at >= 3 - 1e-9]
    assert before and after
    assert all(f.image.tobytes() in old for f in before)
    assert all(f.image.tobytes() in new for f in after)
    lit_after = [f for f in after if f.image.getbbox()]
    assert any(f.image.tobytes() not in old for f in lit_after)
    # frames stay back to back
    for a, b in zip(live, live[1:], strict=False):
        assert b.at == pytest.approx(a.at + a.hold)


def test_lunar_and_date_tokens_use_the_text_module() -> None:
    from signage.text import format_lunar_vi

    assert expand("{lunar}", NOW) == format_lunar_vi(NOW.date())
    assert expand("{countdown:2026-11-20}", NOW) == "đã qua 6 ngày"
    out = first({"text": "{date} {lunar}", "effect": "static", "duration": 30}, BoardSpec(192, 32))
    assert len(out) == 1  # nothing changes before midnight: drawn once


# --- legibility of static multi-line text and of marquees -----------------------------------------

SLOGAN69 = "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG"


def _lines(text: str, spec: BoardSpec) -> list[str]:
    from signage.render.options import parse_slogan
    from signage.render.slogan import fit_lines

    layout = fit_lines(text, parse_slogan({"text": text}), spec)
    assert layout.fits
    return ["".join(r.text for r in line) for line in layout.block.lines]


def test_two_lines_on_32_rows_are_parted_so_marks_do_not_join_the_line_above() -> None:
    frame = first({"text": SLOGAN69, "effect": "static"}, BoardSpec(192, 32, "mono"))[0].image
    lit = [y for y in range(32) if frame.crop((0, y, 192, y + 1)).getbbox()]
    gaps = [b - a - 1 for a, b in zip(lit, lit[1:], strict=False) if b - a > 1]
    assert lit[0] >= 0 and lit[-1] <= 31
    assert gaps and max(gaps) >= 2  # at least two dark rows between ĐẠI's dots and QUỐC's marks
    typed = first({"text": SLOGAN69, "effect": "typewriter", "speed": 2000}, BoardSpec(192, 32, "mono"))
    assert typed[-1].image.tobytes() == frame.tobytes()
    for f in typed:  # every step shows only pixels of the final text
        assert f.image.tobytes() == ImageChops.logical_and(f.image, frame).tobytes()


def test_wrapped_lines_are_balanced_with_no_lone_word_or_leading_dash() -> None:
    assert _lines("Welcome to Bờ Y International Border Gate", BoardSpec(192, 32)) == [
        "Welcome to Bờ Y",
        "International Border Gate",
    ]
    lines = _lines("Giờ mở cửa: 7:00 - 22:00 hằng ngày", BoardSpec(128, 64, "rgb"))
    assert len(lines) == 2 and not any(line.startswith("-") for line in lines)
    lines = _lines("Welcome to Bờ\u00a0Y International Border Gate", BoardSpec(128, 64, "rgb"))
    assert any("Bờ Y" in line for line in lines)  # a no-break space keeps a name together
    assert all(len(line.split()) > 1 for line in _lines(SLOGAN69, BoardSpec(128, 64, "rgb")))


@pytest.mark.timeout(20)
def test_a_dash_unit_wider_than_the_line_is_cut_not_looped_over() -> None:
    """The unit "Nam —" (its dash stays with its word) cannot be broken into syllables:
    on a narrow line it is cut between letters, where it once split into itself forever."""
    from signage.render.fonts import auto_font, chain_for
    from signage.render.layout import wrap

    chain = chain_for(auto_font(12), 12, "x")
    lines = wrap("Việt Nam — xin", chain, 24)
    assert "".join(lines).replace(" ", "") == "ViệtNam—xin"


def test_a_marquee_on_a_square_board_shows_words_not_single_letters() -> None:
    from signage.render.options import parse_slogan
    from signage.render.slogan import prepare

    spec = BoardSpec(128, 64, "rgb")
    prepared = prepare(SLOGAN69, parse_slogan({"text": SLOGAN69, "effect": "scroll-left"}), spec)
    assert prepared.layout.block.box.height <= 32
    per_char = prepared.layout.block.width / len(SLOGAN69)
    assert spec.width / per_char >= 8  # at least eight letters on the board at once


@pytest.mark.parametrize("direction", ["left", "right", "up"])
def test_a_countdown_that_gets_shorter_at_midnight_keeps_every_scroll_op_true(direction: str) -> None:
    spec = BoardSpec(96, 16, "mono")
    item = {"text": "Tết {countdown:2026-12-06}", "effect": f"scroll-{direction}", "speed": 100, "passes": 3}
    out = list(render_item(item, spec, now=datetime(2026, 11, 26, 23, 59, 59, 500000)))  # còn 10 → 9
    texts = {f.image.tobytes() for f in out}
    before = {f.image.tobytes() for f in render_item({**item, "text": "Tết còn 10 ngày"}, spec, now=NOW)}
    after = {f.image.tobytes() for f in render_item({**item, "text": "Tết còn 9 ngày"}, spec, now=NOW)}
    assert texts <= before | after and texts & (after - before)
    for prev, f in zip(out, out[1:], strict=False):
        assert f.at == pytest.approx(prev.at + prev.hold)
        if f.op is not None:
            assert 0 < f.op.shift and f.op.apply(prev.image).tobytes() == f.image.tobytes()
