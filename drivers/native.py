"""The native protocol (docs/protocol.md): both sides, so driver and simulator share one codec.

COBS-framed, addressed, sequence-numbered, CRC-32-checked packets answered by ACK or NACK.
The host side (``NativeBoard``) remembers what the board shows and sends the cheapest
correct update; the board side (``NativeReceiver``) is what the simulator runs.
"""

from __future__ import annotations

import functools
import logging
import random
import time
import zlib
from collections import Counter
from collections.abc import Callable
from typing import NoReturn

from PIL import Image

from drivers import delta
from drivers.base import Board, LinkError, ProtocolError, ScrollHint, normalise, pack_region
from drivers.framing import cobs_decode, cobs_encode, cobs_joined, cobs_split, crc32, packbits_encode
from drivers.link import Link, LinkDown, LinkFault
from drivers.pixels import BoardSpec, GeometryError, packed_size
from firmware import core
from firmware.core import (  # noqa: F401 - re-exported: the host's names for the protocol's numbers
    ACK,
    BRIGHTNESS,
    BROADCAST,
    CLEAR,
    COLORS,
    COMMANDS,
    FRAME,
    HISTORY,
    NACK,
    NACK_CODES,
    PACKBITS,
    PING,
    RAW,
    READBACK,
    RECT,
    REPLY,
    SHIFT,
    SYNC,
    VERSION,
)

log = logging.getLogger("drivers.native")

# The protocol's numbers are the board's: one definition, in the firmware core.
COLOR_CODES = {name: code for code, name in enumerate(COLORS)}
NACK_KINDS = {v: k for k, v in NACK_CODES.items()}
OVERHEAD = 3 + 4 + 2  # address, sequence, command, CRC, COBS code and delimiter (short packets)


def encode_packet(addr: int, seq: int, cmd: int, payload: bytes = b"") -> bytes:
    """One packet on the wire: COBS(addr seq cmd payload CRC32-BE) then a 0x00 delimiter."""
    body = bytes((addr, seq, cmd)) + payload
    return cobs_encode(body + crc32(body).to_bytes(4, "big")) + b"\x00"


_CODES = [bytes((n,)) for n in range(256)]


def encode_split(addr: int, seq: int, cmd: int, payload: bytes, split: tuple[bytes, bytes, bytes]) -> bytes:
    """``encode_packet`` for a payload cut by ``framing.cobs_split`` (the same bytes, faster)."""
    header = bytes((addr, seq, cmd))
    crc = zlib.crc32(payload, zlib.crc32(header)).to_bytes(4, "big")
    return cobs_joined(header, split, crc) + b"\x00"


def decode_packet(frame: bytes) -> tuple[int, int, int, bytes]:
    """(addr, seq, cmd-or-status, payload) of one frame without its delimiter; ProtocolError if bad."""
    try:
        raw = cobs_decode(frame)
    except ValueError as exc:
        raise ProtocolError("garbage", str(exc)) from None
    if len(raw) < 7:
        raise ProtocolError("truncated", f"{len(raw)} bytes is shorter than any packet")
    if crc32(raw[:-4]) != int.from_bytes(raw[-4:], "big"):
        raise ProtocolError("crc")
    return raw[0], raw[1], raw[2], raw[3:-4]


def pixels_payload(image: Image.Image, color: str, *, transpose: bool = False) -> bytes:
    """Encoding byte then the packed pixels, PackBits-compressed when that is shorter."""
    if transpose:
        image = image.transpose(Image.Transpose.TRANSPOSE)
    return packed_payload(pack_region(image, color))


def packed_payload(data: bytes) -> bytes:
    """Encoding byte then ``data`` (packed pixels), PackBits-compressed when that is shorter."""
    packed = packbits_encode(data)
    return bytes((PACKBITS,)) + packed if len(packed) < len(data) else bytes((RAW,)) + data


