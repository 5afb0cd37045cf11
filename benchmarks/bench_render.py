"""Renderer numbers for issue #3: letter legibility, scroll rate beside luma.core, peak memory.

Run: .venv/bin/python benchmarks/bench_render.py   (luma.core comes with the `bench` extra)
A plain script, not a timed test: it prints numbers to quote, and exits non-zero only if
a legibility number (clipped pixels, collisions) is not zero.

The scroll section (issue #18, item 7) times luma.core's viewport, render + ``frame.pack``
and the real send path (render + plan + encoded packets) in the same run, three runs
(``--runs``), medians with the load average. Timings are this process's CPU time: the
machine is shared, and wall time counts the other processes' turns (``--wall`` for it).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw  # noqa: E402

from drivers.pixels import BoardSpec  # noqa: E402
from signage.render import render_item  # noqa: E402
from signage.render.fonts import VIETNAMESE_LETTERS, auto_font  # noqa: E402
from signage.render.lint import letter_collisions  # noqa: E402

#: The clock the scroll timings read: this process's CPU time by default (the machine is
#: shared; wall time would count other processes' turns on the CPU), wall time with --wall.
CLOCK = [time.process_time]

SLOGAN = "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG"


def letters(rows: int) -> tuple[str, int, int]:
    """(font, clipped pixels, colliding pairs) for the 134 letters on ``rows``-row lines."""
    f = auto_font(rows)
    spec = BoardSpec(48, rows, "mono")
    clipped = 0
    for letter in VIETNAMESE_LETTERS:
        size = f.size
        canvas = Image.new("1", (size * 8, size * 8), 0)
        draw = ImageDraw.Draw(canvas)
        draw.fontmode = "1"
        draw.text((size * 4, size * 5), letter, font=f.font, fill=1, anchor="ls")
        free = sum(canvas.histogram()[1:])
        frame = next(render_item({"text": letter, "effect": "static", "align": "left"}, spec))
        clipped += free - sum(frame.image.histogram()[1:])
    return f"{f.info.name} {f.size}px", clipped, len(letter_collisions(f))


def ours(spec: BoardSpec, text: str, fast: bool = True) -> tuple[int, float]:
    """Steps and seconds to render and pack every 1-px step of a full scroll.

    fast: bytes from ``frame.pack(spec)`` (row slices of the packed strip); else from
    ``spec.pack(frame.image)`` (Pillow re-packs each frame). Both give the same bytes.
    """
    item = {"text": text, "effect": "scroll-left", "speed": 32}
    list(render_item(item, spec))  # warm the font and layout caches, as a playing worker has them
    from signage.render.cache import CACHE, LIVE

    CACHE.clear()  # but draw the strip again: that is part of every new item
    LIVE.clear()  # (where a text with live tokens is kept)
    t = CLOCK[0]()
    n = 0
    total = 0
    for frame in render_item(item, spec):
        total += len(frame.pack(spec) if fast else spec.pack(frame.image))
        n += 1
    return n, CLOCK[0]() - t


def real_path(spec: BoardSpec, text: str) -> tuple[int, float, int]:
    """Steps, seconds and wire bytes for what the native driver writes per step, minus the port.

    ``NativeBoard.packets``, which is ``show`` without the port: render, normalise, plan from
    the board's last frame with the renderer's scroll hint (trusted when its ``prev`` is that
    frame), and encode every packet (COBS, CRC). The strip is drawn again each round, and
    the board is new: its payloads of the strip's columns are made again too. A frame's
    pixels are cut from the strip only when something reads them (``effects.Window``), as
    in a playing worker: the driver reads them for the steps where it weighs RECTs.
    """
    from drivers.link import Link
    from drivers.native import NativeBoard
    from signage.render.cache import CACHE, LIVE

    item = {"text": text, "effect": "scroll-left", "speed": 32}
    list(render_item(item, spec))
    CACHE.clear()
    LIVE.clear()
    board = NativeBoard(Link("loop://"), spec)  # never opened: only its planner is used
    n = wire = 0
    t = CLOCK[0]()
    for frame in render_item(item, spec):
        wire += sum(map(len, board.packets(frame.image, frame.op)))
        n += 1
    return n, CLOCK[0]() - t, wire


def luma(spec: BoardSpec, text: str) -> tuple[int, float] | None:
    """Steps and seconds for luma.core's viewport cropping the same strip on a dummy device."""
    try:
        from luma.core.device import dummy
        from luma.core.virtual import viewport
    except ImportError:
        return None
    from signage.render.options import parse_slogan
    from signage.render.slogan import prepare

    opts = parse_slogan({"text": text, "effect": "scroll-left"})
    strip = prepare(text, opts, spec).mask
    mode = "1" if spec.color == "mono" else "RGB"
    device = dummy(width=spec.width, height=spec.height, mode=mode)
    virtual = viewport(device, width=strip.width, height=strip.height)
    virtual.display(strip.convert(mode))
    span = strip.width - spec.width
    t = CLOCK[0]()
    for x in range(span):
        virtual.set_position((x, 0))
    return span, CLOCK[0]() - t


