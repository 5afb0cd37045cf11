"""Legacy 8-bit Vietnamese: TCVN3 (ABC) and VNI to Unicode and back, and telling them apart.

*TCVN3* (ABC, ``.VnTime`` fonts) is the VN3 subset of TCVN 5712:1993: one byte per letter,
lowercase toned vowels only. The byte table below was written from the published standard's
VN3 table and cross-checked against glibc's ``TCVN5712-1`` converter (which implements VN1, the
full set); the VN1 capitals are decoded too (in the 0xA0-0xFF gaps of VN3 always, and at 0x80-0x9F
and the C0 positions only where they cannot be mistaken for punctuation, see ``_TCVN3_STR``).
VN3 has no accented capitals: headings set in ``.VnTimeH``-style fonts store lowercase codes and
the font draws capitals. ``to_unicode(..., upper=None)`` (the default) upper-cases a word or line
whose case-marked letters are all capitals; ``upper=True`` upper-cases everything (for a file
known to be all ``.VnTimeH``), ``upper=False`` never does.

*VNI* (VNI-Windows fonts) writes a toned vowel as an ASCII base letter followed by one mark byte;
đ, ơ, ư and the toned i's are single bytes. The table is generated from the published VNI
keyboard/font chart (tone marks ``ø û õ ù ï``, circumflex row ``â à å ã á ä``, breve row
``ê è ú ü é ë``; capitals use the upper-case mark bytes).

Both tables were written for this project (MIT, like the rest of it); no third-party data is
included. The PyPI package ``viparse`` converts the same encodings but is a whole document loader
for RAG pipelines, so it was not taken on as a dependency.

Legacy text arrives either as ``bytes`` or as the ``str`` a cp1252/latin-1 reader made of those
bytes; both are accepted.

Detection reads the text as it is, as TCVN3 and as VNI, and counts well-formed Vietnamese
syllables (onset, rhyme, tone on the right vowel). It leans towards "unicode": any character a
cp1252 reader cannot produce (ơ, ư, ạ, combining marks, Lao...) settles it, and a legacy reading
must beat the plain one and make 60% of all words Vietnamese. Very short legacy text can be
ambiguous ("Tù do" is also Unicode "tù do"), so callers that know the source should say so.
"""

from __future__ import annotations

import re
import unicodedata

from signage.text.alphabet import LOWER_LETTERS, UNTONE, VIETNAMESE_LETTERS, normalize, toned

__all__ = ["ENCODINGS", "detect_encoding", "from_unicode", "to_unicode"]

ENCODINGS = ("auto", "unicode", "tcvn3", "vni", "cp1258")

# --- TCVN3 (TCVN 5712:1993) -----------------------------------------------------------------------

# Per vowel: byte codes for grave, hook, tilde, acute, dot below (VN3, lowercase).
_TCVN3_LOWER_TONED = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
# VN1 capitals (same tone order); VN3 leaves these positions out.
_TCVN3_UPPER_TONED = {
    "A": (0x80, 0x81, 0x82, 0x83, 0x84),
    "Ă": (0xAF, 0xBA, 0xBF, 0xC0, 0x85),
    "Â": (0xC1, 0xC2, 0xC3, 0xC4, 0x86),
    "E": (0x87, 0x88, 0x89, 0x8A, 0x8B),
    "Ê": (0xC5, 0xCD, 0xD9, 0xDA, 0x8C),
    "I": (0x8D, 0x8E, 0x8F, 0x90, 0x91),
    "O": (0x92, 0x93, 0x94, 0x95, 0x96),
    "Ô": (0xDB, 0xE0, 0xF0, 0xFF, 0x97),
    "Ơ": (0x98, 0x99, 0x9A, 0x9B, 0x9C),
    "U": (0x9D, 0x9E, 0x9F, 0x01, 0x02),
    "Ư": (0x04, 0x05, 0x06, 0x11, 0x12),
    "Y": (0x13, 0x14, 0x15, 0x16, 0x17),
}
_TCVN3_BASES = dict(zip("ĂÂÊÔƠƯĐăâêôơưđ", range(0xA1, 0xAF), strict=True))