def floor_bytes(n: int, chunk: int, color: str) -> int:
    """Fewest bytes (payloads and overheads) RECTs of a box of ``n`` packed bytes can take in
    packets of at most ``chunk`` bytes; grows with ``n``."""
    if n <= chunk:  # one RECT; PackBits takes at least 2 bytes per 128
        return 8 + 1 + min(n, 2 * -(-n // 128)) + OVERHEAD
    # tiles of at most ``chunk`` bytes (8 px columns at the least), each with its header and
    # overhead; together at least 1/64 of the bytes (each tile min(n, 2 per 128) >= n/64)
    tiles = -(-n // max(chunk, packed_size(8, 1, color)))
    return max(2, tiles) * (8 + 1 + OVERHEAD) + -(-n // 64)


@functools.lru_cache(maxsize=4096)
def _least_bytes(cost: int, chunk: int, color: str, most: int) -> int:
    """The fewest packed bytes (up to ``most``, else ``most + 1``) whose RECTs cost more than ``cost``."""
    lo, hi = 1, most + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if floor_bytes(mid, chunk, color) > cost:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _plan_bytes(ops: list[tuple[int, bytes, str]]) -> int:
    """Bytes the packets of a plan take on the wire (payloads and overheads)."""
    return sum(len(p) + OVERHEAD for _, p, _ in ops)


def _cheapest(options: list[list[tuple[int, bytes, str]]]) -> list[tuple[int, bytes, str]]:
    """The plan of fewest bytes; of equal ones, the first."""
    return min(options, key=_plan_bytes)


class NativeReceiver:
    """The board side as the simulator runs it: ``firmware.core.Receiver``, the very code the
    board's firmware runs, with its framebuffer seen as a Pillow image."""

    def __init__(
        self,
        spec: BoardSpec,
        address: int = 1,
        refuse: Callable[[], bool] | None = None,
        on_frame: Callable[[], None] | None = None,
    ) -> None:
        self.spec = spec
        # the core counts into these (any dict does on MicroPython); kept here as Counters
        self._errors: Counter[str] = Counter()
        self._ops: Counter[str] = Counter()
        self.core = core.Receiver(
            spec.width,
            spec.height,
            spec.color,
            address,
            refuse=refuse,
            errors=self._errors,
            ops=self._ops,
            on_frame=on_frame,
        )

    def feed(self, data: bytes) -> list[bytes]:
        """Take bytes off the wire; return the answers to send back."""
        return self.core.feed(data)

    def idle(self) -> None:
        """The line went quiet: an unfinished packet will never complete."""
        self.core.idle()

    @property
    def fb(self) -> Image.Image:
        """What the board shows, one pixel per LED."""
        return self.spec.unpack(bytes(self.core.fb.buf))

    @property
    def on_frame(self) -> Callable[[], None] | None:
        return self.core.on_frame

    @on_frame.setter
    def on_frame(self, hook: Callable[[], None] | None) -> None:
        self.core.on_frame = hook

    @property
    def frames(self) -> int:
        return self.core.frames

    @property
    def errors(self) -> Counter[str]:
        return self._errors

    @property
    def ops(self) -> Counter[str]:
        return self._ops

    @property
    def brightness(self) -> int:
        return self.core.brightness

    @property
    def max_wire(self) -> int:
        return self.core.max_wire

    def fb_crc(self) -> int:
        """CRC-32 of the packed framebuffer: what READBACK reports."""
        return self.core.fb_crc()

    def tick(self) -> bool:
        """Bring a board-side scroll to its current step; True if the framebuffer changed."""
        return self.core.tick()

    def next_step_ms(self) -> int | None:
        """Milliseconds until the next board-side scroll step (None: no scroll runs)."""
        return self.core.next_step_ms()


class NativeBus(NativeReceiver):
    """Several native boards on one line (RS-485 multi-drop), as the simulator runs them.

    Every byte reaches every board; each applies what is addressed to it (or broadcast) and
    only the addressed board answers. The first address is "the" board for the simulator's
    view, recording and counters (this object reads as its receiver); ``boards`` holds each.
    """

    def __init__(
        self, spec: BoardSpec, addresses: list[int], refuse: Callable[[], bool] | None = None
    ) -> None:
        if len(set(addresses)) != len(addresses):
            raise ValueError(f"addresses {addresses} repeat one: each board on a line needs its own")
        self.spec = spec
        self.boards = {a: NativeReceiver(spec, a, refuse=refuse) for a in addresses}
        first = self.boards[addresses[0]]
        self.core, self._errors, self._ops = first.core, first._errors, first._ops

    def feed(self, data: bytes) -> list[bytes]:
        """Every board takes the bytes; the answers of the addressed ones, in board order."""
        return [answer for rx in self.boards.values() for answer in rx.feed(data)]

    def idle(self) -> None:
        for rx in self.boards.values():
            rx.idle()

    def tick(self) -> bool:
        return any([rx.tick() for rx in self.boards.values()])  # a list: every board ticks

    def next_step_ms(self) -> int | None:
        due = [d for rx in self.boards.values() if (d := rx.next_step_ms()) is not None]
        return min(due) if due else None


class _Replan(Exception):  # noqa: N818 - internal signal
    """A packet too big for the line keeps failing: send the frame again in smaller pieces."""


class _Reopened(Exception):  # noqa: N818 - internal signal
    """The port was reopened while ``show`` had packets out: ask the board what it shows first."""


#: Packets in flight by default. Measured (benchmarks/bench_drivers.py, 192x32 mono scroll at
#: 9600 baud over a pty): window 1 idles the wire while each ACK travels back (30-36 steps/s),
#: 2 reaches the wire's limit (about 60 steps/s), 3 and 4 add nothing. 2 is the smallest
#: window at the limit: least queued ahead of an urgent notice, least resent after an error.
DEFAULT_WINDOW = 2


class NativeBoard(Board):
    """Host side: a Go-Back-N window of ``window`` packets, adaptive packet size, delta updates.

    ``window=1`` is stop-and-wait: ``show`` returns once the board has ACKed everything.
    ``window=2`` (the default) keeps one packet queued behind the one on the wire, so a slow
    link never idles while an ACK travels back: a scroll step (``show`` with a hint) returns
    with at most one packet unACKed, the next step or ``flush``/``readback``/``close`` waits
    for it. A frame without a hint (a still, the first frame of an item) is always ACKed
    before ``show`` returns, so a packet lost before a long hold is sent again at once.
    """

    protocol = "native"

    def __init__(
        self,
        link: Link,
        spec: BoardSpec,
        address: int = 1,
        *,
        give_up_after: float = 10.0,
        window: int = DEFAULT_WINDOW,
        max_chunk: int = 8192,
        min_chunk: int = 24,
    ) -> None:
        super().__init__(spec)
        if not 1 <= address <= 0x7F:
            raise ValueError(f"native board address {address} is outside 1..127")
        if not 1 <= window <= HISTORY:
            raise ValueError(f"window {window} is outside 1..{HISTORY}")
        self.link = link
        self.address = address
        self.give_up_after = give_up_after
        self.window = window
        self.max_chunk, self.min_chunk = max_chunk, min_chunk
        self.chunk = max_chunk
        self.info: dict[str, int] = {}
        self._fb: Image.Image | None = None  # what the board shows, when we know it
        self._src: Image.Image | None = None  # the image ``_fb`` was made from, as given to ``show``
        self._fb_bytes: bytes | None = None  # ``_fb`` packed, when a scroll hint brought the bytes
        self._next_bytes: bytes | None = None
        self._fb_edge: tuple[int, int, bytes] | None = None  # ``_fb``'s strip at the edge it scrolls from
        self._next_edge: tuple[int, int, bytes] | None = None
        self._init_planner(spec)
        self._seq = random.randrange(256)
        self._ok_streak = 0
        self._out: list[list] = []  # [seq, cmd, payload, packet] sent, not yet ACKed, oldest first
        self._answers: dict[int, bytes] = {}
        self._gen = 0  # link generation our packets were last sent on
        self._resent_at = 0.0
        self._stale_until = 0.0
        self._fails = 0  # retransmissions since the board last ACKed anything
        self._may_replan = False  # only while ``show`` can start its frame over
        self._held = False  # a SYNC packet is out: the packets behind it wait for its ACK

    def _init_planner(self, spec: BoardSpec) -> None:
        """The planner's memory: what it made before (SHIFT payloads, their COBS and headers,
        the plans of sideways steps by column), the columns it follows and its cost floors."""
        self._strips: dict[tuple[int, int, bytes], bytes] = {}  # SHIFT payloads by strip
        # their COBS but for header and CRC (framing.cobs_split, and its first and last block codes)
        self._splits: dict[bytes, tuple[bytes, bytes, bytes, bytes, bytes]] = {}
        self._heads: dict[int, tuple[bytes, int]] = {}  # SHIFT headers and their CRCs by address, seq
        # by dx and entering column: the one-SHIFT plan and its cost (trusted 1-px sideways steps)
        self._steps: dict[int, dict[bytes, tuple[list[tuple[int, bytes, str]], int]]] = {-1: {}, 1: {}}
        self._last_step: tuple[list[tuple[int, bytes, str]], int] | None = None  # the last one of those
        # a sideways scroll's changed boxes from the columns entering (mono and rgb boards)
        self._columns = delta.Columns(*spec.size, spec.color) if spec.color in ("mono", "rgb") else None
        self._mode, self._size = spec.image_mode, spec.size
        self._tracked: Image.Image | None = None  # the frame ``_columns`` holds (when it is ``_fb``)
        self._advanced = False  # ``_columns`` took this frame's step
        # (chunk, bytes under which a packet beats every RECT and whole frame, whole frame's least)
        self._cheap_at = (0, 0, 0)
        self._least_at: dict[int, int] = {}  # packet bytes -> fewest box bytes whose RECTs cost more

    # -- transactions ------------------------------------------------------------------
    def _read_answer(self, timeout: float) -> tuple[int, int, bytes] | None:
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            frame = self.link.read_until(b"\x00", left)
            if not frame.endswith(b"\x00"):
                continue
            try:
                addr, seq, status, payload = decode_packet(frame[:-1])
            except ProtocolError:
                self.stats["errors"] += 1
                continue
            if addr == self.address | REPLY:
                return seq, status, payload
        return None

    def _send_all(self, *, sync_first: bool) -> None:
        """(Re)send every outstanding packet in order; the first with SYNC after a reconnect.

        A SYNC packet goes alone, the rest follow its ACK: a board that has applied nothing
        yet takes any sequence number, so a packet behind a lost SYNC one would be applied
        out of order and its ACK read as covering the lost one.
        """
        self._gen = self.link.generation
        if sync_first and self._out:
            seq, cmd, payload, _ = self._out[0]
            self._out[0][3] = encode_packet(self.address, seq, cmd | SYNC, payload)
            self._held = True
        for item in self._out[:1] if self._held else self._out:
            self.link.write(item[3])

    def _release(self) -> None:
        """The SYNC packet was ACKed: send the packets held behind it."""
        self._held = False
        try:
            for item in self._out:
                self.link.write(item[3])
        except LinkDown:
            pass  # the next _pump reopens and resends

    def _retransmit(self, why: str, *, sync: bool = False) -> None:
        self._fails += 1
        if (
            self._may_replan
            and self._fails >= 3
            and why in ("crc", "timeout")
            and self._out
            and len(self._out[0][3]) > 2 * max(self.chunk // 2, self.min_chunk) + 64
        ):
            # Halving the packet size only helps the next plan; a packet planned before the
            # line turned noisy may never get through whole, so plan this frame again.
            self._fails = 0
            raise _Replan
        self.stats["retries"] += 1
        self.stats["errors"] += 1
        self.stats["last_error"] = why
        self._ok_streak = 0
        if why in ("crc", "timeout"):
            self.chunk = max(self.min_chunk, self.chunk // 2)  # a noisy line: send smaller packets
        self._resent_at = time.monotonic()
        first = len(self._out[0][3]) if self._out else 0
        self._stale_until = self._resent_at + self.link.wire_time(first)  # NACKs before this are old news
        self._send_all(sync_first=sync)

    def _pump(self, deadline: float) -> None:
        """Wait for the answer to the oldest outstanding packet; retransmit when it does not come."""
        if time.monotonic() > deadline:
            self._give_up()
        try:
            self.link.ensure_open(deadline)
            if self.link.generation != self._gen:  # reopened: the board may have reset
                self._reopened()
            pending = sum(len(item[3]) for item in self._out)
            got = self._read_answer(0.1 + 3 * self.link.wire_time(pending + 24))
        except LinkDown:
            return
        if got is None:
            self._retransmit("timeout")
            return
        seq, status, payload = got
        seqs = [item[0] for item in self._out]
        if status == ACK:
            self._acked(seq, seqs, payload)
        else:
            self._nacked(seq, seqs, payload)

    def _give_up(self) -> NoReturn:
        """No answer before the deadline: forget what is outstanding and what the board shows."""
        self._out.clear()
        self._held = False
        self._fb = None
        why = f" (last open try: {self.link.last_open_error})" if self.link.last_open_error else ""
        raise LinkFault(
            f"board {self.address} on {self.link.url}: no answer for {self.give_up_after:.0f} s{why}"
        )

    def _acked(self, seq: int, seqs: list[int], payload: bytes) -> None:
        """An ACK of ``seq`` (of the outstanding ``seqs``): it and all before it arrived."""
        if seq not in seqs:  # cumulative: the board applies in order
            return
        done = seqs.index(seq) + 1
        del self._out[:done]
        if self._held:
            self._release()
        self._answers[seq] = payload
        self.stats["acked"] += done
        self._fails = 0
        self._ok_streak += 1
        if self._ok_streak >= 8 and self.chunk < self.max_chunk:
            self.chunk, self._ok_streak = min(self.max_chunk, self.chunk * 2), 0

    def _nacked(self, seq: int, seqs: list[int], payload: bytes) -> None:
        """A NACK of ``seq``: resend after a damaged, refused-while-busy or unexpected packet;
        else the board refused the command itself (ProtocolError)."""
        kind = NACK_KINDS.get(payload[0] if payload else 0, "nack")
        if kind in ("crc", "busy", "sequence"):
            if time.monotonic() >= self._stale_until:
                # expected absent: the board (re)started and waits for SYNC; not ours: ours were lost
                lost = kind == "sequence" and (len(payload) < 2 or payload[1] not in seqs)
                if lost:
                    self._board_restarted()
                self._retransmit(kind, sync=lost)
        elif seq in seqs:
            i = seqs.index(seq)
            cmd = self._out[i][1]
            del self._out[: i + 1]
            if self._held:  # answered, so the board now expects what follows it
                self._release()
            self.stats["errors"] += 1
            raise ProtocolError(kind, f"board {self.address} refused command 0x{cmd:02X}")

    def _submit(self, cmd: int, payload: bytes, deadline: float) -> int:
        """Queue one packet, waiting while the window is full; returns its sequence number."""
        while len(self._out) >= self.window:
            self._pump(deadline)
        self._seq = (self._seq + 1) & 0xFF
        packet = self._encode(self._seq, cmd, payload)
        self._out.append([self._seq, cmd, payload, packet])
        try:
            self.link.ensure_open(deadline)
            if self.link.generation != self._gen:
                self._reopened()
            elif not self._held:  # else it follows the SYNC packet's ACK
                self.link.write(packet)
        except LinkDown:
            pass  # _pump reopens and resends
        return self._seq

    def _reopened(self) -> None:
        """The port is new: inside ``show`` find out what the board lacks; else resend with SYNC."""
        self.stats["reconnects"] = self.link.reconnects
        if self._may_replan and self._gen > 0:  # not the first open: the board may hold part of it
            raise _Reopened
        self._fb = None  # the board may have reset (power cut): the next show sends a whole frame
        self._send_all(sync_first=True)

    def _board_restarted(self) -> None:
        """The board expects none of our packets (it restarted, or a broadcast reset it), the
        port unchanged: inside ``show`` read back what it shows first, as after a reopen;
        else forget what it showed, so the next ``show`` sends a whole frame."""
        if self._may_replan and self._gen > 0:
            raise _Reopened
        self._fb = None

    def _drain(self, deadline: float) -> None:
        while self._out:
            self._pump(deadline)

    def _request(self, cmd: int, payload: bytes, deadline: float) -> bytes:
        """Send one command and wait for everything outstanding; its ACK payload."""
        seq = self._submit(cmd, payload, deadline)
        self._drain(deadline)
        return self._answers.pop(seq, b"")

    def _deadline(self) -> float:
        return time.monotonic() + self.give_up_after

    # -- planning ----------------------------------------------------------------------
    def _rects(self, image: Image.Image, box: delta.Box) -> list[tuple[int, bytes, str]]:
        out = []
        for x0, y0, x1, y1 in delta.tiles(box, self.spec.color, self.chunk):
            head = b"".join(v.to_bytes(2, "big") for v in (x0, y0, x1 - x0, y1 - y0))
            out.append((RECT, head + pixels_payload(image.crop((x0, y0, x1, y1)), self.spec.color), "rect"))
        return out

    def _whole(self, image: Image.Image) -> list[tuple[int, bytes, str]]:
        if self.spec.frame_bytes <= self.chunk:
            return [(FRAME, pixels_payload(image, self.spec.color), "frame")]
        return self._rects(image, (0, 0, *self.spec.size))

    def plan(
        self,
        old: Image.Image | None,
        new: Image.Image,
        op: ScrollHint | None = None,
        *,
        trusted: bool = False,
    ) -> list[tuple[int, bytes, str]]:
        """The packets (command, payload, kind) that turn ``old`` into ``new``, fewest bytes first.

        ``op``, a renderer's scroll hint (``direction``, ``shift``), is tried first and saves
        the search over small shifts; a hint that does not fit ``old`` falls back to the search.
        ``trusted``: ``op`` is known to turn ``old`` into ``new`` exactly (its ``prev`` is the
        frame ``old`` was made from), so the shift needs no checking: when its packet is
        provably the cheapest, it is the plan (the same packets the search would choose).
        """
        if old is None:
            return self._whole(new)
        if trusted and op is not None:
            fast = self._scroll(old, new, op)
            if fast is not None:
                return fast
        box = delta.diff_bbox(old, new)
        if box is None:
            return []
        options = [self._rects(new, box)]
        area = (box[2] - box[0]) * (box[3] - box[1])
        for dx, dy, rest, _ in self._shifts(old, new, op, area):
            strip = new.crop(delta.strip_box(dx, dy, *self.spec.size))
            step = (
                SHIFT,
                bytes((dx & 0xFF, dy & 0xFF)) + pixels_payload(strip, self.spec.color, transpose=bool(dx)),
                "shift",
            )
            if len(step[1]) <= self.chunk + 16:
                options.append([step] + (self._rects(new, rest) if rest else []))
        if area * 2 > self.spec.width * self.spec.height:
            options.append(self._whole(new))
        return _cheapest(options)

    def _shifts(
        self, old: Image.Image, new: Image.Image, op: ScrollHint | None, area: int
    ) -> list[delta.Shift]:
        """Shifts worth a SHIFT from ``old`` to ``new`` (dx, dy, box left to RECT, its area).

        The hint's shift first, when it explains at least half of the ``area`` that changed;
        then the search's best, unless the hint explained everything.
        """
        shifts: list[delta.Shift] = []
        hint = delta.hint_shift(op) if op is not None else None
        if hint and max(map(abs, hint)) <= 127:  # SHIFT carries dx, dy as signed bytes
            found = delta.try_shift(old, new, *hint)
            if found is not None and found[3] * 2 <= area:  # it explains at least half the change
                shifts.append(found)
                self.stats["hints_used"] = self.stats.get("hints_used", 0) + 1
            else:
                self.stats["hints_ignored"] = self.stats.get("hints_ignored", 0) + 1
        if area > 64 and not (shifts and shifts[0][3] == 0):  # a hint that explains it all ends the search
            found = delta.best_shift(old, new)
            if found and found[3] < area:
                shifts.append(found)
        return shifts

    def _shift_step(
        self, new: Image.Image, dx: int, dy: int, edge: bytes | None = None
    ) -> tuple[int, bytes, str]:
        """The SHIFT packet by (dx, dy) with the strip cut from ``new`` (payloads cached by strip).

        ``edge``: the strip already packed (a trusted hint's, for mono and rgb sideways,
        where packing is the transposed image's bytes), which saves cutting it from ``new``.
        """
        color = self.spec.color
        per = (self.spec.height + 7) // 8 if color == "mono" else 3 * self.spec.height
        if edge is not None and dx and color in ("mono", "rgb") and len(edge) == abs(dx) * per:
            raw = (dx, dy, edge)
        else:
            strip = new.crop(delta.strip_box(dx, dy, *self.spec.size))
            if dx:
                strip = strip.transpose(Image.Transpose.TRANSPOSE)
            raw = (dx, dy, strip.tobytes() if color in ("mono", "rgb") else pack_region(strip, color))
        self._next_edge = raw
        payload = self._strips.get(raw) or self._new_shift(raw)
        return SHIFT, payload, "shift"

    def _new_shift(self, raw: tuple[int, int, bytes]) -> bytes:
        """The SHIFT payload for (dx, dy, packed strip), kept with its COBS split."""
        if len(self._strips) >= 4096:  # a marquee's columns repeat; a new item starts afresh
            self._strips.clear()
            self._splits.clear()
        dx, dy, data = raw
        packed = packbits_encode(data)  # packed_payload's choice, with the SHIFT header made at once
        if len(packed) < len(data):
            payload = bytes((dx & 0xFF, dy & 0xFF, PACKBITS)) + packed
        else:
            payload = bytes((dx & 0xFF, dy & 0xFF, RAW)) + data
        self._strips[raw] = payload
        split = cobs_split(payload)
        if split is not None:  # with the code bytes of its first and last blocks (header, CRC added)
            first, middle, last = split
            self._splits[payload] = (first, middle, last, _CODES[len(first) + 4], _CODES[len(last) + 5])
        return payload

    def _floor(self, box: delta.Box | None) -> int:
        """Fewest bytes (payloads and overheads) RECTs of ``box`` can take; ``None``: any 1 px box."""
        color = self.spec.color
        return self._floor_bytes(
            packed_size(box[2] - box[0], box[3] - box[1], color) if box else packed_size(1, 1, color)
        )

    def _floor_bytes(self, n: int) -> int:
        """Fewest bytes RECTs of a box of ``n`` packed bytes can take (grows with ``n``)."""
        return floor_bytes(n, self.chunk, self.spec.color)

    def _scroll(
        self, old: Image.Image, new: Image.Image, op: ScrollHint
    ) -> list[tuple[int, bytes, str]] | None:
        """A trusted scroll step without diffing frames, when SHIFT provably costs least; else None.

        The search would offer a RECT of the changed box, this SHIFT (which explains every
        change) and, for a big change, the whole frame; the SHIFT is taken only when it is
        cheaper than the least any RECT or whole frame could cost, so the packets are the ones
        the search picks. Equal frames send nothing, as the search would.
        """
        hint = delta.hint_shift(op)
        w, h = self.spec.size
        if hint is None:
            return None
        dx, dy = hint
        if max(abs(dx), abs(dy)) > 127 or abs(dx) >= w or abs(dy) >= h:
            return None
        step = self._shift_step(new, dx, dy, getattr(op, "edge", None))
        cost = len(step[1]) + OVERHEAD
        if len(step[1]) > self.chunk + 16:
            return None
        whole = self._whole_floor()
        cheapest = cost < self._floor(None) and cost < whole  # whatever the changed box is
        # the frames differ for sure when the strip entering differs from what was at that
        # edge (the previous frame's strip, for a steady scroll); else compare the packed bytes
        if cheapest and self._edge_changed():
            return self._hint_used(step)
        same = self._same_bytes(op)
        if same:
            return []
        if same is not None and cheapest:
            return self._hint_used(step)
        box = delta.diff_bbox(old, new)
        if box is None:
            return []
        area = (box[2] - box[0]) * (box[3] - box[1])
        if cost < self._floor(box) and (area * 2 <= w * h or cost < whole):
            return self._hint_used(step)
        return None

    def _edge_changed(self) -> bool:
        """Whether the strip entering (``_shift_step`` set it) differs from the one that entered
        last, by the same shift: then the frames differ."""
        old_edge, new_edge = self._fb_edge, self._next_edge
        return (
            old_edge is not None
            and new_edge is not None
            and old_edge != new_edge
            and old_edge[:2] == new_edge[:2]
        )

    def _same_bytes(self, op: ScrollHint) -> bool | None:
        """Whether the frame's packed bytes (the renderer's, of this board's colour model) equal
        the board's frame's; None when either is unknown. Kept for the next step."""
        packed = getattr(op, "packed", None)
        same_model = packed is not None and getattr(packed, "color", None) == self.spec.color
        new_bytes = packed() if packed is not None and same_model else None
        old_bytes, self._next_bytes = self._fb_bytes, new_bytes
        if new_bytes is None or old_bytes is None:
            return None
        return new_bytes == old_bytes

    def _hint_used(self, step: tuple[int, bytes, str]) -> list[tuple[int, bytes, str]]:
        """The plan of the one SHIFT ``step``, counted as a hint used."""
        self.stats["hints_used"] = self.stats.get("hints_used", 0) + 1
        return [step]

    def _whole_floor(self) -> int:
        """Fewest bytes a whole frame can take (FRAME, or RECT tiles when it exceeds a packet)."""
        n = self.spec.frame_bytes
        if n > self.chunk:
            return self._floor((0, 0, *self.spec.size))
        return 1 + min(n, 2 * -(-n // 128)) + OVERHEAD

    # -- the Board interface -----------------------------------------------------------
    def show(self, image: Image.Image, op: ScrollHint | None = None) -> None:
        """Send the cheapest update that makes the board show ``image`` (ACKed, up to the window).

        ``op`` is the renderer's scroll hint for this frame (``direction``, ``shift``), if any.
        """
        deadline = self._deadline()
        self.link.ensure_open(deadline)
        target, plan = self._prepare(image, op)
        for _ in range(100):
            self._may_replan = True
            try:
                for cmd, payload, kind in plan:
                    self._submit(cmd, payload, deadline)
                    self._count_op(kind, len(payload) + OVERHEAD)
                ahead = self.window - 1 if op is not None else 0  # a still is confirmed before its hold
                while len(self._out) > ahead:
                    self._pump(deadline)
            except _Replan:
                # Whatever reached the board, absolute RECTs in small packets make it right;
                # the first goes with SYNC as the board may or may not have applied the last one.
                self.stats["replans"] = self.stats.get("replans", 0) + 1
                self._out.clear()
                self._held = False
                self._fb, self._gen = None, -1
                plan = self.plan(None, target)
                continue
            except _Reopened:
                self._may_replan = False
                plan = self._after_reopen(plan, target, deadline)
                continue
            finally:
                self._may_replan = False
            break
        self._shown(target, image)
        self.stats["frames"] += 1
        self._answers.clear()

    def _prepare(
        self, image: Image.Image, op: ScrollHint | None
    ) -> tuple[Image.Image, list[tuple[int, bytes, str]]]:
        """``image`` at the board's depth, and the packets that take the board to it from its frame now."""
        spec = self.spec
        cols = self._columns
        if cols is not None and image.mode == self._mode and image.size == self._size:
            target = image  # what normalise returns for a mono or rgb board's own mode
        else:
            target = normalise(image, spec)
        fb = self._fb
        trusted = op is not None and fb is not None and getattr(op, "prev", None) is self._src
        self._next_bytes = self._next_edge = None
        tracked, self._tracked, self._advanced = self._tracked, None, False
        if trusted and cols is not None:
            plan = self._column_step(target, op, tracked)  # type: ignore[arg-type]
            if plan is not None:
                return target, plan
        return target, self.plan(fb, target, op, trusted=trusted)

    def _shown(self, target: Image.Image, image: Image.Image) -> None:
        """The board shows ``target`` (made from ``image``), as far as the next plan is concerned."""
        self._fb, self._src, self._fb_bytes = target, image, self._next_bytes
        self._fb_edge = self._next_edge
        self._tracked = target if self._advanced else None

    def assume(self, frame: Image.Image | None) -> None:
        """The board shows ``frame`` (None: unknown, so the next ``show`` sends a whole frame),
        for a caller that changed it by other means (a board-side scroll, board_scroll.py)."""
        self._fb = None if frame is None else normalise(frame, self.spec)
        self._src = self._fb_bytes = self._fb_edge = self._tracked = None
        self._advanced = False

    def _column_step(
        self, new: Image.Image, op: ScrollHint, tracked: Image.Image | None
    ) -> list[tuple[int, bytes, str]] | None:
        """A trusted 1-px sideways step planned from the column entering, else None.

        ``_columns`` follows the boundaries between differing neighbour columns as they enter
        (read from the board's frame once, when a scroll starts), which gives this step's
        changed box without comparing frames. With it the plan is the one ``_scroll`` and the
        search make: nothing when no pixel changes; the SHIFT when it costs less than any
        RECT of that box or whole frame could; else the cheapest of RECTs of the box, the
        SHIFT and (for a big box) the whole frame, as the search weighs them. None leaves the
        step to ``plan`` (the columns still take it: they follow what the board will show).
        """
        cols, fb = self._columns, self._fb
        edge = getattr(op, "edge", None)
        if cols is None or fb is None or op.shift != 1 or type(edge) is not bytes or len(edge) != cols.per:
            return None
        direction = op.direction
        if direction == "left":
            raw = (-1, 0, edge)
        elif direction == "right":
            raw = (1, 0, edge)
        else:
            return None
        if tracked is not fb or cols.direction != direction:
            cols.start(fb, direction, self.spec.color == "rgb" or 3 + cols.per + OVERHEAD >= self._cheap())
            self._last_step = None
        changed = cols.push(edge)
        self._advanced = True
        self._next_edge = raw
        if not changed:
            self._last_step = None
            return []
        got = self._last_step if cols.same else None  # the column the last step brought, again
        if got is None:
            got = self._last_step = self._steps[raw[0]].get(edge) or self._new_step(raw)
        step, cost = got  # the plan is never changed by its users: one list serves every step
        if cost > self.chunk + 16 + OVERHEAD:
            return None
        stats = self.stats
        stats["hints_used"] = stats.get("hints_used", 0) + 1
        cheap = self._cheap_at
        if cost < cheap[1] and cheap[0] == self.chunk:  # the common step, weighed here at once
            return step
        return self._weigh_step(new, cols, step, cost)

    def _new_step(self, raw: tuple[int, int, bytes]) -> tuple[list[tuple[int, bytes, str]], int]:
        """The one-SHIFT plan of a sideways step bringing the column ``raw``, and its cost, kept
        by dx and column for the next time that column enters."""
        known = self._steps[raw[0]]
        if len(known) >= 4096:  # as _strips: a new item starts afresh
            known.clear()
        payload = self._strips.get(raw) or self._new_shift(raw)
        got = known[raw[2]] = ([(SHIFT, payload, "shift")], len(payload) + OVERHEAD)
        return got

    def _weigh_step(
        self, new: Image.Image, cols: delta.Columns, step: list[tuple[int, bytes, str]], cost: int
    ) -> list[tuple[int, bytes, str]] | None:
        """``step`` (one SHIFT of ``cost`` bytes) when no RECT of the changed box or whole frame
        can cost less; else the search's pick of the three for the box ``cols`` gives; None
        when the columns cannot tell the box (``plan`` then searches)."""
        cheap = self._cheap_at
        if cheap[0] != self.chunk:  # the chunk size changed: so did the floors
            self._cheap()
            cheap = self._cheap_at
        if cost < cheap[1]:
            return step
        if not cols.rows:
            return None
        color = self.spec.color
        least = self._least_at.get(cost) or self._least(cost)  # _cheap() above kept it for this chunk
        # cheaper than any whole frame, so only RECTs of the changed box compete, and they cost
        # at least as much as RECTs of a box inside it would
        if cost < cheap[2] and cols.inner_bytes() >= least:
            return step
        box = cols.box()
        if box is None:
            return None
        w, h = self._size
        bw, bh = box[2] - box[0], box[3] - box[1]
        big = bw * bh * 2 > w * h
        if not big or cost < cheap[2]:  # no whole frame, or one that costs more
            if packed_size(bw, bh, color) >= least or cost < self._rect_floor(new, box):
                return step  # less than any RECT of the box could cost
        # the search's options for this box, in its order (the first of equal costs wins)
        options = [self._rects(new, box), step]
        if big:
            options.append(self._whole(new))
        return _cheapest(options)

    def _rect_floor(self, image: Image.Image, box: delta.Box) -> int:
        """Fewest bytes a RECT of ``box`` (mono or rgb, in one packet) can take, from its pixels.

        PackBits gives every stretch of equal bytes at least one byte, so the payload has at
        least as many bytes as the packed box has stretches (counted in C: the bytes XORed
        with themselves one byte on are zero inside a stretch). Cheaper than packing the RECT:
        a scroll's first steps weigh narrow boxes that no floor by size alone decides.
        """
        data = image.crop(box).tobytes()  # a mono or rgb region packs as Pillow lays it out
        n = len(data)
        if not n or n > self.chunk:
            return 0  # tiles: no floor from here
        x = int.from_bytes(data, "big")
        stretches = n - (x ^ (x >> 8)).to_bytes(n, "big").count(0, 1)
        return 8 + 1 + min(n, stretches) + OVERHEAD

    def _cheap(self) -> int:
        """Bytes under which a packet costs less than any RECT or whole frame can (this chunk size)."""
        if self._cheap_at[0] != self.chunk:
            whole = self._whole_floor()
            self._cheap_at = (self.chunk, min(self._floor(None), whole), whole)
            self._least_at = {}
        return self._cheap_at[1]

    def _least(self, cost: int) -> int:
        """The fewest packed bytes a box must have for any RECTs of it to cost more than ``cost``."""
        self._cheap()  # a new chunk size forgets the old answers
        least = self._least_at.get(cost)
        if least is None:
            least = self._least_at[cost] = _least_bytes(
                cost, self.chunk, self.spec.color, self.spec.frame_bytes
            )
        return least

    def packets(self, image: Image.Image, op: ScrollHint | None = None) -> list[bytes]:
        """The packets ``show`` would write for ``image`` now, encoded, taken as delivered.

        ``show``'s work without the port (benchmarks/bench_render.py times it as the real
        send path): the same planning, the same bytes, the next sequence numbers.
        """
        target, plan = self._prepare(image, op)
        out = []
        if plan:
            encode, seq = self._encode, self._seq
            for cmd, payload, _ in plan:
                seq = (seq + 1) & 0xFF
                out.append(encode(seq, cmd, payload))
            self._seq = seq
        self._shown(target, image)
        return out

    def _encode(self, seq: int, cmd: int, payload: bytes) -> bytes:
        """``encode_packet`` to this board; a SHIFT payload seen before is COBS-encoded once.

        For those, only the header (its bytes and CRC kept per sequence number) and the CRC
        are new: ``encode_split``, written out here as it runs once a scroll step.
        """
        split = self._splits.get(payload) if cmd == SHIFT else None
        if split is None:
            return encode_packet(self.address, seq, cmd, payload)
        key = self.address << 8 | seq
        head = self._heads.get(key)
        if head is None:
            header = bytes((self.address, seq, SHIFT))
            head = self._heads[key] = (header, zlib.crc32(header))
        first, middle, last, first_code, last_code = split
        crc = zlib.crc32(payload, head[1]).to_bytes(4, "big")
        if seq and 0 not in crc:  # address and command are never 0: the blocks' lengths are known
            return b"".join((first_code, head[0], first, middle, last_code, last, crc, b"\x00"))
        start = head[0] + first
        end = last + crc
        start = cobs_encode(start) if 0 in start else _CODES[len(start) + 1] + start
        end = cobs_encode(end) if 0 in end else _CODES[len(end) + 1] + end
        return start + middle + end + b"\x00"

    def _after_reopen(
        self, plan: list[tuple[int, bytes, str]], target: Image.Image, deadline: float
    ) -> list[tuple[int, bytes, str]]:
        """What to send after the port was reopened mid-``show``: exactly what the board lacks.

        One READBACK (with SYNC, the first packet on the new port) says what the board shows:
        the new frame already (its ACK was lost): nothing; the frame before, untouched: this
        plan again; anything else (it reset, or took part of the plan): the whole frame.
        """
        untouched = bool(self._out and plan) and self._out[0][2] is plan[0][1] and self._fb is not None
        before = crc32(self.spec.pack(self._fb)) if untouched and self._fb is not None else None
        self._out.clear()  # the board's answer below tells what of it arrived
        self._held = False
        self.stats["reopen_readbacks"] = self.stats.get("reopen_readbacks", 0) + 1
        crc = int.from_bytes(self._request(READBACK, b"", deadline), "big")
        self._count_op("readback", OVERHEAD)
        if crc == crc32(self.spec.pack(target)):
            return []
        if crc == before:
            return plan
        self._fb = None
        return self.plan(None, target)

    def flush(self) -> None:
        """Wait until the board has ACKed everything sent (with ``window`` > 1)."""
        self._drain(self._deadline())

    def clear(self) -> None:
        """Switch every LED off with one short command."""
        self._request(CLEAR, b"", self._deadline())
        self._count_op("clear", OVERHEAD)
        self._fb, self._src, self._fb_bytes = self.spec.blank(), None, None
        self._fb_edge = None

    def ping(self) -> bool:
        """Whether the board answers; also learns its geometry, brightness and framebuffer CRC."""
        try:
            p = self._request(PING, b"", time.monotonic() + min(self.give_up_after, 3.0))
        except (LinkError, ProtocolError):
            return False
        if len(p) >= 11:
            self.info = {
                "version": p[0],
                "width": int.from_bytes(p[1:3], "big"),
                "height": int.from_bytes(p[3:5], "big"),
                "color": p[5],
                "brightness": p[6],
                "fb_crc": int.from_bytes(p[7:11], "big"),
            }
            if (self.info["width"], self.info["height"]) != self.spec.size:
                got = f"{self.info['width']}x{self.info['height']}"
                raise GeometryError(
                    f"board {self.address} on {self.link.url} is {got}, "
                    f"not {self.spec.width}x{self.spec.height}"
                )
        return True

    def brightness(self, level: int) -> None:
        """Set the brightness 0..255 (the board keeps it across frames)."""
        if not 0 <= level <= 255:
            raise ValueError(f"brightness {level} is outside 0..255")
        self._request(BRIGHTNESS, bytes((level,)), self._deadline())
        self._count_op("brightness", 1 + OVERHEAD)

    def readback(self) -> int:
        """The CRC-32 of the board's framebuffer, as the board computes it."""
        # the first 4 bytes: a board showing a board-side scroll adds its step (board_scroll.py)
        return int.from_bytes(self._request(READBACK, b"", self._deadline())[:4], "big")

    def verify(self) -> bool:
        """Whether the board shows exactly what we think (read-back CRC equals ours)."""
        return self._fb is not None and self.readback() == crc32(self.spec.pack(self._fb))

    def close(self) -> None:
        """Let the last packets be ACKed (briefly), then close the port."""
        if self._out and self.link.is_open:
            try:
                self._drain(time.monotonic() + min(2.0, self.give_up_after))
            except (LinkError, ProtocolError):
                pass
        self.link.close()
