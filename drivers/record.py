"""Recorded simulator sessions (``--record DIR``) read back and exported as GIF or APNG.

A tester who saw something odd on the simulated board can hand over one animated file
that replays exactly what the board showed, each frame for as long as it really stayed.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

FORMATS = {".gif": "GIF", ".apng": "APNG", ".png": "APNG"}


class RecordingError(ValueError):
    """A recording folder that cannot be read or exported (missing, empty, damaged)."""


@dataclass(frozen=True)
class RecordedFrame:
    """One frame the board showed: its number, when it arrived (Unix time) and its pixels."""

    n: int
    t: float
    image: Image.Image


def load_recording(folder: str | Path) -> list[RecordedFrame]:
    """The frames of a ``--record`` folder in the order the board showed them."""
    folder = Path(folder)
    index = folder / "frames.jsonl"
    if not index.is_file():
        raise RecordingError(f"{folder}: no frames.jsonl (is this a folder made by `signage sim --record`?)")
    text = index.read_text(encoding="utf-8")
    lines = text.splitlines()
    if lines and not text.endswith("\n"):
        lines.pop()  # the simulator is still writing this one: export what is complete
    frames: list[RecordedFrame] = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            path = folder / entry["file"]
            with Image.open(path) as img:
                img.load()
                frames.append(RecordedFrame(int(entry["n"]), float(entry["t"]), img.copy()))
        except (ValueError, KeyError, TypeError, OSError) as exc:
            raise RecordingError(f"{index}:{lineno}: unreadable entry ({exc})") from exc
    if not frames:
        raise RecordingError(f"{folder}: the recording has no frames")
    frames.sort(key=lambda f: (f.t, f.n))
    return frames


def durations_ms(times: list[float], last_hold: float, step: int = 1) -> list[int]:
    """How long each frame stayed, in whole ``step`` ms, rounded on the running total so no drift adds up."""
    ends = [*times[1:], times[-1] + last_hold]
    t0 = times[0]
    out: list[int] = []
    shown = 0
    for end in ends:
        until = round((end - t0) * 1000 / step) * step
        out.append(max(step, until - shown))
        shown += out[-1]
    return out


def export_recording(
    folder: str | Path, out: str | Path, *, fmt: str | None = None, scale: int = 1, last_hold: float = 1.0
) -> Path:
    """Write a recorded session as an animated GIF or APNG with the frames' true timing.

    ``fmt`` is ``GIF`` or ``APNG`` (default: from the suffix of ``out``); ``scale`` magnifies
    each LED to ``scale`` x ``scale`` pixels; the last frame is held ``last_hold`` seconds.
    Consecutive identical frames merge into one longer frame. APNG keeps milliseconds and
    every colour; GIF counts hundredths of a second (rounded on the running total).
    """
    out = Path(out)
    fmt = (fmt or FORMATS.get(out.suffix.lower(), "")).upper()
    if fmt not in ("GIF", "APNG"):
        raise RecordingError(f"cannot write {out.name}: use a .gif or .apng file (or fmt='GIF'/'APNG')")
    if scale < 1:
        raise RecordingError(f"scale {scale} must be at least 1")
    out.write_bytes(animation(load_recording(folder), fmt, scale=scale, last_hold=last_hold))
    return out


def animation(
    frames: list[RecordedFrame], fmt: str = "APNG", *, scale: int = 1, last_hold: float = 1.0
) -> bytes:
    """The bytes of an animated GIF or APNG showing ``frames`` for their recorded durations."""
    step = 10 if fmt == "GIF" else 1
    images: list[Image.Image] = []
    durations: list[int] = []
    for frame, ms in zip(frames, durations_ms([f.t for f in frames], last_hold, step), strict=True):
        img = frame.image.convert("RGB")
        if images and img.tobytes() == images[-1].tobytes():
            durations[-1] += ms  # the board kept showing it: one frame, held longer
            continue
        images.append(img)
        durations.append(ms)
    if scale > 1:
        images = [im.resize((im.width * scale, im.height * scale), Image.Resampling.NEAREST) for im in images]
    return encode_animation(
        images,
        durations,
        fmt,
        lambda im: im.quantize(colors=256, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE),
    )


def encode_animation(
    images: list[Image.Image],
    durations: list[int],
    fmt: str,
    to_palette: Callable[[Image.Image], Image.Image],
) -> bytes:
    """A looping GIF (each image through ``to_palette``) or APNG of ``images`` shown ``durations`` ms.

    The recorder's export and the renderer's preview both write their animations here, so
    both loop, keep each frame whole (GIF disposal 1) and skip GIF optimisation alike.
    """
    buf = io.BytesIO()
    if fmt == "GIF":
        pal = [to_palette(im) for im in images]
        pal[0].save(
            buf,
            "GIF",
            save_all=True,
            append_images=pal[1:],
            duration=durations,
            loop=0,
            disposal=1,
            optimize=False,
        )
    else:
        images[0].save(
            buf,
            "PNG",
            save_all=True,
            append_images=images[1:],
            duration=durations,
            loop=0,
            default_image=False,
        )
    return buf.getvalue()
