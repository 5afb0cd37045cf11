"""A small process supervisor for ``signage demo``: start in order, restart, stop in order.

Each child runs in its own session (a Ctrl-C in the terminal reaches only the launcher,
which then stops the children in reverse order) and gets a parent-death signal, so no
child outlives a launcher that was killed. A child that dies is restarted with backoff.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
BACKOFF_FIRST = 1.0
BACKOFF_MAX = 30.0
#: A child that ran this long before dying starts its backoff again from the first step.
HEALTHY_AFTER = 60.0
#: A stale child gets this long after SIGTERM before SIGKILL (a stopped one gets SIGKILL at once).
KILL_AFTER = 2.0


def split_boards(values: tuple[str, ...] | list[str]) -> list[str]:
    """Board slugs from ``--board`` values: repeated, or joined by ``:`` (systemd) or ``,``.

    The boards of one RS-485 line run in one worker: ``signage worker --board a:b``, the
    systemd unit ``signage-worker@a:b`` (``:`` is the one separator a unit name allows).
    """
    slugs: list[str] = []
    for value in values:
        for slug in value.replace(",", ":").split(":"):
            slug = slug.strip()
            if slug and slug not in slugs:
                slugs.append(slug)
    return slugs


def worker_groups(boards: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The workers to run for ``(slug, port_url)`` pairs: one per port, its boards in order.

    Boards with the same port (after ``pty:`` and blanks, as the link reads it) are one
    line and get one worker; every other board gets a worker of its own.
    """
    from drivers.link import port_path

    lines: dict[str, list[str]] = {}
    for slug, url in boards:
        lines.setdefault(port_path(url or "").strip() or f"(no port: {slug})", []).append(slug)
    return list(lines.values())


def _state(pid: int) -> str | None:
    """The process state letter from /proc (R, S, T, Z...), None when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rfind(")") + 2]


def stopped(pid: int) -> bool:
    """True when ``pid`` is stopped (SIGSTOP, or traced): it cannot act on SIGTERM."""
    return _state(pid) in ("T", "t")


def terminate(
    pid: int, wait: Callable[[float], bool], timeout: float = KILL_AFTER, group: bool = True
) -> bool:
    """SIGTERM ``pid`` (its group), then SIGKILL if it is stopped or still there after ``timeout``.

    ``wait(seconds)`` returns True once the process is gone. Returns True if it took SIGKILL.
    """
    kill = os.killpg if group else os.kill
    try:
        if stopped(pid):
            kill(pid, signal.SIGKILL)  # a stopped process would hold SIGTERM (and the port) for ever
            wait(timeout)
            return True
        kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    if wait(timeout):
        return False
    try:
        kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    wait(timeout)
    return True


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM when the launcher dies (Linux prctl)."""
    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the launcher died before prctl took effect
        os._exit(1)


