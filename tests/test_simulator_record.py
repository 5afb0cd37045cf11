"""Recorded sessions exported as GIF/APNG: every frame the board showed, for as long as it showed it."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
import serial
from click.testing import CliRunner
from PIL import Image

from drivers import native, open_board, tpm2
from drivers.pixels import BoardSpec
from drivers.record import RecordingError, durations_ms, export_recording
from drivers.simulator import Simulator

HOLDS = [0.12, 0.30, 0.08, 0.20]


def frames(spec: BoardSpec) -> list[Image.Image]:
    """Four different bicolour frames, each sent as one whole-frame packet (one recorded frame)."""
    rng = random.Random(7)
    return [spec.unpack(rng.randbytes(spec.frame_bytes)) for _ in HOLDS]


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BoardSpec, list[Image.Image], list]:
    """A short session over a real pty: four frames, each held a different time, then a repeat."""
    spec = BoardSpec(40, 16, "bicolor")
    folder = tmp_path_factory.mktemp("rec")
    shown = frames(spec)
    with (
        Simulator("native", spec, listen="pty", baud=None, record=folder) as sim,
        open_board(sim.url, "native", spec) as board,
    ):
        for img, hold in zip(shown, HOLDS, strict=True):
            board.show(img)
            time.sleep(hold)
        board.show(shown[-1])  # unchanged: the driver sends nothing, the board shows one frame
        assert sim.wait_frames(len(shown), 5)
    times = [json.loads(line)["t"] for line in (folder / "frames.jsonl").read_text().splitlines()]
    return folder, spec, shown, times


@pytest.mark.parametrize("suffix, step", [(".apng", 1), (".gif", 10)])
def test_export_keeps_frames_and_true_timing(session, tmp_path: Path, suffix: str, step: int) -> None:
    folder, spec, shown, times = session
    assert len(times) == len(shown)
    out = export_recording(folder, tmp_path / f"board{suffix}", last_hold=0.5)
    with Image.open(out) as anim:
        assert anim.n_frames == len(shown)
        got, durations = [], []
        for k in range(anim.n_frames):
            anim.seek(k)
            got.append(spec.pack(anim.convert("RGB")))
            durations.append(anim.info["duration"])
    assert got == [spec.pack(img) for img in shown]
    real = [1000 * (b - a) for a, b in zip(times, times[1:], strict=False)] + [500]
    for d, r in zip(durations, real, strict=True):
        assert abs(d - r) <= step, (durations, real)
    for d, hold in zip(durations, HOLDS[:-1], strict=False):
        # Each frame stays at least as long as the sender held it (a busy machine can only make
        # the sender late, so the upper side is the recorded gap checked above, not the hold).
        assert d >= 1000 * hold - step, (durations, HOLDS)
    assert abs(sum(durations) - (1000 * (times[-1] - times[0]) + 500)) <= step  # no drift over the run


def test_export_scales_and_merges_repeats(tmp_path: Path) -> None:
    spec = BoardSpec(16, 8)
    folder = tmp_path / "rec"
    folder.mkdir()
    imgs = [Image.new("1", spec.size, v) for v in (0, 0, 1)]
    with open(folder / "frames.jsonl", "w") as f:
        for n, (img, t) in enumerate(zip(imgs, (100.0, 100.25, 100.5), strict=True), 1):
            img.save(folder / f"{n:07d}.png")
            f.write(json.dumps({"n": n, "t": t, "file": f"{n:07d}.png"}) + "\n")
    with open(folder / "frames.jsonl", "a") as f:
        f.write('{"n": 4, "t": 100.7, "fi')  # a line the running simulator has not finished
    with Image.open(export_recording(folder, tmp_path / "x.apng", scale=3, last_hold=0.1)) as anim:
        assert anim.size == (48, 24) and anim.n_frames == 2
        assert anim.info["duration"] == 500
    assert durations_ms([0.0, 0.013, 0.026, 0.039], 0.01, 10) == [10, 20, 10, 10]  # 50 ms: the true 49


def test_cli_sim_export(session, tmp_path: Path) -> None:
    from signage.cli import main

    folder = session[0]
    result = CliRunner().invoke(main, ["sim-export", str(folder), "--out", str(tmp_path / "s.gif")])
    assert result.exit_code == 0, result.output
    assert "4 recorded frames" in result.output
    with Image.open(tmp_path / "s.gif") as anim:
        assert anim.n_frames == 4
    bad = CliRunner().invoke(main, ["sim-export", str(tmp_path), "--out", str(tmp_path / "s.gif")])
    assert bad.exit_code == 2 and "frames.jsonl" in bad.output
    with pytest.raises(RecordingError, match=".apng"):
        export_recording(folder, tmp_path / "s.mp4")


@pytest.mark.parametrize("protocol", ["native", "tpm2"])
def test_every_applied_frame_is_recorded_even_in_one_read(protocol: str, tmp_path: Path) -> None:
    # issue #18, finding 4: packets arriving in one read were applied each and recorded once
    spec = BoardSpec(32, 16)
    rng = random.Random(3)
    shown = [spec.unpack(rng.randbytes(spec.frame_bytes)) for _ in range(12)]
    if protocol == "native":
        burst = b"".join(
            native.encode_packet(
                1, n, native.FRAME | (native.SYNC if n == 0 else 0), b"\x00" + spec.pack(img)
            )
            for n, img in enumerate(shown)
        )
    else:
        burst = b"".join(tpm2.encode(img, spec) for img in shown)
    with Simulator(protocol, spec, listen="tcp://127.0.0.1:0", baud=None, record=tmp_path) as sim:
        port = serial.serial_for_url(sim.url, timeout=1)
        for _ in range(3):  # three bursts, each written at once
            port.write(burst)
            time.sleep(0.05)
        assert sim.wait_frames(3 * len(shown), 5)
        port.close()
        applied = sim.rx.frames
    entries = [json.loads(line) for line in (tmp_path / "frames.jsonl").read_text().splitlines()]
    assert applied == len(entries) == 3 * len(shown)
    assert [e["n"] for e in entries] == list(range(1, applied + 1))  # in order
    times = [e["t"] for e in entries]
    assert times == sorted(times)
    want = [spec.pack(img) for img in shown] * 3
    for entry, packed in zip(entries, want, strict=True):
        with Image.open(tmp_path / entry["file"]) as img:
            assert spec.pack(img) == packed
