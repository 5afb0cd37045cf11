"""What the renderer hands to the drivers: frames with their times, and scroll operations."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

#: Directions a scroll operation moves the board's content.
DIRECTIONS = ("left", "right", "up")


@dataclass(frozen=True)
class ScrollOp:
    """Shift the previous frame by ``shift`` px towards ``direction``, then paste ``new``.

    ``new`` is the strip of pixels that enters at the opposite edge (``shift`` columns for
    left/right, ``shift`` rows for up), so a driver can send a scroll without the frame.
    """

    direction: str
    shift: int
    new: Image.Image

    def apply(self, previous: Image.Image) -> Image.Image:
        """The frame this operation turns ``previous`` into (what a board does on receiving it)."""
        w, h = previous.size
        out = Image.new(previous.mode, previous.size, 0)
        n = self.shift
        if self.direction == "left":
            out.paste(previous.crop((n, 0, w, h)), (0, 0))
            out.paste(self.new, (w - n, 0))
        elif self.direction == "right":
            out.paste(previous.crop((0, 0, w - n, h)), (n, 0))
            out.paste(self.new, (0, 0))
        else:
            out.paste(previous.crop((0, n, w, h)), (0, 0))
            out.paste(self.new, (0, h - n))
        return out


@dataclass(frozen=True)
class Frame:
    """One board image and when it shows: ``at`` seconds into the item, for ``hold`` seconds."""

    image: Image.Image
    at: float
    hold: float
    op: ScrollOp | None = None
