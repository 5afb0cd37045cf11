"""How tall letters must be to be read from a board's viewing distance, and how far a
given letter height reads.

The rule: **1 cm of capital height for every 3 m of viewing distance.** It is the United
States Sign Council's legibility index (Sign Legibility Rules of Thumb, from the Penn State
Transportation Institute / USSC study of 1998): about 25-30 ft of distance per inch of
capital height for block capitals under good conditions, 3.0-3.6 m per cm. We take the
lower figure, 3 m per cm, because a dot-matrix letter with gaps between its LEDs reads
worse than a solid one. A letter is ``rows x pitch`` tall on the board, so a P10 board
(10 mm pitch) read from 25 m needs capitals of 25 / 3 = 8.4 cm: 9 rows of LEDs.

For Lao and Khmer, which have no capitals, the height of a consonant's body stands in for it.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from drivers.pixels import BoardSpec

from .fonts import Face, glyph_box

#: Metres of viewing distance one centimetre of capital height reads from (USSC, see above).
METRES_PER_CM = 3.0

#: The letter measured for each script: a capital without marks, a Lao and a Khmer consonant.
REFERENCE_LETTER: dict[str, str] = {"latin": "H", "lao": "ກ", "khmer": "ក"}


def min_letter_cm(spec: BoardSpec) -> float:
    """Capital height in cm that reads from the board's viewing distance."""
    return spec.viewing_m / METRES_PER_CM


def min_letter_px(spec: BoardSpec) -> int:
    """Rows of LEDs a capital must span to read from the board's viewing distance."""
    return max(1, math.ceil(min_letter_cm(spec) * 10 / spec.pitch_mm - 1e-9))


@lru_cache(maxsize=256)
def letter_px(f: Face) -> int:
    """Rows of ink of the face's reference letter (a capital H for Latin and Vietnamese)."""
    box = glyph_box(f.font, REFERENCE_LETTER.get(f.info.script, "H"), "1")
    return max(0, box[3] - box[1])


def faces_used(layout: Any) -> list[Face]:
    """The faces a layout's lines are drawn with (its primary face when it has no text)."""
    found = {id(r.face): r.face for line in layout.block.lines for r in line if r.text.strip()}
    return list(found.values()) or [layout.chain[0]]


def layout_letter_px(layout: Any) -> int:
    """Rows of the smallest letters of a layout: what limits how far it reads."""
    return min(letter_px(f) for f in faces_used(layout))


def script_heights(layout: Any) -> dict[str, int]:
    """Rows each script's letters get in a layout (the tallest face it is drawn with)."""
    out: dict[str, int] = {}
    for f in faces_used(layout):
        out[f.info.script] = max(out.get(f.info.script, 0), min(f.height, layout.block.box.height))
    return out


def letter_cm(px: int, spec: BoardSpec) -> float:
    """Height in cm on the board of a letter ``px`` rows tall."""
    return px * spec.pitch_mm / 10


def readable_m(px: int, spec: BoardSpec) -> float:
    """The farthest a letter ``px`` rows tall reads from, in metres."""
    return letter_cm(px, spec) * METRES_PER_CM


def legible(f: Face, spec: BoardSpec) -> bool:
    """True when the face's letters read from the board's viewing distance."""
    return letter_px(f) >= min_letter_px(spec)