_TCVN3_ENCODE: dict[str, int] = dict(_TCVN3_BASES)
for _table in (_TCVN3_LOWER_TONED, _TCVN3_UPPER_TONED):
    for _v, _codes in _table.items():
        for _t, _code in enumerate(_codes, start=1):
            _TCVN3_ENCODE[toned(_v, _t)] = _code
assert set(_TCVN3_ENCODE) == set(VIETNAMESE_LETTERS)

# Raw bytes: the whole VN1 table. A str from a cp1252 reader: bytes 0x80-0x9F show up as
# punctuation there (“ ” … –), which real ABC documents use as punctuation, so only their latin-1
# view (C1 controls, never real text) is decoded.
_TCVN3_BYTES: dict[int, str] = {code: letter for letter, code in _TCVN3_ENCODE.items()}
_TCVN3_STR: dict[str, str] = {chr(code): letter for code, letter in _TCVN3_BYTES.items()}
# Letters whose case TCVN3 marks: ASCII letters plus the 14 base letters at 0xA1-0xAE.
_TCVN3_CASED = {chr(c) for c in range(0xA1, 0xAF)}

# --- VNI (VNI-Windows) ----------------------------------------------------------------------------

# Mark bytes for none, grave, hook, tilde, acute, dot below (lowercase; capitals use .upper()).
_VNI_TONES = ("", "ø", "û", "õ", "ù", "ï")
_VNI_CIRCUMFLEX = ("â", "à", "å", "ã", "á", "ä")
_VNI_BREVE = ("ê", "è", "ú", "ü", "é", "ë")
_VNI_I = ("i", "ì", "æ", "ó", "í", "ò")


def _vni_encode_lower(letter: str) -> str:
    """Spell one lowercase letter in VNI, so the table and its inverse come from one rule."""
    if letter == "đ":
        return "ñ"
    base, tone = UNTONE[letter]
    if base == "i":
        return _VNI_I[tone]
    if base == "y" and tone == 5:
        return "î"
    if base in "âêô":
        return unicodedata.normalize("NFD", base)[0] + _VNI_CIRCUMFLEX[tone]
    if base == "ă":
        return "a" + _VNI_BREVE[tone]
    if base == "ơ":
        return "ô" + _VNI_TONES[tone]
    if base == "ư":
        return "ö" + _VNI_TONES[tone]
    return base + _VNI_TONES[tone]


_VNI_ENCODE: dict[str, str] = {}
for _letter in LOWER_LETTERS:
    _VNI_ENCODE[_letter] = _vni_encode_lower(_letter)
    _VNI_ENCODE[_letter.upper()] = _vni_encode_lower(_letter).upper()
assert len(set(_VNI_ENCODE.values())) == 134

_VNI_PAIRS: dict[str, str] = {}
_VNI_SINGLES: dict[str, str] = {}
for _letter, _spelled in _VNI_ENCODE.items():
    if len(_spelled) == 2:
        _VNI_PAIRS[_spelled] = _letter
        # Tolerate a mark in the other case than its base ("Aù"): the base decides the case.
        _VNI_PAIRS.setdefault(_spelled[0] + _spelled[1].swapcase(), _letter)
    else:
        _VNI_SINGLES[_spelled] = _letter
# Bare ASCII vowels are letters, not VNI codes.
for _v in "aeiouyAEIOUY":
    _VNI_SINGLES.pop(_v, None)
_VNI_PAIR_FIRST = {code[0] for code in _VNI_PAIRS}

# --- conversion -----------------------------------------------------------------------------------


def _cp1252_view(data: bytes) -> str:
    """Show bytes as a cp1252 reader would, keeping undefined bytes, so VNI files decode like text."""
    return "".join(
        bytes([b]).decode("cp1252", errors="replace") if 0x80 <= b < 0xA0 else chr(b) for b in data
    ).replace("\ufffd", "")


def _tcvn3_upper_auto(raw: str, decoded: str) -> str:
    """Upper-case the words/lines that were set in an all-caps (.VnTimeH) font."""
    out_lines = []
    for raw_line, line in zip(raw.split("\n"), decoded.split("\n"), strict=True):
        cased = [c for c in raw_line if (c.isascii() and c.isalpha()) or c in _TCVN3_CASED]
        if len(cased) >= 2 and all(_TCVN3_STR.get(c, c).isupper() for c in cased):
            out_lines.append(line.upper())
            continue
        raw_words, words = raw_line.split(" "), line.split(" ")
        for k, (rw, w) in enumerate(zip(raw_words, words, strict=True)):
            cased = [c for c in rw if (c.isascii() and c.isalpha()) or c in _TCVN3_CASED]
            if len(cased) >= 2 and all(_TCVN3_STR.get(c, c).isupper() for c in cased):
                words[k] = w.upper()
        out_lines.append(" ".join(words))
    return "\n".join(out_lines)


