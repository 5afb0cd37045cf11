"""TPM2 over serial: ``C9 DA size-hi size-lo payload 36``, as the public TPM2 description has it.

Lets the controller drive off-the-shelf TPM2 receivers (WLED, Glediator-style boards).
RGB boards get three bytes a pixel in a selectable order; one-colour boards one byte a pixel.
TPM2 carries 8 bits a channel, so an rgb565 board's 5- and 6-bit channels are widened by
repeating their top bits (``0x1F`` -> ``0xFF``, not ``0xF8``): white stays white.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from PIL import Image

from drivers.base import normalise
from drivers.link import Link
from drivers.pixels import BoardSpec, GeometryError
from drivers.stream import StreamBoard

START, DATA, PING, END, ACK = 0xC9, 0xDA, 0xAA, 0x36, 0xAC
ORDERS = ("RGB", "RBG", "GRB", "GBR", "BRG", "BGR")


def payload_size(spec: BoardSpec) -> int:
    """Bytes of one TPM2 frame's payload: one a pixel for one colour, else three."""
    return spec.width * spec.height * (1 if spec.color == "mono" else 3)


def _widen(bits: int) -> list[int]:
    """LUT from an 8-bit channel holding ``bits`` significant bits to the full 0..255 range."""
    drop = 8 - bits
    return [((v >> drop) << drop) | ((v >> drop) >> (bits - drop)) for v in range(256)]


#: Pillow LUT (R, G, B) widening rgb565's 5-6-5 bit channels to 8 bits each.
WIDEN_565 = _widen(5) + _widen(6) + _widen(5)


def encode(image: Image.Image, spec: BoardSpec, order: str = "RGB") -> bytes:
    """One TPM2 data frame for ``image``."""
    img = normalise(image, spec)
    if spec.color == "mono":
        data = img.convert("L").tobytes()
    else:
        if spec.color == "rgb565":
            img = img.point(WIDEN_565)
        if order != "RGB":
            bands = dict(zip("RGB", img.split(), strict=True))
            img = Image.merge("RGB", [bands[c] for c in order])
        data = img.tobytes()
    n = len(data)
    return bytes((START, DATA, n >> 8, n & 0xFF)) + data + bytes((END,))


def decode_payload(data: bytes, spec: BoardSpec, order: str = "RGB") -> Image.Image:
    """The board image a frame's payload stands for."""
    if spec.color == "mono":
        return normalise(Image.frombytes("L", spec.size, data), spec)
    img = Image.frombytes("RGB", spec.size, data)
    if order != "RGB":
        bands = dict(zip(order, img.split(), strict=True))
        img = Image.merge("RGB", [bands[c] for c in "RGB"])
    return normalise(img, spec)


class Tpm2Receiver:
    """Board side: finds frames in the byte stream, resynchronises after junk, answers pings."""

    on_frame: Callable[[], None] | None = None  # called after each frame is applied

    def __init__(self, spec: BoardSpec, address: int = 1, order: str = "RGB", refuse: object = None) -> None:
        self.spec, self.order = spec, order
        self.size = payload_size(spec)
        self.fb = spec.blank()
        self.frames = 0
        self.errors: Counter[str] = Counter()
        self.ops: Counter[str] = Counter()
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        """Take bytes off the wire; return answers (``AC`` for each ping)."""
        out: list[bytes] = []
        buf = self._buf
        buf += data
        while buf:
            i = buf.find(START)
            if i != 0:
                self.errors["garbage"] += 1
                del buf[: len(buf) if i < 0 else i]
                continue
            if len(buf) < 2:
                break
            if buf[1] == PING:
                self.ops["ping"] += 1
                out.append(bytes((ACK,)))
                del buf[:2]
            elif buf[1] != DATA:
                self.errors["unknown_command"] += 1
                del buf[:1]
            elif not self._data_frame(buf):
                break
        return out

    def _data_frame(self, buf: bytearray) -> bool:
        """Apply the data frame at the start of ``buf``, or drop its start byte when it is not
        one (a wrong size, no end byte where the size says); False: it is not all here yet."""
        if len(buf) < 4:
            return False
        size = buf[2] << 8 | buf[3]
        if size != self.size:
            self.errors["oversize" if size > self.size else "length"] += 1
            del buf[:1]
            return True
        if len(buf) < size + 5:
            return False
        if buf[size + 4] != END:
            self.errors["truncated"] += 1  # a frame cut short: the next one ran into it
            del buf[:1]
            return True
        self.fb = decode_payload(bytes(buf[4 : size + 4]), self.spec, self.order)
        self.frames += 1
        self.ops["frame"] += 1
        if self.on_frame is not None:  # the simulator records every frame, not one a read
            self.on_frame()
        del buf[: size + 5]
        return True

    def idle(self) -> None:
        """The line went quiet: an unfinished frame will never complete."""
        if self._buf:
            self.errors["truncated"] += 1
            self._buf.clear()


class Tpm2Board(StreamBoard):
    """A TPM2 receiver on a serial line."""

    protocol = "tpm2"

    def __init__(
        self,
        link: Link,
        spec: BoardSpec,
        address: int = 1,
        *,
        order: str = "RGB",
        give_up_after: float = 10.0,
    ) -> None:
        if order not in ORDERS:
            raise ValueError(f"TPM2 colour order {order!r}: use one of {', '.join(ORDERS)}")
        if payload_size(spec) > 0xFFFF:
            raise GeometryError(
                f"a {spec.width}x{spec.height} {spec.color} frame does not fit TPM2's 65535 bytes"
            )
        super().__init__(link, spec, address, give_up_after=give_up_after)
        self.order = order

    def encode(self, image: Image.Image) -> bytes:
        """One TPM2 data frame."""
        return encode(image, self.spec, self.order)

    def ping(self) -> bool:
        """Send ``C9 AA``; a TPM2 receiver that is there answers ``AC`` (as WLED does)."""
        if not super().ping():
            return False
        try:
            self.link.discard_input()
            self.link.write(bytes((START, PING)))
            return self.link.read(1, 1.0) == bytes((ACK,))
        except Exception:  # noqa: BLE001 - any failure means "not there"
            return False
