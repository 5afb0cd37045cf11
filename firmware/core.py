"""The receiver of the native protocol (docs/protocol.md), written once for the board and the simulator.

Framing (COBS, CRC-32), addresses, sequence numbers with ACK/NACK and retransmission
detection, every command, and the framebuffer with its operations. The same file runs on
MicroPython (a Raspberry Pi Pico behind a real P10 board, and the WebAssembly build the
tests use) and on CPython (``signage sim --protocol native``), so it keeps to what both
have: no ``__future__``, ``typing``, ``dataclasses`` or slice deletion. Annotations are for
mypy: MicroPython never evaluates them, and the names they take from ``collections.abc``
(which MicroPython lacks) are imported only where it exists, for CPython, which evaluates
the annotations of functions and of module-level names.

The framebuffer is the board's packed bytes (the layout of docs/protocol.md), so READBACK
is one CRC over it and a P10 scanner reads its rows directly.
"""

try:  # for CPython, which evaluates function annotations; MicroPython has no such module
    from collections.abc import Callable

    Bytes = bytes | bytearray | memoryview  # what the wire and the framebuffer hand over
except ImportError:  # MicroPython: it never evaluates annotations
    pass

_crc32: Callable[[Bytes], int] | None = None  # binascii's, in C, when the build has it
try:
    from binascii import crc32 as _crc32
except ImportError:  # a MicroPython build without it: the table below
    pass
try:
    # MicroPython's wrapping millisecond clock; typeshed's ``time`` (CPython) has no such names
    from time import ticks_diff, ticks_ms  # type: ignore[attr-defined]
except ImportError:  # CPython
    from time import monotonic as _monotonic

    def ticks_ms() -> int:
        return int(_monotonic() * 1000)

    def ticks_diff(a: int, b: int) -> int:
        return a - b


VERSION = 2  # 2: PING tells the scroll step, the commands and the strip limit; SCROLL
BROADCAST = 0x00
REPLY = 0x80  # set in the address byte of every answer from a board
ACK, NACK = 0x06, 0x15
SYNC = 0x80  # command flag: accept this sequence number whatever the board expected
PING, CLEAR, BRIGHTNESS, READBACK = 0x01, 0x02, 0x03, 0x04
FRAME, RECT, SHIFT, SCROLL = 0x10, 0x11, 0x12, 0x13
COMMANDS = {
    PING: "ping",
    CLEAR: "clear",
    BRIGHTNESS: "brightness",
    READBACK: "readback",
    FRAME: "frame",
    RECT: "rect",
    SHIFT: "shift",
    SCROLL: "scroll",
}
DIRECTIONS = ("left", "right", "up")  # position = the direction byte of SCROLL
STRIP_MAX = 32768  # bytes of packed strip a board holds for SCROLL (a Pico has 264 KB of RAM)
NO_STEP = 0xFFFFFFFF  # the step reported when no board-side scroll is shown
CATCH_UP = 8  # a scroll this many steps late or less shows each; further behind, it jumps
RAW, PACKBITS = 0, 1
HISTORY = 8  # applied packets remembered, so a retransmission is answered, never applied twice
MIN_PACKET = 7  # address, sequence, command and the 4-byte CRC, after COBS decoding
COLORS = ("mono", "bicolor", "rgb", "rgb565")  # position = the colour code in the PING answer
NACK_CODES = {
    "crc": 1,
    "unknown_command": 2,
    "length": 3,
    "range": 4,
    "decompress": 5,
    "busy": 6,
    "sequence": 7,
}

_TABLE: list[int] | None = None


def crc32(data: Bytes) -> int:
    """CRC-32/ISO-HDLC (the zlib CRC) of ``data``."""
    if _crc32 is not None:
        return _crc32(data) & 0xFFFFFFFF
    global _TABLE
    if _TABLE is None:
        _TABLE = []
        for n in range(256):
            c = n
            for _ in range(8):
                c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
            _TABLE.append(c)
    c = 0xFFFFFFFF
    for b in data:
        c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def cobs_encode(data: Bytes) -> bytes:
    """COBS-encode ``data`` so it contains no zero byte (the packet delimiter)."""
    out = bytearray()
    for chunk in bytes(data).split(b"\x00"):
        while len(chunk) >= 254:
            out.append(0xFF)
            out += chunk[:254]
            chunk = chunk[254:]
        out.append(len(chunk) + 1)
        out += chunk
    return bytes(out)


