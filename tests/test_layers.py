"""The import rules of docs/architecture.md: each layer imports only the layers below it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Modules above the web layer, which may import it.
ENTRY_POINTS = {"signage/cli.py", "signage/serve.py", "signage/demo.py", "signage/__init__.py"}


def _imports(path: Path) -> set[str]:
    """Every absolute module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def _files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _breaking(folder: str, forbidden: tuple[str, ...], skip: set[str] = frozenset()) -> list[str]:
    bad = []
    for path in _files(folder):
        name = str(path.relative_to(ROOT))
        if name in skip or "tests-node" in name:
            continue
        for module in sorted(_imports(path)):
            if module.startswith(forbidden) or module in {f.rstrip(".") for f in forbidden}:
                bad.append(f"{name} imports {module}")
    return bad


def test_firmware_stands_alone() -> None:
    assert not _breaking("firmware", ("signage", "drivers"))


def test_drivers_import_nothing_from_signage() -> None:
    assert not _breaking("drivers", ("signage",))


def test_the_renderer_knows_no_database_web_or_flask() -> None:
    assert not _breaking(
        "signage/render",
        (
            "signage.web",
            "signage.db",
            "signage.models",
            "flask",
            "sqlalchemy",
            "signage.services",
            "signage.player",
        ),
    )


def test_nothing_below_the_web_layer_imports_it() -> None:
    core = [p for p in _files("signage") if not str(p.relative_to(ROOT)).startswith("signage/web/")]
    bad = []
    for path in core:
        name = str(path.relative_to(ROOT))
        if name in ENTRY_POINTS:
            continue
        bad += [
            f"{name} imports {m}"
            for m in sorted(_imports(path))
            if m.startswith(("signage.web", "flask")) or m == "flask"
        ]
    assert not bad, bad


def test_the_worker_services_and_backups_load_no_flask() -> None:
    code = (
        "import sys, signage.services, signage.services.campaigns, signage.backup, signage.playout, "
        "signage.player.rq_glue, signage.importer, signage.publish, signage.schemas, signage.bundle\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'flask_login', 'wtforms')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
