"""What the package declares matches what its code imports and what the locks pin."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_PARTY = {"signage", "drivers", "firmware", "fonts", "playlists"}
#: Imported only inside ``try`` for an optional speed-up, an optional extra or a rare port type.
OPTIONAL = {"numpy", "rq_dashboard", "hid", "micropython", "machine", "rp2", "utime", "ustruct", "ubinascii"}


def _normal(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _name(requirement: str) -> str:
    return _normal(re.split(r"[ <>=!~;\[]", requirement.strip(), maxsplit=1)[0])


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _pinned(lock: str) -> set[str]:
    text = (ROOT / lock).read_text()
    return {_normal(m.group(1)) for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==", text, re.M)}


def test_every_imported_package_is_declared() -> None:
    declared = {_name(r) for r in _project()["dependencies"]}
    dists = packages_distributions()
    undeclared = {}
    for folder in ("signage", "drivers", "firmware"):
        for path in (ROOT / folder).rglob("*.py") if (ROOT / folder).is_dir() else []:
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    tops = [a.name.split(".")[0] for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    tops = [node.module.split(".")[0]]
                else:
                    continue
                for top in tops:
                    if top in sys.stdlib_module_names or top in FIRST_PARTY or top in OPTIONAL:
                        continue
                    names = {_normal(d) for d in dists.get(top, [top])}
                    if not names & declared:
                        undeclared.setdefault(top, str(path.relative_to(ROOT)))
    assert not undeclared, f"imported but not in pyproject dependencies: {undeclared}"


def test_the_locks_pin_every_declared_dependency() -> None:
    project = _project()
    runtime = {_name(r) for r in project["dependencies"]}
    extras = {_name(r) for key in ("test", "bench") for r in project["optional-dependencies"][key]}
    missing = runtime - _pinned("requirements.lock")
    assert not missing, f"requirements.lock lacks {sorted(missing)}: run bash tools/lock.sh"
    missing = (runtime | extras) - _pinned("requirements-dev.lock")
    assert not missing, f"requirements-dev.lock lacks {sorted(missing)}: run bash tools/lock.sh"


def test_the_two_locks_agree_on_every_version() -> None:
    def versions(lock: str) -> dict[str, str]:
        text = (ROOT / lock).read_text()
        return {
            m.group(1).lower(): m.group(2)
            for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==([^ ;\\\n]+)", text, re.M)
        }

    dev, runtime = versions("requirements-dev.lock"), versions("requirements.lock")
    differ = {name: (v, dev.get(name)) for name, v in runtime.items() if dev.get(name) not in (None, v)}
    assert not differ, f"the locks disagree (runtime, dev): {differ}"
