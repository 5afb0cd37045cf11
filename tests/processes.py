"""Process helpers for tests that start real programs: read their lines, find their children."""

from __future__ import annotations

import os
import queue
import subprocess
import threading
import time
from pathlib import Path


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
        fields = stat[stat.rfind(")") + 2:].split()
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
        raise AssertionError(f"no line starting with {prefix!r} within {timeout} s; output:\n"
                             + "\n".join(self.seen))


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
