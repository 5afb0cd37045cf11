"""Run every benchmark in this folder, one after the other, and print their numbers.

``python benchmarks/run_all.py`` (after ``pip install -e '.[bench]'``); peers (luma.core,
pyflipdot) are measured in the same run as our code, so the numbers compare like for like.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    """Run each ``bench_*.py``; the exit status is non-zero if any failed."""
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        began = time.monotonic()
        code = subprocess.call([sys.executable, str(script)])
        print(f"=== {script.name}: exit {code} in {time.monotonic() - began:.1f} s ===", flush=True)
        if code:
            failed.append(script.name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
