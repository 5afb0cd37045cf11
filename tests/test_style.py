"""The code stays ruff-clean, ruff-formatted and mypy-clean (the settings in pyproject.toml,
where ruff also holds every function of the product to McCabe complexity 10), and the play
path's functions stay short, so CI fails on a lint, format, type or size regression."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATHS = ["signage", "drivers", "firmware", "tests", "benchmarks", "tools", "app.py", "setup.py"]
#: The code between a show and the board's LEDs: publish, the show, the schedule, the worker,
#: the renderer, the drivers and the board's core.
PLAY_PATH = [
    "signage/publish.py",
    "signage/show.py",
    "signage/schedule.py",
    "signage/player",
    "signage/render",
    "drivers",
    "firmware/core.py",
]
#: The longest body (docstring aside) a play-path function may have, in lines.
LONGEST_BODY = 50


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


def _bodies(path: Path) -> list[tuple[int, str]]:
    """Each function's body length in lines (its docstring aside), with where it is."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            end = node.end_lineno or body[-1].lineno
            found.append((end - body[0].lineno + 1, f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"))
    return found


def test_no_play_path_function_is_longer_than_a_screen() -> None:
    files = [
        p
        for name in PLAY_PATH
        for p in ([ROOT / name] if name.endswith(".py") else (ROOT / name).rglob("*.py"))
    ]
    assert len(files) > 20
    long = [
        f"{where}: {lines} lines" for path in files for lines, where in _bodies(path) if lines > LONGEST_BODY
    ]
    assert not long, "split these into parts (the play path's functions fit on a screen):\n" + "\n".join(long)
