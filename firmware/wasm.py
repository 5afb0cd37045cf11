"""Running the firmware core in real MicroPython (its WebAssembly port under Node) from CPython.

The tests and the benchmark use it to check that the code a board runs behaves exactly as
the simulator does. It needs Node 20 and the npm package installed into
``firmware/tests-node`` (``npm ci --prefix firmware/tests-node``); ``missing()`` says what
is absent so callers can skip with that message.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "tests-node"
PACKAGE = HERE / "node_modules" / "@micropython" / "micropython-webassembly-pyscript"
INSTALL = "npm ci --prefix firmware/tests-node"


def missing() -> str | None:
    """Why MicroPython cannot run here (no node, no package), or None when it can."""
    node = shutil.which("node")
    if node is None:
        return f"MicroPython tests need Node 20 (not on PATH) and then `{INSTALL}`"
    if not (PACKAGE / "micropython.mjs").is_file():
        return f"MicroPython tests need the npm package: run `{INSTALL}`"
    return None


def run(script: str, payload: Any = None, timeout: float = 600) -> Any:
    """Run ``script`` (a file in firmware/tests-node) in MicroPython with ``payload`` as /input.json.

    Returns what the script wrote to /output.json, decoded, or its stdout when it wrote none.
    ``RuntimeError`` with MicroPython's traceback when the script fails.
    """
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["node", str(HERE / "run.mjs"), str(HERE / script)]
        if payload is not None:
            (Path(tmp) / "in.json").write_text(json.dumps(payload))
            cmd += [str(Path(tmp) / "in.json"), str(Path(tmp) / "out.json")]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=HERE)
        if proc.returncode:
            raise RuntimeError(f"MicroPython {script} failed:\n{proc.stderr}{proc.stdout}")
        out = Path(tmp) / "out.json"
        return json.loads(out.read_text()) if out.is_file() else proc.stdout
