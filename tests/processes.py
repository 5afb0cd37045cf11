"""Process helpers for tests that start real programs: the ``signage`` command, a simulated
board and a board's worker; read their lines, find their children, stop them by PID."""

from __future__ import annotations

import io
import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from PIL import Image, ImageChops


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (children, grandchildren...), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current and child not in found:
                found.add(child)
                frontier.append(child)
    return found


def alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rfind(")") + 2] != "Z"


class LineReader:
    """Collects a process's output lines in a thread so a test can wait for one."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._thread = threading.Thread(target=self._pump, args=(proc,), daemon=True)
        self._thread.start()

    def _pump(self, proc: subprocess.Popen) -> None:
        for raw in proc.stdout:
            self.lines.put(raw.decode(errors="replace") if isinstance(raw, bytes) else raw)

    def wait_for(self, prefix: str, timeout: float) -> str:
        """The first line starting with ``prefix``; fails with all output seen so far."""
        deadline = time.monotonic() + timeout
        for line in self.seen:
            if line.startswith(prefix):
                return line
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic())).rstrip("\n")
            except queue.Empty:
                break
            self.seen.append(line)
            if line.startswith(prefix):
                return line
        raise AssertionError(
            f"no line starting with {prefix!r} within {timeout} s; output:\n" + "\n".join(self.seen)
        )


def wait_until(predicate, timeout: float, interval: float = 0.1) -> bool:  # noqa: ANN001
    """Poll ``predicate`` until it is true or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def environ(**extra: str) -> dict[str, str]:
    """This environment plus ``extra``, without settings that would point at a shared service."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(extra)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def signage_command(*args: str) -> list[str]:
    """The ``signage`` command line, run with this interpreter."""
    return [sys.executable, "-m", "signage.cli", *args]


def stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a process the test started, by its PID: SIGTERM, then SIGKILL."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Simulator:
    """A ``signage sim`` process and its HTTP view."""

    def __init__(self, listen: str = "tcp://127.0.0.1:0", *extra: str) -> None:
        """``extra``: more ``signage sim`` options, e.g. ``"--address", "1,2"`` for a shared line."""
        self.proc = subprocess.Popen(
            signage_command(
                "sim",
                "--protocol",
                "native",
                "--size",
                "192x32",
                "--listen",
                listen,
                "--http",
                "127.0.0.1:0",
                *extra,
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=environ(),
        )
        self.output = LineReader(self.proc)
        self.port_url = self.output.wait_for("listening on ", 20).split("listening on ", 1)[1].strip()
        self.view = self.output.wait_for("view on ", 20).split("view on ", 1)[1].strip().rstrip("/")

    def stats(self) -> dict:
        with urllib.request.urlopen(self.view + "/stats.json", timeout=5) as r:
            return json.load(r)

    def frame(self, address: int | None = None) -> Image.Image:
        """What the board shows (on a shared line: the board at ``address``)."""
        query = f"?address={address}" if address is not None else ""
        with urllib.request.urlopen(self.view + "/frame.png" + query, timeout=5) as r:
            return Image.open(io.BytesIO(r.read())).convert("1")

    def stop(self) -> None:
        stop_process(self.proc)


def start_worker(slug: str, redis_url: str, instance: Path) -> subprocess.Popen:
    """A ``signage worker`` for board ``slug`` on the private Redis, its output piped."""
    return subprocess.Popen(
        signage_command("worker", "--board", slug),
        env=environ(REDIS_URL=redis_url, SIGNAGE_INSTANCE=str(instance)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None
