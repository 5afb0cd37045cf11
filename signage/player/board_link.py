"""The board's open link: opened behind the per-board port lock, kept open between items.

A link is reopened only when the board's settings in the show change (URL, protocol,
size, baud, address). What was last set on it (brightness) and what the board said it can
do (its PING answer, asked once per open link) are kept beside it, and forgotten with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from drivers import Board, LinkError, PortError, open_board
from drivers.board_scroll import Capabilities
from drivers.pixels import GeometryError
from signage.player import onboard
from signage.player.lease import PortLock
from signage.show import ShowBoard

log = logging.getLogger(__name__)

#: How long a link may try to deliver one frame before the item gives up on it.
GIVE_UP_AFTER = 3.0
#: Faults that mean the board cannot be reached with the settings in the show.
LINK_FAULTS = (GeometryError, PortError, LinkError, KeyError, ValueError)


class PortBusy(PortError):
    """Another process on this machine has the board's port (it holds the port lock)."""


class BoardLink:
    """One board's link, its port lock, the brightness sent and the board's capabilities."""

    def __init__(self, slug: str, port_lock: PortLock) -> None:
        self.slug = slug
        self.port_lock = port_lock
        #: How the link is opened: ``drivers.open_board``, or a shared line's (``drivers.bus.Buses``).
        self.open_board: Callable[..., Board] = open_board
        self.link: Board | None = None
        self.key: tuple | None = None
        self.level_sent: int | None = None
        self.caps: Capabilities | None = None  # what the board said it can do (PING), per link
        self.caps_link: Board | None = None

    def open(self, board: ShowBoard) -> Board:
        """The open link of the board, reopened only when its settings changed."""
        spec = board.spec()
        url, protocol, baud, address = board.link()
        key = (url, protocol, spec, baud, address)
        if self.link is not None and self.key == key:
            return self.link
        if self.link is not None:
            log.info("board %s: settings changed, reopening the link", self.slug)
            self.close()
        if not self.port_lock.acquire():
            raise PortBusy(
                f"another process on this machine has board {self.slug}'s port (lock {self.port_lock.path})"
            )
        try:
            self.link = self.open_board(
                url, protocol, spec, baud=baud, address=address, give_up_after=GIVE_UP_AFTER
            )
        except BaseException:
            self.port_lock.release()
            raise
        self.key = key
        self.level_sent = None
        log.info("board %s: link open on %s (%s, %s baud)", self.slug, url, protocol, baud)
        return self.link

    def close(self) -> None:
        """Close the link (a failure to close is logged, never raised) and free the port lock."""
        if self.link is not None:
            try:
                self.link.close()
            except Exception:  # a dying link must not stop the worker
                log.exception("board %s: error while closing the link", self.slug)
        self.link = None
        self.key = None
        self.port_lock.release()

    def brightness(self, link: Board, level: int) -> bool:
        """Send ``level`` (0..255) unless it is the one last sent; True when sent."""
        if level == self.level_sent:
            return False
        link.brightness(level)
        self.level_sent = level
        return True

    def capabilities(self, link: Board) -> Capabilities | None:
        """What the board says it can do (its PING answer), asked once per open link."""
        if self.caps_link is not link:
            self.caps, self.caps_link = onboard.board_caps(link), link
        return self.caps

    def switch_off(self, board: ShowBoard) -> bool:
        """Blank the board and turn it down (outside on/off hours); False when it cannot be reached."""
        try:
            link = self.open(board)
            link.clear()
            link.brightness(0)
        except LINK_FAULTS as exc:
            log.error("board %s: could not switch the board off: %s", self.slug, exc)
            self.close()
            return False
        self.level_sent = 0
        log.info("board %s: off hours; board blanked", self.slug)
        return True
