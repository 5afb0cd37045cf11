"""Several native boards on one line (RS-485 multi-drop): one port, one writer, whole exchanges.

Every board on a pair hears every byte and answers only what carries its own address, and
the pair is half-duplex: two talkers at once garble both. So the host side of a line is one
``Bus``: one ``Link`` (one open port, one reconnect counter), and a *turn* that one board
holds for a whole exchange. ``BusBoard`` is a ``NativeBoard`` that takes the turn around
each of its calls (``show``, ``ping``, ``readback``...); every packet it sent is answered
before another board writes (when another board waits, before the turn is given back;
else the next holder first waits for the answer), so the line is quiet when the next board
starts, and another board's late answer is never in the way (``NativeBoard`` skips answers
for other addresses anyway). A board alone on the line keeps its window across calls.
Threads wait for the turn first come, first served, so a board that scrolls fast cannot
starve a neighbour.

A reconnect is seen by every board: they share the ``Link``, whose ``generation`` goes up
on each reopen, and each board resends its next packet with SYNC when it sees that (and
inside ``show`` reads back first, as on a line of its own).

``Buses`` opens boards by URL as ``drivers.open_board`` does, one ``Bus`` per port: the
worker of a line (``signage worker --board a:b``) hands it to its players.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PIL import Image

from drivers.base import LinkError, PortError, ProtocolError, ScrollHint
from drivers.link import Link, check_port_url, port_path
from drivers.native import NativeBoard
from drivers.pixels import BoardSpec

#: How long the next holder of the turn waits for a packet another board left in flight;
#: unanswered by then, it is dropped and that board sends a whole frame at its next show.
SETTLE_WITHIN = 1.0
#: Link settings a board may pass; every board on one line must agree on them.
LINK_KEYS = ("parity", "stopbits", "bytesize", "rs485", "write_timeout", "backoff", "backoff_max")


class Turn:
    """A first-come-first-served lock that the thread holding it may take again (nested calls)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._queue: deque[int] = deque()  # waiting threads' tickets, oldest first
        self._next = 0
        self.owner: int | None = None  # thread id
        self.depth = 0
        self.taken = 0  # turns granted, all told (stats)
        self.waited = 0.0  # seconds spent waiting for the turn, all told (stats)

    def acquire(self) -> None:
        me = threading.get_ident()
        with self._cond:
            if self.owner == me:
                self.depth += 1
                return
            ticket, self._next = self._next, self._next + 1
            self._queue.append(ticket)
            began = time.monotonic()
            while self.owner is not None or self._queue[0] != ticket:
                self._cond.wait()
            self._queue.popleft()
            self.owner, self.depth = me, 1
            self.taken += 1
            self.waited += time.monotonic() - began

    def release(self) -> None:
        with self._cond:
            if self.owner != threading.get_ident():
                raise RuntimeError("the line's turn is released by a thread that does not hold it")
            self.depth -= 1
            if self.depth == 0:
                self.owner = None
                self._cond.notify_all()

    @property
    def mine(self) -> bool:
        """Whether the calling thread holds the turn."""
        return self.owner == threading.get_ident()

    def pause(self, seconds: float) -> None:
        """Give the turn up (however deeply held) for ``seconds``, then queue for it again.

        For a board that gets no answer: the others use the line meanwhile instead of
        waiting for its retries to run out.
        """
        me = threading.get_ident()
        with self._cond:
            if self.owner != me:
                raise RuntimeError("the line's turn is paused by a thread that does not hold it")
            depth, self.owner, self.depth = self.depth, None, 0
            self._cond.notify_all()
        time.sleep(seconds)
        self.acquire()
        with self._cond:
            self.depth = depth

    @property
    def wanted(self) -> bool:
        """Whether another thread waits for the turn."""
        with self._cond:
            return bool(self._queue)


