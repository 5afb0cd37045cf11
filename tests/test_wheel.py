"""The program as an operator deploys it: built into a wheel, installed from the lock into a fresh
virtualenv outside the source tree, and run from an empty folder with nothing beside it.

This is the check behind issue #12: a wheel that forgets a data file, a path relative to the
source checkout, or a dependency the code imports but does not declare fails here, by name.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.processes import LineReader, wait_until
from tests.test_demo import free_port, lit_pixels

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def _run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:  # noqa: ANN003
    return subprocess.run(argv, capture_output=True, text=True, timeout=600, **kwargs)


def _tail(result: subprocess.CompletedProcess) -> str:
    return f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


def _clean_env(**extra: str) -> dict[str, str]:
    """No source tree on the path and none of the developer's signage settings."""
    drop = ("PYTHONPATH", "REDIS_URL", "DATABASE_URL", "SECRET_KEY", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("SIGNAGE_")}
    env.update(PYTHONUNBUFFERED="1", **extra)
    return env


def shipped_data_files() -> list[str]:
    """Every data file the program reads at run time, as its path inside the wheel."""
    wanted = [
        f"signage/fonts/{p.name}"
        for p in (ROOT / "fonts").iterdir()
        if p.suffix in (".ttf", ".otf", ".txt", ".md")
    ]
    wanted += [f"signage/playlists/{p.name}" for p in (ROOT / "playlists").glob("*.toml")]
    package = ROOT / "signage"
    for pattern in (
        "web/templates/**/*",
        "web/static/**/*",
        "translations/*/LC_MESSAGES/*",
        "render/data/*",
        "migrations/versions/*.py",
        "migrations/alembic.ini",
        "migrations/script.py.mako",
    ):
        wanted += [f"signage/{p.relative_to(package)}" for p in package.glob(pattern) if p.is_file()]
    return sorted(wanted)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """sdist and wheel built from the source tree (the wheel from the sdist, as pip would)."""
    dist = tmp_path_factory.mktemp("dist")
    result = _run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)])
    assert result.returncode == 0, f"building the wheel failed:\n{_tail(result)}"
    wheel = next(dist.glob("signage-*.whl"))
    sdist = next(dist.glob("signage-*.tar.gz"))
    return {"wheel": wheel, "sdist": sdist}


@pytest.fixture(scope="module")
def installed(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the runtime lock and then the wheel (no dependency resolution)."""
    venv = tmp_path_factory.mktemp("gate-pc") / "venv"
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [str(venv / "bin/pip"), "install", "-q", "--require-hashes", "-r", str(ROOT / "requirements.lock")],
        [str(venv / "bin/pip"), "install", "-q", "--no-deps", str(built["wheel"])],
        [str(venv / "bin/pip"), "check"],
    ]
    for argv in steps:
        result = _run(argv, env=_clean_env())
        assert result.returncode == 0, f"{' '.join(argv[-3:])} failed:\n{_tail(result)}"
    return venv


def test_wheel_and_sdist_carry_every_data_file(built: dict[str, Path]) -> None:
    with zipfile.ZipFile(built["wheel"]) as whl:
        names = set(whl.namelist())
    missing = [name for name in shipped_data_files() if name not in names]
    assert not missing, f"the wheel lacks {len(missing)} data files: {', '.join(missing)}"
    import tarfile

    with tarfile.open(built["sdist"]) as sdist:
        inside = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    for needed in (
        "fonts/NotoSansLao-Bold.ttf",
        "playlists/dai-hoi-xiii.toml",
        "setup.py",
        "requirements.lock",
        "signage/migrations/versions/0001_baseline.py",
    ):
        assert needed in inside, f"the sdist lacks {needed}"


def _site_package(venv: Path) -> Path:
    return next(venv.glob("lib/python3*/site-packages/signage"))


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_render_from_the_wheel_writes_a_png(installed: Path, tmp_path: Path) -> None:
    before = _files(_site_package(installed))
    result = _run(
        [str(installed / "bin/signage"), "render", "Cửa khẩu Quốc tế Bờ Y", "--out", "bo-y.png"],
        cwd=tmp_path,
        env=_clean_env(),
    )
    assert result.returncode == 0, f"signage render from the wheel failed:\n{result.stderr[-3000:]}"
    from PIL import Image

    with Image.open(tmp_path / "bo-y.png") as image:
        assert image.size == (192, 32)
        assert image.convert("L").getextrema()[1] > 0, "the rendered slogan is dark"
    assert _files(_site_package(installed)) == before, "running wrote files next to the installed code"


def test_import_the_shipped_samples_into_a_fresh_instance(installed: Path, tmp_path: Path) -> None:
    result = _run([str(installed / "bin/signage"), "import", "--samples"], cwd=tmp_path, env=_clean_env())
    assert result.returncode == 0, f"signage import --samples from the wheel failed:\n{result.stderr[-3000:]}"
    assert "slogans" in result.stdout and "campaigns" in result.stdout, result.stdout
    assert (tmp_path / "instance" / "signage.db").is_file()


def test_a_missing_font_is_one_line_naming_the_file(installed: Path, tmp_path: Path) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "DejaVuSansCondensed-Bold.ttf").write_bytes(b"not a font at all")
    result = _run(
        [str(installed / "bin/signage"), "render", "Bờ Y", "--size", "192x32", "--out", "x.png"],
        cwd=tmp_path,
        env=_clean_env(SIGNAGE_FONTS_DIR=str(fonts)),
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    said = result.stderr
    assert "fonts/" in said and ("missing" in said or "damaged" in said), said


def test_demo_from_the_wheel_lights_the_board_and_keeps_the_instance_private(
    installed: Path, tmp_path: Path
) -> None:
    port, sim_port = free_port(), free_port()
    began = time.monotonic()
    proc = subprocess.Popen(
        [str(installed / "bin/signage"), "demo", "--port", str(port), "--sim-port", str(sim_port)],
        cwd=tmp_path,
        env=_clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: os.umask(0o022),
    )
    reader = LineReader(proc)
    try:
        view = f"http://127.0.0.1:{sim_port}/"
        lit = wait_until(lambda: proc.poll() is None and lit_pixels(view) > 0, timeout=90)
        assert lit, "the demo from the wheel never lit the simulator:\n" + "".join(reader.seen[-40:])
        print(f"demo from the wheel: board lit {time.monotonic() - began:.1f} s after start")
        time.sleep(3)  # let the worker write its show cache and a proof record
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    open_to_others = []
    instance = tmp_path / "instance"
    for path in [instance, *instance.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if path.is_symlink():
            continue
        if mode & 0o077:
            open_to_others.append(f"{path.relative_to(tmp_path)} {oct(mode)}")
    assert (instance / "signage.db").exists() and (instance / "logs").is_dir()
    assert not open_to_others, "files others can read in the instance folder: " + ", ".join(open_to_others)
