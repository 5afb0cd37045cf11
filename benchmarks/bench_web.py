"""Admin under load: 1,000 slogans, 100 playlists, 20 concurrent logged-in clients on 127.0.0.1.

Goals (issue #6, #16): list pages p95 <= 50 ms and <= 2.5x the floor, slogan preview image
<= 100 ms and, for a new text, <= 6x the floor. The floor is a minimal Flask page of the same
size under the same server, measured in the same run, so a slow or busy machine moves both. The admin runs as
in production (``signage serve``: gunicorn, a worker process per core) on SQLite with its
private Redis. Each client is a closed loop with zero think time: it sends the next request
as soon as the last answer is read, with its own session, on one kept-alive connection, as a browser
keeps it (both servers keep connections alive).

The clients are separate processes (plain ``http.client``), so their Python does not share
a GIL with the server or with each other; they still share the machine's cores with the
server, so the CPU they use is measured and printed beside the server's. Peers measured in
the same run: a minimal Flask page of the same size as our slogan list (the floor: server
plus Flask, none of our work) under the old server (waitress, 8 threads, one process) and
under ours, and our dashboard and slogan list under the old server.

Prints, per page: p50, p95, max latency, requests per second, and the CPU milliseconds the
server and the clients spent per request.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.client
import http.cookiejar
import io
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from signage.db import create_schema, make_engine, session_scope
from signage.demo import answers, free_port
from signage.models import (
    Banner,
    Board,
    Playlist,
    PlaylistItem,
    ProofOfPlay,
    Schedule,
    Slogan,
    UrgentNotice,
    User,
)
from signage.redis_server import PrivateRedis

HERE = Path(__file__).resolve().parent
PASSWORD = "benchmark password"
WORDS = (
    "chào mừng đại hội đảng bộ tỉnh kon tum lần thứ xvi nhiệt liệt quê hương việt nam "
    "lào hữu nghị cửa khẩu quốc tế bờ y thi đua lập thành tích"
).split()
PREVIEW_TEXT = "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẢNG BỘ TỈNH KON TUM"
TICKS = os.sysconf("SC_CLK_TCK")
#: Sent at login and with every request, as a browser does. Flask-Login ties a session to its
#: address and browser; a request from another browser marks the session not fresh, so the
#: server re-signs the cookie on every answer (and a client that never stores it pays again).
USER_AGENT = "signage-bench/1"

#: A path for request ``i`` of client ``c`` (warm-up requests get negative ``i``).
PathFn = Callable[[int, int], str]


def banner_png(i: int) -> bytes:
    """A small distinct PNG (a banner's bytes are unique by their hash)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 16), (i % 256, (i * 7) % 256, (i * 13) % 256)).save(out, "PNG")
    return out.getvalue()


def seed(url: str) -> None:
    """1,000 slogans, 100 playlists of 10 items each, 30 banners, 60 schedules, 40 notices
    and 5,000 proof-of-play records (the list pages of issue #16 item 11)."""
    engine = make_engine(url)
    create_schema(engine)
    with session_scope(engine) as s:
        user = User(username="bench", role="admin")
        user.set_password(PASSWORD)
        s.add(user)
        slogans = [
            Slogan(text=" ".join(WORDS[(i + k) % len(WORDS)] for k in range(8)).capitalize() + f" {i}")
            for i in range(1000)
        ]
        s.add_all(slogans)
        for p in range(100):
            playlist = Playlist(name=f"Danh sách {p:03d}")
            playlist.items = [
                PlaylistItem(slogan=slogans[(p * 10 + k) % 1000], position=k, duration=10) for k in range(10)
            ]
            s.add(playlist)
        board = Board(
            slug="bench",
            name="Bench",
            width=192,
            height=32,
            color="mono",
            protocol="native",
            port_url="socket://127.0.0.1:9",
            baud=115200,
        )
        s.add(board)
        for b in range(30):
            data = banner_png(b)
            s.add(
                Banner(
                    name=f"Pano {b:02d}",
                    sha256=hashlib.sha256(data).hexdigest(),
                    mime="image/png",
                    data=data,
                    width=64,
                    height=16,
                )
            )
        s.flush()
        playlists = s.scalars(select(Playlist).order_by(Playlist.id)).all()
        for k in range(60):
            s.add(
                Schedule(
                    name=f"Lịch {k:02d}",
                    playlist=playlists[k],
                    board=board if k % 2 else None,
                    weekdays="12345" if k % 3 else "1234567",
                    start_time=dt.time(7, 0) if k % 4 else None,
                    end_time=dt.time(18, 0) if k % 4 else None,
                    priority=k % 5,
                )
            )
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for k in range(40):
            s.add(
                UrgentNotice(
                    text=f"Thông báo khẩn số {k}: cửa khẩu tạm đóng",
                    starts_at=now - dt.timedelta(days=k),
                    expires_at=now - dt.timedelta(days=k) + dt.timedelta(hours=1),
                    boards=[board],
                )
            )
        for k in range(5000):
            start = now - dt.timedelta(seconds=10 * k)
            s.add(
                ProofOfPlay(
                    record_id=f"bench-{k}",
                    board_id=board.id,
                    board_slug="bench",
                    item_id=f"slogan:{k % 1000 + 1}",
                    item_label=slogans[k % 1000].text,
                    source="playlist:1",
                    source_label="Danh sách 000",
                    actual_start=start,
                    actual_end=start + dt.timedelta(seconds=10),
                    frames_sent=30,
                    frames_acked=30,
                )
            )
    engine.dispose()


def login(base: str) -> str:
    """A fresh session cookie of the benchmark user (``name=value``)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    html = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "username": "bench", "password": PASSWORD}).encode()
    opener.open(base + "/login", body)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def cpu_seconds(root: int) -> float:
    """User + system CPU of ``root`` and every live descendant (gunicorn's workers)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / TICKS
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo.extend(p for p, parent in parents.items() if parent == pid)
    return total


def _client(
    port: int,
    cookie: str,
    path: PathFn,
    index: int,
    warmup: int,
    requests: int,
    warm: multiprocessing.synchronize.Barrier,
    start: multiprocessing.synchronize.Barrier,
    out: multiprocessing.connection.Connection,
) -> None:
    """One closed-loop client: ``requests`` timed GETs on one kept-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie, "User-Agent": USER_AGENT}
    times: list[float] = []
    errors: list[str] = []

    def get(i: int) -> None:
        nonlocal conn
        try:
            conn.request("GET", path(index, i), headers=headers)
            response = conn.getresponse()
            response.read()
        except (http.client.HTTPException, OSError):  # the server closed a kept-alive connection
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", path(index, i), headers=headers)
            response = conn.getresponse()
            response.read()
        if response.status != 200:
            errors.append(str(response.status))

    for i in range(-warmup, 0):
        get(i)
    warm.wait()  # everyone warmed up: the parent reads the server's CPU now
    start.wait()
    cpu = time.process_time()
    first = time.perf_counter()  # CLOCK_MONOTONIC: comparable across the client processes
    for i in range(requests):
        began = time.perf_counter()
        get(i)
        times.append(time.perf_counter() - began)
    out.send((times, time.process_time() - cpu, errors, first, time.perf_counter()))
    conn.close()


@dataclass
class Result:
    times: list[float]
    seconds: float
    server_cpu: float
    client_cpu: float
    errors: list[str]

    @property
    def p95(self) -> float:
        """The 95th percentile latency in ms."""
        t = sorted(self.times)
        return t[max(0, int(len(t) * 0.95) - 1)] * 1000

    @property
    def p50(self) -> float:
        return statistics.median(self.times) * 1000

    def row(self, label: str, goal: float | None) -> str:
        t = sorted(self.times)
        n = len(t)
        p95 = self.p95
        verdict = "" if goal is None else f"p95 <= {goal:.0f} ms: {'met' if p95 <= goal else 'NOT met'}"
        if self.errors:
            verdict += f"  ({len(self.errors)} errors: {', '.join(sorted(set(self.errors)))})"
        return (
            f"{label:44} {statistics.median(t) * 1000:7.1f} {p95:7.1f} {t[-1] * 1000:7.1f} "
            f"{n / self.seconds:7.0f} {self.server_cpu / n * 1000:7.2f} "
            f"{self.client_cpu / n * 1000:7.2f}  {verdict}"
        )


HEADER = (
    f"{'page':44} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'req/s':>7} {'srv cpu':>7} {'cli cpu':>7}"
    "  goal\n" + " " * 77 + "(CPU ms per request)"
)


def load(
    port: int, server_pid: int, cookies: list[str], path: PathFn, requests: int, warmup: int = 2
) -> Result:
    """Run one client process per cookie against ``path`` and gather what they measured."""
    ctx = multiprocessing.get_context("fork")
    warm = ctx.Barrier(len(cookies) + 1)
    start = ctx.Barrier(len(cookies) + 1)
    pipes, procs = [], []
    for index, cookie in enumerate(cookies):
        mine, theirs = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=_client, args=(port, cookie, path, index, warmup, requests, warm, start, theirs)
        )
        proc.start()
        pipes.append(mine)
        procs.append(proc)
    warm.wait()
    cpu = cpu_seconds(server_pid)
    start.wait()
    results = [pipe.recv() for pipe in pipes]
    server_cpu = cpu_seconds(server_pid) - cpu
    # From the first timed request sent to the last answer read, by the clients' own clocks.
    seconds = max(r[4] for r in results) - min(r[3] for r in results)
    for proc in procs:
        proc.join()
    return Result(
        [t for r in results for t in r[0]],
        seconds,
        server_cpu,
        sum(r[1] for r in results),
        [e for r in results for e in r[2]],
    )


def start_server(argv: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while not answers(f"http://127.0.0.1:{port}/login"):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise SystemExit(f"the server did not start: {' '.join(argv)}")
        time.sleep(0.1)
    return server


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


#: Goals as a multiple of the floor's p95 in the same run (issue #16): the machine's speed and
#: load move both alike, so the ratio says what our own work costs.
RATIO_GOALS = {"preview, a new text each time (uncached)": 6.0}
LIST_RATIO = 2.5
FLOOR = "floor (our server)"


def ratio_rows(results: dict[str, Result], goals: dict[str, float]) -> list[str]:
    """Each page's p50 and p95 as multiples of the floor's, with the ms and ratio goals."""
    floor = results[FLOOR]
    rows = [f"{'page':44} {'p95 ms':>7} {'x floor':>8} {'p50 x':>7}  goals (p95)"]
    for page, result in results.items():
        if page == FLOOR:
            continue
        ratio = result.p95 / floor.p95
        limit = RATIO_GOALS.get(page, LIST_RATIO if "preview" not in page else None)
        goal = goals.get(page)
        verdicts = []
        if goal is not None:
            verdicts.append(f"<= {goal:.0f} ms {'met' if result.p95 <= goal else 'NOT met'}")
        if limit is not None:
            verdicts.append(f"<= {limit:g}x {'met' if ratio <= limit else 'NOT met'}")
        rows.append(
            f"{page:44} {result.p95:7.1f} {ratio:7.2f}x {result.p50 / floor.p50:6.2f}x  "
            + ", ".join(verdicts)
        )
    rows.append(f"{'floor: minimal Flask page, our server':44} {floor.p95:7.1f} {1:7.2f}x {1:6.2f}x")
    return rows


def pages() -> dict[str, tuple[PathFn, float]]:
    """Label -> (path of request i of client c, goal in ms)."""

    def preview(text: str, effect: str = "scroll-left") -> str:
        return "/preview/slogan.png?" + urllib.parse.urlencode({"text": text, "effect": effect})

    same = preview(PREVIEW_TEXT)
    return {
        "dashboard /": (lambda c, i: "/", 50),
        "slogans /slogans/": (lambda c, i: "/slogans/", 50),
        "slogans page 11 /slogans/?page=11": (lambda c, i: "/slogans/?page=11", 50),
        "playlists /playlists/": (lambda c, i: "/playlists/", 50),
        "playlist /playlists/50": (lambda c, i: "/playlists/50", 50),
        "banners /banners/": (lambda c, i: "/banners/", 50),
        "schedules /schedules/": (lambda c, i: "/schedules/", 50),
        "notices /notices/": (lambda c, i: "/notices/", 50),
        "proof of play /proof/": (lambda c, i: "/proof/", 50),
        "preview, same text again (cached)": (lambda c, i: same, 100),
        "preview, a new text each time (uncached)": (lambda c, i: preview(f"{PREVIEW_TEXT} {c}.{i}"), 100),
        # issue #17: a still of two lines chosen by "auto", broken between words and phrases
        "preview, a new two-line still each time (auto)": (
            lambda c, i: preview(f"Chào mừng Đại hội XIII của Đảng: {c}.{i}", "auto"),
            100,
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=50, help="timed requests per client per page")
    ap.add_argument("--workers", type=int, default=None, help="signage serve --workers (default: its own)")
    ap.add_argument("--threads", type=int, default=None, help="signage serve --threads (default: its own)")
    ap.add_argument("--no-peers", action="store_true", help="measure only our pages")
    ap.add_argument(
        "--only", default="", help="measure only our pages whose label contains this (or one of a,b,...)"
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        redis = PrivateRedis(tmp_path / "redis").start()
        url = f"sqlite:///{tmp_path / 'bench.db'}"
        seed(url)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "REDIS_URL": redis.url,
            "SIGNAGE_INSTANCE": str(tmp_path),
            "SECRET_KEY": "bench",
            "SIGNAGE_LOGIN_RATE_LIMIT": "10000 per minute",
        }

        cookie_size = [0]
        measured: dict[str, Result] = {}

        def run(
            label: str,
            argv: list[str],
            todo: dict[str, tuple[PathFn, float | None]],
            logged_in: bool = True,
            keep: bool = False,
        ) -> int:
            port = free_port()
            server = start_server([*argv, "--port", str(port)], env, port)
            try:
                base = f"http://127.0.0.1:{port}"
                if logged_in:
                    cookies = [login(base) for _ in range(args.clients)]
                    cookie_size[0] = len(cookies[0])
                else:  # the floor has no login: it gets a cookie as long as ours
                    cookies = ["session=" + "x" * (cookie_size[0] - len("session="))] * args.clients
                size = len(
                    urllib.request.urlopen(
                        urllib.request.Request(base + "/slogans/", headers={"Cookie": cookies[0]})
                    ).read()
                )
                print(f"\n{label}\n{HEADER}", flush=True)
                for page, (path, goal) in todo.items():
                    result = load(port, server.pid, cookies, path, args.requests)
                    print(result.row(page, goal), flush=True)
                    if keep:
                        measured[page] = result
                return size
            finally:
                stop_server(server)

        try:
            load1 = os.getloadavg()[0]
            print(
                f"{args.clients} closed-loop clients (processes, no think time), "
                f"{args.requests} timed requests each per page; {os.cpu_count()} CPUs; "
                f"load average before: {load1:.2f}; SQLite"
            )
            workers = ["--workers", str(args.workers)] if args.workers else []
            threads = ["--threads", str(args.threads)] if args.threads else []
            serve = [sys.executable, "-m", "signage.cli", "serve", *workers, *threads]
            from signage.serve import DEFAULT_THREADS, default_workers

            ours = (
                f"ours: signage serve (gunicorn, {args.workers or default_workers()} workers x "
                f"{args.threads or DEFAULT_THREADS} threads)"
            )
            wanted = args.only.split(",")
            ours_pages = {k: v for k, v in pages().items() if any(w in k for w in wanted)}
            size = run(ours, serve, ours_pages, keep=True)
            peer = [sys.executable, str(HERE / "web_peer.py")]
            run(
                "floor: minimal Flask page, our server (gunicorn as signage serve)",
                [*peer, "--app", "floor", "--server", "gunicorn", "--bytes", str(size), *workers],
                {FLOOR: ((lambda c, i: "/"), None)},
                False,
                keep=True,
            )
            if not args.no_peers:
                same = {k: v for k, v in pages().items() if k.startswith(("dashboard", "slogans /"))}
                run(
                    "peer: our app on the old server (waitress, 8 threads, one process)",
                    [*peer, "--app", "signage", "--server", "waitress"],
                    same,
                )
                floor = {f"floor: constant {size} B page": ((lambda c, i: "/"), None)}
                run(
                    "peer: minimal Flask page, old server (waitress, 8 threads, one process)",
                    [*peer, "--app", "floor", "--server", "waitress", "--bytes", str(size)],
                    floor,
                    False,
                )
            print("\nOur pages against the floor of this run (p95 and p50 as multiples of the floor's)")
            print("\n".join(ratio_rows(measured, {k: g for k, (_p, g) in ours_pages.items()})))
            print(
                f"\nload average after: {os.getloadavg()[0]:.2f} (other work on the machine inflates "
                "every row alike)"
            )
        finally:
            redis.stop()


if __name__ == "__main__":
    main()
