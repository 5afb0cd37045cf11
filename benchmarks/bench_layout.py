"""What laying out a new slogan costs the live preview, and how much of it is line breaking.

Every slogan of ``playlists/`` with a new suffix each time (so nothing is cached, as when
staff type), effect auto, on the demo board (192x32, 10 mm, 25 m): the time of
``slogan.prepare`` (choosing still or scroll, the font, the lines, drawing) and, inside it,
of ``layout.wrap`` (breaking the lines: listed words, phrases, balancing). The admin's goal
for a new-text preview is p95 <= 100 ms in all (benchmarks/bench_web.py).
"""

from __future__ import annotations

import statistics
import time
import tomllib
from pathlib import Path

from drivers.pixels import BoardSpec
from signage.render import layout, slogan
from signage.render.options import parse_slogan

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 5


def texts() -> list[str]:
    """Every slogan text in playlists/*.toml."""
    return [
        s["text"]
        for path in sorted((ROOT / "playlists").glob("*.toml"))
        for s in tomllib.loads(path.read_text("utf-8")).get("slogans", [])
    ]


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def main() -> None:
    spec = BoardSpec(192, 32, "mono")
    slogans = texts()
    for text in slogans:  # fonts loaded and measured once, as in a running admin
        slogan.prepare(text, parse_slogan({"text": text}), spec)
    in_wrap = [0.0]
    wrap = layout.wrap

    def timed_wrap(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - a pass-through
        began = time.perf_counter()
        try:
            return wrap(*args, **kwargs)
        finally:
            in_wrap[0] += time.perf_counter() - began

    slogan.wrap = timed_wrap
    totals, wraps = [], []
    for rnd in range(ROUNDS):
        for i, text in enumerate(slogans):
            new = f"{text} {rnd}.{i}"
            in_wrap[0] = 0.0
            began = time.perf_counter()
            slogan.prepare(new, parse_slogan({"text": new}), spec)
            totals.append((time.perf_counter() - began) * 1000)
            wraps.append(in_wrap[0] * 1000)
    slogan.wrap = wrap
    print(f"{len(totals)} new texts ({len(slogans)} slogans x {ROUNDS}), auto on 192x32:")
    for name, values in (("layout and drawing (prepare)", totals), ("of which line breaking (wrap)", wraps)):
        print(f"  {name}: median {statistics.median(values):.2f} ms, p95 {p95(values):.2f} ms")


if __name__ == "__main__":
    main()
