"""Admin under load: 1,000 slogans, 100 playlists, 20 concurrent logged-in clients on 127.0.0.1.

Goals (issue #6): list pages p95 <= 50 ms, slogan preview image <= 100 ms. The admin runs as
in production (``signage serve``, waitress, 8 threads) on SQLite with its private Redis;
the clients are threads with their own session cookies. Prints p50, p95, max per page.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from signage.db import create_schema, make_engine, session_scope
from signage.demo import answers, free_port
from signage.models import Board, Playlist, PlaylistItem, Slogan, User
from signage.redis_server import PrivateRedis

PASSWORD = "benchmark password"
WORDS = ("chào mừng đại hội đảng bộ tỉnh kon tum lần thứ xvi nhiệt liệt quê hương việt nam "
         "lào hữu nghị cửa khẩu quốc tế bờ y thi đua lập thành tích").split()


def seed(url: str) -> None:
    """1,000 slogans and 100 playlists of 10 items each."""
    engine = make_engine(url)
    create_schema(engine)
    with session_scope(engine) as s:
        user = User(username="bench", role="admin")
        user.set_password(PASSWORD)
        s.add(user)
        slogans = [Slogan(text=" ".join(WORDS[(i + k) % len(WORDS)] for k in range(8)).capitalize() + f" {i}")
                   for i in range(1000)]
        s.add_all(slogans)
        for p in range(100):
            playlist = Playlist(name=f"Danh sách {p:03d}")
            playlist.items = [PlaylistItem(slogan=slogans[(p * 10 + k) % 1000], position=k, duration=10)
                              for k in range(10)]
            s.add(playlist)
        s.add(Board(slug="bench", name="Bench", width=192, height=32, color="mono", protocol="native",
                    port_url="socket://127.0.0.1:9", baud=115200))
    engine.dispose()


def client(base: str) -> urllib.request.OpenerDirector:
    """A logged-in client with its own cookie jar."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    html = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "username": "bench", "password": PASSWORD}).encode()
    opener.open(base + "/login", body)
    return opener


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=15, help="requests per client per page")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        redis = PrivateRedis(tmp_path / "redis").start()
        url = f"sqlite:///{tmp_path / 'bench.db'}"
        seed(url)
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis.url, "SIGNAGE_INSTANCE": str(tmp_path),
               "SECRET_KEY": "bench", "SIGNAGE_LOGIN_RATE_LIMIT": "1000 per minute"}
        server = subprocess.Popen([sys.executable, "-m", "signage.cli", "serve", "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while not answers(base + "/login"):
                if time.monotonic() > deadline:
                    raise SystemExit("the admin did not start")
                time.sleep(0.1)
            clients = [client(base) for _ in range(args.clients)]
            pages = {
                "dashboard /": "/",
                "slogans /slogans/": "/slogans/",
                "playlists /playlists/": "/playlists/",
                "playlist /playlists/50": "/playlists/50",
                "preview /preview/slogan.png": "/preview/slogan.png?" + urllib.parse.urlencode(
                    {"text": "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẢNG BỘ TỈNH KON TUM", "effect": "scroll-left"}),
            }
            print(f"{args.clients} clients x {args.requests} requests per page, waitress 8 threads, SQLite")
            print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  goal")
            for label, path in pages.items():
                times: list[float] = []
                lock = threading.Lock()

                def run(opener: urllib.request.OpenerDirector, path: str = path, times: list = times,
                        lock: threading.Lock = lock) -> None:
                    for _ in range(args.requests):
                        began = time.perf_counter()
                        opener.open(base + path).read()
                        with lock:
                            times.append((time.perf_counter() - began) * 1000)

                threads = [threading.Thread(target=run, args=(c,)) for c in clients]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                times.sort()
                p95 = times[int(len(times) * 0.95) - 1]
                goal = 100 if "preview" in label else 50
                print(f"{label:32} {statistics.median(times):8.1f} {p95:8.1f} {times[-1]:8.1f}  "
                      f"p95 <= {goal} ms: {'met' if p95 <= goal else 'NOT met'}")
        finally:
            server.terminate()
            server.wait(10)
            redis.stop()


if __name__ == "__main__":
    main()
