"""Boards that never answer (TPM2, flip-dot): write whole frames, paced to the wire.

Without acknowledgements the only safe update is the whole frame, and the only way to
keep latency bounded is to let at most one frame sit ahead of the wire. Delivery cannot be
confirmed: ``flush`` waits until the OS has drained the port (``tcdrain``, or the peer's
TCP acknowledging every byte), the most these boards let anyone know.
"""

from __future__ import annotations

import time

from PIL import Image

from drivers.base import Board, ScrollHint, normalise
from drivers.link import Link, LinkDown, LinkFault
from drivers.pixels import BoardSpec


class StreamBoard(Board):
    """A write-only board: each ``show`` writes ``encode(image)``, reconnecting on failure."""

    confirms_delivery = False

    def __init__(self, link: Link, spec: BoardSpec, address: int = 1, *, give_up_after: float = 10.0) -> None:
        super().__init__(spec)
        self.link = link
        self.address = address
        self.give_up_after = give_up_after
        link.pace = True
        self._last: bytes | None = None  # the last frame written, to send again if the port broke
        self._gen = 0  # link generation the last frame went out on

    def encode(self, image: Image.Image) -> bytes:
        """The bytes of one whole frame (``image`` already at the board's depth)."""
        raise NotImplementedError

    def _send(self, data: bytes) -> None:
        deadline = time.monotonic() + self.give_up_after
        while True:
            try:
                self.link.ensure_open(deadline)
                self.link.write(data)
                self._last = data
                return
            except LinkDown:
                self._lost(deadline, "write")

    def _lost(self, deadline: float, what: str) -> None:
        self.stats["errors"] += 1
        self.stats["reconnects"] = self.link.reconnects
        if time.monotonic() > deadline:
            raise LinkFault(
                f"{self.protocol} board on {self.link.url}: could not {what} for {self.give_up_after:.0f} s"
            ) from None

    def flush(self) -> None:
        """Return once the OS has sent every byte written (``LinkFault`` if it cannot in time).

        A port that broke meanwhile is reopened and the last frame written again, since
        part of it may never have left; it is still only "sent", never "shown".
        """
        deadline = time.monotonic() + self.give_up_after
        while True:
            try:
                self.link.ensure_open(deadline)
                if self.link.generation != self._gen and self._last is not None:
                    self.link.write(self._last)
                self._gen = self.link.generation
                self.link.drain(deadline)
                return
            except LinkDown:
                self._lost(deadline, "send")

    def show(self, image: Image.Image, op: ScrollHint | None = None) -> None:
        """Write the whole frame (``op`` is ignored: no shift command); at most one frame ahead."""
        data = self.encode(normalise(image, self.spec))
        self._send(data)
        self._gen = self.link.generation
        self.stats["frames"] += 1
        self._count_op("frame", len(data))

    def ping(self) -> bool:
        """Whether the port opens (these boards cannot say more)."""
        try:
            self.link.ensure_open(time.monotonic() + min(3.0, self.give_up_after))
        except LinkFault:
            return False
        return True

    def close(self) -> None:
        """Let the OS send what is queued (briefly), then close the port."""
        if self.link.is_open:
            try:
                self.link.drain(time.monotonic() + min(2.0, self.give_up_after))
            except (LinkDown, LinkFault):
                pass
        self.link.close()
