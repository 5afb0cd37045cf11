"""Firmware benchmark (issue #19): the core's time a step, and board-side scroll at 9600 baud.

Run: ``.venv/bin/python benchmarks/bench_firmware.py [--steps 600] [--speed 120]``.

1. The same packets (the driver's own: a marquee scrolled 1 px a step, whole frames of
   text) go through ``firmware.core.Receiver.feed`` in MicroPython 1.27 (WebAssembly,
   under Node; needs ``npm ci --prefix firmware/tests-node``) and in CPython; both
   framebuffers must end equal. Goals in MicroPython wasm: SHIFT step <= 2 ms, FRAME <= 20 ms.
2. Board-side scroll (SCROLL) of the marquee on a simulated 192x32 board at 9600 baud:
   every step the simulator (running the core) applies is captured and compared with the
   renderer's frame for that step; steps a second over the whole pass. Goal >= 60.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drivers import native, open_board  # noqa: E402
from drivers.board_scroll import BoardScroll, scroll_payload  # noqa: E402
from drivers.pixels import BoardSpec  # noqa: E402
from drivers.simulator import Simulator  # noqa: E402
from firmware import wasm  # noqa: E402
from firmware.core import SCROLL, Receiver  # noqa: E402
from signage.render.effects import Painter, TiledStrip, scroll, step_px  # noqa: E402

SPEC = BoardSpec(192, 32)
SLOGAN = "Nhiệt liệt chào mừng Đại hội đại biểu toàn quốc lần thứ XIII của Đảng"
FONT = Path(__file__).resolve().parents[1] / "fonts" / "Galmuri9Bitmap-Regular.ttf"
GOALS_MS = {"shift": 2.0, "frame": 20.0}


def marquee() -> Image.Image:
    font = ImageFont.truetype(str(FONT), 12) if FONT.exists() else ImageFont.load_default()
    width = int(ImageDraw.Draw(Image.new("1", (1, 1))).textlength(SLOGAN, font=font))
    strip = Image.new("1", (width + 2 * SPEC.width, SPEC.height), 0)
    ImageDraw.Draw(strip).text((SPEC.width, (SPEC.height - 16) // 2), SLOGAN, font=font, fill=1)
    return strip


def planner() -> native.NativeBoard:
    board = native.NativeBoard.__new__(native.NativeBoard)
    native.Board.__init__(board, SPEC)
    board.chunk, board.max_chunk = 8192, 8192
    return board


def packets(steps: int) -> dict[str, list[list[bytes]]]:
    """The driver's packets, step by step: a marquee scrolled 1 px a step (SHIFT, with a RECT
    where the planner adds one), whole PackBits FRAMEs of text, and raw FRAMEs of noise."""
    strip, board = marquee(), planner()
    runs: dict[str, list[list[bytes]]] = {"shift": [], "frame": [], "frame-noise": []}
    seq, old = 0, None
    for x in range(steps + 1):
        x %= strip.width - SPEC.width
        new = strip.crop((x, 0, x + SPEC.width, SPEC.height))
        step = []
        for cmd, payload, _ in board.plan(old, new, None):
            step.append(native.encode_packet(1, seq & 0xFF, cmd | (native.SYNC if seq == 0 else 0), payload))
            seq += 1
        runs["shift"].append(step)
        old = new
    noise = random.Random(19)
    for i in range(max(20, steps // 10) + 1):
        x = (i * 37) % (strip.width - SPEC.width)
        sync = native.SYNC if i == 0 else 0
        payload = native.pixels_payload(strip.crop((x, 0, x + SPEC.width, SPEC.height)), "mono")
        assert payload[0] == native.PACKBITS
        runs["frame"].append([native.encode_packet(1, i & 0xFF, native.FRAME | sync, payload)])
        raw = bytes((native.RAW,)) + noise.randbytes(SPEC.frame_bytes)
        runs["frame-noise"].append([native.encode_packet(1, i & 0xFF, native.FRAME | sync, raw)])
    return runs


def cpython(runs: dict[str, list[list[bytes]]], repeat: int = 5) -> dict[str, dict]:
    """The same measurement in this interpreter (best of ``repeat``: CPython's clock is fine enough)."""
    out = {}
    for name, steps in runs.items():
        best = None
        for _ in range(repeat):
            rx = Receiver(SPEC.width, SPEC.height, SPEC.color, 1)
            for p in steps[0]:
                rx.feed(p)
            t0 = time.perf_counter()
            for step in steps[1:]:
                for p in step:
                    rx.feed(p)
            total = (time.perf_counter() - t0) * 1e6
            best = total if best is None else min(best, total)
        out[name] = {
            "total_us": best,
            "steps": len(steps) - 1,
            "fb": rx.fb.buf.hex(),
            "frames": rx.frames,
            "errors": rx.errors,
        }
    return out


def board_scroll(speed: int, step: int) -> dict[str, float]:
    """One pass of the marquee by SCROLL at 9600 baud; every applied step checked against the renderer."""
    strip = marquee()
    painter = Painter(SPEC, (255, 255, 255), (0, 0, 0))
    if step == step_px(speed):  # the renderer's own scroll effect: its frames, one for one
        want = [SPEC.pack(f.image) for f in scroll(painter, strip, "left", speed, 1)]
    else:  # a faster step rate than the renderer's 50 a second: its window at each position
        tiles = TiledStrip(strip, painter, True, SPEC.width)
        span = strip.width - SPEC.width
        want = [SPEC.pack(tiles.crop(min(n * step, span))[0]) for n in range(-(-span // step) + 1)]
    seen: list[tuple[float, bytes]] = []
    with (
        Simulator("native", SPEC, listen="pty", baud=9600) as sim,
        open_board(sim.url, "native", SPEC, baud=9600) as board,
    ):
        record = sim.rx.on_frame

        def applied() -> None:  # the simulator's own hook, plus a copy of each step
            seen.append((time.monotonic(), bytes(sim.rx.core.fb.buf)))
            record()

        sim.rx.on_frame = applied
        play = BoardScroll(board, strip, "left", speed, 1, step)
        t0 = time.monotonic()
        how = play.play()
        took = time.monotonic() - t0
        ok = board.verify()
    assert how == "board", how
    frames = [fb for _, fb in seen]
    exact = frames == want
    return {
        "steps": len(frames) - 1,
        "steps_per_s": (len(frames) - 1) / (seen[-1][0] - seen[0][0]),
        "bit_exact": exact and ok,
        "seconds": took,
        "missed": len(want) - len(frames),
        "wire": len(native.encode_packet(1, 0, SCROLL, scroll_payload(strip, SPEC, "left", step, speed, 1))),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=600, help="scroll steps to time (default 600)")
    ap.add_argument("--speed", type=int, default=120, help="board-side scroll speed, px/s, 1 px a step")
    args = ap.parse_args()
    runs = packets(args.steps)
    wire = statistics.median(len(step[0]) for step in runs["frame"])
    print(
        f"192x32 mono: {len(runs['shift']) - 1} scroll steps "
        f"({sum(map(len, runs['shift'][1:])) / (len(runs['shift']) - 1):.2f} packets a step), "
        f"{len(runs['frame']) - 1} PackBits FRAMEs of text ({wire:.0f} bytes on the wire, median), "
        f"{len(runs['frame-noise']) - 1} raw FRAMEs of noise"
    )
    results = {"CPython": cpython(runs)}
    why = wasm.missing()
    if why:
        print(f"MicroPython: skipped ({why})")
    else:
        job = {
            "width": SPEC.width,
            "height": SPEC.height,
            "color": SPEC.color,
            "runs": {k: [[p.hex() for p in step] for step in v] for k, v in runs.items()},
        }
        results["MicroPython wasm"] = wasm.run("bench.py", job)
    ok = True
    for where, res in results.items():
        for name, r in res.items():
            assert not r["errors"], (where, name, r["errors"])
            assert r["fb"] == results["CPython"][name]["fb"], f"{where} {name}: framebuffer differs"
            ms = r["total_us"] / r["steps"] / 1000
            line = f"{where:17s} {name:12s} {ms:8.3f} ms a step ({r['steps']} steps)"
            goal = GOALS_MS.get(name)
            if where.startswith("Micro") and goal:
                ok &= ms <= goal
                line += f"  goal <= {goal:g} ms: {'met' if ms <= goal else 'NOT met'}"
            print(line)
    print("framebuffers equal in every interpreter: yes")
    for speed, step in ((args.speed, 1), (100, step_px(100))):
        r = board_scroll(speed, step)
        met = r["steps_per_s"] >= 60 if step == 1 else True
        ok &= met and r["bit_exact"]
        print(
            f"board-side scroll 192x32 @ 9600 baud, {speed} px/s, {step} px a step: "
            f"{r['steps_per_s']:.1f} steps/s over {r['steps']} steps ({r['seconds']:.1f} s), "
            f"{r['missed']} missed, every step the renderer's frame: {'yes' if r['bit_exact'] else 'NO'}; "
            f"SCROLL packet {r['wire']} bytes = {r['wire'] * 10 / 9600:.2f} s of wire"
            + (f"; goal >= 60 steps/s: {'met' if met else 'NOT met'}" if step == 1 else "")
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
