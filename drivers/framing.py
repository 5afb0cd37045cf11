"""Byte-level building blocks of the native protocol: COBS framing, PackBits RLE, CRC-32.

Kept apart from the protocol so each can be tested against its published definition
(COBS: Cheshire & Baker 1999; PackBits: Apple TN1023; CRC-32/ISO-HDLC as in zlib). COBS and
PackBits decoding are the firmware core's (``firmware.core``), so the host and the board
decode with the same code; the encoder here is the host's fast one.
"""

from __future__ import annotations

import re
import zlib

from firmware.core import cobs_decode, packbits_decode  # noqa: F401 - the board's own, re-exported

#: The published check value of CRC-32/ISO-HDLC over b"123456789".
CRC_CHECK = 0xCBF43926


def crc32(data: bytes) -> int:
    """CRC-32/ISO-HDLC (poly 0x04C11DB7 reflected, init and xorout 0xFFFFFFFF), as zlib computes it."""
    return zlib.crc32(data) & 0xFFFFFFFF


_CODES = [bytes((n,)) for n in range(256)]


def cobs_encode(data: bytes) -> bytes:
    """COBS-encode ``data`` so it contains no zero byte (the frame delimiter)."""
    chunks = data.split(b"\x00")
    if len(data) < 254:  # no block can be full: one code byte before each zero-free run
        codes = _CODES
        return b"".join([codes[len(c) + 1] + c for c in chunks])
    out = bytearray()
    for chunk in chunks:
        while len(chunk) >= 254:
            out.append(0xFF)
            out += chunk[:254]
            chunk = chunk[254:]
        out.append(len(chunk) + 1)
        out += chunk
    return bytes(out)


_RUN = re.compile(rb"(.)\1{2,}", re.S)


def packbits_encode(data: bytes) -> bytes:
    """PackBits: header n<128 -> n+1 literal bytes; n>128 -> next byte repeated 257-n times."""
    out = bytearray()

    def literal(lo: int, hi: int) -> None:
        while lo < hi:
            take = min(128, hi - lo)
            out.append(take - 1)
            out.extend(data[lo : lo + take])
            lo += take

    pos = 0
    for m in _RUN.finditer(data):
        start, end = m.span()
        literal(pos, start)
        value = data[start]
        run = end - start
        while run >= 3:
            take = min(128, run)
            out.append(257 - take)
            out.append(value)
            run -= take
        literal(end - run, end)  # a tail of 1-2 bytes left by splitting a long run
        pos = end
    literal(pos, len(data))
    return bytes(out)
