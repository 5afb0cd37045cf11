"""Issue #17, the renderer's half: text sized for the board's viewing distance, Vietnamese
lines broken between words and phrases (never inside a listed word or name), each script in
its own font, GIF timing exact over the whole animation, and the layout said in words."""

from __future__ import annotations

import io
import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from drivers.pixels import BoardSpec, GeometryError
from signage.cli import main
from signage.render import RenderError, render_item
from signage.render.facts import layout_facts
from signage.render.layout import line_ops
from signage.render.legibility import layout_letter_px, min_letter_px, readable_m
from signage.render.lint import lint_item
from signage.render.options import parse_slogan
from signage.render.preview import animation
from signage.render.slogan import prepare
from signage.render.words import add_staff_word, key_of, shipped_words, units

ROOT = Path(__file__).resolve().parents[1]
DEMO = BoardSpec(192, 32, "mono")  # the demo board: P10 modules (10 mm) read from 25 m


def playlist_slogans() -> list[str]:
    """Every slogan text in playlists/*.toml."""
    return [
        s["text"]
        for path in sorted((ROOT / "playlists").glob("*.toml"))
        for s in tomllib.loads(path.read_text("utf-8")).get("slogans", [])
    ]


def laid_out(text: str, spec: BoardSpec, effect: str = "auto"):  # noqa: ANN201 - a Prepared
    return prepare(text, parse_slogan({"text": text, "effect": effect}), spec)


def lines_of(prepared) -> list[str]:  # noqa: ANN001
    return ["".join(r.text for r in line) for line in prepared.layout.block.lines]


def splits(lines: list[str], entries: list[tuple[str, ...]]) -> list[str]:
    """Listed entries that a break between ``lines`` falls inside. The text's listed words are
    found left to right, longest first, never across a comma or other end of a phrase
    ("đóng góp ý kiến" holds "đóng góp" and "ý kiến", not "góp ý")."""
    syllables: list[str] = []
    breaks: set[int] = set()
    for line in lines:
        syllables += line.split()
        breaks.add(len(syllables))
    keys = [key_of(s) for s in syllables]
    longest_first = sorted(set(entries), key=len, reverse=True)
    found, i = [], 0
    while i < len(keys):
        for entry in longest_first:
            n = len(entry)
            if tuple(keys[i : i + n]) == entry and not any(
                s.endswith((",", ":", ";", "!", "?", ".")) for s in syllables[i : i + n - 1]
            ):
                if any(i < b < i + n for b in breaks):
                    found.append(" ".join(entry))
                i += n
                break
        else:
            i += 1
    return found


# --- 1. viewing distance -----------------------------------------------------------------------


def test_the_rule_one_cm_of_capital_per_three_metres() -> None:
    assert min_letter_px(DEMO) == 9  # 25 m / 3 = 8.4 cm: 9 rows of 10 mm
    assert min_letter_px(BoardSpec(192, 32, "mono", pitch_mm=10, viewing_m=10)) == 4
    assert min_letter_px(BoardSpec(192, 32, "mono", pitch_mm=5, viewing_m=25)) == 17
    assert readable_m(9, DEMO) == pytest.approx(27)


@pytest.mark.parametrize("size", ["192x32", "128x16", "96x16", "192x64"])
def test_every_playlist_slogan_is_still_and_legible_or_scrolls(size: str) -> None:
    spec = BoardSpec.parse(size)
    for text in playlist_slogans():
        prepared = laid_out(text, spec)
        assert prepared.effect in ("static", "scroll-left"), text
        if prepared.effect == "static":
            assert layout_letter_px(prepared.layout) >= min_letter_px(spec), (size, text)


def test_auto_scrolls_what_would_be_too_small_to_read_from_the_road() -> None:
    text = "Hưởng ứng Cuộc thi tìm hiểu 90 năm Ngày truyền thống Đảng bộ tỉnh Kon Tum"
    near = BoardSpec(192, 32, "mono", viewing_m=10)
    far = BoardSpec(192, 32, "mono", viewing_m=25)
    assert laid_out(text, near).effect == "static"  # 7-row capitals read from 21 m
    assert layout_letter_px(laid_out(text, near).layout) < min_letter_px(far)
    scrolled = laid_out(text, far)
    assert scrolled.effect == "scroll-left"
    assert scrolled.layout.chain[0].size == 23  # the largest font the 32 rows take
    assert lint_item({"text": text}, far) == []


def test_lint_says_how_tall_and_how_far_in_the_form_language() -> None:
    spec = BoardSpec(192, 32, "mono", viewing_m=40)
    warnings = lint_item({"text": "Việt Nam - Lào hữu nghị đời đời bền vững", "effect": "static"}, spec)
    too_far = [w for w in warnings if w.code == "too-far"]
    assert too_far and too_far[0].message.startswith(
        "letters 9 cm tall read from about 27 m; the board is read from 40 m, which needs 13.3 cm"
    )


