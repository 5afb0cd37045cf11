"""Hanover flip-dot signs: the packets pyflipdot writes, byte for byte, but faster.

``STX '1' addr resolution-hex image-hex ETX checksum-hex``: columns left to right, each
column's rows in bytes of 8 (top row in the least significant bit), all as upper-case
ASCII hex; the checksum makes the byte sum after STX zero modulo 256.
"""

from __future__ import annotations

import importlib
import zlib
from collections import Counter
from collections.abc import Callable
from types import ModuleType

from PIL import Image

from drivers.base import normalise
from drivers.link import Link
from drivers.pixels import BoardSpec, GeometryError
from drivers.stream import StreamBoard

STX, ETX = 0x02, 0x03
WRITE_IMAGE, TEST_START, TEST_STOP = 1, 3, 12
BAUD = 4800  # what pyflipdot's HanoverController sets
_REVERSE = bytes(int(f"{b:08b}"[::-1], 2) for b in range(256))
_HEXSUM = bytes(sum(f"{b:02X}".encode()) & 0xFF for b in range(256))
_HEX = set(b"0123456789ABCDEF")
_ONES = bytes(1 if b else 0 for b in range(256))
_GATHER = sum(1 << (56 - 7 * j) for j in range(8))

#: numpy packs bits faster still; pyflipdot brings it, the controller does not need it.
#: Imported by name so that its absence (None) has a type.
_np: ModuleType | None
try:
    _np = importlib.import_module("numpy")
except ImportError:  # pragma: no cover - exercised by forcing _np = None in the tests
    _np = None