def _decode_tcvn3(text: str | bytes, upper: bool | None) -> str:
    """Map TCVN3 codes one by one (length kept, so the case pass can line words up)."""
    raw = text.decode("latin-1") if isinstance(text, bytes) else text
    decoded = "".join(_TCVN3_STR.get(c, c) for c in raw)
    if upper is None:
        return _tcvn3_upper_auto(raw, decoded)
    return decoded.upper() if upper else decoded


def _decode_vni(text: str) -> str:
    """Join VNI base+mark pairs into letters, longest match first."""
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if text[i] in _VNI_PAIR_FIRST and pair in _VNI_PAIRS:
            out.append(_VNI_PAIRS[pair])
            i += 2
            continue
        out.append(_VNI_SINGLES.get(text[i], text[i]))
        i += 1
    return "".join(out)


def _decode(text: str | bytes, source: str, upper: bool | None) -> str:
    """Decode without normalising, so detection can score the raw result."""
    if source == "tcvn3":
        return _decode_tcvn3(text, upper)
    if isinstance(text, bytes):
        if source == "vni":
            text = _cp1252_view(text)
        elif source == "cp1258":
            return text.decode("cp1258", errors="replace")
        else:
            return text.decode("utf-8", errors="replace")
    if source == "vni":
        decoded = _decode_vni(text)
        return decoded.upper() if upper else decoded
    if source == "cp1258":
        try:
            return text.encode("cp1252").decode("cp1258")
        except UnicodeError:
            return text
    return text


def to_unicode(text: str | bytes, source: str = "auto", *, upper: bool | None = None) -> str:
    """Turn board text in any shape (NFC, NFD, TCVN3, VNI, as bytes or as str) into clean NFC.

    ``source`` is one of ``auto``, ``unicode``, ``tcvn3``, ``vni``, ``cp1258``. ``upper`` only
    matters for TCVN3 (and forces capitals for VNI when True): ``None`` upper-cases the words and
    lines typed in all capitals (the ``.VnTimeH`` convention), ``True`` everything, ``False``
    nothing.
    """
    if source not in ENCODINGS:
        raise ValueError(f"unknown source encoding {source!r}; expected one of {', '.join(ENCODINGS)}")
    if source == "auto":
        source = detect_encoding(text)
    decoded = _decode(text, source, upper)
    if source == "unicode" and upper:
        decoded = decoded.upper()
    return normalize(decoded)


def from_unicode(text: str, target: str) -> str:
    """Spell Unicode Vietnamese in TCVN3 or VNI (as a cp1252/latin-1 reader shows it), for tests and export.

    Use ``.encode("latin-1")`` on the result for the raw bytes. Characters the target cannot
    spell are kept as they are.
    """
    text = unicodedata.normalize("NFC", text)
    if target == "tcvn3":
        return "".join(chr(_TCVN3_ENCODE[c]) if c in _TCVN3_ENCODE else c for c in text)
    if target == "vni":
        return "".join(_VNI_ENCODE.get(c, c) for c in text)
    raise ValueError(f"unknown target encoding {target!r}; expected tcvn3 or vni")


# --- detection ------------------------------------------------------------------------------------

_ONSETS = ("ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch", *"bcdđghklmnprstvx", "")
# Nuclei that may take a final consonant, and those that end in a glide and may not.
_NUCLEI_OPEN = "uyê|iê|yê|oa|oă|oe|uâ|uê|uô|ươ|uy|[aăâeêioôơuưy]"
_NUCLEI_CLOSED = (
    "iêu|yêu|oai|oao|oay|oeo|uây|uôi|ươi|ươu|uya|uyu|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|uơ|ưa|ưi|ưu"
)
_RHYME = re.compile(rf"(?P<closed>{_NUCLEI_CLOSED})|(?P<open>{_NUCLEI_OPEN})(?:ch|ng|nh|[cmnpt])?")


