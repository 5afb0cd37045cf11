"""Text layout: per-character font fallback, line boxes from measured ink, wrapping, drawing.

Text is drawn once into a mask (mode "1" for 1-bit text, "L" for anti-aliased text);
effects crop windows from it and colour them, so long marquees cost one drawing.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw

from .fonts import Face, glyph_box, script_of
from .words import DASHES, phrase_end, units

#: Long runs are drawn in pieces of at most this many characters, to bound Pillow's own mask.
CHUNK_CHARS = 48


@dataclass(frozen=True)
class Run:
    """Consecutive characters drawn with one face."""

    text: str
    face: Face


def _pieces(text: str) -> list[str]:
    """Split at spaces into pieces of about CHUNK_CHARS, so drawing and measuring agree."""
    if len(text) <= CHUNK_CHARS:
        return [text]
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind(" ", start + 1, end)
            end = cut + 1 if cut > start else end
        out.append(text[start:end])
        start = end
    return out


#: How ``split_runs`` picks a character's face: with the run it is in (spaces, marks), always
#: one face (its script's own, or the primary that has it), or the run's face if that has it.
_JOINS, _FIXED, _FALLBACK = 0, 1, 2


@lru_cache(maxsize=8192)
def _char_rule(ch: str, chain: tuple[Face, ...]) -> tuple[int, Face]:
    """How ``ch`` picks its face in ``chain``, and the face (the first one having it, for a
    fallback): the same for every occurrence, so it is worked out once per character and
    chain rather than for each character of each trial line a wrap measures."""
    if ch.isspace() or unicodedata.category(ch).startswith("M"):
        return _JOINS, chain[0]
    script = script_of(ch)
    own = next((f for f in chain if f.info.script == script), None) if script != "latin" else None
    if own is not None:
        return _FIXED, own
    if chain[0].covers(ch):
        return _FIXED, chain[0]
    return _FALLBACK, next((f for f in chain if f.covers(ch)), chain[0])


def split_runs(text: str, chain: tuple[Face, ...]) -> list[Run]:
    """Cut ``text`` into runs, each with the first face of ``chain`` that has its characters;
    Lao and Khmer letters with the face made for their script when the chain has it.

    Combining marks stay with their base letter's face; spaces with the face before them.
    A character no face has stays with the primary face (lint reports it).
    """
    runs: list[Run] = []
    current: Face | None = None
    buf: list[str] = []
    for ch in text:
        rule, face = _char_rule(ch, chain)
        if rule == _JOINS:
            pick = current or chain[0]
        elif rule == _FIXED or current is None or not current.covers(ch):
            pick = face
        else:  # a character the primary face lacks stays with the face before it if that has it
            pick = current
        if pick is not current and buf and current is not None:  # current: buf's face, set with it
            runs.append(Run("".join(buf), current))
            buf = []
        current = pick
        buf.append(ch)
    if buf and current is not None:
        runs.append(Run("".join(buf), current))
    return runs


def missing_chars(text: str, chain: tuple[Face, ...]) -> list[str]:
    """Characters of ``text`` that no face of ``chain`` can draw, in order of appearance."""
    missing = []
    for ch in dict.fromkeys(text):
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        if not any(f.covers(ch) for f in chain):
            missing.append(ch)
    return missing


@dataclass(frozen=True)
class LineBox:
    """Vertical metrics of a line: rows it takes and where the baseline sits in it."""

    height: int
    baseline: int


def line_box(runs: list[Run], primary: Face, rows: int) -> LineBox:
    """One line box for the faces used, so no measured letter of any of them is clipped."""
    faces = {id(r.face): r.face for r in runs} or {id(primary): primary}
    ascent = max(f.ascent for f in faces.values())
    descent = max(f.descent for f in faces.values())
    if ascent + descent <= rows or len(faces) == 1:
        return LineBox(ascent + descent, ascent)
    height = max(f.height for f in faces.values())
    return LineBox(height, primary.ascent + (height - primary.height) // 2)


def _placed(runs: list[Run] | tuple[Run, ...], letter_spacing: int) -> Iterator[tuple[float, str, Face]]:
    """Pen position, text and face of each piece drawn, so measuring and drawing agree."""
    pos = 0.0
    for run in runs:
        f = run.face
        if letter_spacing:
            for ch in run.text:
                yield pos, ch, f
                pos += f.font.getlength(ch) + letter_spacing
        else:
            for piece in _pieces(run.text):
                yield pos, piece, f
                pos += f.font.getlength(piece)
        pos = round(pos)
    if runs:  # where the pen ends (no runs: it never moved, and the measure stays 0)
        yield pos, "", runs[0].face


def line_extent(runs: list[Run] | tuple[Run, ...], letter_spacing: int = 0) -> tuple[int, int]:
    """(lead, width): px of ink left of the pen start, and the width ink and advance cover.

    Marks such as the grave on ì reach left of the pen and must not fall off the board.
    """
    left, right = 0, 0
    for pos, piece, f in _placed(runs, letter_spacing):
        if not piece:
            right = max(right, int(pos))
            continue
        # 1-bit and anti-aliased glyphs differ by a pixel at the edges: take both
        box1 = glyph_box(f.font, piece, "1")
        box8 = glyph_box(f.font, piece, "L")
        left = min(left, math.floor(pos + min(box1[0], box8[0])))
        right = max(right, math.ceil(pos + max(box1[2], box8[2])))
    return -left, right - left


def spaced_width(runs: list[Run] | tuple[Run, ...], letter_spacing: int = 0) -> int:
    """Width in px a line takes on the board, overhanging ink included."""
    return line_extent(runs, letter_spacing)[1]


#: One piece of text to draw: pen x, baseline y, the text, its face (anchor "ls").
Op = tuple[int, int, str, Face]


def line_ops(x: int, top: int, runs: list[Run], box: LineBox, letter_spacing: int = 0) -> list[Op]:
    """Where each piece of one line is drawn, its ink's left edge at ``x`` and its top at ``top``.

    Each run sits on the line's baseline, moved only as far as needed to keep its ink in the box.
    """
    base = top + box.baseline
    x += line_extent(runs, letter_spacing)[0]
    ops = []
    for pos, piece, f in _placed(runs, letter_spacing):
        if not piece:
            continue
        y = min(max(base, top + f.ascent), top + box.height - f.descent) if f.height <= box.height else base
        ops.append((x + round(pos), y, piece, f))
    return ops


def draw_ops(mask: Image.Image, ops: list[Op], offset: tuple[int, int] = (0, 0)) -> None:
    """Draw pieces into ``mask``, moved by ``offset`` (so a crop of a strip draws the same pixels)."""
    draw = ImageDraw.Draw(mask)
    draw.fontmode = "1" if mask.mode == "1" else "L"
    dx, dy = offset
    for x, y, piece, f in ops:
        draw.text((x + dx, y + dy), piece, font=f.font, fill=255, anchor="ls")


def draw_line(
    mask: Image.Image, x: int, top: int, runs: list[Run], box: LineBox, letter_spacing: int = 0
) -> None:
    """Draw one line into ``mask``, its ink's left edge at ``x`` and its top at ``top``."""
    draw_ops(mask, line_ops(x, top, runs, box, letter_spacing))


