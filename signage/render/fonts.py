"""The shipped fonts, their sizes for a given number of rows, and their measured ink boxes.

Lines are placed from the ink box measured over the whole Vietnamese letter set (not the
font's nominal ascent), because many fonts draw Ẩ Ấ Ẫ Ắ above their own line box.
"""

from __future__ import annotations

import os
import struct
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import overload

from PIL import ImageFont, features

from signage.resources import data_dir

from .cmap import Cmap
from .errors import N_, RenderError, RenderWarning


def _vietnamese_letters() -> tuple[str, ...]:
    """The 134 precomposed Vietnamese letters: 67 lower case, then their capitals."""
    lower = [
        unicodedata.normalize("NFC", base + mark)
        for base in "aăâeêioôơuưy"
        for mark in "\u0300\u0301\u0309\u0303\u0323"
    ]
    lower += list("ăâêôơưđ")
    return tuple(lower + [c.upper() for c in lower])


#: Every precomposed Vietnamese letter (tests and lint check all of them).
VIETNAMESE_LETTERS: tuple[str, ...] = _vietnamese_letters()

#: What a line of slogan text may hold: Vietnamese letters, ASCII and common signs.
MEASURE_SET: str = "".join(VIETNAMESE_LETTERS) + "".join(chr(c) for c in range(33, 127)) + "–—“”‘’…°"

#: Script samples with the tallest stacks, for fonts that do not cover Vietnamese.
SCRIPT_SAMPLES: dict[str, str] = {
    "lao": " ".join("ກຂຄງຈຊຍດຕຖທນບປຜຝພຟມຢຣລວສຫອຮ") + " ກີ່ ກັ້ ປີ້ ຜູ້ ຫຼ ຫຼູ້ ໃຈ ສົ່ງ ເດັກ ຊື່ ນ້ຳ ໂຮງ",
    "khmer": " ".join("កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវសហឡអ") + " ស្រ្តី ក្សេត្រ ព្រះ ខ្ញុំ ឡើង ស៊ី ប៉ុន្តែ",
}


@dataclass(frozen=True)
class FontInfo:
    """A shipped font file and how it must be used (native size, layout engine)."""

    name: str
    file: str
    native_size: int | None = None  # bitmap fonts load only at this pixel size
    basic_layout: bool = False  # Galmuri's bitmap TTFs need BASIC (raqm gets advances wrong)
    script: str = "latin"
    licence: str = ""
    aliases: tuple[str, ...] = field(default=())


FONTS: dict[str, FontInfo] = {
    f.name: f
    for f in (
        FontInfo("galmuri7", "Galmuri7Bitmap-Regular.ttf", 10, True, licence="OFL-1.1"),
        FontInfo("galmuri9", "Galmuri9Bitmap-Regular.ttf", 12, True, licence="OFL-1.1"),
        FontInfo("unifont", "unifont.otf", 16, False, licence="OFL-1.1 or GPL-2+ with font exception"),
        FontInfo(
            "dejavu-sans-condensed-bold",
            "DejaVuSansCondensed-Bold.ttf",
            licence="Bitstream Vera",
            aliases=("dejavu", "dejavu-condensed"),
        ),
        FontInfo("noto-sans-bold", "NotoSans-Bold.ttf", licence="OFL-1.1", aliases=("noto", "noto-sans")),
        FontInfo(
            "noto-sans-lao-bold",
            "NotoSansLao-Bold.ttf",
            script="lao",
            licence="OFL-1.1",
            aliases=("noto-lao", "lao"),
        ),
        FontInfo(
            "noto-sans-khmer-bold",
            "NotoSansKhmer-Bold.ttf",
            script="khmer",
            licence="OFL-1.1",
            aliases=("noto-khmer", "khmer"),
        ),
    )
}

_ALIASES: dict[str, str] = {a: f.name for f in FONTS.values() for a in (f.name, *f.aliases)}


def fonts_dir() -> Path:
    """Where the font files are: ``$SIGNAGE_FONTS_DIR``, else the fonts shipped with the package."""
    env = os.environ.get("SIGNAGE_FONTS_DIR")
    return Path(env) if env else data_dir("signage.fonts")


