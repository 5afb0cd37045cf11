"""Board-side scroll (SCROLL in docs/protocol.md): the strip goes over the wire once.

At 9600 baud a scroll the host drives a SHIFT at a time is bound by the wire (about 40
steps a second); a board that holds the strip steps it on its own clock, at any speed,
showing exactly the renderer's frames. ``BoardScroll`` sends SCROLL when the board's PING
answer lists it and the strip fits the board and the line's current packet size, and
falls back to SHIFT steps otherwise; either way the host's mirror of the board stays true.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace

from PIL import Image

from drivers.base import ScrollHint
from drivers.framing import crc32
from drivers.native import PING, READBACK, NativeBoard, pixels_payload
from drivers.pixels import BoardSpec
from firmware.core import DIRECTIONS, NO_STEP, SCROLL, scroll_position


@dataclass(frozen=True)
class Capabilities:
    """What a board said it can do in its PING answer (a version-1 board lists nothing)."""

    version: int
    commands: frozenset[int]
    strip_max: int
    step: int | None  # the board-side scroll step shown, None when it shows none

    @classmethod
    def parse(cls, answer: bytes) -> Capabilities:
        """Read a PING ACK payload: the 11 bytes of version 1, then step, commands, strip limit."""
        if len(answer) < 16 or answer[0] < 2:
            return cls(answer[0] if answer else 0, frozenset(), 0, None)
        step = int.from_bytes(answer[11:15], "big")
        n = answer[15]
        cmds = frozenset(answer[16 : 16 + n])
        strip_max = int.from_bytes(answer[16 + n : 20 + n], "big")
        return cls(answer[0], cmds, strip_max, None if step == NO_STEP else step)


def capabilities(board: NativeBoard) -> Capabilities:
    """Ask the board (PING) what it can do."""
    return Capabilities.parse(board._request(PING, b"", board._deadline()))


def strip_length(strip: Image.Image, direction: str) -> int:
    return strip.height if direction == "up" else strip.width


def window(strip: Image.Image, spec: BoardSpec, direction: str, pos: int) -> Image.Image:
    """The board-sized part of ``strip`` starting ``pos`` px along it."""
    if direction == "up":
        return strip.crop((0, pos, spec.width, pos + spec.height))
    return strip.crop((pos, 0, pos + spec.width, spec.height))


def scroll_payload(
    strip: Image.Image, spec: BoardSpec, direction: str, step: int, speed: int, passes: int
) -> bytes:
    """SCROLL's payload: direction, step, speed, passes, strip length, then the packed strip."""
    length = strip_length(strip, direction)
    head = bytes((DIRECTIONS.index(direction), step)) + b"".join(
        v.to_bytes(2, "big") for v in (speed, passes, length)
    )
    return head + pixels_payload(strip, spec.color)


def _know(board: NativeBoard, frame: Image.Image | None) -> None:
    """The host's mirror of the board: ``frame`` (None: unknown, the next ``show`` sends a
    whole frame); what ``show`` kept of the frame it last sent no longer applies."""
    board.assume(frame)


