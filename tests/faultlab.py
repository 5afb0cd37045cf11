"""A rig for fault runs with real processes: private redis-server, ``signage sim``, workers.

Shared by the fault suite (tests/test_fault_suite.py, one test per fault) and the
benchmark (benchmarks/bench_faults.py, one table row per fault). A ``Watch`` thread polls
the simulator every 100 ms, as an operator's monitor would, and records what the board
showed; from it come the numbers of the table: when the right frames came back, how many
wrong pictures stayed up (held for two polls or more: a half-drawn frame caught between
two packets is not something anyone sees), the longest time the board stood still, and
proof records lost (seen in Redis at some point, gone at the end, never stored again).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from redis import Redis
from redis.exceptions import RedisError

from drivers.pixels import BoardSpec
from signage import show
from signage.demo import free_port
from signage.redis_server import PrivateRedis
from signage.render import render_item
from tests.processes import (
    LineReader,
    Simulator,
    environ,
    same_pixels,
    signage_command,
    stop_process,
    wait_until,
)

SPEC = BoardSpec(192, 32, "mono")
POLL = 0.1


def slogan(text: str, duration: float = 0.5) -> dict:
    return {"kind": "slogan", "text": text, "effect": "static", "duration": duration, "id": f"slogan:{text}"}


def picture(item: dict) -> Image.Image:
    return next(iter(render_item(item, SPEC))).image


def publish(
    redis: Redis, slug: str, port_url: str, items: list[dict], zone: str = "Asia/Ho_Chi_Minh"
) -> None:
    doc = {
        "format": 2,
        "board": {
            "slug": slug,
            "width": 192,
            "height": 32,
            "color": "mono",
            "protocol": "native",
            "port_url": port_url,
            "baud": 115200,
            "address": 1,
            "timezone": zone,
        },
        "playlists": {"fb": {"name": "fallback", "items": items}},
        "fallback": "fb",
        "schedules": [],
        "notices": [],
        "hours": None,
        "brightness": [],
    }
    show.store(redis, slug, doc)


class Worker:
    """A ``signage worker`` process with its output collected (and timestamped)."""

    def __init__(self, slug: str, redis_url: str, instance: Path, **env: str) -> None:
        self.proc = subprocess.Popen(
            signage_command("worker", "--board", slug),
            env=environ(REDIS_URL=redis_url, SIGNAGE_INSTANCE=str(instance), **env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.out = LineReader(self.proc)
        self.started = time.monotonic()

    def lines(self) -> list[str]:
        while not self.out.lines.empty():
            self.out.seen.append(self.out.lines.get().rstrip("\n"))
        return self.out.seen

    def said(self, words: str) -> bool:
        return any(words in line for line in self.lines())

    def kill(self, sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, sig)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGCONT)
        stop_process(self.proc)


@dataclass
class Watch:
    """What the board showed, polled every 100 ms in a thread."""

    sim: Simulator
    right: list[Image.Image]
    samples: list[tuple[float, int, str]] = field(default_factory=list)  # (t, frames, right|wrong|dark|?)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.monotonic(), *self._look()))
            self._stop.wait(POLL)

    def _look(self) -> tuple[int, str]:
        try:
            frames, image = self.sim.stats()["frames"], self.sim.frame()
        except OSError:
            return -1, "?"
        if any(same_pixels(image, want) for want in self.right):
            return frames, "right"
        return frames, "dark" if image.getbbox() is None else "wrong"

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)

    def wrong_shown(self, since: float = 0.0) -> int:
        """Wrong pictures that stayed up for two polls or more."""
        kinds = [k for t, _, k in self.samples if t >= since]
        return sum(1 for a, b in zip(kinds, kinds[1:], strict=False) if a == b == "wrong")

    def right_again(self, since: float) -> float | None:
        """Seconds from ``since`` to the first right picture with the board moving again."""
        last = None
        for t, frames, kind in self.samples:
            if t < since:
                last = frames
                continue
            if kind == "right" and frames not in (-1, last):
                return round(t - since, 2)
            last = frames if frames != -1 else last
        return None

    def longest_still(self, start: float, end: float) -> float:
        """The longest stretch in [start, end] without a new frame on the board."""
        changes = [start]
        last = None
        for t, frames, _ in self.samples:
            if start <= t <= end and frames != last and frames != -1:
                changes.append(t)
            last = frames
        changes.append(end)
        return round(max(b - a for a, b in zip(changes, changes[1:], strict=False)), 2)


class ProofSeen:
    """Proof records in Redis, sampled: a record seen once and gone at the end was lost."""

    def __init__(self, redis: Redis, slug: str) -> None:
        self.redis, self.slug = redis, slug
        self.ever: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def ids(self) -> set[str] | None:
        try:
            raw = self.redis.lrange(show.proof_key(self.slug), 0, -1)
        except RedisError:
            return None
        return {json.loads(r)["record_id"] for r in raw}

    def _run(self) -> None:
        while not self._stop.is_set():
            self.ever |= self.ids() or set()
            self._stop.wait(0.5)

    def lost(self) -> int:
        self._stop.set()
        self._thread.join(2)
        final = self.ids() or set()
        return len(self.ever - final)


class Rig:
    """One board: private Redis, a simulator on a fixed TCP port, its workers."""

    def __init__(self, root: Path, slug: str = "f") -> None:
        self.root, self.slug = root, slug
        self.redis_server = PrivateRedis(root / "redis").start()
        self.redis = Redis.from_url(self.redis_server.url, socket_timeout=2)
        self.port = free_port()
        self.sim = Simulator(f"tcp://127.0.0.1:{self.port}")
        self.workers: list[Worker] = []

    def worker(self, instance: str = "w", **env: str) -> Worker:
        w = Worker(self.slug, self.redis_server.url, self.root / instance, **env)
        self.workers.append(w)
        return w

    def restart_sim(self) -> None:
        self.sim = Simulator(f"tcp://127.0.0.1:{self.port}")

    def close(self) -> None:
        for w in self.workers:
            w.stop()
        self.sim.stop()
        with contextlib.suppress(ProcessLookupError, AttributeError):
            os.kill(self.redis_server.process.pid, signal.SIGCONT)
        self.redis_server.stop()


@contextlib.contextmanager
def rig(root: Path, slug: str = "f") -> Iterator[Rig]:
    r = Rig(root, slug)
    try:
        yield r
    finally:
        r.close()


def tmpfs(path: Path, size: str) -> bool:
    """Mount a small tmpfs on ``path`` (False where this machine does not allow it)."""
    path.mkdir(parents=True, exist_ok=True)
    return (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )


def read_only(path: Path) -> bool:
    """Make ``path`` a read-only bind mount of itself (False where not allowed)."""
    path.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True, check=False).returncode:
        return False
    done = subprocess.run(["mount", "-o", "remount,ro,bind", str(path)], capture_output=True, check=False)
    if done.returncode:
        unmount(path)
        return False
    return True


def unmount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


def fill(path: Path) -> None:
    """Fill the filesystem at ``path`` to the last byte."""
    with contextlib.suppress(OSError), open(path / "filler", "wb") as f:
        while True:
            f.write(b"\0" * 4096)
            f.flush()


# -- the faults, one function each: a Row of the table ------------------------------------
@dataclass
class Row:
    """One fault's numbers (``right_after``: seconds to right frames, or the longest stand-still)."""

    fault: str
    right_after: float | None
    wrong: int
    lost: int
    two_writers: int
    note: str = ""
    extra: dict = field(default_factory=dict)