def font_info(name: str) -> FontInfo:
    """The font called ``name`` (case, spaces and underscores ignored), or RenderError."""
    key = "-".join(str(name).strip().lower().replace("_", " ").replace("-", " ").split())
    if key not in _ALIASES:
        raise RenderError(
            N_("unknown font %(value)r: use one of %(known)s"), value=name, known=", ".join(FONTS)
        )
    return FONTS[_ALIASES[key]]


def raqm_available() -> bool:
    """True when Pillow can shape complex scripts (Lao, Khmer) with libraqm."""
    return bool(features.check("raqm"))


@lru_cache(maxsize=1)
def warn_if_no_raqm() -> bool:
    """Warn once that Lao and Khmer will be shaped wrongly without raqm (needs libfribidi0)."""
    ok = raqm_available()
    if not ok:
        warnings.warn(
            "Pillow has no raqm text shaping (install the system package libfribidi0): "
            "Lao and Khmer text will be drawn with wrong mark placement",
            RenderWarning,
            stacklevel=2,
        )
    return ok


@lru_cache(maxsize=16)
def _cmap(file: str) -> Cmap:
    path = fonts_dir() / file
    try:
        return Cmap(path)
    except FileNotFoundError:
        raise RenderError(_missing(path)) from None
    except (OSError, ValueError, struct.error) as exc:
        raise RenderError(_damaged(path, exc)) from None


def _missing(path: Path) -> str:
    return (
        f"font file {path} is missing: reinstall signage, or point SIGNAGE_FONTS_DIR at a "
        f"folder that holds {path.name}"
    )


def _damaged(path: Path, exc: BaseException) -> str:
    return (
        f"font file {path} cannot be read ({exc}): it is damaged or not a font; reinstall "
        f"signage, or replace the file"
    )


@dataclass(frozen=True, eq=False)
class Face:
    """A font loaded at one pixel size, with its ink box relative to the baseline."""

    info: FontInfo
    size: int
    font: ImageFont.FreeTypeFont
    ascent: int  # rows of ink above the baseline (the measured set's tallest letter)
    descent: int  # rows of ink below the baseline

    @property
    def height(self) -> int:
        """Rows one line of this face takes without clipping any measured letter."""
        return self.ascent + self.descent

    def covers(self, ch: str) -> bool:
        """True if the font has a glyph for ``ch`` (whitespace always counts as covered)."""
        return ch.isspace() or _has_glyph(self.info.file, ch)

    def __repr__(self) -> str:
        return f"Face({self.info.name}, {self.size}px, ink {self.ascent}+{self.descent})"


@lru_cache(maxsize=32768)
def _has_glyph(file: str, ch: str) -> bool:
    """Whether the font file maps ``ch``: the cmap's search once per character and font (a
    wrap asks it for every character of every trial line)."""
    return ord(ch) in _cmap(file)


def _load(info: FontInfo, size: int) -> ImageFont.FreeTypeFont:
    path = fonts_dir() / info.file
    if not path.is_file():
        raise RenderError(_missing(path))
    engine = ImageFont.Layout.BASIC if info.basic_layout or not raqm_available() else ImageFont.Layout.RAQM
    try:
        return ImageFont.truetype(str(path), size, layout_engine=engine)
    except OSError as exc:
        raise RenderError(_damaged(path, exc)) from None


