"""The code stays ruff-clean, ruff-formatted and mypy-clean (the settings in pyproject.toml), so
CI fails on a lint, format or type regression."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATHS = ["signage", "drivers", "firmware", "tests", "benchmarks", "tools", "app.py", "setup.py"]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is in the test extra: pip install -e '.[test]'"
    return subprocess.run(
        [ruff, *args, "--no-cache", *PATHS], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_ruff_finds_nothing() -> None:
    result = _ruff("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_leaves_every_file_as_it_is() -> None:
    result = _ruff("format", "--check")
    assert result.returncode == 0, "run `ruff format` on these:\n" + result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    """Which files, and how strictly (the services and the show as --strict), is [tool.mypy]'s."""
    env = {
        k: v for k, v in os.environ.items() if k != "PYTHONPATH"
    }  # else installed-looking trees hide errors
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
