"""``signage demo`` as a person runs it: it comes up, the board lights, Ctrl-C leaves nothing."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import time
import urllib.request

import pytest
from PIL import Image

from tests.conftest import signage_command, stop_process
from tests.processes import LineReader, alive, descendants, environ, wait_until

pytestmark = pytest.mark.slow


def free_port() -> int:
    from signage.demo import free_port as pick

    return pick()


def lit_pixels(view: str) -> int:
    try:
        with urllib.request.urlopen(view + "frame.png", timeout=2) as r:
            image = Image.open(io.BytesIO(r.read())).convert("L")
    except OSError:
        return 0
    return image.width * image.height - image.histogram()[0]


def start_demo(tmp_path, **env: str) -> tuple[subprocess.Popen, LineReader, str, str]:  # noqa: ANN001
    port, sim_port = free_port(), free_port()
    proc = subprocess.Popen(
        signage_command(
            "demo", "--port", str(port), "--sim-port", str(sim_port), "--instance", str(tmp_path / "instance")
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=environ(**env),
        start_new_session=True,
    )
    output = LineReader(proc)
    admin = output.wait_for("admin on ", 60).split("admin on ", 1)[1].strip()
    view = output.wait_for("simulator view on ", 5).split(" on ", 1)[1].strip()
    return proc, output, admin, view


def test_demo_lights_the_board_and_ctrl_c_leaves_no_process(tmp_path) -> None:  # noqa: ANN001
    began = time.monotonic()
    proc, output, admin, view = start_demo(tmp_path)
    try:
        login = output.wait_for("login: admin / ", 5)
        assert len(login.split(" / ", 1)[1].split()[0]) >= 12, "the generated password is too short"
        assert wait_until(lambda: lit_pixels(view) > 50, 20 - (time.monotonic() - began) + 20), "\n".join(
            output.seen
        )
        first_frame = time.monotonic() - began
        print(f"demo: first lit frame {first_frame:.1f} s after start")
        with urllib.request.urlopen(admin + "login", timeout=5) as r:
            assert "Đăng nhập" in r.read().decode()
        children = descendants(proc.pid)
        assert len(children) >= 4, children  # redis, simulator, admin, worker
        proc.send_signal(signal.SIGINT)
        proc.wait(30)
        assert proc.returncode == 0
        assert wait_until(lambda: not any(alive(pid) for pid in children), 5), [
            pid for pid in children if alive(pid)
        ]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_demo_restarts_a_dead_worker_and_dies_with_its_launcher(tmp_path) -> None:  # noqa: ANN001
    proc, output, _admin, view = start_demo(
        tmp_path, SIGNAGE_ADMIN_USER="quan-tri", SIGNAGE_ADMIN_PASSWORD="mật khẩu của demo"
    )
    try:
        assert output.wait_for("login: quan-tri ", 5)
        assert not any("mật khẩu của demo" in line for line in output.seen), "the set password was printed"
        workers = [
            pid for pid in descendants(proc.pid) if b"worker" in open(f"/proc/{pid}/cmdline", "rb").read()
        ]
        assert len(workers) == 1
        os.kill(workers[0], signal.SIGKILL)

        def new_worker() -> bool:
            return any(
                b"worker" in open(f"/proc/{pid}/cmdline", "rb").read()
                for pid in descendants(proc.pid)
                if pid != workers[0] and alive(pid)
            )

        assert wait_until(new_worker, 15), "the worker was not restarted"
        assert wait_until(lambda: lit_pixels(view) > 50, 30)
        children = descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)  # the launcher dies without a chance to clean up
        proc.wait()
        assert wait_until(lambda: not any(alive(pid) for pid in children), 15), [
            open(f"/proc/{p}/cmdline").read() for p in children if alive(p)
        ]
    finally:
        if proc.poll() is None:
            stop_process(proc)