class Bus:
    """One serial line shared by several native boards: its ``Link``, its turn, its boards."""

    def __init__(self, link: Link) -> None:
        self.link = link
        self.turn = Turn()
        self.boards: dict[int, BusBoard] = {}
        #: The board whose last call left a packet in flight (nobody else wanted the line):
        #: whoever takes the turn next has it answered first (``settle``).
        self.unsettled: BusBoard | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return self.link.url

    def board(
        self, spec: BoardSpec, address: int, *, give_up_after: float = 10.0, **options: Any
    ) -> BusBoard:
        """A board at ``address`` on this line (an address already in use is refused)."""
        with self._lock:
            if address in self.boards:
                raise PortError(f"address {address} on {self.url} is already taken by another board")
            board = BusBoard(self, spec, address, give_up_after=give_up_after, **options)
            self.boards[address] = board
            return board

    def detach(self, board: BusBoard) -> bool:
        """Forget ``board``; close the port when it was the last one. True if the port closed."""
        with self._lock:
            if self.boards.get(board.address) is board:
                del self.boards[board.address]
            if self.boards:
                return False
        with self.turn_held():
            self.link.close()
        return True

    def settle(self, board: BusBoard) -> None:
        """At the start of ``board``'s turn: let the last holder's packets in flight be answered.

        Called with the turn held, so the last holder's thread cannot touch its board now. A
        failure is its own: its packets are dropped and what it shows forgotten, so its
        next ``show`` sends a whole frame.
        """
        last, self.unsettled = self.unsettled, None
        if last is None or last is board or last.closed or not last._out:
            return
        last._settling = True  # its retries keep this thread's turn: its own thread must wait
        try:
            last._drain(time.monotonic() + min(SETTLE_WITHIN, last.give_up_after))
        except (LinkError, ProtocolError) as exc:
            last._out.clear()
            last._fb = None
            last.stats["last_error"] = f"while another board waited: {exc}"
        finally:
            last._settling = False

    @contextmanager
    def turn_held(self) -> Iterator[None]:
        """Hold the line for one exchange (nested use by the same thread is free)."""
        self.turn.acquire()
        try:
            yield
        finally:
            self.turn.release()

    def stats(self) -> dict[str, Any]:
        """The line's counters: boards, turns taken and waited for, reconnects."""
        return {
            "url": self.url,
            "boards": sorted(self.boards),
            "turns": self.turn.taken,
            "turn_wait_s": round(self.turn.waited, 3),
            "reconnects": self.link.reconnects,
            "generation": self.link.generation,
        }


