"""``signage serve``: the admin under gunicorn, one worker process per CPU core.

Why gunicorn: the admin's requests are CPU-bound Python (templates, the renderer), so in one
process they queue on the GIL and a 2-core machine does the work of one; measured with
``benchmarks/bench_web.py``. gunicorn is the long-kept pre-fork WSGI server: several
processes, a master that restarts a worker that dies or hangs (``timeout``), graceful
stops on SIGTERM. Its ``gthread`` workers let a few requests wait on Redis or the database
at once, and a slow client holds up one thread, not a whole worker.

Several processes are safe because nothing that must be shared lives in one: sessions are
signed cookies, login throttling and publishing live in Redis, the database is the
database, and the per-process caches (preview images, fonts, translations) only save work.
The app is built once in the master (``preload_app``): the schema is created and the
secret key file written once, not raced by the workers; each worker then opens its own
database connections (``post_fork``). Redis clients notice the fork by themselves.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

#: Threads per worker: enough to overlap waits on Redis and SQLite, few enough that the GIL
#: does not turn them into queueing (the CPU is shared by the processes instead).
DEFAULT_THREADS = 4


def default_workers() -> int:
    """One process per CPU core this process may run on (at least two, so one slow request
    such as a long GIF preview never holds up everyone else)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(2, cores)


def _dispose_engine(_server: Any, worker: Any) -> None:
    """In each new worker: drop database connections inherited from the master."""
    engine = getattr(worker.app, "wsgi_app", None)
    engine = getattr(engine, "extensions", {}).get("signage.engine")
    if engine is not None:
        engine.dispose(close=False)  # the master's connections stay the master's


class Server(BaseApplication):
    """gunicorn running a WSGI app built by ``factory`` (called once, in the master)."""

    def __init__(self, factory: Callable[[], Any], options: dict[str, Any]) -> None:
        self.factory = factory
        self.options = options
        self.wsgi_app: Any = None
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        if self.wsgi_app is None:
            self.wsgi_app = self.factory()
        return self.wsgi_app


def options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """gunicorn settings for the admin."""
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "post_fork": _dispose_engine,
        # A preview URL carries the slogan: 2,000 Vietnamese characters are ~18 kB encoded,
        # over gunicorn's 4 kB default line (waitress took them; so must we).
        "limit_request_line": 0,
        # Keep-alive, as browsers expect: a new connection for every request costs both ends
        # CPU (accept, a socket, the handshake), and with it on the slogan list's p95 under
        # the benchmark's 20 clients went from 62-73 ms to 38-42 ms (benchmarks/bench_web.py).
        # A kept-alive connection stays with the worker that accepted it, so a worker may carry
        # more clients than the other for a while; connections idle for 2 s are closed and the
        # next one lands afresh.
        "keepalive": 2,
        # An export, a backup or a long GIF preview may take a while; a stuck worker is
        # still killed and replaced by the master.
        "timeout": 120,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "signage-admin",
        # One control socket per user ($HOME/.gunicorn) would be fought over by every admin,
        # test and benchmark on the machine; the supervisor's signals are control enough.
        "control_socket_disable": True,
    }


def serve(
    factory: Callable[[], Any],
    host: str,
    port: int,
    workers: int | None = None,
    threads: int = DEFAULT_THREADS,
) -> None:
    """Serve ``factory()`` until SIGTERM or Ctrl-C (gunicorn's master runs in this process)."""
    Server(factory, options(host, port, workers or default_workers(), threads)).run()
