"""The code stays ruff-clean (the rules in pyproject.toml), so CI fails on a lint regression."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing() -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is in the test extra: pip install -e '.[test]'"
    paths = ["signage", "drivers", "tests", "benchmarks", "tools", "app.py"]
    result = subprocess.run([ruff, "check", "--no-cache", *paths], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
