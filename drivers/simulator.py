"""The board simulator: a pty or TCP endpoint that behaves like the board on the wire.

It decodes with the same codecs the drivers encode with, keeps its own framebuffer, eats
bytes no faster than the emulated baud rate, answers as the protocol says, and misbehaves
on demand, so a test (or a tester) can check what the board would really show.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import select
import signal
import socket
import sys
import threading
import time
import tty
from pathlib import Path
from typing import Any

from PIL import Image

from drivers.faults import Faults
from drivers.flipdot import FlipdotReceiver
from drivers.native import NativeBus, NativeReceiver
from drivers.pixels import BoardSpec
from drivers.tpm2 import Tpm2Receiver

log = logging.getLogger("drivers.simulator")

RECEIVERS = {"native": NativeReceiver, "tpm2": Tpm2Receiver, "flipdot": FlipdotReceiver}
IDLE_GAP = 0.5  # seconds of silence after which a half-received packet counts as truncated


class _Gone(Exception):  # noqa: N818 - internal signal
    """The client hung up."""


class PtyEndpoint:
    """A pseudo-terminal: the host opens ``path``; we keep the slave open so reads never EIO."""

    def __init__(self, link: str | None = None) -> None:
        self.link = link
        self._open()

    def _open(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        os.set_blocking(self.master, False)
        self.path = os.ttyname(self.slave)
        if self.link:
            tmp = f"{self.link}.{os.getpid()}.tmp"
            os.symlink(self.path, tmp)
            os.replace(tmp, self.link)

    @property
    def url(self) -> str:
        return self.link or self.path

    def accept(self, timeout: float) -> int | None:
        return self.master

    def read(self, n: int) -> bytes:
        try:
            return os.read(self.master, n)
        except BlockingIOError:
            return b""
        except OSError as exc:
            raise _Gone(str(exc)) from None

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                view = view[os.write(self.master, view) :]
            except BlockingIOError:
                select.select([], [self.master], [], 0.05)
            except OSError as exc:
                raise _Gone(str(exc)) from None

    def hangup(self) -> None:
        """Pull the plug: a new pty replaces the old one (the link path follows it)."""
        self.close(keep_link=True)
        self._open()

    def close(self, keep_link: bool = False) -> None:
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.link and not keep_link:
            try:
                if os.path.islink(self.link) and os.readlink(self.link) == self.path:
                    os.unlink(self.link)
            except OSError:
                pass


class TcpEndpoint:
    """A TCP listener taking one client at a time (the next when the previous goes away)."""

    def __init__(self, host: str, port: int) -> None:
        self.server = socket.create_server((host, port), reuse_port=False)
        self.server.listen(4)
        self.host, self.port = self.server.getsockname()[:2]
        self.conn: socket.socket | None = None
        self.peer = ""  # host:port of the client being served

    @property
    def url(self) -> str:
        return f"socket://{self.host}:{self.port}"

    def accept(self, timeout: float) -> int | None:
        if self.conn is None:
            ready, _, _ = select.select([self.server], [], [], timeout)
            if not ready:
                return None
            self.conn, peer = self.server.accept()
            self.peer = f"{peer[0]}:{peer[1]}"
            self.conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.conn.setblocking(False)
        return self.conn.fileno()

    def read(self, n: int) -> bytes:
        assert self.conn is not None
        try:
            data = self.conn.recv(n)
        except BlockingIOError:
            return b""
        except OSError as exc:
            raise _Gone(str(exc)) from None
        if not data:
            raise _Gone("client closed the connection")
        return data

    def write(self, data: bytes) -> None:
        assert self.conn is not None
        try:
            self.conn.setblocking(True)
            self.conn.settimeout(2.0)
            self.conn.sendall(data)
        except OSError as exc:
            raise _Gone(str(exc)) from None
        finally:
            if self.conn is not None:
                self.conn.setblocking(False)

    def served_alive(self) -> bool:
        """Whether the client being served is still connected (its hang-up may not be read yet)."""
        if self.conn is None:
            return False
        try:
            return self.conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) != b""
        except BlockingIOError:
            return True  # connected, nothing to read
        except OSError:
            return False

    def refuse_waiting(self) -> None:
        """Turn away a client that connects while another is served, saying why, then hang up.

        A client that reconnects right after hanging up is not refused: the old connection's
        end is read first (``served_alive``) and the new one is served next.
        """
        if not self.served_alive():
            return
        try:
            conn, peer = self.server.accept()
        except OSError:
            return
        held = self.peer or "another client"
        log.warning("refused %s:%s: busy with %s", peer[0], peer[1], held)
        try:
            conn.settimeout(1.0)
            conn.sendall(
                f"busy: this simulated board is in use by {held}; "
                f"one client at a time, try again when it disconnects\n".encode()
            )
            conn.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        finally:
            conn.close()

    def hangup(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None

    def close(self) -> None:
        self.hangup()
        self.server.close()


def parse_listen(listen: str) -> PtyEndpoint | TcpEndpoint:
    """``pty``, ``pty:/path/of/link`` or ``tcp://HOST:PORT`` (port 0: pick a free one)."""
    if listen == "pty" or listen.startswith("pty:"):
        return PtyEndpoint(listen[4:] or None)
    if listen.startswith("tcp://"):
        host, _, port = listen[6:].rstrip("/").rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"--listen {listen!r}: use tcp://HOST:PORT, e.g. tcp://127.0.0.1:7000")
        return TcpEndpoint(host, int(port))
    raise ValueError(f"--listen {listen!r}: use pty, pty:/path/to/link or tcp://HOST:PORT")


