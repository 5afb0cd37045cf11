"""Which characters a font file has: a small reader of the OpenType ``cmap`` table.

The per-character fallback asks this for every character. Parsing the whole table into a
dict (as fontTools does) cost 8 MB for Galmuri's 20,000 characters; this keeps the raw
table and bisects its segments instead.
"""

from __future__ import annotations

import bisect
import struct
from pathlib import Path


class Cmap:
    """Character coverage of one font, from its best Unicode cmap subtable (format 4 or 12)."""

    def __init__(self, path: str | Path):
        data = Path(path).read_bytes()
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._format4: tuple[bytes, int, int] | None = None
        table = self._find_table(data)
        sub = self._best_subtable(data, table)
        fmt = struct.unpack_from(">H", data, sub)[0]
        if fmt == 12:
            (n,) = struct.unpack_from(">I", data, sub + 12)
            for i in range(n):
                start, end, _ = struct.unpack_from(">III", data, sub + 16 + 12 * i)
                self._starts.append(start)
                self._ends.append(end)
        elif fmt == 4:
            length = struct.unpack_from(">H", data, sub + 2)[0]
            seg2 = struct.unpack_from(">H", data, sub + 6)[0]
            self._ends = list(struct.unpack_from(f">{seg2 // 2}H", data, sub + 14))
            self._starts = list(struct.unpack_from(f">{seg2 // 2}H", data, sub + 16 + seg2))
            self._format4 = (data[sub : sub + length], seg2, 0)
        else:
            raise ValueError(f"{Path(path).name}: cmap subtable format {fmt} is not supported")

    @staticmethod
    def _find_table(data: bytes) -> int:
        (num,) = struct.unpack_from(">H", data, 4)
        for i in range(num):
            tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            if tag == b"cmap":
                return offset
        raise ValueError("font has no cmap table")

    @staticmethod
    def _best_subtable(data: bytes, table: int) -> int:
        (num,) = struct.unpack_from(">H", data, table + 2)
        ranked: dict[int, int] = {}  # rank -> offset of the first subtable of that rank
        for i in range(num):
            platform, encoding, offset = struct.unpack_from(">HHI", data, table + 4 + 8 * i)
            fmt = struct.unpack_from(">H", data, table + offset)[0]
            if fmt not in (4, 12):
                continue
            # full-repertoire Unicode subtables first, then BMP ones
            rank = {(3, 10): 0, (0, 4): 1, (0, 6): 1, (3, 1): 2, (0, 3): 3}.get((platform, encoding), 9)
            ranked.setdefault(rank, table + offset)
        if not ranked:
            raise ValueError("font has no Unicode cmap subtable")
        return ranked[min(ranked)]

    def __contains__(self, code: int) -> bool:
        i = bisect.bisect_left(self._ends, code)
        if i >= len(self._ends) or self._starts[i] > code:
            return False
        if self._format4 is None:
            return True
        sub, seg2, _ = self._format4
        delta_at = 16 + 2 * seg2 + 2 * i
        range_at = 16 + 3 * seg2 + 2 * i
        (delta,) = struct.unpack_from(">h", sub, delta_at)
        (range_offset,) = struct.unpack_from(">H", sub, range_at)
        if range_offset == 0:
            return (code + delta) & 0xFFFF != 0
        at = range_at + range_offset + 2 * (code - self._starts[i])
        if at + 2 > len(sub):
            return False
        (glyph,) = struct.unpack_from(">H", sub, at)
        return glyph != 0
