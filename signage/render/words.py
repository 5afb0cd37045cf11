"""Where a Vietnamese line may break: words of several syllables and names stay whole.

Vietnamese writes a space between syllables, not between words, so "Kon Tum", "Đại hội" or
"Hồ Chí Minh" would break at any space. A shipped list of compounds and names (package data
``data/vi_words.txt``) and the staff's own list (``words.txt`` in the instance folder) join
their syllables into one unit by longest match, ignoring case; a Roman numeral stays with
the word before it ("Đại hội XIII"), and "2020 - 2025" or "7:00 - 22:00" stay whole. A
no-break space (U+00A0) still joins anything.

A maintained segmenter (underthesea 9.5, CRF) was measured on the 41 slogans of playlists/:
0.3 ms a slogan, but it brings ~95 MB of dependencies and joins across word boundaries
("HỒ CHÍ MINH VĨ ĐẠI SỐNG", "Bờ Y kính", "chào quý") while missing "Cuộc thi" and
"Khơi dậy": a list staff can read and extend does better here (docs/render.md).
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import N_, RenderError

#: Characters around a syllable that do not belong to it (matching ignores them).
PUNCTUATION = ",;:.!?\"'“”‘’()[]…"
#: A unit ending with one of these, or with a dash, closes a phrase: the best place to break.
PHRASE_END = ",;:.!?)]…"
DASHES = ("-", "–", "—")
#: Where lines may break: any white space but the no-break space.
_BREAKS = re.compile(r"[^\S\u00a0]+")
_ROMAN = re.compile(r"^[IVXLC]{2,}[" + re.escape(PHRASE_END) + r"]*$")
#: Most syllables a listed entry may have.
MAX_SYLLABLES = 8
#: Most characters a staff entry may have.
MAX_ENTRY_CHARS = 60


def key_of(syllable: str) -> str:
    """A syllable as matched: NFC, lower case, without the punctuation around it."""
    return unicodedata.normalize("NFC", syllable).strip(PUNCTUATION).casefold()


#: The instance folder set by the process that knows it (the admin's app); else from the environment.
_instance: list[Path] = []


def use_instance(folder: str | os.PathLike[str]) -> None:
    """Read and write the staff's list in ``folder`` (the admin app's instance folder, which
    ``signage serve --instance`` gives without setting ``SIGNAGE_INSTANCE``)."""
    _instance[:] = [Path(folder)]


def staff_words_path() -> Path:
    """The staff's own list: ``words.txt`` in the instance folder (``SIGNAGE_INSTANCE``)."""
    folder = _instance[0] if _instance else Path(os.environ.get("SIGNAGE_INSTANCE") or "instance")
    return folder / "words.txt"


def _entries(text: str) -> list[tuple[str, ...]]:
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].replace("\u00a0", " ").strip()
        keys = tuple(k for k in (key_of(s) for s in line.split()) if k)
        if 2 <= len(keys) <= MAX_SYLLABLES:
            out.append(keys)
    return out


@lru_cache(maxsize=1)
def _shipped_text() -> str:
    return resources.files("signage.render").joinpath("data/vi_words.txt").read_text("utf-8")


@lru_cache(maxsize=1)
def shipped_words() -> tuple[tuple[str, ...], ...]:
    """The shipped list, as tuples of syllable keys."""
    return tuple(_entries(_shipped_text()))


def _staff_stamp() -> tuple[int, int] | None:
    try:
        st = staff_words_path().stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


@dataclass(frozen=True, eq=False)
class Dictionary:
    """Listed entries by first syllable, longest first, for longest-match joining."""

    by_first: dict[str, tuple[tuple[str, ...], ...]]

    def longest(self, keys: list[str], at: int) -> int:
        """Syllables of the longest entry starting at ``keys[at]`` (1 when none is listed)."""
        for entry in self.by_first.get(keys[at], ()):
            if tuple(keys[at : at + len(entry)]) == entry:
                return len(entry)
        return 1


@lru_cache(maxsize=2)
def _dictionary(stamp: tuple[int, int] | None) -> Dictionary:
    entries = set(shipped_words())
    if stamp is not None:
        try:
            entries.update(_entries(staff_words_path().read_text("utf-8", errors="replace")))
        except OSError:
            pass
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for entry in entries:
        by_first.setdefault(entry[0], []).append(entry)
    return Dictionary({k: tuple(sorted(v, key=len, reverse=True)) for k, v in by_first.items()})