class _Wire:
    """One client's line as the board's UART has it: bytes read no faster than the baud rate
    carries them, answers sent when their last byte would be out (no baud: at once)."""

    def __init__(self, baud: int | None) -> None:
        self.rate = baud / 10 if baud else 0.0  # bytes a second: 10 bits a byte with start and stop
        self.chunk = max(1, int(self.rate * 0.004)) if self.rate else 65536  # one read: 4 ms of bytes
        self.rx_clock = self.tx_clock = 0.0
        self.pending: list[tuple[float, bytes]] = []  # (when it is out, answer), in order
        self.last_rx = time.monotonic()
        self.backlog = False

    def received(self, n: int) -> None:
        """``n`` bytes were read: wait until the wire could have carried them."""
        if self.rate:
            # Bytes that were already waiting arrived back to back: the wire never idled,
            # so the clock runs on from the last byte instead of restarting from now.
            start = self.rx_clock if self.backlog else max(self.rx_clock, time.monotonic())
            self.backlog = n == self.chunk
            self.rx_clock = start + n / self.rate
            delay = self.rx_clock - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        self.last_rx = time.monotonic()

    def queue(self, answer: bytes, delay: float) -> None:
        """Send ``answer`` after ``delay`` s and the answers before it, at the baud rate."""
        start = max(self.tx_clock, time.monotonic() + delay)
        self.tx_clock = start + (len(answer) / self.rate if self.rate else 0.0)
        self.pending.append((self.tx_clock, answer))

    def send_due(self, endpoint: PtyEndpoint | TcpEndpoint, now: float) -> None:
        """Write the answers whose time has come."""
        pending = self.pending
        while pending and pending[0][0] <= now:
            endpoint.write(pending.pop(0)[1])

    def wait(self, now: float) -> float:
        """Seconds to wait for the host's bytes: until the next answer is due, 50 ms at most."""
        return 0.05 if not self.pending else max(0.0, min(0.05, self.pending[0][0] - now))