def _tone_ok(nucleus: str, index: int) -> bool:
    """Check the tone sits where Vietnamese spelling puts it (old and new style both accepted)."""
    if len(nucleus) == 1:
        return index == 0
    marked = [i for i, c in enumerate(nucleus) if c in "ăâêôơư"]
    if marked:
        return index == marked[-1]
    if nucleus in ("oa", "oe", "uy"):
        return index in (0, 1)
    return index == (1 if len(nucleus) == 3 else 0)


def _is_syllable(word: str, strict: bool = True) -> bool:
    """Tell whether a word is one well-formed Vietnamese syllable (onset, rhyme, one well-placed tone).

    ``strict=False`` accepts the tone on any vowel of the rhyme: the reading "as it is" gets that
    benefit of the doubt, so sloppy Unicode is never taken for a legacy encoding.
    """
    base: list[str] = []
    tone_at: int | None = None
    for c in word.lower():
        if c in UNTONE:
            b, t = UNTONE[c]
            if t:
                if tone_at is not None:
                    return False
                tone_at = len(base)
            base.append(b)
        elif c == "đ" or ("a" <= c <= "z"):
            base.append(c)
        else:
            return False
    spelled = "".join(base)
    for onset in _ONSETS:
        if not spelled.startswith(onset):
            continue
        m = _RHYME.fullmatch(spelled, len(onset))
        if m is None:
            continue
        group = "closed" if m.group("closed") else "open"
        if tone_at is None or not strict or _tone_ok(m.group(group), tone_at - m.start(group)):
            return True
    return False


_CP1252_SPECIALS = {
    bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def _words(text: str) -> list[str]:
    """Split on whitespace and peel punctuation off the ends, keeping legacy codes inside words."""
    out = []
    for w in text.split():
        while w and not w[0].isalpha():
            w = w[1:]
        while w and not w[-1].isalpha():
            w = w[:-1]
        if w and not any(c.isdigit() for c in w):
            out.append(w)
    return out


def _score(raw_words: list[str] | list[bytes], source: str) -> tuple[int, int, int]:
    """Count (valid words that hold legacy codes, valid words, words) for one reading of the text."""
    valid_suspect = valid = total = 0
    for rw in raw_words:
        if isinstance(rw, bytes):
            is_suspect = any(b >= 0x80 or b < 0x20 for b in rw)
            decoded = _cp1252_view(rw) if source == "unicode" else _decode(rw, source, False)
        else:
            is_suspect = any("\x80" <= c <= "\xff" or c < " " for c in rw)
            decoded = _decode(rw, source, False)
        for w in _words(decoded):
            ok = _is_syllable(w, strict=source != "unicode")
            total += 1
            valid += ok
            # One-letter words ("â" from a lone "©") are too weak to count as evidence.
            valid_suspect += ok and is_suspect and len(w) > 1
    return valid_suspect, valid, total


def detect_encoding(text: str | bytes) -> str:
    """Guess how board text was encoded, erring towards "unicode" so real Unicode is never mangled.

    Returns ``unicode``, ``tcvn3``, ``vni`` or (bytes that are not UTF-8 and show no TCVN3/VNI
    codes) ``cp1258``, the Vietnamese Windows code page. A legacy encoding is
    chosen only when reading the text that way gives more well-formed Vietnamese syllables than
    reading it as it is, and at least 60% of its words are then Vietnamese syllables.
    """
    candidates = ["tcvn3", "vni"]
    raw_words: list[str] | list[bytes]
    if isinstance(text, bytes):
        if text.isascii():
            return "unicode"
        try:
            text.decode("utf-8")
            return "unicode"
        except UnicodeDecodeError:
            pass
        raw_words = text.split()
        candidates.append("cp1258")
    else:
        if text.isascii() or any(c > "\xff" and c not in _CP1252_SPECIALS for c in text):
            return "unicode"
        raw_words = text.split()
    best, best_score = "unicode", _score(raw_words, "unicode")
    for cand in candidates:
        score = _score(raw_words, cand)
        if score[0] > best_score[0] and score[1] * 5 >= score[2] * 3:
            best, best_score = cand, score
    if best == "unicode" and isinstance(text, bytes):
        return "cp1258"  # not UTF-8 and no legacy font code: the Vietnamese Windows code page
    return best