ONE, TWO, NEW = slogan("MỘT"), slogan("HAI"), slogan("MỚI")


def _start(r: Rig, instance: str = "w", **env: str) -> tuple[Worker, Watch, ProofSeen]:
    publish(r.redis, r.slug, r.sim.port_url, [ONE, TWO])
    watch = Watch(r.sim, [picture(ONE), picture(TWO), picture(NEW)])
    w = r.worker(instance, **env)
    if not wait_until(lambda: watch.samples and watch.samples[-1][2] == "right", 30):
        raise AssertionError("the board never showed its show:\n" + "\n".join(w.lines()))
    return w, watch, ProofSeen(r.redis, r.slug)


def _back_after(r: Rig, watch: Watch) -> float | None:
    """Seconds from a new publish to the board showing it (Redis answering again)."""
    wait_until(r.redis_server.ping, 10)
    began = time.monotonic()
    publish(r.redis, r.slug, r.sim.port_url, [NEW])
    ok = wait_until(lambda: watch.samples[-1][2] == "right" and same_pixels(r.sim.frame(), picture(NEW)), 10)
    return round(time.monotonic() - began, 2) if ok else None


def worker_sigkill(root: Path) -> Row:
    """The worker dies mid-item; a replacement starts on the same machine."""
    with rig(root) as r:
        w, watch, proof = _start(r)
        time.sleep(1.0)
        w.kill()
        w.proc.wait(5)
        replacement = r.worker()
        right = (
            watch.right_again(replacement.started)
            if wait_until(lambda: watch.right_again(replacement.started) is not None, 15)
            else None
        )
        time.sleep(2.0)  # the replacement pushes the dead one's journal
        records = [json.loads(x) for x in r.redis.lrange(show.proof_key(r.slug), 0, -1)]
        cut = [x for x in records if x.get("interrupted") and str(os.getpid()) not in str(x)]
        watch.stop()
        return Row(
            "worker SIGKILL",
            right,
            watch.wrong_shown(),
            proof.lost() + (0 if cut else 1),
            0,
            "after the replacement starts; the cut item kept its record" if cut else "cut item lost",
        )


