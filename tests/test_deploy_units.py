"""The systemd units shipped in deploy/systemd are valid for systemd (``systemd-analyze verify``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNITS = Path(__file__).resolve().parents[1] / "deploy" / "systemd"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_units_verify_clean(tmp_path: Path) -> None:
    venv = Path(sys.prefix)
    assert (venv / "bin" / "signage").exists(), "the signage command is not installed in this venv"
    names = []
    for unit in sorted(UNITS.glob("*.service")) + sorted(UNITS.glob("*.timer")):
        text = unit.read_text().replace("/opt/signage/venv", str(venv))
        name = unit.name.replace("@.", "@gate.")  # a template is verified as one of its instances
        (tmp_path / name).write_text(text)
        names.append(name)
    assert len(names) >= 4, names
    result = subprocess.run(
        ["systemd-analyze", "verify", *names], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    complaints = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if any(word in line for word in ("Unknown", "ignoring", "not executable", "rror"))
    ]
    assert result.returncode == 0 and not complaints, result.stdout + result.stderr
