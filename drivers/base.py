"""The board interface every protocol implements, the errors callers catch, and regions.

Callers (the worker, ``signage push``) hold a ``Board`` and never care which protocol or
transport sits behind it; they catch ``LinkError`` and ``PortError`` only (a transport's
own exceptions arrive as ``drivers.link.LinkFault``, a ``LinkError``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Protocol

from PIL import Image

from drivers.pixels import BoardSpec, packed_size, to_board_image
from drivers.pixels import pack as _pack
from drivers.pixels import unpack as _unpack


class DriverError(Exception):
    """Anything that went wrong between us and the board."""


class PortError(DriverError, ValueError):
    """A port URL that cannot name a port (unknown scheme, missing device, bad host:port)."""


class LinkError(DriverError, OSError):
    """The board could not be reached (or did not answer) for longer than we may wait."""


class ProtocolError(DriverError):
    """Bytes that do not follow the protocol (raised by decoders, counted by the simulator)."""

    def __init__(self, kind: str, message: str = "") -> None:
        super().__init__(f"{kind}: {message}" if message else kind)
        self.kind = kind


@dataclass(frozen=True)
class Region:
    """A rectangle of pixels of any size (even 1 px), packed like a board of that size."""

    width: int
    height: int
    color: str

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    @property
    def frame_bytes(self) -> int:
        return packed_size(self.width, self.height, self.color)


def pack_region(image: Image.Image, color: str) -> bytes:
    """Pack an image of any size with the board pixel layout (``pixels.pack`` rules)."""
    return _pack(image, Region(image.width, image.height, color))  # type: ignore[arg-type]


def unpack_region(data: bytes, width: int, height: int, color: str) -> Image.Image:
    """The image that region bytes stand for; ``GeometryError`` on a wrong length."""
    return _unpack(data, Region(width, height, color))  # type: ignore[arg-type]


def normalise(image: Image.Image, spec: BoardSpec) -> Image.Image:
    """Exactly what the board can show of ``image`` (mode and colour depth of the board)."""
    return to_board_image(image, spec)


class ScrollHint(Protocol):
    """What a renderer may say about a frame: the previous one moved ``shift`` px ``direction``."""

    direction: str  # "left", "right", "up" or "down"
    shift: int


class Board:
    """One board on one link: keeps the port open across frames and counts what happened."""

    protocol = "?"
    #: Whether the board answers each update, so ``show`` returning means it was shown.
    #: Write-only protocols (TPM2, flip-dot) can only say the bytes left this computer.
    confirms_delivery = True

    def __init__(self, spec: BoardSpec) -> None:
        self.spec = spec
        self.stats: dict[str, Any] = {
            "frames": 0,
            "acked": 0,
            "errors": 0,
            "reconnects": 0,
            "retries": 0,
            "bytes": 0,
            "ops": {},
            "last_error": None,
        }

    # -- the interface -----------------------------------------------------------------
    def show(self, image: Image.Image, op: ScrollHint | None = None) -> None:
        """Make the board show ``image`` (sending the cheapest correct update).

        ``op`` is an optional scroll hint from the renderer: any object with ``direction``
        (left, right, up, down) and ``shift`` (pixels), like ``signage.render.ScrollOp``;
        it tells the previous frame moved, so a protocol with a shift command can skip its
        own search. The board always ends up showing exactly ``image``, right hint or not.
        """
        raise NotImplementedError

    def flush(self) -> None:
        """Return once everything sent has been delivered as far as this protocol can tell."""

    def clear(self) -> None:
        """Switch every LED off."""
        self.show(self.spec.blank())

    def ping(self) -> bool:
        """Whether the board is there (native and tpm2 answer; flipdot cannot say)."""
        raise NotImplementedError

    def brightness(self, level: int) -> None:
        """Set the brightness, 0 (off) .. 255 (full); ignored by boards without the command."""

    def readback(self) -> int | None:
        """CRC-32 of the board's framebuffer as the board reports it (None if it cannot)."""
        return None

    def close(self) -> None:
        """Release the port."""

    # -- helpers -----------------------------------------------------------------------
    def _count_op(self, kind: str, nbytes: int) -> None:
        self.stats["ops"][kind] = self.stats["ops"].get(kind, 0) + 1
        self.stats["bytes"] += nbytes
        self.stats["last_op_at"] = time.time()

    def __enter__(self) -> Board:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec.width}x{self.spec.height} {self.spec.color}>"
