"""Two boards on one RS-485 line (drivers/bus.py): what sharing the wire costs a SHIFT scroll.

Run: ``.venv/bin/python benchmarks/bench_bus.py [--seconds 5] [--runs 3] [--baud 9600]``.
1 px steps of a marquee on 192x32 mono over a pty to the simulator (the firmware core,
link speed emulated). Three cases in each run, peers of one another:

- ``alone``: one ``NativeBoard`` on a port of its own (default window 2): the reference;
- ``bus, one board``: one ``BusBoard`` on a line, nobody else talking (the cost of the
  turn alone: nobody waits, so its window spans its calls as on a port of its own);
- ``bus, two boards``: two ``BusBoard`` scrolling at once from two threads (each board's
  steps/s, and the line's total): each hand-over waits for the last packet's ACK;
- ``bus, neighbour unpowered``: one board scrolls while the other, unpowered, is tried
  again and again as its player would (3 s give-up, 0.3 s pause): the silent board leaves
  the line to its neighbour between its tries.

Each case ends with a read-back that must match (bit-exact). Medians of ``--runs`` runs;
the machine's load average is printed beside them (a shared machine: quote it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drivers import open_board  # noqa: E402
from drivers.bus import Buses  # noqa: E402
from drivers.pixels import BoardSpec  # noqa: E402
from drivers.simulator import Simulator  # noqa: E402
from signage.render import ScrollOp  # noqa: E402

SPEC = BoardSpec(192, 32)
FONT = Path(__file__).resolve().parents[1] / "fonts" / "Galmuri9Bitmap-Regular.ttf"


def marquee(text: str) -> Image.Image:
    font = ImageFont.truetype(str(FONT), 12) if FONT.exists() else ImageFont.load_default()
    width = int(ImageDraw.Draw(Image.new("1", (1, 1))).textlength(text, font=font))
    strip = Image.new("1", (width + 2 * SPEC.width, SPEC.height), 0)
    ImageDraw.Draw(strip).text((SPEC.width, (SPEC.height - 16) // 2), text, font=font, fill=1)
    return strip


def scroll(board, text: str, seconds: float, out: dict[str, float]) -> None:  # noqa: ANN001
    """1 px steps with the renderer's trusted hint for ``seconds``; steps/s and the read-back into ``out``."""
    strip = marquee(text)
    prev = strip.crop((0, 0, SPEC.width, SPEC.height))
    board.show(prev)
    steps, x, t0 = 0, 1, time.monotonic()
    while time.monotonic() - t0 < seconds:
        frame = strip.crop((x, 0, x + SPEC.width, SPEC.height))
        board.show(frame, ScrollOp("left", 1, frame, prev))
        prev, steps = frame, steps + 1
        x = x + 1 if x + 1 + SPEC.width <= strip.width else 0
    board.flush()
    out["steps_per_s"] = steps / (time.monotonic() - t0)
    out["readback_ok"] = float(board.verify())


def one_run(seconds: float, baud: int) -> dict[str, float]:
    result: dict[str, float] = {}
    with (
        Simulator("native", SPEC, listen="pty", baud=baud) as sim,
        open_board(sim.url, "native", SPEC, baud=baud) as board,
    ):
        out: dict[str, float] = {}
        scroll(board, "Nhiệt liệt chào mừng", seconds, out)
        result["alone"], ok = out["steps_per_s"], out["readback_ok"]
    with Simulator("native", SPEC, listen="pty", baud=baud, address=[1, 2]) as sim:
        buses = Buses()
        one = buses.open_board(sim.url, "native", SPEC, baud=baud, address=1)
        out = {}
        scroll(one, "Nhiệt liệt chào mừng", seconds, out)
        result["bus_one"], ok = out["steps_per_s"], ok and out["readback_ok"]
        two = buses.open_board(sim.url, "native", SPEC, baud=baud, address=2)
        outs: list[dict[str, float]] = [{}, {}]
        threads = [
            threading.Thread(target=scroll, args=(b, t, seconds, o))
            for b, t, o in ((one, "Lối vào cửa khẩu", outs[0]), (two, "Lối ra cửa khẩu", outs[1]))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        result["bus_two_each"] = min(o["steps_per_s"] for o in outs)
        result["bus_two_total"] = sum(o["steps_per_s"] for o in outs)
        ok = ok and all(o["readback_ok"] for o in outs)
        one.close()
        two.close()
    with Simulator("native", SPEC, listen="pty", baud=baud, address=[1]) as sim:  # board 2 unpowered
        buses = Buses()
        one = buses.open_board(sim.url, "native", SPEC, baud=baud, address=1)
        dead = buses.open_board(sim.url, "native", SPEC, baud=baud, address=2, give_up_after=3)
        stop = threading.Event()

        def unpowered() -> None:  # as its player does: show, give up after 3 s, try again
            while not stop.is_set():
                try:
                    dead.show(Image.new("1", SPEC.size, 1))
                except OSError:
                    time.sleep(0.3)

        t = threading.Thread(target=unpowered)
        t.start()
        out = {}
        scroll(one, "Nhiệt liệt chào mừng", seconds, out)
        stop.set()
        t.join()
        result["bus_dead_neighbour"], ok = out["steps_per_s"], ok and out["readback_ok"]
        one.close()
        dead.close()
    result["readback_ok"] = float(ok)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baud", type=int, default=9600)
    args = parser.parse_args()
    runs = [one_run(args.seconds, args.baud) for _ in range(args.runs)]
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"192x32 mono, 1 px SHIFT steps at {args.baud} baud, medians of {args.runs} runs; load {load}")
    for key, label in (
        ("alone", "one board, a port of its own"),
        ("bus_one", "one board on a line, the other quiet"),
        ("bus_two_each", "two boards on a line, the slower's steps/s"),
        ("bus_two_total", "two boards on a line, both together"),
        ("bus_dead_neighbour", "one board on a line, the other unpowered"),
    ):
        values = [r[key] for r in runs]
        ratio = statistics.median(values) / statistics.median(r["alone"] for r in runs)
        print(f"  {label:48s} {statistics.median(values):6.1f} steps/s  ({ratio:.2f} x alone)  runs {values}")
    print(f"  read-back bit-exact in every case: {all(r['readback_ok'] for r in runs)}")


if __name__ == "__main__":
    main()