def cobs_decode(data: Bytes) -> bytes:
    """Undo ``cobs_encode``; ``ValueError`` on a zero byte or a block running past the end."""
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        code = data[i]
        if code == 0:
            raise ValueError("zero byte inside a COBS frame")
        j = i + code
        if j > n:
            raise ValueError("COBS block runs past the end of the frame")
        out += data[i + 1 : j]
        i = j
        if code < 0xFF and i < n:
            out.append(0)
    return bytes(out)


def packbits_decode(data: Bytes, limit: int) -> bytes:
    """Undo PackBits (Apple TN1023); ``ValueError`` if truncated or longer than ``limit`` bytes."""
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        h = data[i]
        i += 1
        if h < 128:
            if i + h + 1 > n:
                raise ValueError("PackBits literal runs past the end")
            out += data[i : i + h + 1]
            i += h + 1
        elif h > 128:
            if i >= n:
                raise ValueError("PackBits run without its byte")
            out += bytes((data[i],)) * (257 - h)
            i += 1
        if len(out) > limit:
            raise ValueError(f"PackBits data expands past {limit} bytes")
    return bytes(out)


def packet(addr: int, seq: int, cmd: int, payload: Bytes = b"") -> bytes:
    """One packet on the wire: COBS(addr seq cmd payload CRC32-BE) then the 0x00 delimiter."""
    body = bytes((addr, seq, cmd)) + bytes(payload)
    return cobs_encode(body + crc32(body).to_bytes(4, "big")) + b"\x00"