def test_board_spec_refuses_impossible_pitch_and_distance() -> None:
    for kwargs in ({"pitch_mm": 0}, {"viewing_m": -1}, {"viewing_m": float("nan")}, {"pitch_mm": True}):
        with pytest.raises(GeometryError):
            BoardSpec(192, 32, "mono", **kwargs)


# --- 2. Vietnamese line breaking ---------------------------------------------------------------


@pytest.mark.parametrize("size", ["192x32", "128x32", "256x32", "192x64", "128x64"])
def test_no_listed_word_or_name_is_split_in_any_playlist_slogan(size: str) -> None:
    spec = BoardSpec.parse(size)
    entries = list(shipped_words())
    for text in playlist_slogans():
        for effect in ("auto", "static"):
            prepared = laid_out(text, spec, effect)
            assert splits(lines_of(prepared), entries) == [], (size, effect, lines_of(prepared))


def test_the_splits_the_issue_found_are_gone() -> None:
    for text, whole in [
        ("Cửa khẩu Quốc tế Bờ Y kính chào quý khách", "Bờ Y"),
        ("Đoàn kết - Dân chủ - Kỷ cương - Sáng tạo - Phát triển", "Kỷ cương"),
        ("Welcome to Bờ Y International Border Gate", "Welcome to"),
    ]:
        lines = lines_of(laid_out(text, DEMO, "static"))
        assert len(lines) == 2 and any(whole in line for line in lines), lines


def test_lines_break_between_phrases_first() -> None:
    lines = lines_of(
        laid_out("Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", DEMO, "static")
    )
    assert len(lines) == 2 and lines[0].endswith(","), lines


def test_numbers_dates_and_roman_numerals_stay_with_their_words() -> None:
    assert units("Đại hội XIII của Đảng (25/01 - 01/02/2021), nhiệm kỳ 2020 - 2025, 90 năm") == [
        "Đại hội XIII",
        "của",
        "Đảng",
        "(25/01 - 01/02/2021),",
        "nhiệm kỳ",
        "2020 - 2025,",
        "90 năm",
    ]


def test_a_no_break_space_still_joins() -> None:
    text = "Mùa hoa cà phê nở trắng rừng Xê\u00a0Đăng"
    assert units(text)[-1] == "Xê Đăng"
    for spec in (DEMO, BoardSpec(128, 32)):
        lines = lines_of(laid_out(text, spec, "static"))
        assert any("Xê Đăng" in line for line in lines), lines


def test_staff_add_their_own_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("signage.render.words._instance", [tmp_path])
    text = "dân các dân tộc xã Ya Chim thành phố Kon Tum"
    assert "Ya Chim" not in units(text)
    assert lines_of(laid_out(text, DEMO, "static"))[0].endswith(" Ya")  # split, not yet listed
    assert add_staff_word("Ya  Chim") is True
    assert add_staff_word("ya chim") is False  # listed already, any case
    assert "Ya Chim" in units(text)
    assert lines_of(laid_out(text, DEMO, "static")) == ["dân các dân tộc xã", "Ya Chim thành phố Kon Tum"]
    assert (tmp_path / "words.txt").read_text("utf-8") == "Ya Chim\n"
    for bad in ("Chim", "a # b", "x " * 30):
        with pytest.raises(RenderError):
            add_staff_word(bad)


def test_signage_words_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("signage.render.words._instance", [])
    runner = CliRunner()
    env = {"SIGNAGE_INSTANCE": str(tmp_path)}
    added = runner.invoke(main, ["words", "add", "Đắk Môn"], env=env)
    assert added.exit_code == 0 and "Đắk Môn" in added.output
    listed = runner.invoke(main, ["words", "list"], env=env)
    assert "đắk môn" in listed.output and "hồ chí minh" in listed.output
    bad = runner.invoke(main, ["words", "add", "Một"], env=env)
    assert bad.exit_code == 1 and "2 to 8 syllables" in bad.output


# --- 3. scripts by font coverage ---------------------------------------------------------------

LAO = "ຍິນດີຕ້ອນຮັບສູ່ດ່ານສາກົນບໍ່ອີ"


def test_lao_is_drawn_in_noto_sans_lao() -> None:
    for effect in ("auto", "static", "scroll-left"):
        prepared = laid_out(LAO, DEMO, effect)
        fonts = {r.face.info.name for line in prepared.layout.block.lines for r in line}
        assert fonts == {"noto-sans-lao-bold"}, (effect, fonts)


def test_mixed_vietnamese_lao_english_share_one_baseline() -> None:
    text = "Bờ Y ສະບາຍດີ Welcome"
    prepared = laid_out(text, DEMO, "static")
    runs = [r for line in prepared.layout.block.lines for r in line]
    assert [r.face.info.name for r in runs] == [
        "dejavu-sans-condensed-bold",
        "noto-sans-lao-bold",
        "dejavu-sans-condensed-bold",
    ]
    ops = line_ops(0, 0, runs, prepared.layout.block.box)
    assert len({y for _, y, _, _ in ops}) == 1  # every run on the same baseline