@lru_cache(maxsize=4096)
def glyph_box(font: ImageFont.FreeTypeFont, text: str, mode: str) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of ``text``'s ink drawn in ``mode`` with its pen at the
    baseline origin (anchor "ls").

    Pillow types the box as floats because a stroke may be a fractional width; with no stroke
    FreeType's box is whole pixels, and it is kept as ints here. Kept per font and text: one
    layout measures the same pieces to size the line and again to place it (a box of a
    50-letter piece is ~0.4 ms of FreeType), and the fonts are the renderer's kept faces.
    """
    left, top, right, bottom = font.getbbox(text, mode=mode, anchor="ls")
    return int(left), int(top), int(right), int(bottom)


def ink_box(font: ImageFont.FreeTypeFont, text: str, words: str = "") -> tuple[int, int]:
    """(ascent, descent) around the baseline covering each character of ``text`` and ``words``.

    Boxes come per character and per word (for stacked marks in Lao and Khmer), from both
    1-bit and anti-aliased glyphs, which differ by a pixel at the edges. Drawing the whole
    set as one string is not safe: Pillow clips a long string's mask to its own estimate.
    """
    top, bottom = 0, 0
    for piece in dict.fromkeys([*text, *words.split()]):
        if piece.isspace():
            continue
        for mode in ("1", "L"):
            box = glyph_box(font, piece, mode)
            if box[2] > box[0]:
                top, bottom = min(top, box[1]), max(bottom, box[3])
    return -top, bottom


@lru_cache(maxsize=48)
def face(name: str, size: int | None = None) -> Face:
    """The named font at ``size`` px (bitmap fonts: their native size), with measured ink."""
    info = font_info(name)
    if info.native_size is not None:
        if size not in (None, info.native_size):
            raise RenderError(
                N_("%(font)s is a bitmap font: it exists only at %(size)d px"),
                font=info.name,
                size=info.native_size,
            )
        size = info.native_size
    if size is None or not 4 <= size <= 400:
        raise RenderError(N_("font size %(value)r is outside 4..400 px"), value=size)
    font = _load(info, size)
    covered = "".join(c for c in MEASURE_SET if ord(c) in _cmap(info.file))
    ascent, descent = ink_box(font, covered, SCRIPT_SAMPLES.get(info.script, ""))
    return Face(info, size, font, ascent, descent)


@lru_cache(maxsize=256)
def fit_face(name: str, rows: int) -> Face:
    """The named font at the largest size whose measured ink fits ``rows`` (bitmap: native)."""
    info = font_info(name)
    if info.native_size is not None:
        return face(info.name)
    lo, hi, best = 4, min(400, max(4, rows * 2)), None
    while lo <= hi:  # ink height grows with size, so bisect
        mid = (lo + hi) // 2
        f = face(info.name, mid)
        if f.height <= rows:
            best, lo = f, mid + 1
        else:
            hi = mid - 1
    return best if best is not None else face(info.name, 4)


#: Outline font used from 24 rows up, and as the fallback for smaller rows.
DEFAULT_OUTLINE = "dejavu-sans-condensed-bold"
#: Fonts tried, in order, for characters the chosen font lacks.
FALLBACKS: tuple[str, ...] = (
    "dejavu-sans-condensed-bold",
    "noto-sans-bold",
    "noto-sans-lao-bold",
    "noto-sans-khmer-bold",
    "unifont",
)


#: Outline fonts are clean from this pixel size (about 24 rows); below it pixel fonts read better.
OUTLINE_MIN_SIZE = 16


class Candidates(Sequence[Face]):
    """Faces to try for a line, largest first, loaded only when looked at.

    Auto-fit bisects this list, so a 128-row board touches about 7 of its ~80 sizes: each
    loaded size costs FreeType memory (about 0.4 MB), so they are not all loaded up front.
    """

    def __init__(self, entries: list[tuple[str, int | None]]):
        self.entries = entries

    def __len__(self) -> int:
        return len(self.entries)

    @overload
    def __getitem__(self, i: int) -> Face: ...
    @overload
    def __getitem__(self, i: slice) -> list[Face]: ...
    def __getitem__(self, i: int | slice) -> Face | list[Face]:
        if isinstance(i, slice):
            return [face(*e) for e in self.entries[i]]
        return face(*self.entries[i])


def candidates(font: str | None, rows: int) -> Candidates:
    """Faces to try for a line of at most ``rows`` rows, largest first (for auto-fit).

    Default: the outline font at every size from ``rows`` down to OUTLINE_MIN_SIZE, then
    Galmuri9 (16 rows) and Galmuri7 (13 rows). A named outline font: every size down to 13
    rows. A named pixel font: its native size only.
    """
    if font is not None and font_info(font).native_size is not None:
        return Candidates([(font_info(font).name, None)])
    name = font_info(font).name if font else DEFAULT_OUTLINE
    top = fit_face(name, rows)
    entries: list[tuple[str, int | None]] = []
    if top.height <= rows:
        low = OUTLINE_MIN_SIZE if font is None else min(top.size, fit_face(name, 13).size)
        entries = [(name, size) for size in range(top.size, low - 1, -1)]
    if font is None:
        entries += [(n, None) for n in ("galmuri9", "galmuri7") if face(n).height <= rows]
    return Candidates(entries or [(name, top.size)])


def auto_font(rows: int) -> Face:
    """The default face for one line of ``rows`` rows: outline from 24 rows, Galmuri below."""
    return candidates(None, rows)[0]


#: Scripts that go to the font made for them, whatever else covers their letters (DejaVu has
#: Lao letters, but its stacked marks merge): the script, its Unicode blocks and its font.
SCRIPT_FONTS: dict[str, str] = {"lao": "noto-sans-lao-bold", "khmer": "noto-sans-khmer-bold"}
_SCRIPT_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x0E80, 0x0EFF, "lao"),
    (0x1780, 0x17FF, "khmer"),
    (0x19E0, 0x19FF, "khmer"),
)
#: Fewest rows a line of each script reads cleanly in (shared fonts.md: Vietnamese 13 with a
#: pixel font; Lao about 24 for its stacked marks; Khmer about 32 for its subscripts).
SCRIPT_MIN_ROWS: dict[str, int] = {"latin": 13, "lao": 24, "khmer": 32}


def script_of(ch: str) -> str:
    """The script a character is drawn in: "lao", "khmer", or "latin" for everything else."""
    code = ord(ch)
    if code < 0x0E80 or code > 0x19FF:  # ASCII and Vietnamese (U+1EA0-1EF9) at once
        return "latin"
    for low, high, script in _SCRIPT_BLOCKS:
        if low <= code <= high:
            return script
    return "latin"


def needs_script_font(text: str) -> bool:
    """True when ``text`` has letters of a script that goes to its own font (Lao, Khmer)."""
    return any(script_of(ch) != "latin" for ch in text)


def script_font(text: str) -> str | None:
    """The font of the one script other than Latin that all of ``text``'s letters are in
    (a Lao-only slogan is set in Noto Sans Lao from the start, not beside a Latin font's
    baseline that would shrink its stacked marks), or None."""
    scripts = {script_of(ch) for ch in text if ch.isalpha()}
    if len(scripts) == 1:
        return SCRIPT_FONTS.get(scripts.pop())
    return None


def fit_beside(name: str, primary: Face, rows: int) -> Face:
    """The named font at the largest size whose ink, on the primary's baseline, keeps the line
    within ``rows``: so a mixed line is set on one baseline (bitmap fonts: native size)."""
    return _fit_beside(name, primary.info.name, primary.size, rows)


@lru_cache(maxsize=256)
def _fit_beside(name: str, primary_name: str, primary_size: int, rows: int) -> Face:
    primary = face(primary_name, primary_size)
    info = font_info(name)
    if info.native_size is not None:
        return face(info.name)
    best = face(info.name, 4)
    lo, hi = 4, min(400, max(4, rows * 2))
    while lo <= hi:
        mid = (lo + hi) // 2
        f = face(info.name, mid)
        if max(f.ascent, primary.ascent) + max(f.descent, primary.descent) <= max(rows, primary.height):
            best, lo = f, mid + 1
        else:
            hi = mid - 1
    return best


def chain_for(primary: Face, rows: int, text: str | None = None) -> tuple[Face, ...]:
    """The primary face then fallbacks that fit ``rows``, for characters the primary lacks and
    for scripts that have their own font; each on the primary's baseline. With ``text``, only
    the fallbacks it needs (each one sized costs a few measured faces)."""
    if text is None:
        names = tuple(n for n in FALLBACKS if n != primary.info.name)
    else:
        scripts = {SCRIPT_FONTS[s] for s in map(script_of, set(text)) if s in SCRIPT_FONTS}
        lacking = {ord(c) for c in text if not (primary.covers(c) or unicodedata.category(c) in ("Cc", "Cf"))}
        picked = []
        for name in FALLBACKS:
            if name == primary.info.name or not (fonts_dir() / FONTS[name].file).is_file():
                continue
            cmap = _cmap(FONTS[name].file)
            has = {c for c in lacking if c in cmap}
            if name in scripts or has:
                picked.append(name)
                lacking -= has
        names = tuple(picked)
    return _chain_for(primary.info.name, primary.size, rows, names)


@lru_cache(maxsize=256)
def _chain_for(primary_name: str, primary_size: int, rows: int, names: tuple[str, ...]) -> tuple[Face, ...]:
    primary = face(primary_name, primary_size)
    faces = [primary]
    for name in names:
        info = FONTS[name]
        if not (fonts_dir() / info.file).is_file():
            continue
        f = fit_beside(name, primary, rows)
        if f.height <= max(rows, primary.height):
            faces.append(f)
    return tuple(faces)