class BoardScroll:
    """One scroll of ``strip`` (padded as the renderer pads it) on ``board``.

    ``direction`` is ``left``, ``right`` or ``up``; ``speed`` px/s and ``step`` px a step as
    the renderer chose them (``signage.render.effects.step_px``); ``passes`` >= 1 (0: until
    replaced, board-side only). ``start()`` says whether the board scrolls by itself; if
    not, ``steps()`` gives the frames and scroll hints to send one by one with SHIFT.
    """

    def __init__(
        self, board: NativeBoard, strip: Image.Image, direction: str, speed: int, passes: int, step: int = 1
    ) -> None:
        spec = board.spec
        if direction not in DIRECTIONS:
            raise ValueError(f"scroll direction {direction!r}: use one of {', '.join(DIRECTIONS)}")
        edge = spec.height if direction == "up" else spec.width
        across = strip.width if direction == "up" else strip.height
        if across != (spec.width if direction == "up" else spec.height):
            raise ValueError(
                f"a {direction} strip must be {'as wide' if direction == 'up' else 'as high'} "
                f"as the board ({spec.width}x{spec.height}), not {strip.width}x{strip.height}"
            )
        if strip_length(strip, direction) <= edge or not 1 <= step < edge or not 1 <= speed <= 0xFFFF:
            raise ValueError(
                f"scroll of {strip.width}x{strip.height} at {speed} px/s, {step} px a step "
                f"does not fit a {spec.width}x{spec.height} board"
            )
        if not 0 <= passes <= 0xFFFF:
            raise ValueError(f"passes {passes} is outside 0..65535")
        self.board, self.strip, self.direction = board, strip, direction
        self.speed, self.passes, self.step = speed, passes, step
        self.span = strip_length(strip, direction) - edge
        self.started_at: float | None = None
        self.on_board = False
        self.crc: int | None = None  # the board's framebuffer CRC at the last ``shown``

    @property
    def last_step(self) -> int | None:
        """The step of the end window (None for a scroll without end)."""
        return self.passes * -(-self.span // self.step) if self.passes else None

    def position(self, n: int) -> int:
        """How far along the strip the board's window is at step ``n``."""
        return scroll_position(DIRECTIONS.index(self.direction), self.step, self.span, self.passes, n)

    def frame(self, n: int) -> Image.Image:
        """What the board shows at step ``n``."""
        return window(self.strip, self.board.spec, self.direction, self.position(n))

    @property
    def seconds_per_step(self) -> float:
        """How long each step shows (the renderer's frame time)."""
        return self.step / self.speed

    def start(self, caps: Capabilities | None = None) -> bool:
        """Send SCROLL if the board takes it (True), else send nothing (False: use ``steps``).

        ``caps``: the board's capabilities when already known (else one PING asks).
        """
        caps = capabilities(self.board) if caps is None else caps
        payload = scroll_payload(
            self.strip, self.board.spec, self.direction, self.step, self.speed, self.passes
        )
        fits = len(payload) <= self.board.chunk + 16 and len(payload) - 9 <= caps.strip_max
        if SCROLL not in caps.commands or not fits:
            return False
        # the strip's own wire time on top of the usual wait: at 9600 baud a long strip takes
        # seconds to send, which is not a board that stopped answering
        wire = self.board.link.wire_time(len(payload) + 64)
        self.board._request(SCROLL, payload, self.board._deadline() + wire)
        self.started_at = time.monotonic()
        self.on_board = True
        _know(self.board, self.frame(0))
        self.board.stats["scrolls"] = self.board.stats.get("scrolls", 0) + 1
        return True

    def steps(self) -> Iterator[tuple[Image.Image, ScrollHint | None]]:
        """The frames (and scroll hints for ``Board.show``) of the scroll, for sending by SHIFT."""
        edge = self.board.spec.height if self.direction == "up" else self.board.spec.width
        last = self.last_step
        n = 0
        while last is None or n <= last:
            moved = abs(self.position(n) - self.position(n - 1)) if n else 0
            yield (
                self.frame(n),
                (SimpleNamespace(direction=self.direction, shift=moved) if 0 < moved < edge else None),
            )
            n += 1

    def shown(self) -> int | None:
        """The step the board shows (READBACK), with the host's mirror set to its frame.

        None when the board shows no board-side scroll (it was replaced or reset), or when
        its framebuffer is not the frame of the step it reports; the mirror is then unknown,
        so the next ``show`` sends a whole frame.
        """
        answer = self.board._request(READBACK, b"", self.board._deadline())
        self.crc = int.from_bytes(answer[:4], "big") if len(answer) >= 4 else None
        if len(answer) < 8 or int.from_bytes(answer[4:8], "big") == NO_STEP:
            _know(self.board, None)
            return None
        n = int.from_bytes(answer[4:8], "big")
        frame = self.frame(n)
        if crc32(self.board.spec.pack(frame)) != self.crc:
            _know(self.board, None)
            return None
        _know(self.board, frame)
        return n

    def play(self, poll: float = 0.25) -> str:
        """Run the whole scroll (``passes`` >= 1): on the board if it can, else by SHIFT, paced
        at ``speed``; returns ``board`` or ``shift``. The board's last frame is then known."""
        if not self.passes:
            raise ValueError("a scroll without end cannot be played to its end")
        if self.start():
            last = self.last_step
            assert last is not None
            while (n := self.shown()) is not None and n < last:
                time.sleep(min(poll, (last - n) * self.step / self.speed))
            return "board"
        dt = self.step / self.speed
        t0 = time.monotonic()
        for n, (img, op) in enumerate(self.steps()):
            wait = t0 + n * dt - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self.board.show(img, op)
        return "shift"