def peak_memory_mb(
    chars: int, spec: BoardSpec, frames: int | None = None, speed: float = 32
) -> tuple[float, float, float]:
    """(peak RSS above a bare interpreter, of which imports, seconds) for a whole marquee.

    Each in a fresh interpreter: "bare" is ``python -c`` with nothing imported; the run
    imports the renderer (which pulls in the ``signage`` package, Flask included) and
    renders and packs every frame (or the first ``frames``) of a ``chars``-character scroll.
    """
    # VmHWM, not ru_maxrss: a child's ru_maxrss starts from its parent's size at fork
    hwm = "int(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))"
    bare = subprocess.run([sys.executable, "-c", f"print({hwm})"], capture_output=True, text=True, check=True)
    code = f"""
import itertools, sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
from drivers.pixels import BoardSpec
from signage.render import render_item
imported = {hwm}
spec = BoardSpec({spec.width}, {spec.height}, {spec.color!r})
item = {{"text": (({SLOGAN!r} + " ") * 40)[:{chars}], "effect": "scroll-left", "speed": {speed}}}
t = time.perf_counter()
n = sum(len(f.pack(spec)) > 0 for f in itertools.islice(render_item(item, spec), {frames}))
print({hwm}, imported, time.perf_counter() - t, n)
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    rss, imported, seconds, _ = run.stdout.split()
    base = int(bare.stdout)
    return (int(rss) - base) / 1024, (int(imported) - base) / 1024, float(seconds)


ROUNDS = 9
RUNS = 3
GOAL = 0.5  # issue #3: at least half of luma.core's rate, while also making wire-ready bytes


def loadavg() -> str:
    """The 1-minute load average (the machine is shared: quote it beside every number)."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def scroll_run(spec: BoardSpec) -> tuple[dict[str, float], float]:
    """One run: each path's best rate (steps/s) over ROUNDS rounds taking turns, wire bytes a step.

    Keys: ``luma`` (absent when luma.core is not installed), ``pack`` (render +
    ``frame.pack``), ``repack`` (render + ``spec.pack``), ``real`` (render + plan + packets).
    """
    rates: dict[str, float] = {}

    def keep(key: str, n: int, s: float) -> None:
        rates[key] = max(rates.get(key, 0.0), n / s)

    per_step = 0.0
    for _ in range(ROUNDS):
        theirs = luma(spec, SLOGAN)
        if theirs:
            keep("luma", *theirs)
        keep("pack", *ours(spec, SLOGAN, True))
        keep("repack", *ours(spec, SLOGAN, False))
        n, s, wire = real_path(spec, SLOGAN)
        keep("real", n, s)
        per_step = wire / n
    return rates, per_step


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def scroll_section(runs: int) -> None:
    """Luma's viewport, ``frame.pack`` and the real send path, the same run, medians of ``runs``."""
    print("== scroll the slogan 1 px a step, off-screen right to off-screen left ==")
    print(
        f"(each run: best of {ROUNDS} rounds, luma and ours taking turns, so a busy machine slows "
        f"both alike; median of {runs} runs; ratios are each run's own, then their median; "
        f"timed by {'the wall clock' if CLOCK[0] is time.perf_counter else 'CPU time of this process'})"
    )
    for spec in (BoardSpec(192, 32, "mono"), BoardSpec(128, 64, "rgb")):
        board = f"{spec.width}x{spec.height} {spec.color}"
        runs_rates = []
        loads = []
        per_step = 0.0
        for _ in range(runs):
            loads.append(loadavg())
            rates, per_step = scroll_run(spec)
            runs_rates.append(rates)
        loads.append(loadavg())
        print(f"{board}: load average {' -> '.join(loads)} (before each run, after the last)")
        have_luma = all("luma" in r for r in runs_rates)
        if have_luma:
            rate = median([r["luma"] for r in runs_rates])
            each = ", ".join(f"{r['luma']:.0f}" for r in runs_rates)
            print(f"  luma viewport, crop only:              {rate:>8.0f} steps/s  (runs: {each})")
        else:
            print("  luma.core: not installed (pip install -e '.[bench]'): no ratios")
        rows = (
            ("real", "REAL PATH: render + plan + packets"),
            ("pack", "render + frame.pack(spec)"),
            ("repack", "render + spec.pack(frame.image)"),
        )
        for key, label in rows:
            rate = median([r[key] for r in runs_rates])
            each = ", ".join(f"{r[key]:.0f}" for r in runs_rates)
            line = f"  {label:<37}{rate:>8.0f} steps/s  (runs: {each})"
            if have_luma:
                ratio = median([r[key] / r["luma"] for r in runs_rates])
                if key == "repack":
                    line += f"   {ratio:.2f} x luma (reference: Pillow re-packs each frame)"
                else:
                    verdict = "met" if ratio >= GOAL else "MISSED"
                    line += f"   {ratio:.2f} x luma (goal >= {GOAL:.2f}: {verdict})"
            if key == "real":
                line += f"  {per_step:.1f} wire bytes/step"
            print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip the memory runs")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs of the scroll timings (default {RUNS})")
    parser.add_argument(
        "--wall",
        action="store_true",
        help="time scrolls by the wall clock instead of this process's CPU time",
    )
    args = parser.parse_args()
    if args.wall:
        CLOCK[0] = time.perf_counter
    failed = False
    print("== 134 precomposed Vietnamese letters, one colour, 1-bit ==")
    for rows in (16, 13, 24, 32):
        font, clipped, collisions = letters(rows)
        failed |= bool(clipped or collisions) and rows in (13, 16)
        print(f"{rows:>3} rows  {font:<34} clipped pixels: {clipped:>3}  colliding pairs: {collisions}")
    print()
    scroll_section(args.runs)
    print("-- colour models luma.core has no device mode for (ours only) --")
    for spec in (BoardSpec(192, 32, "bicolor"), BoardSpec(128, 64, "rgb565")):
        board = f"{spec.width}x{spec.height} {spec.color}"
        for fast, label in ((True, "frame.pack(spec)"), (False, "spec.pack(frame.image)")):
            n, s = ours(spec, SLOGAN, fast)
            print(f"{board:<17} ours, render + {label:<24} {n / s:>8.0f} steps/s")
    live = "{time} " + SLOGAN
    n, s = ours(BoardSpec(192, 32, "mono"), live, True)
    print(f"{'192x32 mono':<17} ours, with a live {{time}} token        {n / s:>8.0f} steps/s")
    if not args.quick:
        print()
        print("== peak memory, 500-character marquee on 256x128 RGB ==")
        mb, imports, seconds = peak_memory_mb(500, BoardSpec(256, 128, "rgb"))
        verdict = "met" if mb < 50 else "MISSED"
        print(
            f"peak RSS above the bare interpreter: {mb:.1f} MB (goal < 50 MB: {verdict}), of which imports "
            f"{imports:.1f} MB; whole marquee rendered and packed in {seconds:.1f} s"
        )
        mb, imports, seconds = peak_memory_mb(2000, BoardSpec(1024, 512, "rgb"), frames=3000, speed=400)
        print(
            f"2,000 characters on 1024x512 RGB in its own font, first 3,000 frames (8 px a step): "
            f"{mb:.1f} MB above bare, {seconds:.1f} s"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
