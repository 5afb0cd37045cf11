"""What a board's read-back should say: the CRC-32 of the frame it ought to show.

The native protocol's READBACK answers CRC-32 (zlib's) of the board's packed framebuffer
(``drivers.native``: ``crc32(spec.pack(fb))``). Rendering an item here with the worker's
renderer and packing it as the driver does gives the same number when the board shows
exactly that frame, so the admin can confirm a notice is on the board, pixel for pixel,
without a camera. Free of Flask: the pure check is testable on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from drivers.framing import crc32
from drivers.pixels import BoardSpec, GeometryError
from signage.render import RenderError, render_item

#: Protocols whose boards answer a read-back (see ``drivers.base.Board.readback``).
READBACK_PROTOCOLS = frozenset({"native"})


@dataclass(frozen=True)
class Expected:
    """The CRC a board showing ``item`` reports, or why there is none to compare with."""

    crc: int | None
    why_not: str | None = None  # "moving", "protocol" or "render" when ``crc`` is None

    @property
    def hex(self) -> str | None:
        """Spelled as the worker puts it in the board's status (8 lower-case hex digits)."""
        return f"{self.crc:08x}" if self.crc is not None else None


def frame_crc(image: Any, spec: BoardSpec) -> int:
    """CRC-32 of ``image`` packed for ``spec``: what READBACK says while the board shows it."""
    return crc32(spec.pack(image))


def expected(item: Mapping[str, Any], spec: BoardSpec, protocol: str = "native",
             now: datetime | None = None) -> Expected:
    """The read-back CRC of an item that holds one still frame; moving items have none.

    Blinking and scrolling items change the framebuffer many times a second, so a read-back
    taken at some moment cannot be matched to one frame: those say ``why_not="moving"``.
    """
    if protocol not in READBACK_PROTOCOLS:
        return Expected(None, "protocol")
    try:
        frames = list(islice(render_item(item, spec, now=now), 2))
    except (RenderError, GeometryError):
        return Expected(None, "render")
    if len(frames) != 1:
        return Expected(None, "moving" if frames else "render")
    return Expected(frame_crc(frames[0].image, spec))