def test_lint_knows_each_scripts_rows_and_raqm(monkeypatch: pytest.MonkeyPatch) -> None:
    small = lint_item({"text": LAO, "effect": "static"}, BoardSpec(128, 16))
    assert any(w.code == "small" and w.message.startswith("Lao needs about 24 rows") for w in small)
    assert laid_out(LAO, BoardSpec(128, 16)).effect == "scroll-left"  # auto never shows it still there
    monkeypatch.setattr("signage.render.lint.raqm_available", lambda: False)
    assert any(w.code == "no-raqm" for w in lint_item({"text": LAO}, DEMO))


# --- 6. GIF timing ----------------------------------------------------------------------------


def test_a_scrolling_gif_lasts_as_long_as_the_board_plays_it() -> None:
    item = {"text": "CHÀO MỪNG QUÝ KHÁCH ĐẾN CỬA KHẨU QUỐC TẾ BỜ Y", "effect": "scroll-left", "speed": 40}
    frames = list(render_item(item, DEMO))
    true = sum(f.hold for f in frames)
    gif = Image.open(io.BytesIO(animation(iter(frames), "GIF")))
    delays = []
    for i in range(gif.n_frames):
        gif.seek(i)
        delays.append(gif.info["duration"])
    assert abs(sum(delays) / 1000 - true) <= 0.005 + 1e-9  # to the centisecond, over 21 s
    assert set(delays[1:-1]) == {20, 30}  # each 25 ms step is 2 or 3 cs, not 2 each (25 % fast)


# --- 7. the layout in words: CLI, form, API ---------------------------------------------------


def test_render_json_prints_the_layout_chosen(tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    result = CliRunner().invoke(
        main,
        [
            "render",
            "Cửa khẩu Quốc tế Bờ Y kính chào quý khách",
            "--json",
            "--viewing",
            "40",
            "--effect",
            "static",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    facts = json.loads(result.stdout)
    assert facts["effect"] == "static" and facts["font"] == "galmuri9" and facts["size_px"] == 12
    assert (facts["letter_px"], facts["letter_cm"], facts["readable_m"]) == (9, 9.0, 27.0)
    assert facts["lines"] == ["Cửa khẩu Quốc tế Bờ Y", "kính chào quý khách"]
    assert facts["board"]["viewing_m"] == 40 and facts["min_letter_cm"] == 13.3
    assert [w["code"] for w in facts["warnings"]] == ["too-far"]
    assert out.is_file()


def test_render_cli_refuses_bad_pitch_and_no_output() -> None:
    bad = CliRunner().invoke(main, ["render", "Bờ Y", "--json", "--pitch", "0"])
    assert bad.exit_code == 1 and "pixel pitch 0.0 is outside 1..50" in bad.output
    none = CliRunner().invoke(main, ["render", "Bờ Y"])
    assert none.exit_code == 1 and "--json" in none.output


def test_layout_facts_for_a_scroll() -> None:
    facts = layout_facts(
        {
            "text": "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ TỈNH KON TUM LẦN THỨ XVI, "
            "NHIỆM KỲ 2020 - 2025"
        },
        DEMO,
    )
    assert facts["effect"] == "scroll-left" and facts["legible"] and len(facts["lines"]) == 1
    assert facts["line_px"] == 32 and facts["line_cm"] == 32.0


def test_a_slogan_all_in_khmer_gets_the_rows_khmer_needs() -> None:
    prepared = laid_out("សូមស្វាគមន៍", DEMO)
    runs = [r for line in prepared.layout.block.lines for r in line]
    assert {r.face.info.name for r in runs} == {"noto-sans-khmer-bold"}
    assert prepared.effect == "static" and lint_item({"text": "សូមស្វាគមន៍"}, DEMO) == []


@pytest.mark.parametrize("size", ["192x32", "128x16", "96x16"])
def test_lao_stacked_marks_are_never_cut(size: str) -> None:
    """ບໍ່'s two marks above, ຫຼູ້'s two below: every lit pixel of the text is on the board."""
    from signage.render.layout import draw_block
    from signage.render.lint import clipped_pixels

    spec = BoardSpec.parse(size)
    for text in (LAO, "ບໍ່ ຫຼູ້ ຜູ້ ນ້ຳ", "ສະບາຍດີ ຫຼູ້ Bờ Y"):
        still = laid_out(text, spec, "static")
        assert clipped_pixels(still.layout, spec) == 0, (size, text)
        scroll = laid_out(text, spec, "scroll-left")
        block = scroll.layout.block
        free = draw_block(block, "1", (block.width + 64, block.height + 64), (32, 32))
        assert sum(free.histogram()[1:]) == sum(scroll.mask.histogram()[1:]), (size, text)