def wrap(
    text: str,
    chain: tuple[Face, ...],
    width: int,
    letter_spacing: int = 0,
    balanced: bool = False,
    broken: list[str] | None = None,
) -> list[str]:
    """Greedy wrap to ``width`` px at the places a Vietnamese line may break (see
    ``words.units``: never inside a listed word or name); a unit wider than a line is split at
    its syllables, a syllable wider than a line is cut between letters.

    ``broken``: the units that had to be broken are appended to it.
    ``balanced``: then each paragraph is re-split over the same number of lines so the widest
    is as narrow as it can be, breaking between phrases (after a comma, a colon, a dash) where
    that costs little width (no lone "Gate" under a wall-to-wall line).
    """
    broken = [] if broken is None else broken
    lines: list[str] = []
    for paragraph in text.split("\n"):
        par, placed, cut = _wrap_paragraph(paragraph, chain, width, letter_spacing, broken)
        if balanced and not cut and 1 < len(par) <= BALANCE_MAX_LINES:
            par = _balanced(placed, par, chain, width, letter_spacing)
        lines += par
    return lines


def _width(text: str, chain: tuple[Face, ...], letter_spacing: int) -> int:
    """Width in px ``text`` takes on one line drawn with ``chain``."""
    return spaced_width(split_runs(text, chain), letter_spacing)


