"""Board drivers: pixel formats, serial links, protocol codecs and the board simulator.

This package knows bytes and pixels, never Flask, the database or the schedule, so the
simulator and a worker on a small computer next to the board can use it alone.
"""

from __future__ import annotations

from typing import Any

from drivers.base import Board, DriverError, LinkError, PortError, ProtocolError, ScrollHint
from drivers.link import Link, check_port_url
from drivers.pixels import BoardSpec

PROTOCOLS = ("native", "tpm2", "flipdot")

__all__ = [
    "PROTOCOLS",
    "Board",
    "BoardSpec",
    "DriverError",
    "LinkError",
    "PortError",
    "ProtocolError",
    "ScrollHint",
    "check_port_url",
    "open_board",
]


def open_board(
    url: str,
    protocol: str,
    spec: BoardSpec,
    *,
    baud: int = 115200,
    address: int = 1,
    give_up_after: float = 10.0,
    **options: Any,
) -> Board:
    """A board on ``url`` speaking ``protocol``; the port opens on first use and stays open.

    ``options`` go to the link (parity, stopbits, bytesize, rs485, write_timeout) or the
    protocol (tpm2: order). A missing device is not an error here: the board retries with
    backoff, so a USB adapter plugged in later still works.
    """
    check_port_url(url, must_exist=False)
    if protocol not in PROTOCOLS:
        raise ValueError(f"protocol {protocol!r}: use one of {', '.join(PROTOCOLS)}")
    link_keys = ("parity", "stopbits", "bytesize", "rs485", "write_timeout", "backoff", "backoff_max")
    link = Link(url, baud, **{k: options.pop(k) for k in link_keys if k in options})
    if protocol == "native":
        from drivers.native import NativeBoard

        return NativeBoard(link, spec, address, give_up_after=give_up_after, **options)
    if protocol == "tpm2":
        from drivers.tpm2 import Tpm2Board

        return Tpm2Board(link, spec, address, give_up_after=give_up_after, **options)
    from drivers.flipdot import FlipdotBoard

    return FlipdotBoard(link, spec, address, give_up_after=give_up_after, **options)