def dictionary() -> Dictionary:
    """The shipped list and the staff's, read again when the staff's file changes."""
    return _dictionary(_staff_stamp())


def words_version() -> tuple[int, int] | None:
    """Changes when the staff's list does: part of every cached layout's key."""
    return _staff_stamp()


def _lines(text: str) -> list[str]:
    """Entries as written (comments and blank lines left out)."""
    out = []
    for line in text.splitlines():
        line = " ".join(line.split("#", 1)[0].split())
        if len(line.split()) >= 2:
            out.append(line)
    return out


def shipped_entries() -> list[str]:
    """The shipped list as written, for staff to read."""
    return _lines(_shipped_text())


def staff_entries() -> list[str]:
    """The staff's own entries as they wrote them (none when there is no file)."""
    try:
        return _lines(staff_words_path().read_text("utf-8", errors="replace"))
    except OSError:
        return []


def all_entries() -> list[str]:
    """Every listed entry (shipped and staff's), as syllable keys joined by spaces."""
    return sorted(" ".join(e) for v in dictionary().by_first.values() for e in v)


def add_staff_word(entry: str) -> bool:
    """Add ``entry`` to the staff's list; False when it is listed already. RenderError when
    it is not a word of 2..8 syllables."""
    entry = " ".join(unicodedata.normalize("NFC", entry).replace("\u00a0", " ").split())
    keys = tuple(k for k in (key_of(s) for s in entry.split()) if k)
    if not 2 <= len(keys) <= MAX_SYLLABLES or len(entry) > MAX_ENTRY_CHARS or "#" in entry:
        raise RenderError(
            N_(
                "%(value)r is not a word or name of 2 to %(most)d syllables (at most %(chars)d "
                "characters, no #)"
            ),
            value=entry,
            most=MAX_SYLLABLES,
            chars=MAX_ENTRY_CHARS,
        )
    if keys in {e for v in dictionary().by_first.values() for e in v}:
        return False
    path = staff_words_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(entry + "\n")
    return True


def _has_digit(token: str) -> bool:
    return any(c.isdigit() for c in token)


def units(paragraph: str) -> list[str]:
    """The paragraph cut where a line may break: listed words and names whole, a Roman
    numeral with the word before it, a number with the word after it, a lone dash with the
    word before it and, between two numbers, with both; a no-break space joins (drawn as a
    plain space)."""
    tokens = [t.replace("\u00a0", " ") for t in _BREAKS.split(paragraph) if t.strip()]
    tokens = [t.strip() for t in tokens]
    return list(_units(tuple(tokens), dictionary()))


@lru_cache(maxsize=512)
def _units(tokens: tuple[str, ...], words: Dictionary) -> tuple[str, ...]:
    keys = [key_of(t) for t in tokens]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        n = words.longest(keys, i) if keys[i] else 1
        # an entry never spans a phrase's end ("... cấp, tiến tới" is not "cấp tiến")
        while n > 1 and any(t.endswith(tuple(PHRASE_END)) for t in tokens[i : i + n - 1]):
            n -= 1
        unit = " ".join(tokens[i : i + n])
        i += n
        prev = out[-1] if out else ""
        if prev and not prev.endswith(tuple(PHRASE_END)):
            if unit in DASHES:
                out[-1] += " " + unit  # a dash never starts a line
                continue
            if _ROMAN.match(unit):
                out[-1] += " " + unit  # "Đại hội XIII", "lần thứ XVI"
                continue
            if prev.endswith(DASHES) and _has_digit(prev) and _has_digit(unit):
                out[-1] += " " + unit  # "2020 - 2025", "(25/9/1930 - 25/9/2020)"
                continue
            if prev.isdigit() and not _has_digit(unit):
                out[-1] += " " + unit  # "90 năm": a count stays with what it counts
                continue
        out.append(unit)
    return tuple(out)


def phrase_end(unit: str) -> bool:
    """True when a line breaking after ``unit`` breaks between phrases (after punctuation or a dash)."""
    return unit.endswith(tuple(PHRASE_END)) or unit.endswith(DASHES)