class Simulator:
    """One simulated board on one endpoint; ``start()`` runs it in threads, ``stop()`` ends it."""

    def __init__(
        self,
        protocol: str,
        spec: BoardSpec,
        *,
        listen: str = "pty",
        baud: int | None = 115200,
        address: int | list[int] = 1,
        http: str | None = None,
        faults: str | Faults | None = None,
        record: str | Path | None = None,
        term: bool = False,
        order: str = "RGB",
    ) -> None:
        if protocol not in RECEIVERS:
            raise ValueError(f"protocol {protocol!r}: use one of {', '.join(RECEIVERS)}")
        addresses = [address] if isinstance(address, int) else list(address)
        if len(addresses) > 1 and protocol != "native":
            raise ValueError(
                f"several boards on one line ({addresses}): only the native protocol has addresses"
            )
        self.protocol, self.spec, self.baud, self.address = protocol, spec, baud, addresses[0]
        self.addresses = addresses
        self.faults = faults if isinstance(faults, Faults) else Faults.parse(faults)
        self.rx: Any = self._receiver(addresses, order)
        self.rx.on_frame = self._applied
        self.endpoint = parse_listen(listen)
        self.http_addr = http
        self.http_server: Any = None
        self.record_dir = Path(record) if record else None
        self.term = term
        self.bytes = 0
        self.clients = 0
        self.disconnects = 0
        self.last_frame_at: float | None = None
        self.started_at = time.time()
        self._frames_seen = 0
        self._fb = spec.blank()
        self._sha = hashlib.sha256(spec.pack(self._fb)).hexdigest()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._term_at = 0.0
        self._to_record: list[tuple[int, float, Image.Image]] = []  # applied, not yet written
        self._record_lock = threading.Lock()
        if self.record_dir:
            self.record_dir.mkdir(parents=True, exist_ok=True)

    def _receiver(self, addresses: list[int], order: str) -> Any:
        """The board side: the protocol's receiver, or several native boards on one line."""
        if len(addresses) > 1:  # an RS-485 line with several boards
            return NativeBus(self.spec, addresses, refuse=self.faults.refuse)
        kwargs: dict[str, Any] = {"order": order} if self.protocol == "tpm2" else {}
        return RECEIVERS[self.protocol](self.spec, addresses[0], refuse=self.faults.refuse, **kwargs)

    # -- public ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """What to give pyserial: the pty path (or its link) or ``socket://HOST:PORT``."""
        return self.endpoint.url

    @property
    def view_url(self) -> str | None:
        """The live view's address, once the HTTP server runs."""
        if self.http_server is None:
            return None
        host, port = self.http_server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> Simulator:
        """Run the endpoint (and the HTTP view, if asked for) in background threads."""
        t = threading.Thread(target=self._run, name="sim-io", daemon=True)
        t.start()
        self._threads.append(t)
        if hasattr(self.rx, "tick"):  # a board that scrolls on its own clock (native SCROLL)
            c = threading.Thread(target=self._clock, name="sim-clock", daemon=True)
            c.start()
            self._threads.append(c)
        if self.http_addr:
            from drivers.sim_http import serve

            self.http_server = serve(self, self.http_addr)
            h = threading.Thread(
                target=self.http_server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="sim-http",
                daemon=True,
            )
            h.start()
            self._threads.append(h)
        return self

    def stop(self) -> None:
        """Stop the threads and release the endpoint and the HTTP port."""
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        if self.http_server is not None:
            self.http_server.shutdown()
            self.http_server.server_close()
        for t in self._threads:
            if t is not threading.current_thread() and t.name in ("sim-io", "sim-clock"):
                t.join(timeout=2)
        self.endpoint.close()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def framebuffer(self, address: int | None = None) -> Image.Image:
        """A copy of what the board (or the board at ``address`` on a shared line) shows."""
        with self._lock:
            if address is None or address == self.address:
                return self._fb.copy()
            if not isinstance(self.rx, NativeBus) or address not in self.rx.boards:
                raise ValueError(f"no board {address} on this line (boards: {self.addresses})")
            return self.rx.boards[address].fb

    def frame_png(self, address: int | None = None) -> bytes:
        """The framebuffer (of the board at ``address`` on a shared line) as PNG bytes."""
        buf = io.BytesIO()
        self.framebuffer(address).save(buf, "PNG")
        return buf.getvalue()

    def stats(self) -> dict[str, Any]:
        """Counters for /stats.json: what arrived, what was wrong, what the board shows."""
        with self._lock:
            return {
                "protocol": self.protocol,
                "width": self.spec.width,
                "height": self.spec.height,
                "color": self.spec.color,
                "address": self.address,
                "baud": self.baud,
                "frames": self.rx.frames,
                "bytes": self.bytes,
                "errors": dict(self.rx.errors),
                "error_total": sum(self.rx.errors.values()),
                "ops": dict(self.rx.ops),
                "fb_sha256": self._sha,
                "last_frame_at": self.last_frame_at,
                "brightness": getattr(self.rx, "brightness", None),
                "clients": self.clients,
                "disconnects": self.disconnects,
                "faults": dict(self.faults.injected),
                "uptime": round(time.time() - self.started_at, 3),
                "scroll_step": self._scroll_step(),
                **(
                    {"boards": {str(a): self._board_stats(rx) for a, rx in self.rx.boards.items()}}
                    if isinstance(self.rx, NativeBus)
                    else {}
                ),
            }

    def _scroll_step(self) -> int | None:
        """The board-side scroll step shown (native SCROLL), None when there is none."""
        core = getattr(self.rx, "core", None)
        return None if core is None or core.scroll is None else core.step()

    def _board_stats(self, rx: NativeReceiver) -> dict[str, Any]:
        """One board's counters on a shared line."""
        return {
            "frames": rx.frames,
            "errors": dict(rx.errors),
            "ops": dict(rx.ops),
            "brightness": rx.brightness,
            "fb_sha256": hashlib.sha256(self.spec.pack(rx.fb)).hexdigest(),
        }

    def wait_change(self, sha: str, timeout: float) -> str:
        """Block until the framebuffer differs from ``sha`` (or ``timeout``); return the new sha."""
        end = time.monotonic() + timeout
        with self._changed:
            while self._sha == sha and not self._stop.is_set() and (left := end - time.monotonic()) > 0:
                self._changed.wait(left)
            return self._sha

    def wait_frames(self, n: int, timeout: float) -> bool:
        """Block until ``n`` frames have been applied in all; False on timeout."""
        end = time.monotonic() + timeout
        with self._changed:
            while self.rx.frames < n and (left := end - time.monotonic()) > 0:
                self._changed.wait(left)
            return self.rx.frames >= n

    # -- the wire ----------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                fd = self.endpoint.accept(0.2)
            except OSError:
                if self._stop.is_set():
                    return
                raise
            if fd is None:
                continue
            self.clients += 1
            try:
                self._serve(fd)
            except _Gone as exc:
                log.info("client gone: %s", exc)
            except Exception:  # the board must never crash on what it is sent
                log.exception("simulator error; carrying on")
                self.rx.errors["internal"] += 1
            if isinstance(self.endpoint, TcpEndpoint):
                self.endpoint.hangup()

    def _serve(self, fd: int) -> None:
        """Serve one client until it goes, the simulator stops or a disconnect fault hangs up."""
        wire = _Wire(self.baud)
        tcp = self.endpoint if isinstance(self.endpoint, TcpEndpoint) else None
        waiting: list[int | socket.socket] = [tcp.server] if tcp is not None else []
        next_hangup = wire.last_rx + self.faults.disconnect if self.faults.disconnect else None
        while not self._stop.is_set():
            now = time.monotonic()
            if next_hangup and now >= next_hangup:
                self._hang_up()
                return
            if self.faults.frozen(now):
                time.sleep(0.02)
                continue
            wire.send_due(self.endpoint, now)
            ready = self._readable(fd, tcp, waiting, wire.wait(now))
            if not ready:
                if time.monotonic() - wire.last_rx > IDLE_GAP:
                    self.rx.idle()
                    wire.last_rx = time.monotonic()
                continue
            data = self.endpoint.read(wire.chunk)
            if data:
                wire.received(len(data))
                self._take(data, wire)

    def _hang_up(self) -> None:
        """A disconnect fault: drop the client (a pty is ready for the next at once)."""
        self.disconnects += 1
        self.faults.injected["disconnects"] += 1
        self.endpoint.hangup()
        if isinstance(self.endpoint, PtyEndpoint):
            print(f"listening on {self.url}", flush=True)

    def _readable(
        self, fd: int, tcp: TcpEndpoint | None, waiting: list[int | socket.socket], wait: float
    ) -> list[int | socket.socket]:
        """Wait up to ``wait`` s for the client's bytes; a second TCP client is turned away."""
        ready, _, _ = select.select([fd, *waiting], [], [], wait)
        if tcp is not None and tcp.server in ready:
            if fd not in ready:  # the served client first: its hang-up frees the board
                tcp.refuse_waiting()
            ready.remove(tcp.server)
        return ready

    def _take(self, data: bytes, wire: _Wire) -> None:
        """Bytes from the host: counted, damaged as the faults say, applied; answers queued."""
        self.bytes += len(data)
        data = self.faults.mangle(data, incoming=True)
        with self._lock:
            answers = self.rx.feed(data)
        self._after_feed()
        for answer in answers:
            if self.faults.withhold_answer():
                continue
            wire.queue(self.faults.mangle(answer, incoming=False), self.faults.delay)

    def _clock(self) -> None:
        """Step a board-side scroll when its next step is due, whether or not bytes arrive."""
        while not self._stop.is_set():
            with self._lock:
                due = self.rx.next_step_ms()
            if due is None or due > 0:
                self._stop.wait(0.02 if due is None else min(0.02, due / 1000))
                continue
            with self._lock:
                changed = self.rx.tick()
            if changed:
                self._after_feed()

    def _applied(self) -> None:
        """The receiver applied a frame (called under the lock, once a frame, mid-feed)."""
        self.last_frame_at = time.time()
        if self.record_dir:  # several packets in one read are several frames: keep each
            self._to_record.append((self.rx.frames, self.last_frame_at, self.rx.fb))

    def _after_feed(self) -> None:
        if self.rx.frames == self._frames_seen:
            return
        with self._changed:
            self._frames_seen = self.rx.frames
            self._fb = self.rx.fb.copy()
            self._sha = hashlib.sha256(self.spec.pack(self._fb)).hexdigest()
            self._changed.notify_all()
        with self._record_lock:  # in order, though the wire and the scroll clock both apply frames
            with self._lock:
                todo, self._to_record = self._to_record, []
            for n, t, image in todo:
                self._record(n, t, image)
        if self.term and time.monotonic() - self._term_at > 0.1:
            self._term_at = time.monotonic()
            from drivers.sim_http import terminal_view

            sys.stderr.write("\x1b[H\x1b[2J" + terminal_view(self._fb) + "\n")
            sys.stderr.flush()

    def _record(self, n: int, t: float, image: Image.Image) -> None:
        assert self.record_dir is not None
        name = f"{n:07d}.png"
        image.save(self.record_dir / name)
        sha = hashlib.sha256(self.spec.pack(image)).hexdigest()
        with open(self.record_dir / "frames.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps({"n": n, "t": t, "file": name, "sha256": sha}) + "\n")


def run_forever(sim: Simulator) -> None:
    """Start ``sim``, print where to reach it, and run until SIGINT or SIGTERM."""
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    sim.start()
    print(f"listening on {sim.url}", flush=True)
    if sim.view_url:
        print(f"view on {sim.view_url}", flush=True)
    try:
        while not done.wait(0.5):
            pass
    finally:
        sim.stop()
