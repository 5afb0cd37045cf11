"""Boards that never answer (TPM2, flip-dot): write whole frames, paced to the wire.

Without acknowledgements the only safe update is the whole frame, and the only way to
keep latency bounded is to let at most one frame sit ahead of the wire.
"""

from __future__ import annotations

import time

from PIL import Image

from drivers.base import Board, LinkError, ScrollHint, normalise
from drivers.link import Link, LinkDown
from drivers.pixels import BoardSpec


class StreamBoard(Board):
    """A write-only board: each ``show`` writes ``encode(image)``, reconnecting on failure."""

    def __init__(self, link: Link, spec: BoardSpec, address: int = 1, *, give_up_after: float = 10.0) -> None:
        super().__init__(spec)
        self.link = link
        self.address = address
        self.give_up_after = give_up_after
        link.pace = True

    def encode(self, image: Image.Image) -> bytes:
        """The bytes of one whole frame (``image`` already at the board's depth)."""
        raise NotImplementedError

    def _send(self, data: bytes) -> None:
        deadline = time.monotonic() + self.give_up_after
        while True:
            try:
                self.link.ensure_open(deadline)
                self.link.write(data)
                return
            except LinkDown:
                self.stats["errors"] += 1
                self.stats["reconnects"] = self.link.reconnects
                if time.monotonic() > deadline:
                    raise LinkError(f"{self.protocol} board on {self.link.url}: could not write for "
                                    f"{self.give_up_after:.0f} s") from None

    def show(self, image: Image.Image, op: ScrollHint | None = None) -> None:
        """Write the whole frame (``op`` is ignored: no shift command); at most one frame ahead."""
        data = self.encode(normalise(image, self.spec))
        self._send(data)
        self.stats["frames"] += 1
        self._count_op("frame", len(data))

    def ping(self) -> bool:
        """Whether the port opens (these boards cannot say more)."""
        try:
            self.link.ensure_open(time.monotonic() + min(3.0, self.give_up_after))
        except LinkError:
            return False
        return True

    def close(self) -> None:
        """Close the port."""
        self.link.close()
