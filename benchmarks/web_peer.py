"""Peers for ``bench_web.py``: the same servers with nothing of ours in them, or our app
under the server ``signage serve`` used before.

``floor``: a minimal Flask app whose one page is a constant HTML string of ``--bytes`` bytes
(the size of our page), so its numbers are what the server and Flask cost before any of our
work. ``signage``: our admin. ``--server waitress`` is one process with 8 threads (the old
``signage serve``); ``--server gunicorn`` is ``signage.serve`` with the settings we ship.
"""

from __future__ import annotations

import argparse
import os

from flask import Flask, Response


def floor_app(size: int) -> Flask:
    """Flask answering every GET with ``size`` bytes of HTML (as UTF-8, like ours)."""
    app = Flask("floor")
    head = "<!doctype html><html><head><title>floor</title></head><body><p>"
    tail = "</p></body></html>"
    body = (head + "x" * max(0, size - len(head) - len(tail)) + tail).encode()

    @app.route("/", defaults={"path": ""})
    @app.route("/<path:path>")
    def page(path: str) -> Response:
        return Response(body, mimetype="text/html")

    return app


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--app", choices=("floor", "signage"), required=True)
    ap.add_argument("--server", choices=("waitress", "gunicorn"), required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--bytes", type=int, default=20000, help="page size of the floor app")
    ap.add_argument("--workers", type=int, default=None, help="gunicorn workers (default as signage serve)")
    args = ap.parse_args()

    def build() -> Flask:
        if args.app == "floor":
            return floor_app(args.bytes)
        from signage import create_app

        return create_app({"INSTANCE": os.environ["SIGNAGE_INSTANCE"]})

    if args.server == "waitress":
        from waitress import serve

        serve(build(), host="127.0.0.1", port=args.port, threads=8, _quiet=True)
    else:
        from signage.serve import serve

        serve(build, "127.0.0.1", args.port, args.workers)


if __name__ == "__main__":
    main()