def _redis_fault(root: Path, name: str, fault, back) -> Row:  # noqa: ANN001
    with rig(root) as r:
        w, watch, proof = _start(r)
        began = time.monotonic()
        fault(r)
        time.sleep(6.0)
        back(r)
        returned = _back_after(r, watch)
        still = watch.longest_still(began, time.monotonic())
        watch.stop()
        alive = w.proc.poll() is None
        note = f"longest still; new show {returned} s after Redis answers" + ("" if alive else "; died")
        return Row(name, still, watch.wrong_shown(), proof.lost(), 0, note, {"back": returned})


def redis_refused(root: Path) -> Row:
    return _redis_fault(
        root, "Redis refused 6 s", lambda r: r.redis_server.stop(), lambda r: r.redis_server.start()
    )


def redis_hung(root: Path) -> Row:
    return _redis_fault(
        root,
        "Redis hung 6 s (SIGSTOP)",
        lambda r: os.kill(r.redis_server.process.pid, signal.SIGSTOP),
        lambda r: os.kill(r.redis_server.process.pid, signal.SIGCONT),
    )


def redis_lost_data(root: Path) -> Row:
    def restart(r: Rig) -> None:
        r.redis_server.stop()
        r.redis_server.start()  # no persistence: empty

    return _redis_fault(root, "Redis restarted empty", restart, lambda r: None)


def simulator_back(root: Path) -> Row:
    with rig(root) as r:
        _w, watch, proof = _start(r)
        r.sim.proc.kill()
        r.sim.proc.wait(5)
        time.sleep(3.0)
        r.restart_sim()
        back = time.monotonic()
        watch.sim = r.sim
        wait_until(lambda: watch.right_again(back) is not None, 10)
        watch.stop()
        return Row(
            "simulator back",
            watch.right_again(back),
            watch.wrong_shown(back),
            proof.lost(),
            0,
            "after the simulator listens again",
        )


def power_cut(root: Path) -> Row:
    with rig(root) as r:
        w, watch, _proof = _start(r)
        for proc in (w.proc, r.sim.proc, r.redis_server.process):
            proc.kill()
        for proc in (w.proc, r.sim.proc, r.redis_server.process):
            proc.wait(5)
        r.redis_server.process = None
        began = time.monotonic()
        r.redis_server.start()
        r.restart_sim()
        watch.sim = r.sim
        r.worker()
        wait_until(lambda: watch.right_again(began) is not None, 20)
        watch.stop()
        return Row(
            "power cut",
            watch.right_again(began),
            watch.wrong_shown(began),
            0,
            0,
            "after everything starts (Redis empty: the disk cache plays)",
        )