def _wrap_paragraph(
    paragraph: str, chain: tuple[Face, ...], width: int, letter_spacing: int, broken: list[str]
) -> tuple[list[str], list[str], bool]:
    """One paragraph wrapped greedily (see wrap): its lines, the units placed whole on them
    (the syllables of a unit broken apart), and whether a syllable was cut between letters."""
    queue = units(paragraph)
    lines: list[str] = []
    placed: list[str] = []
    line = ""
    cut = False
    while queue:
        word = queue.pop(0)
        trial = f"{line} {word}" if line else word
        if _width(trial, chain, letter_spacing) <= width:
            line = trial
            placed.append(word)
            continue
        if line:
            lines.append(line)
        line = ""
        parts = _syllables(word) if " " in word else [word]
        if len(parts) > 1 and _width(word, chain, letter_spacing) > width:
            queue[:0] = parts  # a compound wider than the board: break it, not a letter
            broken.append(word)
            continue
        placed.append(word)
        *done, line = _cut_letters(word, chain, width, letter_spacing, broken)
        lines += done
        if done:
            cut = True
    if line or not placed:
        lines.append(line)
    return lines, placed, cut


def _cut_letters(
    word: str, chain: tuple[Face, ...], width: int, letter_spacing: int, broken: list[str]
) -> list[str]:
    """``word`` cut between letters into pieces ``width`` px wide, the last one what is left
    (just ``word`` when it fits); each piece it is cut from is appended to ``broken``."""
    pieces = []
    while _width(word, chain, letter_spacing) > width and len(word) > 1:
        broken.append(word)
        at = len(word) - 1
        while at > 1 and _width(word[:at], chain, letter_spacing) > width:
            at -= 1
        pieces.append(word[:at])
        word = word[at:]
    pieces.append(word)
    return pieces


#: Most lines a paragraph is balanced over (a board shows a few; past that it is not worth it).
BALANCE_MAX_LINES = 6


def _syllables(unit: str) -> list[str]:
    """A unit back to its syllables, a lone dash kept with the syllable before it."""
    out: list[str] = []
    for token in unit.split(" "):
        if token in DASHES and out:
            out[-1] += " " + token
        elif token:
            out.append(token)
    return out


#: ``_balanced``'s table: [lines][words placed] -> plain breaks -> (widest line, start of the
#: last line, plain breaks before it).
_Table = list[list[dict[int, tuple[float, int, int]]]]


