"""The work behind ``signage render``: one slogan to a PNG or an animation, with lint."""

from __future__ import annotations

import json
import warnings
from datetime import datetime
from pathlib import Path

import click

from drivers.pixels import DEFAULT_PITCH_MM, DEFAULT_VIEWING_M, BoardSpec, GeometryError

from . import render_item
from .errors import RenderError
from .facts import layout_facts
from .lint import Lint, lint_item
from .preview import write_preview


def render_to_file(
    text: str,
    *,
    size: str = "192x32",
    color: str = "mono",
    font: str | None = None,
    effect: str = "auto",
    speed: float = 32.0,
    duration: float = 8.0,
    text_color: str = "#ff0000",
    background: str = "#000000",
    scale: int = 1,
    out: str | Path | None,
    now: datetime | None = None,
    pitch_mm: float | None = None,
    viewing_m: float | None = None,
    as_json: bool = False,
) -> Path | None:
    """Write the item to ``out`` and echo lint warnings, or with ``as_json`` print the layout
    chosen as JSON (and write ``out`` too when given); bad input becomes a ClickException (exit 1)."""
    out = _out_path(out, as_json)
    item = {
        "kind": "slogan",
        "text": text,
        "effect": effect,
        "speed": speed,
        "duration": duration,
        "font": font,
        "color": text_color,
        "background": background,
    }
    try:
        spec = _spec(size, color, pitch_mm, viewing_m)
        now = now or datetime.now()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            facts = layout_facts(item, spec, now=now) if as_json else None
            lints = [] if as_json else lint_item(item, spec, now=now)
            path = None if out is None else write_preview(render_item(item, spec, now=now), out, scale)
    except (RenderError, GeometryError) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
    wrote = f"wrote {path} ({spec.width}x{spec.height} {spec.color})"
    if as_json:
        click.echo(json.dumps(facts, ensure_ascii=False, indent=2))
        if path is not None:
            click.echo(wrote, err=True)
        return path
    _echo_warnings(lints, caught)
    click.echo(wrote)
    return path


def _out_path(out: str | Path | None, as_json: bool) -> Path | None:
    """``out`` as a path to a PNG, GIF or APNG file; ClickException when there is nothing to do."""
    if out is None and not as_json:
        raise click.ClickException("give --out FILE.png (or .gif, .apng), --json, or both")
    if out is None:
        return None
    out = Path(out)
    if out.suffix.lower() not in (".png", ".gif", ".apng"):
        raise click.ClickException(f"--out {out.name}: use FILE.png, FILE.gif or FILE.apng")
    return out


def _spec(size: str, color: str, pitch_mm: float | None, viewing_m: float | None) -> BoardSpec:
    """The board ``WIDTHxHEIGHT`` of colour model ``color``, with the defaults for what is not given."""
    spec = BoardSpec.parse(size, color)
    return BoardSpec(
        spec.width,
        spec.height,
        spec.color,
        DEFAULT_PITCH_MM if pitch_mm is None else pitch_mm,
        DEFAULT_VIEWING_M if viewing_m is None else viewing_m,
    )


def _echo_warnings(lints: list[Lint], caught: list[warnings.WarningMessage]) -> None:
    """Each lint on stderr, and each warning raised while drawing that no lint already says."""
    seen = {str(lint) for lint in lints}
    for lint in lints:
        click.echo(f"warning: {lint}", err=True)
    for w in caught:
        message = str(w.message)
        if not any(message in s or s in message for s in seen):
            click.echo(f"warning: {message}", err=True)
