"""The serial link: any pyserial URL, kept open, reopened with backoff when it breaks.

One class so every protocol gets the same behaviour on a flaky cable: write timeouts, a
log line for each reconnect try, exponential backoff with jitter, and a deadline after
which the caller gets a ``LinkFault`` instead of waiting forever.

Whatever a pyserial transport raises (``SerialException``, ``OSError``, rfc2217's
``NotImplementedError``, loop's ``queue.Full``, a missing ``hid`` module for cp2110...) is
a broken link here, handled like an unplugged cable: the port is closed, reopened with
backoff, and when the deadline passes the caller gets one exception type, ``LinkFault``.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import logging
import os
import random
import re
import select
import sys
import termios
import time
from typing import Any

import serial
import serial.serialposix
from serial.urlhandler.protocol_socket import Serial as _SocketPort  # the same for socket://

from drivers.base import LinkError, PortError

log = logging.getLogger("drivers.link")

#: URL schemes pyserial understands that make sense for a board.
SCHEMES = ("socket", "rfc2217", "loop", "spy", "alt", "hwgrep", "cp2110")
_HOSTPORT = re.compile(r"^(?P<host>\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.\-]+):(?P<port>\d{1,5})$")
#: The pyserial class of device paths, which ``Link._read_available`` waits on with select.
_DevicePort = serial.serialposix.Serial


class LinkFault(LinkError):
    """The board could not be reached through its port before the deadline, whatever the transport said.

    A ``LinkError`` (so code that catches ``LinkError`` catches it); the message names the
    port and what the transport reported last, and ``__cause__`` holds its exception.
    """


class LinkDown(Exception):  # noqa: N818 - internal signal, not an error callers see
    """The port broke (closed, vanished, timed out); the caller should reopen and resync."""


def port_path(url: str) -> str:
    """What to give pyserial: ``pty:/path`` (the simulator's ``--listen`` spelling) is the path."""
    url = url.strip()
    if url.lower().startswith("pty:") and not url.lower().startswith("pty://"):
        return url[4:]
    return url


def check_port_url(url: str, *, must_exist: bool = True) -> None:
    """Say clearly what is wrong with a port URL before anyone tries to open it (never opens it)."""
    if not isinstance(url, str) or not url.strip():
        raise PortError("the port is empty: give a device path such as /dev/ttyUSB0 or socket://HOST:PORT")
    url = url.strip()
    if url.lower() == "pty" or url.lower() == "pty:":
        raise PortError(
            "port 'pty' names no device: give the path the simulator printed "
            "('listening on /dev/pts/N'), or pty:/path/of/its/link"
        )
    url = port_path(url)
    if "://" in url:
        _check_url(url)
        return
    if not url.startswith("/") and not re.match(r"^COM\d+$", url, re.I):
        raise PortError(
            f"port {url!r}: not a device path (such as /dev/ttyUSB0) nor a URL (socket://HOST:PORT)"
        )
    if must_exist and url.startswith("/") and not os.path.exists(url):
        raise PortError(f"port {url!r} does not exist (is the board's USB-serial adapter plugged in?)")


def _check_url(url: str) -> None:
    """``check_port_url`` for a URL (``scheme://...``): a scheme pyserial has, with what it needs."""
    scheme, rest = url.split("://", 1)
    scheme = scheme.lower()
    if scheme not in SCHEMES:
        raise PortError(
            f"port {url!r}: unknown scheme {scheme!r}; use a device path or one of "
            + ", ".join(f"{s}://" for s in SCHEMES)
        )
    if scheme == "cp2110":
        try:
            import hid  # noqa: F401 - pyserial's cp2110 handler needs it
        except ImportError:
            raise PortError(
                f"port {url!r}: cp2110:// needs the 'hidapi' package (pip install hidapi)"
            ) from None
    if scheme in ("socket", "rfc2217"):
        m = _HOSTPORT.match(rest.split("?", 1)[0].rstrip("/"))
        if not m:
            raise PortError(f"port {url!r}: expected {scheme}://HOST:PORT, e.g. {scheme}://127.0.0.1:7000")
        if not 1 <= int(m["port"]) <= 65535:
            raise PortError(f"port {url!r}: TCP port {m['port']} is outside 1..65535")


def describe_open_error(url: str, exc: BaseException) -> str:
    """Why ``url`` did not open, in words a technician at the gate can act on."""
    code = getattr(exc, "errno", None)
    text = str(exc)
    if code in (errno.EBUSY, errno.EAGAIN) or "exclusively lock" in text or "busy" in text.lower():
        return (
            f"port {url} is busy: another program (a second controller, a terminal, "
            f"ModemManager) has it open exclusively ({text})"
        )
    if code == errno.ENOENT or "No such file" in text:
        return f"port {url} does not exist (unplugged? wrong name?) ({text})"
    if code == errno.EACCES or "Permission denied" in text:
        return f"port {url}: permission denied (is the user in the dialout group?) ({text})"
    if code == errno.ECONNREFUSED or "refused" in text:
        return f"port {url}: nothing is listening there ({text})"
    return f"port {url}: {text}"


class Link:
    """A pyserial port opened from a URL, reopened with backoff when it fails."""

    def __init__(
        self,
        url: str,
        baud: int = 115200,
        *,
        parity: str = "N",
        stopbits: float = 1,
        bytesize: int = 8,
        rs485: bool = False,
        write_timeout: float = 2.0,
        backoff: float = 0.05,
        backoff_max: float = 1.0,
        pace: bool = False,
    ) -> None:
        check_port_url(url, must_exist=False)
        self.url = port_path(url)
        self.baud = baud
        self.parity = parity
        self.stopbits = stopbits
        self.bytesize = bytesize
        self.rs485 = rs485
        self.write_timeout = write_timeout
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.pace = pace
        self.port: Any = None
        self.generation = 0  # bumped on every successful (re)open: the board may have reset
        self.reconnects = 0
        self.open_failures = 0  # failed open tries, all told
        self.last_open_error: str | None = None
        self._wire_free_at = 0.0
        self._rx = bytearray()  # bytes read past the last answer taken

    @property
    def bits_per_byte(self) -> float:
        """Bits one byte takes on the wire: start, data, parity, stop."""
        return 1 + self.bytesize + (0 if self.parity == "N" else 1) + self.stopbits

    def wire_time(self, nbytes: int) -> float:
        """Seconds ``nbytes`` take on the wire at this link's baud rate."""
        return nbytes * self.bits_per_byte / self.baud

    @property
    def is_open(self) -> bool:
        return self.port is not None

    @functools.cached_property
    def scheme(self) -> str:
        """The URL's scheme (``socket``, ``rfc2217``, ``loop``...), or ``""`` for a device path;
        worked out once, as every write asks it."""
        return self.url.split("://", 1)[0].lower() if "://" in self.url else ""

    def _open_once(self) -> None:
        kwargs: dict[str, Any] = dict(
            baudrate=self.baud,
            parity=self.parity,
            stopbits=self.stopbits,
            bytesize=self.bytesize,
            timeout=0.1,
            write_timeout=self.write_timeout,
        )
        if self.scheme in ("rfc2217", "loop"):
            # rfc2217 refuses write_timeout (NotImplementedError) and bounds a stuck write with
            # its socket's own timeout; loop:// would sleep out the timeout and then refuse a
            # write longer than it, so ``write`` feeds it in pieces that fit instead
            kwargs["write_timeout"] = None
        if self.url.startswith("/"):
            kwargs["exclusive"] = True  # a second controller on the same port is a fault, say so
        port = serial.serial_for_url(self.url, **kwargs)
        if self.rs485:
            from serial.rs485 import RS485Settings

            port.rs485_mode = RS485Settings()
        self.port = port

    def ensure_open(self, deadline: float) -> None:
        """Open the port, retrying with exponential backoff and jitter until ``deadline``."""
        attempt = 0
        while self.port is None:
            attempt += 1
            try:
                self._open_once()
            except Exception as exc:  # noqa: BLE001 - any transport's failure is a link that is down
                why = describe_open_error(self.url, exc)
                self.open_failures += 1
                self.last_open_error = why
                delay = min(self.backoff_max, self.backoff * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
                left = deadline - time.monotonic()
                if left <= delay:
                    log.warning("open try %d failed, giving up: %s", attempt, why)
                    raise LinkFault(f"{why}; gave up after {attempt} tries") from exc
                log.warning("open try %d failed, next try in %.2f s: %s", attempt, delay, why)
                self._wait_for_device(delay)
                continue
            self.generation += 1
            if self.generation > 1:
                self.reconnects += 1
            self.last_open_error = None
            log.info("port %s: open (try %d, %s baud)", self.url, attempt, self.baud)

    def _wait_for_device(self, delay: float) -> None:
        """Sleep ``delay``, but try again at once when a missing device path (re)appears."""
        end = time.monotonic() + delay
        missing = self.url.startswith("/") and not os.path.exists(self.url)
        while (left := end - time.monotonic()) > 0:
            time.sleep(min(left, 0.02))
            if missing and os.path.exists(self.url):
                log.info("port %s: appeared, trying now", self.url)
                return

    def broken(self, why: object) -> LinkDown:
        """Close a failed port and say why, so the next ``ensure_open`` reopens it."""
        log.warning("port %s: link down (%s)", self.url, why)
        self.close()
        return LinkDown(str(why))

    def write(self, data: bytes) -> None:
        """Write all of ``data``; with pacing, never more than one write queued ahead of the wire."""
        if self.port is None:
            raise LinkDown("port not open")
        if self.pace:
            wait = self._wire_free_at - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        try:
            if self.scheme == "loop":
                self._write_loop(data)
            else:
                self.port.write(data)
        except Exception as exc:  # noqa: BLE001 - whatever the transport raised, the link broke
            raise self.broken(exc) from exc
        if self.pace:
            self._wire_free_at = max(self._wire_free_at, time.monotonic()) + self.wire_time(len(data))

    def _write_loop(self, data: bytes) -> None:
        """Feed ``loop://`` in pieces that fit its 4,096-byte queue.

        The loop hands back what was written; when nobody reads that echo and the queue is
        full, the oldest echo is dropped (once per write, logged) rather than blocking: a
        board on ``loop://`` is a dry run, and no board will ever read it.
        """
        port = self.port
        room = getattr(port, "queue", None)
        if room is None:  # not pyserial's loop handler after all
            port.write(data)
            return
        dropped = 0
        view = memoryview(data)
        while view:
            free = room.maxsize - room.qsize() if room.maxsize > 0 else len(view)
            if free <= 0:
                dropped += room.qsize()
                port.reset_input_buffer()
                continue
            port.write(bytes(view[:free]))
            view = view[free:]
        if dropped:
            log.debug("port %s: nobody reads the loop's echo; dropped %d bytes of it", self.url, dropped)

    def drain(self, deadline: float) -> None:
        """Wait until the OS has sent everything written (serial: tcdrain; TCP: the peer ACKed it).

        The most a write-only board lets us know: the bytes left this computer. ``LinkDown``
        if the port broke meanwhile, ``LinkFault`` if they are still queued at ``deadline``.
        """
        if self.port is None:
            raise LinkDown("port not open")
        sock = getattr(self.port, "_socket", None)
        try:
            if sock is None:
                self.port.flush()  # tcdrain for device paths and ptys; a no-op for loop://
                return
            while (left := _unsent(sock)) > 0:
                if time.monotonic() > deadline:
                    raise LinkFault(f"port {self.url}: {left} bytes still unsent when the time ran out")
                time.sleep(0.005)
        except LinkFault:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever the transport raised, the link broke
            raise self.broken(exc) from exc

    def _read_available(self, timeout: float) -> bytes:
        """Wait up to ``timeout`` for a byte, then take every byte already there.

        pyserial's own ``read_until`` reads one byte per call (a select and a recv each, for
        every byte of every answer). A TCP socket or a device path (a tty, a pty) is waited
        on here with one ``select``, then read once with pyserial's timeout at 0 (set once:
        setting it for every answer would reconfigure a tty, tcsetattr, each time). Any
        other transport: its first byte with the timeout, then whatever is waiting.
        """
        port = self.port
        wait = max(0.0, timeout)
        kind = type(port)
        if kind is _SocketPort or kind is _DevicePort:
            if port.timeout != 0:
                port.timeout = 0  # a read takes what is there and returns
            if not select.select([port.fileno()], [], [], wait)[0]:
                return b""
            return port.read(65536)
        port.timeout = wait
        data = port.read(1)
        n = port.in_waiting if data else 0
        return data + port.read(n) if n else data

    def read_until(self, terminator: bytes, timeout: float, size: int = 65536) -> bytes:
        """Bytes up to and including ``terminator``; ``b""`` if ``timeout`` passes first.

        Bytes of an answer not yet complete stay buffered for the next call (up to ``size``;
        more than that without a terminator is returned as it is, for the caller to reject).
        """
        if self.port is None:
            raise LinkDown("port not open")
        buf = self._rx
        end = time.monotonic() + timeout
        try:
            while True:
                i = buf.find(terminator)
                if i >= 0 or len(buf) >= size:
                    n = i + len(terminator) if i >= 0 else size
                    out = bytes(buf[:n])
                    del buf[:n]
                    return out
                left = end - time.monotonic()
                if left <= 0:
                    return b""
                buf += self._read_available(left)
        except Exception as exc:  # noqa: BLE001 - whatever the transport raised, the link broke
            raise self.broken(exc) from exc

    def read(self, size: int, timeout: float) -> bytes:
        """Up to ``size`` bytes, waiting at most ``timeout`` seconds."""
        if self.port is None:
            raise LinkDown("port not open")
        if self._rx:
            out = bytes(self._rx[:size])
            del self._rx[:size]
            return out
        try:
            self.port.timeout = max(0.0, timeout)
            return self.port.read(size)
        except Exception as exc:  # noqa: BLE001 - whatever the transport raised, the link broke
            raise self.broken(exc) from exc

    def discard_input(self) -> None:
        """Drop stale answers (e.g. after a reconnect) so they are not taken for new ones."""
        self._rx.clear()
        if self.port is not None:
            try:
                self.port.reset_input_buffer()
            except Exception as exc:  # noqa: BLE001 - whatever the transport raised, the link broke
                raise self.broken(exc) from exc

    def close(self) -> None:
        """Close the port (safe to call twice)."""
        self._rx.clear()
        port, self.port = self.port, None
        if port is not None:
            try:
                port.close()
            except Exception:  # noqa: BLE001, S110 - closing a broken port may fail any way it likes
                pass


def _unsent(sock: Any) -> int:
    """Bytes a TCP socket still holds (unsent or not yet ACKed by the peer): Linux SIOCOUTQ."""
    try:
        buf = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
    except (OSError, ValueError):
        return 0  # not a TCP socket, or not Linux: nothing more we can learn
    return int.from_bytes(buf, sys.byteorder, signed=True)