class BusBoard(NativeBoard):
    """A ``NativeBoard`` on a shared line: each call holds the line's turn until it is answered.

    Same interface and behaviour as ``NativeBoard`` (window, delta updates, resync after a
    reconnect); the difference is that its packets are all answered before another board
    talks: a scroll step's packet left in flight (window 2) is drained at once when another
    board waits for the line, else by the next holder of the turn before it writes.
    ``close`` releases only this board: the port closes with the last board on the line.
    """

    def __init__(
        self, bus: Bus, spec: BoardSpec, address: int = 1, *, give_up_after: float = 10.0, **options: Any
    ) -> None:
        super().__init__(bus.link, spec, address, give_up_after=give_up_after, **options)
        self.bus = bus
        self.closed = False
        self._silent = 0  # tries in a row without an answer (the pause between them grows)
        self._settling = False  # another board's thread waits for this one's packet in flight

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """This board's turn on the line; the outermost call first settles the last holder's packets."""
        with self.bus.turn_held():
            if self.bus.turn.depth == 1:
                self.bus.settle(self)
            yield

    def _settle(self) -> None:
        """Before giving the turn back after a ``show`` that left a packet in flight (a scroll
        step, window 2): when another board waits, have it answered, so the line is quiet when
        that board starts; when nobody waits, leave it in flight (the next ``show`` keeps the
        wire busy as on a port of its own) and let whoever takes the turn next settle it."""
        if not self._out or self.bus.turn.depth != 1:
            return
        if self.bus.turn.wanted:
            self._drain(self._deadline())
        else:
            self.bus.unsettled = self

    def _retransmit(self, why: str, *, sync: bool = False) -> None:
        """No answer came: when another board waits for the line, let it have the line for a
        while (longer after each silent try: 50 ms doubling to 0.8 s), then retry; so a board
        that is unpowered or misaddressed does not stop its neighbours for ``give_up_after``
        at a time. Its own deadline runs on: it gives up as on a port of its own."""
        if why == "timeout" and self.bus.turn.wanted and not self._settling:
            self._silent += 1
            self.stats["paused"] = self.stats.get("paused", 0) + 1
            self.bus.turn.pause(min(0.8, 0.05 * 2 ** (self._silent - 1)))
            if self.link.generation != self._gen:
                return  # the port was reopened meanwhile: the next _pump resyncs
        super()._retransmit(why, sync=sync)

    def _pump(self, deadline: float) -> None:
        acked = self.stats["acked"]
        super()._pump(deadline)
        if self.stats["acked"] != acked:
            self._silent = 0  # it answers again: no more waiting between tries

    def show(self, image: Image.Image, op: ScrollHint | None = None) -> None:
        with self._turn():
            try:
                super().show(image, op)
            except BaseException:
                if self._out:  # whatever is left in flight is settled by the next holder
                    self.bus.unsettled = self
                raise
            self._settle()

    def flush(self) -> None:
        with self._turn():
            super().flush()

    def clear(self) -> None:
        with self._turn():
            super().clear()

    def ping(self) -> bool:
        with self._turn():
            return super().ping()

    def brightness(self, level: int) -> None:
        with self._turn():
            super().brightness(level)

    def readback(self) -> int:
        with self._turn():
            return super().readback()

    def verify(self) -> bool:
        with self._turn():
            return super().verify()

    def _request(self, cmd: int, payload: bytes, deadline: float) -> bytes:
        # also the way in for helpers that talk to the board directly (drivers.board_scroll)
        with self._turn():
            return super()._request(cmd, payload, deadline)

    def close(self) -> None:
        """Let this board's last packets be answered, then leave the line (the last one closes it)."""
        if self.closed:
            return
        with self._turn():
            self.closed = True
            if self.bus.unsettled is self:
                self.bus.unsettled = None
            if self._out and self.link.is_open:
                try:
                    self._drain(time.monotonic() + min(2.0, self.give_up_after))
                except (LinkError, ProtocolError):  # the line is down, or a late refusal: done anyway
                    pass
            self._out.clear()
        self.bus.detach(self)


class Buses:
    """Boards opened by port URL, one ``Bus`` per port: ``open_board``'s signature, shared lines."""

    def __init__(self) -> None:
        self.buses: dict[str, Bus] = {}
        self._settings: dict[str, tuple[int, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def open_board(
        self,
        url: str,
        protocol: str,
        spec: BoardSpec,
        *,
        baud: int = 115200,
        address: int = 1,
        give_up_after: float = 10.0,
        **options: Any,
    ) -> BusBoard:
        """A board on the line at ``url`` (opened on first use, shared with the other boards on it).

        Only the native protocol shares a line (its packets carry addresses and its boards
        answer); every board on one line must use the same baud and link settings.
        """
        check_port_url(url, must_exist=False)
        if protocol != "native":
            raise PortError(f"port {url}: only native boards share a line (this one speaks {protocol})")
        key = port_path(url).strip()
        link_options = {k: options.pop(k) for k in LINK_KEYS if k in options}
        with self._lock:
            bus = self.buses.get(key)
            if bus is not None and not bus.boards:  # its last board left and closed the port
                bus = None
            if bus is None:
                bus = Bus(Link(url, baud, **link_options))
                self.buses[key] = bus
                self._settings[key] = (baud, link_options)
            elif self._settings[key] != (baud, link_options):
                had_baud, had = self._settings[key]
                raise PortError(
                    f"port {url}: this board wants {baud} baud {link_options or ''}, the line runs at "
                    f"{had_baud} baud {had or ''}; every board on one line needs the same settings"
                )
            return bus.board(spec, address, give_up_after=give_up_after, **options)

    def bus(self, url: str) -> Bus | None:
        """The line open on ``url``, if any."""
        return self.buses.get(port_path(url).strip())