def packed_size(width: int, height: int, color: str) -> int:
    """Bytes a ``width`` x ``height`` region takes in ``color``: rows padded to whole bytes."""
    if color == "mono":
        return (width + 7) // 8 * height
    if color == "bicolor":
        return 2 * ((width + 7) // 8) * height
    if color == "rgb":
        return 3 * width * height
    if color == "rgb565":
        return 2 * width * height
    raise ValueError(f"unknown colour model {color!r}")


class Refused(Exception):
    """A command the board answers with NACK; ``kind`` names the code in ``NACK_CODES``."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


class Framebuffer:
    """What the board shows, as packed bytes, with the operations the commands need.

    Bit-per-pixel models (mono, and bicolor's two planes) work a row at a time on Python
    integers, which both interpreters shift and mask in C; byte-per-pixel models (rgb,
    rgb565) move slices. Row padding bits of a mono or bicolor row stay 0.
    """

    def __init__(self, width: int, height: int, color: str = "mono") -> None:
        if width < 1 or height < 1:
            raise ValueError("a framebuffer needs at least one pixel each way")
        self.width, self.height, self.color = width, height, color
        self.size = packed_size(width, height, color)
        self.bits = color in ("mono", "bicolor")
        self.planes = 2 if color == "bicolor" else 1
        self.bpp = 0 if self.bits else (3 if color == "rgb" else 2)
        self.stride = (width + 7) // 8 if self.bits else width * self.bpp
        self.plane_size = self.stride * height
        self.pad = self.stride * 8 - width if self.bits else 0
        self.row_mask = ((1 << width) - 1) << self.pad
        self.buf = bytearray(self.size)

    def clear(self) -> None:
        """All LEDs off."""
        self.buf[:] = bytes(self.size)

    def load(self, data: Bytes) -> None:
        """Replace everything with ``data``, a whole packed frame."""
        self.buf[:] = data
        self._clean(0, self.height * self.planes)

    def _clean(self, row: int, rows: int) -> None:
        """Zero the padding bits of ``rows`` rows from ``row`` (counted across planes)."""
        if not self.pad:
            return
        keep = (0xFF << self.pad) & 0xFF
        last = self.stride - 1
        for r in range(row, row + rows):
            self.buf[r * self.stride + last] &= keep

    def paste(self, x: int, y: int, w: int, h: int, data: Bytes) -> None:
        """Put the packed ``w`` x ``h`` image ``data`` at (x, y); the caller checked the bounds."""
        buf, stride = self.buf, self.stride
        if not self.bits:
            n = w * self.bpp
            for r in range(h):
                o = ((y + r) * self.width + x) * self.bpp
                buf[o : o + n] = data[r * n : r * n + n]
            return
        dstride = (w + 7) // 8
        dpad = dstride * 8 - w
        b0 = x >> 3
        nb = ((x + w - 1) >> 3) + 1 - b0
        sh = nb * 8 - (x - b0 * 8) - w
        keep = ((1 << (nb * 8)) - 1) ^ (((1 << w) - 1) << sh)
        for p in range(self.planes):
            src = p * dstride * h
            base = p * self.plane_size + b0
            for r in range(h):
                bits = int.from_bytes(data[src : src + dstride], "big") >> dpad
                src += dstride
                o = base + (y + r) * stride
                old = int.from_bytes(buf[o : o + nb], "big")
                buf[o : o + nb] = ((old & keep) | (bits << sh)).to_bytes(nb, "big")

    def shift(self, dx: int, dy: int, strip: Bytes) -> None:
        """Move the content by (dx, dy) (one of them 0) and fill the exposed strip from ``strip``.

        ``strip`` is packed as docs/protocol.md says: for dx, an image ``height`` wide and
        ``|dx|`` high whose row i is exposed column i top to bottom; for dy, ``width`` x ``|dy|``.
        """
        if dy:
            self._shift_rows(dy, strip)
        elif self.bits:
            self._shift_bits(dx, strip)
        else:
            self._shift_bytes(dx, strip)

    def _shift_rows(self, dy: int, strip: Bytes) -> None:
        buf, stride, k = self.buf, self.stride, abs(dy)
        n, part = (self.height - k) * stride, k * stride
        for p in range(self.planes):
            off = p * self.plane_size
            if dy < 0:
                buf[off : off + n] = buf[off + part : off + self.plane_size]
                dst = off + n
            else:
                buf[off + part : off + self.plane_size] = buf[off : off + n]
                dst = off
            buf[dst : dst + part] = strip[p * part : p * part + part]
            self._clean(dst // stride, k)

    def _shift_bits(self, dx: int, strip: Bytes) -> None:
        buf, stride, height, k = self.buf, self.stride, self.height, abs(dx)
        sstride = (height + 7) // 8
        spad = sstride * 8 - height
        top = stride * 8 - 1 - (self.width - k if dx < 0 else 0)  # bit of the first exposed column
        mask = self.row_mask
        for p in range(self.planes):
            so = p * sstride * k
            cols = [
                int.from_bytes(strip[so + i * sstride : so + i * sstride + sstride], "big") >> spad
                for i in range(k)
            ]
            base = p * self.plane_size
            for y in range(height):
                o = base + y * stride
                row = int.from_bytes(buf[o : o + stride], "big")
                row = ((row << k) if dx < 0 else (row >> k)) & mask
                at = height - 1 - y
                for i in range(k):
                    if (cols[i] >> at) & 1:
                        row |= 1 << (top - i)
                buf[o : o + stride] = row.to_bytes(stride, "big")

    def _shift_bytes(self, dx: int, strip: Bytes) -> None:
        buf, stride, bpp, height, k = self.buf, self.stride, self.bpp, self.height, abs(dx)
        keep, moved = stride - k * bpp, k * bpp
        first = self.width - k if dx < 0 else 0
        for y in range(height):
            o = y * stride
            if dx < 0:
                buf[o : o + keep] = buf[o + moved : o + stride]
            else:
                buf[o + moved : o + stride] = buf[o : o + keep]
            d = o + first * bpp
            for i in range(k):
                s = (i * height + y) * bpp
                buf[d : d + bpp] = strip[s : s + bpp]
                d += bpp


def scroll_position(direction: int, step: int, span: int, passes: int, n: int) -> int:
    """Where along a SCROLL strip the window of step ``n`` starts (``span`` = strip minus board).

    ``left`` and ``up`` go from 0 towards ``span``, ``right`` from ``span`` towards 0, ``step``
    px a step, pass after pass; from step ``passes * ceil(span / step)`` on (``passes`` > 0)
    the end window, ``span`` (``left``/``up``) or 0 (``right``), stays: the renderer's frames.
    """
    per_pass = (span + step - 1) // step
    right = direction == 1
    if passes and n >= passes * per_pass:
        return 0 if right else span
    p = (n % per_pass) * step
    return span - p if right else p


class Scroll:
    """A strip the board holds and steps through on its own clock (the SCROLL command).

    Step n shows the board-sized window at ``position(n)`` along the strip, as the
    renderer's scroll effect crops it: ``left`` and ``up`` from the start, ``right`` from
    the end, ``step`` px a step, pass after pass; after the last pass the end window (an
    empty board when the strip is padded by a board on each side), which stays.
    """

    def __init__(
        self, fb: Framebuffer, direction: int, step: int, speed: int, passes: int, length: int, data: Bytes
    ) -> None:
        self.fb = fb
        self.direction, self.step, self.speed, self.passes = direction, step, speed, passes
        self.horizontal = direction != 2
        self.length = length
        self.span = length - (fb.width if self.horizontal else fb.height)
        self.per_pass = (self.span + step - 1) // step
        self.last = passes * self.per_pass if passes else None  # the step of the end window
        self.shown = -1
        self.elapsed = 0  # ms since step 0, summed tick by tick so a wrapping clock never matters
        self.since = 0
        if self.horizontal and fb.bits:  # each strip row (per plane) as one integer
            lstride = (length + 7) // 8
            lpad = lstride * 8 - length
            self.rows = [
                int.from_bytes(data[i * lstride : i * lstride + lstride], "big") >> lpad
                for i in range(fb.planes * fb.height)
            ]
        self.data = data

    @property
    def done(self) -> bool:
        return self.last is not None and self.shown >= self.last

    def position(self, n: int) -> int:
        """How far along the strip the window of step ``n`` starts."""
        return scroll_position(self.direction, self.step, self.span, self.passes, n)

    def due(self, n: int) -> int:
        """Milliseconds after step 0 at which step ``n`` is shown."""
        return (n * self.step * 1000 + self.speed - 1) // self.speed

    def show(self, n: int) -> None:
        """Put the window of step ``n`` into the framebuffer."""
        fb, pos = self.fb, self.position(n)
        buf, stride = fb.buf, fb.stride
        if self.horizontal and fb.bits:
            cut, mask, pad = self.length - pos - fb.width, (1 << fb.width) - 1, fb.pad
            for i, row in enumerate(self.rows):
                buf[i * stride : i * stride + stride] = (((row >> cut) & mask) << pad).to_bytes(stride, "big")
        elif self.horizontal:
            lstride, at = self.length * fb.bpp, pos * fb.bpp
            for y in range(fb.height):
                o = y * lstride + at
                buf[y * stride : y * stride + stride] = self.data[o : o + stride]
        else:
            for p in range(fb.planes):
                o = (p * self.length + pos) * stride
                buf[p * fb.plane_size : (p + 1) * fb.plane_size] = self.data[o : o + fb.plane_size]
        self.shown = n


class Receiver:
    """The board side of the native protocol: bytes in, answers out, the framebuffer kept.

    ``feed`` takes whatever the line delivered and returns the answers to send. ``refuse``
    (optional) is asked before applying a command; True answers NACK busy (the simulator's
    ``nack`` fault). ``errors`` and ``ops`` count by kind (pass a ``Counter`` on CPython);
    ``on_frame`` is called after each command that changed the framebuffer, so a recording
    or a display sees every frame even when one read brings several packets.
    """

    def __init__(
        self,
        width: int,
        height: int,
        color: str = "mono",
        address: int = 1,
        refuse: Callable[[], bool] | None = None,
        errors: dict[str, int] | None = None,
        ops: dict[str, int] | None = None,
        on_frame: Callable[[], None] | None = None,
        clock: Callable[[], int] | None = None,
    ) -> None:
        if color not in COLORS:
            raise ValueError(f"unknown colour model {color!r}")
        if not 1 <= address <= 0x7F:
            raise ValueError(f"board address {address} is outside 1..127")
        self.fb = Framebuffer(width, height, color)
        self.address = address
        self.refuse = refuse
        self.on_frame = on_frame
        self.brightness = 255
        self.frames = 0
        self.errors = {} if errors is None else errors
        self.ops = {} if ops is None else ops
        size = self.fb.size
        longest = max(size, STRIP_MAX)  # a FRAME or a SCROLL's strip, raw
        self.max_wire = (longest + longest // 128 + 64) * 255 // 254 + 8  # the longest packet we accept
        self.clock = clock or ticks_ms  # milliseconds, for SCROLL
        self.scroll: Scroll | None = None  # the board-side scroll shown, if any
        self.expected: int | None = None  # the next sequence number; None until the first SYNC
        # (seq, body CRC, answer) of the last HISTORY applied, oldest first
        self.history: list[tuple[int, int, bytes]] = []
        self._buf = bytearray()
        self._skip = False

    # -- the wire --------------------------------------------------------------------
    def feed(self, data: Bytes) -> list[bytes]:
        """Take bytes off the wire; return the answers to send back, in order."""
        out = []
        buf = self._buf
        buf += data
        start = 0
        while True:
            i = buf.find(b"\x00", start)
            if i < 0:
                break
            frame = buf[start:i]
            start = i + 1
            if self._skip:  # the tail of a packet already dropped as oversize
                self._skip = False
                continue
            if len(frame) > self.max_wire:
                self._count(self.errors, "oversize")
                continue
            if frame:
                answer = self.handle(frame)
                if answer:
                    out.append(answer)
        if start:
            buf = buf[start:]
        if len(buf) > self.max_wire:
            self._count(self.errors, "oversize")
            buf = bytearray()
            self._skip = True
        self._buf = buf
        return out

    def receiving(self) -> bool:
        """Whether part of a packet has arrived and waits for the rest."""
        return bool(self._buf)

    def idle(self) -> None:
        """The line went quiet: an unfinished packet will never complete."""
        if self._buf:
            self._count(self.errors, "truncated")
            self._buf = bytearray()
        self._skip = False

    @staticmethod
    def _count(table: dict[str, int], kind: str) -> None:
        table[kind] = table.get(kind, 0) + 1

    def _answer(self, seq: int, status: int, payload: Bytes = b"") -> bytes:
        return packet(self.address | REPLY, seq, status, payload)

    def _nack(self, seq: int, kind: str, extra: bytes = b"") -> bytes:
        self._count(self.errors, kind)
        return self._answer(seq, NACK, bytes((NACK_CODES[kind],)) + extra)

    def handle(self, frame: Bytes) -> bytes | None:
        """One COBS frame without its delimiter: apply it as the sequence rules say; the answer or None."""
        raw = self._decoded(frame)
        if raw is None:
            return None
        addr, seq, body = raw[0], raw[1], raw[:-4]
        if crc32(body) != int.from_bytes(raw[-4:], "big"):
            if addr == self.address:
                return self._nack(seq, "crc")
            self._count(self.errors, "crc")
            return None
        if addr != self.address and addr != BROADCAST:
            self._count(self.errors, "wrong_address")
            return None
        self.tick()  # a scroll's step is current before anything reads or replaces it
        answer = self._sequenced(addr, seq, raw[2], body)
        return answer if addr else None  # a broadcast is applied, never answered

    def _decoded(self, frame: Bytes) -> bytes | None:
        """The packet a frame carries, or None: garbage or a packet too short (both counted), or
        another board's answer."""
        try:
            raw = cobs_decode(frame)
        except ValueError:
            self._count(self.errors, "garbage")
            return None
        if len(raw) < MIN_PACKET:
            self._count(self.errors, "truncated")
            return None
        if raw[0] & REPLY:
            return None  # another board's answer on a shared bus
        return raw

    def _sequenced(self, addr: int, seq: int, cmd: int, body: bytes) -> bytes:
        """Apply a sound packet for this board as the sequence rules say; its answer."""
        sync, cmd = cmd & SYNC, cmd & 0x7F
        key = crc32(bytes((addr, seq, cmd)) + body[3:])  # the same packet with or without SYNC
        again = self._retransmitted(seq, key)
        if again is not None:
            return again  # answered again, never applied twice
        if not sync and seq != self.expected:
            # An earlier packet was lost; before the first SYNC (power-up, reset) the board
            # cannot know what came before, so it takes nothing until the host sends SYNC.
            return self._nack(seq, "sequence", b"" if self.expected is None else bytes((self.expected,)))
        if self.refuse is not None and self.refuse():
            return self._nack(seq, "busy")
        if sync:
            self.history = []  # a new run of sequence numbers: older packets are not retransmissions
        try:
            answer = self._answer(seq, ACK, self.apply(cmd, body[3:]))
            self._count(self.ops, COMMANDS[cmd])
        except Refused as exc:
            answer = self._nack(seq, exc.kind)
        self._remember(seq, key, answer)
        return answer

    def _retransmitted(self, seq: int, key: int) -> bytes | None:
        """The answer given to this very packet among the last HISTORY applied, or None."""
        for s, k, answer in self.history:
            if s == seq and k == key:
                self._count(self.ops, "duplicate")
                return answer
        return None

    def _remember(self, seq: int, key: int, answer: bytes) -> None:
        """The packet was taken: the next sequence number, and its answer for a retransmission."""
        self.expected = (seq + 1) & 0xFF
        self.history.append((seq, key, answer))
        if len(self.history) > HISTORY:
            self.history.pop(0)

    # -- the commands ----------------------------------------------------------------
    def fb_crc(self) -> int:
        """CRC-32 of the packed framebuffer: what READBACK reports."""
        return crc32(self.fb.buf)

    def step(self) -> int:
        """The board-side scroll step shown (NO_STEP when the board shows no scroll)."""
        return NO_STEP if self.scroll is None else self.scroll.shown & 0xFFFFFFFF

    def status(self) -> bytes:
        """The PING answer: version, width, height, colour code, brightness, framebuffer CRC,
        scroll step, the commands this board takes and the longest SCROLL strip it holds."""
        fb = self.fb
        cmds = bytes(sorted(COMMANDS))
        return (
            bytes((VERSION,))
            + fb.width.to_bytes(2, "big")
            + fb.height.to_bytes(2, "big")
            + bytes((COLORS.index(fb.color), self.brightness))
            + self.fb_crc().to_bytes(4, "big")
            + self.step().to_bytes(4, "big")
            + bytes((len(cmds),))
            + cmds
            + STRIP_MAX.to_bytes(4, "big")
        )

    def tick(self, now: int | None = None) -> bool:
        """Move a board-side scroll on towards the step its clock has reached; True if it moved.

        A board up to CATCH_UP steps late shows the next step (call again until False), so
        every step is shown; later than that it jumps to the current one. The firmware
        calls it from its main loop, the simulator from its clock thread; every packet calls
        it first, so answers tell the step shown.
        """
        sc = self.scroll
        if sc is None or sc.done:
            return False
        now = self.clock() if now is None else now
        sc.elapsed += ticks_diff(now, sc.since)
        sc.since = now
        n = sc.elapsed * sc.speed // (sc.step * 1000)
        if n <= sc.shown:
            return False
        if n - sc.shown <= CATCH_UP:  # a little late: show every step, one a call, to catch up
            n = sc.shown + 1
        if sc.last is not None and n > sc.last:
            n = sc.last
        sc.show(n)
        self._changed()
        return True

    def next_step_ms(self, now: int | None = None) -> int | None:
        """Milliseconds until the next scroll step is due (0: now), or None when no scroll runs."""
        sc = self.scroll
        if sc is None or sc.done:
            return None
        now = self.clock() if now is None else now
        return max(0, sc.due(sc.shown + 1) - sc.elapsed - ticks_diff(now, sc.since))

    def _changed(self) -> None:
        self.frames += 1
        if self.on_frame is not None:
            self.on_frame()

    def pixels(self, p: bytes, width: int, height: int) -> bytes:
        """The packed pixels of an ``enc data`` payload for a ``width`` x ``height`` region."""
        if not p:
            raise Refused("length", "no pixel data")
        enc, data = p[0], p[1:]
        need = packed_size(width, height, self.fb.color)
        if enc == RAW:
            if len(data) != need:
                raise Refused("length", f"{len(data)} pixel bytes, the region takes {need}")
            return data
        if enc == PACKBITS:
            try:
                data = packbits_decode(data, need)
            except ValueError as exc:
                raise Refused("decompress", str(exc)) from None
            if len(data) != need:
                raise Refused("decompress", f"{len(data)} bytes after PackBits, need {need}")
            return data
        raise Refused("range", f"unknown pixel encoding {enc}")

    def apply(self, cmd: int, p: bytes) -> bytes:
        """Carry out one command; its ACK payload, or ``Refused`` (nothing changed)."""
        if cmd in (PING, READBACK, CLEAR) and p:
            raise Refused("length", f"command 0x{cmd:02X} takes no payload")
        if cmd == PING:
            return self.status()
        if cmd == READBACK:  # with the scroll step while the board shows a board-side scroll
            crc = self.fb_crc().to_bytes(4, "big")
            return crc if self.scroll is None else crc + self.step().to_bytes(4, "big")
        if cmd == BRIGHTNESS:
            if len(p) != 1:
                raise Refused("length", "brightness takes one byte")
            self.brightness = p[0]
        elif cmd == SCROLL:
            self._start_scroll(p)
        else:
            self._draw(cmd, p)
            self.scroll = None  # new content replaces a board-side scroll
            self._changed()
        return b""

    def _draw(self, cmd: int, p: bytes) -> None:
        """CLEAR, FRAME, RECT or SHIFT on the framebuffer; ``Refused`` (nothing changed) else."""
        fb = self.fb
        if cmd == CLEAR:
            fb.clear()
        elif cmd == FRAME:
            fb.load(self.pixels(p, fb.width, fb.height))
        elif cmd == RECT:
            self._rect(p)
        elif cmd == SHIFT:
            self._shift(p)
        else:
            raise Refused("unknown_command", f"command 0x{cmd:02X}")

    def _rect(self, p: bytes) -> None:
        """RECT: ``x(2) y(2) w(2) h(2) enc(1) data``, pasted where it says."""
        fb = self.fb
        if len(p) < 9:
            raise Refused("length", "rect header is 8 bytes")
        x, y = int.from_bytes(p[0:2], "big"), int.from_bytes(p[2:4], "big")
        w, h = int.from_bytes(p[4:6], "big"), int.from_bytes(p[6:8], "big")
        if w < 1 or h < 1 or x + w > fb.width or y + h > fb.height:
            raise Refused("range", f"rect {w}x{h}+{x}+{y} is outside the board")
        fb.paste(x, y, w, h, self.pixels(p[8:], w, h))

    def _shift(self, p: bytes) -> None:
        """SHIFT: ``dx(1) dy(1) enc(1) data``, the picture moved and the strip let in."""
        fb = self.fb
        if len(p) < 3:
            raise Refused("length", "shift header is 2 bytes")
        dx = p[0] - 256 if p[0] > 127 else p[0]
        dy = p[1] - 256 if p[1] > 127 else p[1]
        if (dx == 0) == (dy == 0) or abs(dx) >= fb.width or abs(dy) >= fb.height:
            raise Refused("range", f"shift ({dx}, {dy}) must move one axis by less than the board")
        if dx:
            strip = self.pixels(p[2:], fb.height, abs(dx))
        else:
            strip = self.pixels(p[2:], fb.width, abs(dy))
        fb.shift(dx, dy, strip)

    def _start_scroll(self, p: bytes) -> None:
        """SCROLL: ``direction(1) step(1) speed(2) passes(2) length(2) enc(1) data``."""
        fb = self.fb
        if len(p) < 9:
            raise Refused("length", "scroll header is 8 bytes")
        direction, step = p[0], p[1]
        speed, passes, length = (int.from_bytes(p[i : i + 2], "big") for i in (2, 4, 6))
        edge = fb.height if direction == 2 else fb.width
        if direction >= len(DIRECTIONS) or not 1 <= step < edge or speed < 1 or length <= edge:
            raise Refused("range", f"scroll {direction}/{step} px/{speed} px/s over {length} px does not fit")
        w, h = (fb.width, length) if direction == 2 else (length, fb.height)
        if packed_size(w, h, fb.color) > STRIP_MAX:
            raise Refused("length", f"a {w}x{h} strip is more than the {STRIP_MAX} bytes the board holds")
        sc = Scroll(fb, direction, step, speed, passes, length, self.pixels(p[8:], w, h))
        sc.since = self.clock()
        sc.show(0)
        self.scroll = sc
        self._changed()
