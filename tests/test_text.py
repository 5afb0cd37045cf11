"""Behaviour of the Vietnamese text tools: NFC, TCVN3/VNI conversion and detection, dates, CLI."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from signage.cli import main
from signage.text import (
    VIETNAMESE_LETTERS,
    WEEKDAYS_VI,
    LunarDate,
    detect_encoding,
    format_countdown_vi,
    format_date_vi,
    format_lunar_vi,
    from_unicode,
    lunar_date,
    normalize,
    to_unicode,
    weekday_vi,
)

TCVN3_SAMPLES = [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    (
        "Chµo mõng §¹i héi §¶ng bé tØnh Kon Tum lÇn thø XVI",
        "Chào mừng Đại hội Đảng bộ tỉnh Kon Tum lần thứ XVI",
    ),
]

# Typed by hand from the VNI-Windows chart, not produced by from_unicode().
VNI_SAMPLES = [
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("Chaøo möøng Ñaïi hoäi Ñaûng boä tænh Kon Tum", "Chào mừng Đại hội Đảng bộ tỉnh Kon Tum"),
    ("CÖÛA KHAÅU QUOÁC TEÁ BÔØ Y", "CỬA KHẨU QUỐC TẾ BỜ Y"),
    ("Ñaø Naüng, saün coù, ñöôøng, hoïc taäp, tröôøng", "Đà Nẵng, sẵn có, đường, học tập, trường"),
]

UNICODE_VIETNAMESE = [
    "Cộng hoà xã hội chủ nghĩa Việt Nam",
    "Nhiệt liệt chào mừng Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
    "CỬA KHẨU QUỐC TẾ BỜ Y KÍNH CHÀO QUÝ KHÁCH",
    "Giờ mở cửa: 7:00 - 17:00",
    "Tôi yêu em",  # only Latin-1 letters: reads as TCVN3 and VNI too
    "Chào bạn, hôm nay là Thứ Năm",
    "Đảng Cộng sản Việt Nam quang vinh muôn năm!",
    "Kỷ niệm 90 năm Ngày thành lập Đảng (3/2/1930 - 3/2/2020)",
    "Tiếng Việt có dấu: ă â ê ô ơ ư đ",
]

ENGLISH_AND_OTHERS = [
    "Welcome to Bo Y International Border Gate",
    "Opening hours: 7:00 - 17:00, every day",
    "Café, naïve, résumé, Zürich, señor, façade",
    "© 2024 Kon Tum Economic Zone Management Board",
    "Temperature 25°C ± 2°, 50% humidity",
    "À la carte — “quoted” text… déjà vu",
    "Grüße aus München, schöne Straße",
    "Mañana el niño está aquí con su mamá",
    "Não há ação sem você, João",
    "Hôtel de ville, côte, tête, fenêtre, forêt",
    "Ô là là, ça va? Tú y yo, él y ella",
    "Gate hours 7:00–17:00 • Tel: 0260",
    "ສະບາຍດີ ຍິນດີຕ້ອນຮັບ",  # Lao welcome
    "",
    "   ",
    "12345 !@#$%",
]


# --- TCVN3 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("legacy", "expected"), TCVN3_SAMPLES)
def test_tcvn3_samples_convert_exactly(legacy: str, expected: str) -> None:
    assert detect_encoding(legacy) == "tcvn3"
    assert to_unicode(legacy) == expected
    assert to_unicode(legacy, "tcvn3") == expected


@pytest.mark.parametrize(("legacy", "expected"), TCVN3_SAMPLES)
def test_tcvn3_samples_as_raw_bytes(legacy: str, expected: str) -> None:
    raw = legacy.encode("cp1252")
    assert detect_encoding(raw) == "tcvn3"
    assert to_unicode(raw) == expected
    assert to_unicode(raw, "tcvn3") == expected


def test_tcvn3_table_matches_published_vn3_positions() -> None:
    # A few fixed points of TCVN 5712:1993 (same positions in glibc's TCVN5712-1).
    fixed = {
        0xA1: "Ă",
        0xA7: "Đ",
        0xAE: "đ",
        0xB5: "à",
        0xB8: "á",
        0xC6: "ặ",
        0xD6: "ệ",
        0xDC: "ĩ",
        0xE9: "ộ",
        0xF5: "ừ",
        0xFD: "ý",
        0xFE: "ỵ",
        0x80: "À",
        0xFF: "Ố",
    }
    for code, letter in fixed.items():
        assert to_unicode(bytes([code]), "tcvn3", upper=False) == letter
        assert from_unicode(letter, "tcvn3") == chr(code)


def test_tcvn3_lowercase_letters_sit_in_the_vn3_range() -> None:
    lower = [c for c in VIETNAMESE_LETTERS if c.islower()]
    assert len(lower) == 67
    assert all(0xA8 <= ord(from_unicode(c, "tcvn3")) <= 0xFE for c in lower)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_all_134_letters_round_trip(encoding: str) -> None:
    assert len(VIETNAMESE_LETTERS) == len(set(VIETNAMESE_LETTERS)) == 134
    codes = {from_unicode(c, encoding) for c in VIETNAMESE_LETTERS}
    assert len(codes) == 134  # the inverse is one-to-one
    for letter in VIETNAMESE_LETTERS:
        legacy = from_unicode(letter, encoding)
        assert to_unicode(legacy, encoding, upper=False) == letter
        assert to_unicode(legacy.encode("latin-1"), encoding, upper=False) == letter
        # also inside a word, between ASCII letters
        word = f"x{letter}n"
        assert to_unicode(from_unicode(word, encoding), encoding, upper=False) == word


def test_tcvn3_all_caps_font_text_is_upper_cased() -> None:
    heading = "CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM"  # typed for .VnTimeH: caps lock + lowercase codes
    assert to_unicode(heading) == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert to_unicode(heading, "tcvn3", upper=False) == "CộNG HOà Xã HộI CHủ NGHĩA VIệT NAM"
    # one all-caps word in a mixed line
    assert to_unicode("Chµo mõng §¹I HéI", "tcvn3") == "Chào mừng ĐẠI HỘI"
    # capitalised words stay capitalised, not shouted
    assert to_unicode("§éc lËp - Tù do", "tcvn3") == "Độc lập - Tự do"
    # a file known to be all in .VnTimeH
    assert to_unicode("céng hoµ", "tcvn3", upper=True) == "CỘNG HOÀ"


def test_tcvn3_keeps_cp1252_punctuation() -> None:
    assert to_unicode("“§éc lËp” – Tù do…", "tcvn3") == "“Độc lập” – Tự do…"


# --- VNI ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("legacy", "expected"), VNI_SAMPLES)
def test_vni_samples(legacy: str, expected: str) -> None:
    assert detect_encoding(legacy) == "vni"
    assert to_unicode(legacy) == expected
    assert to_unicode(legacy.encode("cp1252")) == expected
    assert from_unicode(expected, "vni") == legacy


def test_vni_single_byte_letters() -> None:
    pairs = {
        "ñ": "đ",
        "Ñ": "Đ",
        "ô": "ơ",
        "Ô": "Ơ",
        "ö": "ư",
        "Ö": "Ư",
        "ò": "ị",
        "æ": "ỉ",
        "ó": "ĩ",
        "î": "ỵ",
        "Î": "Ỵ",
        "aú": "ẳ",
        "aü": "ẵ",
        "AÚ": "Ẳ",
        "oâ": "ô",
        "aê": "ă",
    }
    for legacy, letter in pairs.items():
        assert to_unicode(legacy, "vni") == letter


def test_vni_tolerates_mark_in_the_other_case() -> None:
    assert to_unicode("VIEäT", "vni") == "VIỆT"
    assert to_unicode("Vieät", "vni") == "Việt"


# --- round trip properties ------------------------------------------------------------------------

_ALPHABET = st.sampled_from(list(VIETNAMESE_LETTERS) + [chr(c) for c in range(0x20, 0x7F)] + ["\n"] * 3)
_VIET_TEXT = st.text(_ALPHABET, max_size=80)


@settings(max_examples=300, deadline=None)
@given(_VIET_TEXT, st.sampled_from(["tcvn3", "vni"]), st.booleans())
def test_round_trip_through_legacy_encodings(text: str, encoding: str, as_bytes: bool) -> None:
    legacy: str | bytes = from_unicode(text, encoding)
    if as_bytes:
        legacy = legacy.encode("latin-1")
    assert to_unicode(legacy, encoding, upper=False) == unicodedata.normalize("NFC", text)


@settings(max_examples=200, deadline=None)
@given(_VIET_TEXT)
def test_nfd_input_becomes_nfc(text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    assert normalize(unicodedata.normalize("NFD", text)) == nfc
    assert to_unicode(unicodedata.normalize("NFD", text)) == nfc


_ONSETS = [
    "",
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gh",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "ngh",
    "nh",
    "p",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
]
_RHYMES = [
    "a",
    "an",
    "ang",
    "anh",
    "ai",
    "ao",
    "ăn",
    "ăng",
    "âm",
    "ân",
    "âu",
    "e",
    "em",
    "en",
    "eo",
    "ê",
    "ên",
    "ênh",
    "êu",
    "i",
    "in",
    "inh",
    "iêng",
    "iêt",
    "o",
    "oa",
    "oai",
    "oan",
    "ong",
    "ô",
    "ôi",
    "ông",
    "ơ",
    "ơi",
    "ơn",
    "u",
    "ui",
    "un",
    "ung",
    "uôn",
    "uông",
    "ư",
    "ưa",
    "ưng",
    "ươc",
    "ương",
    "ươi",
    "y",
    "uy",
    "uyên",
]
_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


@st.composite
def _syllable(draw: st.DrawFn) -> str:
    word = draw(st.sampled_from(_ONSETS)) + draw(st.sampled_from(_RHYMES))
    vowels = [i for i, c in enumerate(word) if unicodedata.normalize("NFD", c)[0] in "aeiouy"]
    pos = draw(st.sampled_from(vowels))
    word = unicodedata.normalize("NFC", word[: pos + 1] + draw(st.sampled_from(_TONES)) + word[pos + 1 :])
    case = draw(st.sampled_from(["lower", "title", "upper"]))
    return getattr(word, case)()


@settings(max_examples=300, deadline=None)
@given(st.lists(_syllable(), min_size=1, max_size=12), st.booleans())
def test_unicode_vietnamese_is_never_taken_for_legacy(words: list[str], nfd: bool) -> None:
    text = unicodedata.normalize("NFD" if nfd else "NFC", " ".join(words))
    assert detect_encoding(text) == "unicode"
    assert detect_encoding(text.encode("utf-8")) == "unicode"
    assert to_unicode(text) == unicodedata.normalize("NFC", text)


# --- detection ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", UNICODE_VIETNAMESE + ENGLISH_AND_OTHERS)
def test_detection_does_not_misfire(text: str) -> None:
    assert detect_encoding(text) == "unicode"
    assert to_unicode(text) == normalize(text)
    assert detect_encoding(text.encode("utf-8")) == "unicode"
    assert detect_encoding(unicodedata.normalize("NFD", text)) == "unicode"


def test_non_utf8_bytes_without_legacy_codes_read_as_cp1258() -> None:
    raw = b"T\xf4i y\xeau Vi\xea\xf2t Nam, \xf0\xfd\xf5\xccng"  # cp1258 uses combining tone marks
    assert detect_encoding(raw) == "cp1258"
    assert to_unicode(raw) == "Tôi yêu Việt Nam, đường"


def test_unknown_source_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown source encoding 'abc'"):
        to_unicode("x", "abc")
    with pytest.raises(ValueError, match="unknown target"):
        from_unicode("x", "viscii")


# --- normalisation --------------------------------------------------------------------------------


def test_normalize_cleans_every_input_path() -> None:
    assert normalize("Vie\u0323\u0302t Nam") == "Việt Nam"  # NFD, marks in canonical order
    assert normalize("Vie\u0302\u0323t") == "Việt"
    assert normalize("Tie\u0301\u0302ng") == "Tiếng"  # tone typed before the circumflex
    assert normalize("a\u0306\u0301a\u0301\u0306") == "ắắ"
    assert normalize("to\u0301\u0301t") == "tót"  # a mark typed twice
    assert normalize("\ufeffDòng 1\r\nDòng 2\rDòng 3\u2028Dòng 4") == "Dòng 1\nDòng 2\nDòng 3\nDòng 4"
    assert normalize("a\tb\x00c\x07d\u00ade\x1b") == "a bcde"
    assert normalize("ÐẠI HỘI ðảng") == "ĐẠI HỘI đảng"  # Icelandic eth typed for Đ
    assert normalize("Cộng hoà") == "Cộng hoà"
    assert normalize("ສະບາຍດີ") == unicodedata.normalize("NFC", "ສະບາຍດີ")  # Lao untouched


# --- dates ----------------------------------------------------------------------------------------


def test_format_date_vi() -> None:
    assert date(2026, 11, 26).weekday() == 3
    assert format_date_vi(date(2026, 11, 26)) == "Thứ Năm, 26/11/2026"
    assert format_date_vi(date(2021, 2, 1)) == "Thứ Hai, 01/02/2021"


def test_weekday_names() -> None:
    monday = date(2026, 11, 23)
    names = [weekday_vi(monday + timedelta(days=i)) for i in range(7)]
    assert names == ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
    assert list(WEEKDAYS_VI) == names


def test_countdown() -> None:
    assert format_countdown_vi(date(2026, 12, 31), date(2026, 11, 26)) == "còn 35 ngày"
    assert format_countdown_vi(date(2026, 11, 26), date(2026, 11, 26)) == "hôm nay"
    assert format_countdown_vi(date(2026, 11, 23), date(2026, 11, 26)) == "đã qua 3 ngày"


@pytest.mark.parametrize(
    ("solar", "lunar"),
    [
        (date(2020, 1, 25), LunarDate(1, 1, 2020, False)),  # Tết Canh Tý
        (date(2021, 2, 12), LunarDate(1, 1, 2021, False)),  # Tết Tân Sửu, during the 13th Congress
        (date(2026, 2, 17), LunarDate(1, 1, 2026, False)),
        (date(1985, 1, 21), LunarDate(1, 1, 1985, False)),  # Vietnam's Tết, a month before China's
        (date(2007, 2, 17), LunarDate(1, 1, 2007, False)),  # a day before China's
        (date(2020, 5, 23), LunarDate(1, 4, 2020, True)),  # leap 4th month
        (date(2023, 3, 22), LunarDate(1, 2, 2023, True)),  # leap 2nd month
        (date(2024, 9, 17), LunarDate(15, 8, 2024, False)),  # Mid-Autumn
        (date(2026, 11, 26), LunarDate(18, 10, 2026, False)),
        (date(2020, 1, 24), LunarDate(30, 12, 2019, False)),  # New Year's Eve
    ],
)
def test_lunar_date(solar: date, lunar: LunarDate) -> None:
    assert lunar_date(solar) == lunar


def test_lunar_days_run_on() -> None:
    day = date(2019, 11, 1)
    prev = lunar_date(day)
    for _ in range(365 * 3):
        day += timedelta(days=1)
        cur = lunar_date(day)
        assert cur.day == prev.day + 1 or (cur.day == 1 and prev.day in (29, 30))
        prev = cur


def test_format_lunar_vi() -> None:
    assert format_lunar_vi(date(2026, 11, 26)) == "18/10 năm Bính Ngọ"
    assert format_lunar_vi(date(2020, 5, 23)) == "01/04 nhuận năm Canh Tý"


# --- CLI ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("legacy", "expected"), TCVN3_SAMPLES)
def test_cli_converts_tcvn3(legacy: str, expected: str) -> None:
    result = CliRunner().invoke(main, ["convert-text", legacy])
    assert result.exit_code == 0, result.output
    assert result.output == expected + "\n"
    result = CliRunner().invoke(main, ["convert-text", "--from", "tcvn3", legacy])
    assert result.output == expected + "\n"


def test_cli_vni_nfd_stdin_and_upper() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["convert-text", "--from", "vni", "Vieät Nam"]).output == "Việt Nam\n"
    nfd = unicodedata.normalize("NFD", "Việt Nam")
    out = runner.invoke(main, ["convert-text", nfd]).output
    assert out == "Việt Nam\n" and unicodedata.is_normalized("NFC", out)
    piped = runner.invoke(main, ["convert-text", "-"], input="C\xe9ng ho\xb5\n".encode("latin-1"))
    assert piped.exit_code == 0 and piped.output == "Cộng hoà\n"
    assert runner.invoke(main, ["convert-text", "--upper", "céng hoµ"]).output == "CỘNG HOÀ\n"


def test_cli_rejects_unknown_encoding() -> None:
    result = CliRunner().invoke(main, ["convert-text", "--from", "utf-16", "abc"])
    assert result.exit_code != 0
    assert "--from" in result.output and "tcvn3" in result.output
