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


class _Blocks(dict[bytes, bytes]):
    """A zero-free run -> its COBS block (length + 1, then the run); runs of 0-1 bytes are
    looked up (all 257 of them), longer ones made on demand (and not kept)."""

    def __missing__(self, run: bytes) -> bytes:
        return _CODES[len(run) + 1] + run


_BLOCKS = _Blocks({bytes(r): _CODES[len(r) + 1] + bytes(r) for r in [()] + [(n,) for n in range(1, 256)]})


def cobs_encode(data: bytes) -> bytes:
    """COBS-encode ``data`` so it contains no zero byte (the frame delimiter)."""
    chunks = data.split(b"\x00")
    if len(data) < 254:  # no block can be full: one code byte before each zero-free run
        if len(chunks) > 8:  # many short runs (coloured pixels): every block looked up in C
            return b"".join(map(_BLOCKS.__getitem__, chunks))
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


def cobs_split(payload: bytes, around: int = 7) -> tuple[bytes, bytes, bytes] | None:
    """``payload`` cut for ``cobs_joined``: (bytes before its first zero, the COBS of what lies
    between its first and last zero, bytes after its last zero); None when it has no zero or
    with ``around`` more bytes makes 254 or more (COBS then splits long zero-free runs).

    COBS of ``a + 0 + b`` is COBS of ``a`` then COBS of ``b`` (for short data), so a packet's
    payload, sent many times with other headers and CRCs, is encoded in the middle once.
    """
    first = payload.find(0)
    if first < 0 or len(payload) + around >= 254:
        return None
    last = payload.rfind(0)
    middle = cobs_encode(payload[first + 1 : last]) if last > first else b""
    return payload[:first], middle, payload[last + 1 :]


def cobs_joined(head: bytes, split: tuple[bytes, bytes, bytes], tail: bytes) -> bytes:
    """COBS of ``head + payload + tail`` from the payload's ``cobs_split`` (same bytes as
    ``cobs_encode``), for a ``head`` and ``tail`` of at most ``around`` bytes together."""
    first, middle, last = split
    head += first
    tail = last + tail
    if 0 in head:
        head = cobs_encode(head)
    else:
        head = _CODES[len(head) + 1] + head
    if 0 in tail:
        return head + middle + cobs_encode(tail)
    return head + middle + _CODES[len(tail) + 1] + tail


_REPEATS = re.compile(rb"\x00{2,}")


def packbits_encode(data: bytes) -> bytes:
    """PackBits: header n<128 -> n+1 literal bytes; n>128 -> next byte repeated 257-n times.

    Runs of three or more equal bytes are repeats (split at 128), everything else literals
    (split at 128); a run's 1-2 byte remainder after its 128s is a literal of its own. The
    runs are found in C: XOR with itself one byte on is zero where a byte repeats its
    predecessor, and two zeros or more there are a run of three or more.
    """
    n = len(data)
    x = int.from_bytes(data, "big")
    repeats = (x ^ (x >> 8)).to_bytes(n, "big")  # byte i: data[i] ^ data[i - 1]
    out = bytearray()
    pos = 0
    for m in _REPEATS.finditer(repeats, 1):
        start, end = m.span()
        start -= 1  # the run begins with the byte the first zero repeats
        while pos < start:  # the literal before the run
            take = start - pos if start - pos <= 128 else 128
            out.append(take - 1)
            out += data[pos : pos + take]
            pos += take
        run = end - start
        value = data[start]
        while run >= 128:
            out.append(129)
            out.append(value)
            run -= 128
        if run >= 3:
            out.append(257 - run)
            out.append(value)
        elif run:  # a tail of 1-2 bytes left by splitting a long run
            out.append(run - 1)
            out += data[end - run : end]
        pos = end
    while pos < n:
        take = n - pos if n - pos <= 128 else 128
        out.append(take - 1)
        out += data[pos : pos + take]
        pos += take
    return bytes(out)