def _disk_fault(root: Path, name: str, breaks) -> Row:  # noqa: ANN001
    instance = root / "disk"
    if not breaks(instance):
        return Row(name, None, 0, 0, 0, "skipped: this machine does not allow the mount")
    try:
        with rig(root) as r:
            w, watch, proof = _start(r, "disk")
            from rq import Queue
            from rq.registry import FailedJobRegistry

            failed = FailedJobRegistry(queue=Queue(f"signage:board:{r.slug}", connection=r.redis))
            began, lines = time.monotonic(), len(w.lines())
            returned = _back_after(r, watch)
            time.sleep(max(0.0, 15.0 - (time.monotonic() - began)))
            minutes = (time.monotonic() - began) / 60
            status = {k.decode(): json.loads(v) for k, v in r.redis.hgetall(show.status_key(r.slug)).items()}
            watch.stop()
            per_min = {
                "failed_jobs": round(failed.count / minutes, 1),
                "log_lines": round((len(w.lines()) - lines) / minutes, 1),
            }
            return Row(
                name,
                watch.right_again(w.started),
                watch.wrong_shown(),
                proof.lost(),
                0,
                f"new show in {returned} s; per minute {per_min}; status says {status.get('cache')!r}",
                {**per_min, "cache": status.get("cache"), "back": returned},
            )
    finally:
        unmount(instance)


def disk_full(root: Path) -> Row:
    def full(path: Path) -> bool:
        if not tmpfs(path, "64k"):
            return False
        fill(path)
        return True

    return _disk_fault(root, "instance disk full", full)


def disk_read_only(root: Path) -> Row:
    return _disk_fault(root, "instance read-only", read_only)


def standby_when_redis_goes(root: Path) -> Row:
    """A standby (another instance folder: only the lease guards) must not play offline."""
    with rig(root) as r:
        _holder, watch, proof = _start(r, "a")
        standby = r.worker("b")
        wait_until(lambda: standby.said("holds the lease"), 20)
        began = time.monotonic()
        r.redis_server.stop()
        time.sleep(6.0)
        still = watch.longest_still(began, time.monotonic())
        two = int(standby.said("link open"))
        r.redis_server.start()
        time.sleep(3.0)  # the holder pushes its journal again into the emptied Redis
        watch.stop()
        return Row("standby, Redis gone", still, watch.wrong_shown(), proof.lost(), two, "longest still")


def frozen_holder(root: Path) -> Row:
    """The holder is SIGSTOPped; ``signage watchdog`` kills it; the standby takes over."""
    with rig(root) as r:
        holder, watch, proof = _start(r, "w")
        standby = r.worker("w")  # same machine, same instance: the port lock guards too
        wait_until(lambda: standby.said("holds the lease"), 20)
        holder.kill(signal.SIGSTOP)
        frozen = time.monotonic()
        dog = subprocess.Popen(
            signage_command("watchdog", "--board", r.slug, "--stale-after", "3", "--restart", "true"),
            env=environ(REDIS_URL=r.redis_server.url, SIGNAGE_INSTANCE=str(root / "w")),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until(lambda: holder.proc.poll() is not None, 20)
            killed = time.monotonic()
            two = int(standby.said("link open") and holder.proc.poll() is None)
            wait_until(lambda: watch.right_again(killed) is not None, 15)
        finally:
            stop_process(dog)
        watch.stop()
        right = watch.right_again(killed)
        return Row(
            "holder frozen (SIGSTOP)",
            right,
            watch.wrong_shown(),
            proof.lost(),
            two,
            f"after the watchdog's kill ({killed - frozen:.1f} s after the freeze; stale at 3 s)",
        )


def worker_in_utc(root: Path) -> Row:
    """A worker under TZ=UTC draws {time} on the board's clock (Asia/Ho_Chi_Minh)."""
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    with rig(root) as r:
        item = {**slogan("GIỜ {time}", 1.0), "id": "clock"}
        publish(r.redis, r.slug, r.sim.port_url, [item])
        now = datetime.now(UTC).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
        right = [picture({**item, "text": f"GIỜ {(now + timedelta(minutes=m)):%H:%M}"}) for m in (0, 1)]
        watch = Watch(r.sim, right)
        w = r.worker(TZ="UTC")
        wait_until(lambda: watch.right_again(w.started) is not None, 20)
        watch.stop()
        return Row(
            "worker TZ=UTC, {time}",
            watch.right_again(w.started),
            watch.wrong_shown(),
            0,
            0,
            "after the worker starts",
        )


ROWS = [
    worker_sigkill,
    redis_refused,
    redis_hung,
    redis_lost_data,
    simulator_back,
    power_cut,
    disk_full,
    disk_read_only,
    standby_when_redis_goes,
    frozen_holder,
    worker_in_utc,
]