def gone_within(pid: int) -> Callable[[float], bool]:
    """A ``wait`` for ``terminate`` on a process that is not our child (polls /proc)."""

    def wait(seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not _exists(pid):
                return True
            time.sleep(0.05)
        return not _exists(pid)

    return wait


def _exists(pid: int) -> bool:
    return _state(pid) not in (None, "Z")


class PortSquatters:
    """Finds a process that holds a board's port lock while another holds the lease.

    A worker frozen by SIGSTOP keeps the port after its lease ran out; its successor then
    holds the lease and beats (so the heartbeat is fresh) but cannot reach the board.
    ``check`` stops such a process once it has squatted for ``grace`` seconds.
    """

    def __init__(self, locks: Path, grace: float) -> None:
        self.locks, self.grace = locks, grace
        self.since: dict[tuple[str, int], float] = {}

    def check(self, slug: str, lease_pid: int | None) -> int | None:
        """The PID stopped for ``slug`` (SIGTERM, SIGKILL within 2 s), or None."""
        from signage.player.lease import port_holder

        holder = port_holder(slug, self.locks)
        if holder is None or lease_pid is None or holder == lease_pid:
            self.since = {k: v for k, v in self.since.items() if k[0] != slug}
            return None
        began = self.since.setdefault((slug, holder), time.monotonic())
        if time.monotonic() - began <= self.grace:
            return None
        terminate(holder, gone_within(holder), group=False)
        self.since.pop((slug, holder), None)
        return holder


@dataclass
class Child:
    """One supervised process."""

    name: str
    argv: list[str]
    env: dict[str, str] | None = None
    log_file: Path | None = None
    ready: Callable[[], bool] | None = None
    ready_timeout: float = 20.0
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    backoff: float = BACKOFF_FIRST
    restart_at: float | None = None
    restarts: int = field(default=0)
    #: Watchdog: true when the child is alive but stuck (e.g. a board's stale heartbeat).
    stale: Callable[[], bool] | None = None
    stale_grace: float = 20.0

    def spawn(self) -> None:
        out = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                self.argv,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        finally:
            if not isinstance(out, int):  # subprocess.DEVNULL is an int; a log file is ours to close
                out.close()
        self.started_at = time.monotonic()
        log.info("%s started (pid %d)", self.name, self.process.pid)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _wait(self, seconds: float) -> bool:
        """True once the child is gone, waiting at most ``seconds``."""
        if self.process is None:
            return True  # never started: nothing to wait for
        try:
            self.process.wait(seconds)
        except subprocess.TimeoutExpired:
            return False
        return True

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM the child's process group, then SIGKILL what is left after ``timeout``
        (at once when the child is stopped: it cannot act on SIGTERM)."""
        if self.process is None:
            return
        if self.process.poll() is None and terminate(self.process.pid, self._wait, timeout):
            log.warning("%s did not stop (stopped, or not within %.0f s); killed it", self.name, timeout)
            self.process.wait()
        try:  # anything the child left in its group goes too
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        log.info("%s stopped", self.name)


class Supervisor:
    """Starts children in order, restarts the ones that die, stops them in reverse order."""

    def __init__(self) -> None:
        self.children: list[Child] = []
        self.stopping = False

    def install_signal_handlers(self) -> None:
        """SIGINT and SIGTERM ask for an orderly stop."""

        def request_stop(signum: int, _frame: object) -> None:
            log.info("received %s; stopping", signal.Signals(signum).name)
            self.stopping = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)

    def start(self, child: Child) -> Child:
        """Start a child and wait until it is ready (or raise, stopping what was started)."""
        self.children.append(child)
        child.spawn()
        if child.ready is not None:
            deadline = time.monotonic() + child.ready_timeout
            while not child.ready():
                if self.stopping:
                    return child
                if not child.alive():
                    raise RuntimeError(f"{child.name} exited during start-up; see {child.log_file}")
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"{child.name} not ready within {child.ready_timeout:.0f} s; see {child.log_file}"
                    )
                time.sleep(0.1)
        return child

    def poll_once(self) -> None:
        """Restart any child that died, with exponential backoff."""
        now = time.monotonic()
        for child in self.children:
            if (
                child.alive()
                and child.stale is not None
                and not self.stopping
                and now - child.started_at > child.stale_grace
                and child.stale()
            ):
                log.warning("%s is alive but stale (watchdog); restarting it", child.name)
                child.stop(KILL_AFTER)
            if child.alive() or self.stopping:
                continue
            if child.restart_at is None:
                if now - child.started_at > HEALTHY_AFTER:
                    child.backoff = BACKOFF_FIRST
                code = child.process.returncode if child.process else None
                log.warning("%s exited with %s; restarting in %.0f s", child.name, code, child.backoff)
                child.restart_at = now + child.backoff
                child.backoff = min(child.backoff * 2, BACKOFF_MAX)
            elif now >= child.restart_at:
                child.restart_at = None
                child.restarts += 1
                child.spawn()

    def run(self) -> None:
        """Supervise until asked to stop, then stop everything."""
        try:
            while not self.stopping:
                self.poll_once()
                time.sleep(0.2)
        finally:
            self.stop_all()

    def stop_all(self) -> None:
        """Stop the children in reverse order of start."""
        self.stopping = True
        for child in reversed(self.children):
            child.stop()