def _balanced(
    words: list[str], lines: list[str], chain: tuple[Face, ...], width: int, letter_spacing: int
) -> list[str]:
    """``words`` over as many lines as ``lines`` (their greedy wrap), chosen for the narrowest
    widest line plus a cost for each break that is not between phrases.

    A dynamic programme over break positions, with a line's width taken as its words' widths
    and spaces added up (measured once each), then checked by measuring the lines chosen.
    """
    count, m = len(lines), len(words)
    sizes = [_width(w, chain, letter_spacing) for w in words]
    space = chain[0].font.getlength(" ") + letter_spacing
    best = _break_table(words, sizes, space, count, width)
    final = best[count][m]
    if not final:
        return lines
    plain_cost = max(8, width // 6)  # px of width a break between phrases may cost instead
    plain = min(final, key=lambda p: final[p][0] + plain_cost * p)
    out, j, k = [], m, count
    while k > 0:
        _, i, before = best[k][j][plain]
        out.append(" ".join(words[i:j]))
        j, k, plain = i, k - 1, before
    out.reverse()
    if any(_width(line, chain, letter_spacing) > width for line in out):
        return lines
    return out


def _break_table(words: list[str], sizes: list[int], space: float, count: int, width: int) -> _Table:
    """``_balanced``'s table for ``words`` (of ``sizes`` px) over 0..``count`` lines."""
    m = len(words)
    sums = [0.0]
    for size in sizes:
        sums.append(sums[-1] + size)
    best: _Table = [[{} for _ in range(m + 1)] for _ in range(count + 1)]
    best[0][0][0] = (0.0, -1, -1)
    for k in range(1, count + 1):
        for j in range(k, m + 1):
            _fill_cell(best[k][j], best[k - 1], words, sums, space, width, k, j)
    return best


def _fill_cell(
    cell: dict[int, tuple[float, int, int]],
    above: list[dict[int, tuple[float, int, int]]],
    words: list[str],
    sums: list[float],
    space: float,
    width: int,
    k: int,
    j: int,
) -> None:
    """The best ways to put the first ``j`` words on ``k`` lines, from those on ``k - 1``
    lines (``above``): one per count of plain breaks (not between phrases)."""
    for i in range(j - 1, k - 2, -1):
        w = sums[j] - sums[i] + space * (j - i - 1)
        if w > width:
            break
        extra = 0 if i == 0 or phrase_end(words[i - 1]) else 1
        for plain, (widest, _, _) in above[i].items():
            p, wide = plain + extra, max(widest, w)
            if p not in cell or wide < cell[p][0]:
                cell[p] = (wide, i, plain)


@dataclass(frozen=True)
class Block:
    """Lines of text laid out: their runs, widths and the line box they share."""

    lines: tuple[tuple[Run, ...], ...]
    widths: tuple[int, ...]
    box: LineBox
    gap: int
    letter_spacing: int = 0

    @property
    def width(self) -> int:
        """Widest line in px."""
        return max(self.widths, default=0)

    @property
    def height(self) -> int:
        """Rows all lines take, gaps included."""
        n = len(self.lines)
        return n * self.box.height + max(0, n - 1) * self.gap


def make_block(lines: list[str], chain: tuple[Face, ...], rows: int, letter_spacing: int = 0) -> Block:
    """Lay out ``lines`` with ``chain``; one line box for all lines so rows stay even."""
    runs = [split_runs(line, chain) for line in lines]
    flat = [r for line in runs for r in line]
    box = line_box(flat, chain[0], rows)
    widths = tuple(spaced_width(r, letter_spacing) for r in runs)
    gap = 1 if len(lines) > 1 and len(lines) * box.height + (len(lines) - 1) <= rows else 0
    return Block(tuple(tuple(r) for r in runs), widths, box, gap, letter_spacing)


def _ink_rows(ops: list[Op]) -> tuple[int, int]:
    """Top and bottom (exclusive) rows the pieces' ink covers, 1-bit and anti-aliased alike."""
    top, bottom = 1 << 30, -(1 << 30)
    for _, y, piece, f in ops:
        for mode in ("1", "L"):
            box = glyph_box(f.font, piece, mode)
            top, bottom = min(top, y + box[1]), max(bottom, y + box[3])
    return top, bottom


def spread_tops(block: Block, rows: int) -> list[int] | None:
    """Line tops that part the lines of a multi-line block on a board of ``rows`` rows.

    The line box is the ink of every Vietnamese letter, so two lines fill 32 rows with no row
    between them, and a line's stacked marks (QUỐC, LẦN) then sit against the dots below the
    line above (ĐẠI) and read as part of it. The free rows the actual text leaves (no Ẩ on
    the first line, no descender on the last) go between the lines instead, with baselines
    still evenly spaced and all ink on the board. None: keep the nominal spacing.
    """
    n = len(block.lines)
    if n < 2:
        return None
    box = block.box
    inks = [_ink_rows(line_ops(0, 0, list(runs), box, block.letter_spacing)) for runs in block.lines]
    if any(t > b for t, b in inks):
        return None
    above = box.baseline - inks[0][0]  # rows of ink above the first baseline
    below = inks[-1][1] - box.baseline  # and below the last
    nominal = box.height + block.gap
    step = min((rows - above - below) // (n - 1), nominal + max(2, box.height // 4))
    if step <= nominal:
        return None
    span = above + (n - 1) * step + below
    first_base = above + (rows - span) // 2
    return [first_base + i * step - box.baseline for i in range(n)]


def block_ops(
    block: Block, origin: tuple[int, int], align: str = "center", tops: list[int] | None = None
) -> list[Op]:
    """Every piece of a block, its box's top-left at ``origin``, lines aligned as asked
    (and at ``tops``, when given, instead of evenly from ``origin``)."""
    x0, y0 = origin
    ops: list[Op] = []
    for i, (runs, w) in enumerate(zip(block.lines, block.widths, strict=True)):
        if align == "left":
            x = x0
        elif align == "right":
            x = x0 + block.width - w
        else:
            x = x0 + (block.width - w) // 2
        top = y0 + i * (block.box.height + block.gap) if tops is None else tops[i]
        ops += line_ops(x, top, list(runs), block.box, block.letter_spacing)
    return ops


def draw_block(
    block: Block,
    mode: str,
    size: tuple[int, int],
    origin: tuple[int, int],
    align: str = "center",
    tops: list[int] | None = None,
) -> Image.Image:
    """The block drawn into a new mask of ``size``, its box's top-left at ``origin``."""
    mask = Image.new(mode, size, 0)
    draw_ops(mask, block_ops(block, origin, align, tops))
    return mask


#: Pixels above which a scroll strip is drawn a tile at a time (LazyStrip) instead of whole.
WHOLE_STRIP_PIXELS = 8_000_000


class LazyStrip:
    """A scroll strip too big to hold, drawn on demand: ``crop`` draws just the pieces whose
    ink falls in the box, at the same offsets, so its pixels equal a crop of the whole strip.

    A 2,000-character marquee in 400 px letters would be a 250 MB strip; this holds only the
    pieces' positions (one piece is at most CHUNK_CHARS characters), sorted along the strip.
    """

    def __init__(self, mode: str, size: tuple[int, int], ops: list[Op], horizontal: bool):
        self.mode = mode
        self.size = size
        self.width, self.height = size
        self.horizontal = horizontal
        inked = []
        for op in ops:
            x, y, piece, f = op
            b1 = glyph_box(f.font, piece, "1")
            b8 = glyph_box(f.font, piece, "L")
            box = (
                x + min(b1[0], b8[0]) - 1,
                y + min(b1[1], b8[1]) - 1,
                x + max(b1[2], b8[2]) + 1,
                y + max(b1[3], b8[3]) + 1,
            )
            inked.append((box, op))
        self._ops = inked  # in drawing order, which is along the strip

    @property
    def cache_bytes(self) -> int:
        """Rough bytes held, for the render cache's budget."""
        return 64 + 160 * len(self._ops)

    def crop(self, box: tuple[int, int, int, int]) -> Image.Image:
        """The pixels of ``box`` of the whole strip, drawn now."""
        x0, y0, x1, y1 = box
        out = Image.new(self.mode, (x1 - x0, y1 - y0), 0)
        ops = [op for (a, b, c, d), op in self._ops if a < x1 and c > x0 and b < y1 and d > y0]
        draw_ops(out, ops, (-x0, -y0))
        return out

    def getbbox(self) -> tuple[int, int, int, int] | None:
        """Bounding box of the ink (from the pieces' measured boxes, not the pixels)."""
        if not self._ops:
            return None
        boxes = [b for b, _ in self._ops]
        return (
            max(0, min(b[0] for b in boxes)),
            max(0, min(b[1] for b in boxes)),
            min(self.width, max(b[2] for b in boxes)),
            min(self.height, max(b[3] for b in boxes)),
        )


def draw_strip(
    block: Block, mode: str, size: tuple[int, int], origin: tuple[int, int], align: str, horizontal: bool
) -> Image.Image | LazyStrip:
    """A scroll strip: drawn whole when small, else a LazyStrip that draws a tile at a time."""
    if size[0] * size[1] <= WHOLE_STRIP_PIXELS:
        return draw_block(block, mode, size, origin, align)
    return LazyStrip(mode, size, block_ops(block, origin, align), horizontal)
