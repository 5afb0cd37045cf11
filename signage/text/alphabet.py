"""The Vietnamese alphabet and the NFC clean-up every piece of board text goes through.

Every piece of text that reaches the board goes through :func:`normalize` (directly or via
``signage.text.legacy.to_unicode``), so NFD input, stray control characters and marks typed in
the wrong order all end up as the same NFC string the fonts were measured with.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["LOWER_LETTERS", "UNTONE", "VIETNAMESE_LETTERS", "normalize", "toned"]

# --- the Vietnamese alphabet ----------------------------------------------------------------------

# Tone order used by every table here: none, grave, hook, tilde, acute, dot below.
_TONE_MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_VOWELS = "aăâeêioôơuưy"


def toned(base: str, tone: int) -> str:
    """Compose one vowel with one tone, so tables can be written per vowel instead of per letter."""
    return unicodedata.normalize("NFC", base + _TONE_MARKS[tone])


# The 67 lowercase letters outside ASCII (60 toned vowels, ă â ê ô ơ ư, đ) and their capitals.
LOWER_LETTERS = [toned(v, t) for v in _VOWELS for t in range(6) if toned(v, t) > "\x7f"] + ["đ"]
VIETNAMESE_LETTERS: tuple[str, ...] = tuple(LOWER_LETTERS + [c.upper() for c in LOWER_LETTERS])
assert len(VIETNAMESE_LETTERS) == 134

# letter -> (toneless letter, tone index), for the syllable check.
UNTONE: dict[str, tuple[str, int]] = {}
for _v in _VOWELS + _VOWELS.upper():
    for _t in range(6):
        UNTONE[toned(_v, _t)] = (_v, _t)

# --- normalisation --------------------------------------------------------------------------------

_NEWLINES = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_DROP = {"\ufeff", "\u00ad", "\u2060", "\u200e", "\u200f"}
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0340": "\u0300", "\u0341": "\u0301"})
_SHAPE_MARKS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn


def _fix_mark_order(text: str) -> str:
    """Put circumflex/breve/horn before the tone mark and drop a repeated mark, so NFC can compose."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if unicodedata.combining(text[i]):
            j = i
            while j < len(text) and unicodedata.combining(text[j]):
                j += 1
            marks: list[str] = []
            for m in text[i:j]:
                if m not in marks:
                    marks.append(m)
            shapes = [m for m in marks if m in _SHAPE_MARKS]
            out.extend(shapes + [m for m in marks if m not in _SHAPE_MARKS])
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def normalize(text: str) -> str:
    """Give every input path the same NFC text the board's fonts were measured with.

    Line endings become ``\\n``, tabs become a space, other control and invisible format
    characters are dropped, the Icelandic eth (Ð/ð, often typed for Đ/đ) becomes Đ/đ, and
    decomposed marks typed in the wrong order (tone before circumflex/breve, or twice) are fixed.
    """
    text = _NEWLINES.sub("\n", text).replace("\t", " ")
    text = "".join(
        c for c in text if c == "\n" or (c not in _DROP and unicodedata.category(c) not in ("Cc", "Cs"))
    )
    text = unicodedata.normalize("NFD", text.translate(_LOOKALIKES))
    return unicodedata.normalize("NFC", _fix_mark_order(text))