def column_bytes(image: Image.Image) -> bytes:
    """Pixels column by column, 8 rows a byte, top row in bit 0, bottom padded with zeros."""
    if _np is not None:  # Pillow transposes in C, then each column's cells are contiguous for packbits
        w, h = image.size
        cells = _np.frombuffer(image.transpose(Image.Transpose.TRANSPOSE).tobytes("raw", "L"), _np.uint8)
        return _np.packbits(cells.reshape(w, h), axis=1, bitorder="little").tobytes()
    w, h = image.size
    if h % 8:
        padded = Image.new("1", (w, h + 8 - h % 8), 0)
        padded.paste(image, (0, 0))
        image = padded
    cells = image.transpose(Image.Transpose.TRANSPOSE).tobytes("raw", "L").translate(_ONES)
    # Each 8 cells (0 or 1, one a byte) become one byte in a single big multiplication:
    # the magic number moves cell i to bit 56+i of its 64-bit word, with no carries.
    spread = int.from_bytes(cells, "little") * _GATHER
    return spread.to_bytes(len(cells) + 8, "little")[7::8][: len(cells) // 8]


def _byte_sum(data: bytes) -> int:
    """Sum of the bytes, in C: Adler-32's low half is 1 + the sum while it stays under 65521."""
    chunks = range(0, len(data), 256)
    return sum(zlib.adler32(data[i : i + 256]) & 0xFFFF for i in chunks) - len(chunks)


def checksum(body: bytes) -> int:
    """The byte that makes the sum of everything after STX (ETX included) zero modulo 256."""
    return -sum(body) & 0xFF


def encode(image: Image.Image, spec: BoardSpec, address: int) -> bytes:
    """The image packet pyflipdot's ``ImagePacket(address, image).get_bytes()`` would write."""
    img = normalise(image, spec)
    data = column_bytes(img)
    head = f"{WRITE_IMAGE:1X}{address:1X}{len(data) & 0xFF:02X}".encode()
    hexdata = data.hex().upper().encode()
    total = sum(head) + _byte_sum(data.translate(_HEXSUM)) + ETX
    return b"\x02" + head + hexdata + b"\x03" + f"{-total & 0xFF:02X}".encode()


def command(code: int, address: int = 0) -> bytes:
    """A packet without payload (test-mode start/stop)."""
    body = f"{code:1X}{address:1X}".encode() + b"\x03"
    return b"\x02" + body + f"{checksum(body):02X}".encode()


def decode_columns(data: bytes, spec: BoardSpec) -> Image.Image:
    """The image a packet's column bytes stand for."""
    rows = (spec.height + 7) // 8 * 8
    img = Image.frombytes("1", (rows, spec.width), data.translate(_REVERSE))
    return img.transpose(Image.Transpose.TRANSPOSE).crop((0, 0, spec.width, spec.height))


class FlipdotReceiver:
    """A Hanover sign: finds packets, checks checksum and address, shows image packets."""

    on_frame: Callable[[], None] | None = None  # called after each frame is applied

    def __init__(self, spec: BoardSpec, address: int = 1, refuse: object = None) -> None:
        self.spec, self.address = spec, address
        self.nbytes = spec.width * ((spec.height + 7) // 8)
        self.fb = spec.blank()
        self.frames = 0
        self.test_mode = False
        self.errors: Counter[str] = Counter()
        self.ops: Counter[str] = Counter()
        self._buf = bytearray()
        self._max = 2 * self.nbytes + 16

    def feed(self, data: bytes) -> list[bytes]:
        """Take bytes off the wire (a Hanover sign never answers)."""
        buf = self._buf
        buf += data
        while buf:
            i = buf.find(STX)
            if i != 0:
                self.errors["garbage"] += 1
                del buf[: len(buf) if i < 0 else i]
                continue
            end = buf.find(ETX, 1, self._max + 1)
            if end < 0:
                if len(buf) > self._max:
                    self.errors["oversize"] += 1
                    del buf[:1]
                    continue
                break
            nxt = buf.find(STX, 1, end)
            if nxt > 0:  # a new packet began before this one ended
                self.errors["truncated"] += 1
                del buf[:nxt]
                continue
            if len(buf) < end + 3:
                break
            self._packet(bytes(buf[1 : end + 1]), bytes(buf[end + 1 : end + 3]))
            del buf[: end + 3]
        return []

    def _packet(self, body: bytes, check: bytes) -> None:
        if not set(check) <= _HEX or int(check, 16) != checksum(body):
            self.errors["crc"] += 1
            return
        if len(body) < 3 or not set(body[:-1]) <= _HEX:
            self.errors["garbage"] += 1
            return
        code, addr = int(body[:1], 16), int(body[1:2], 16)
        if addr not in (self.address, 0):
            self.errors["wrong_address"] += 1
            return
        if code == WRITE_IMAGE:
            hexdata = body[4:-1]
            if len(body) < 5 or len(hexdata) != 2 * self.nbytes:
                self.errors["length"] += 1
                return
            self.fb = decode_columns(bytes.fromhex(hexdata.decode()), self.spec)
            self.frames += 1
            self.ops["frame"] += 1
            if self.on_frame is not None:  # the simulator records every frame, not one a read
                self.on_frame()
        elif code in (TEST_START, TEST_STOP):
            self.test_mode = code == TEST_START
            self.ops["test_start" if self.test_mode else "test_stop"] += 1
        else:
            self.errors["unknown_command"] += 1

    def idle(self) -> None:
        """The line went quiet: an unfinished packet will never complete."""
        if self._buf:
            self.errors["truncated"] += 1
            self._buf.clear()


class FlipdotBoard(StreamBoard):
    """A Hanover flip-dot sign (one colour, address 0..15) on an RS-485 line."""

    protocol = "flipdot"

    def __init__(self, link: Link, spec: BoardSpec, address: int = 1, *, give_up_after: float = 10.0) -> None:
        if spec.color != "mono":
            raise GeometryError("a flip-dot sign has one colour: use color='mono'")
        if not 0 <= address <= 15:
            raise ValueError(f"Hanover address {address} is outside 0..15")
        super().__init__(link, spec, address, give_up_after=give_up_after)

    def encode(self, image: Image.Image) -> bytes:
        """The packet pyflipdot would write for this image and address."""
        return encode(image, self.spec, self.address)
