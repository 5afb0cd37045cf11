"""The work behind ``signage render``: one slogan to a PNG or an animation, with lint."""

from __future__ import annotations

import warnings
from datetime import datetime
from pathlib import Path

import click

from drivers.pixels import BoardSpec, GeometryError

from . import render_item
from .errors import RenderError
from .lint import lint_item
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
    out: str | Path,
    now: datetime | None = None,
) -> Path:
    """Write the item to ``out``, echo lint warnings; bad input becomes a ClickException (exit 1)."""
    out = Path(out)
    if out.suffix.lower() not in (".png", ".gif", ".apng"):
        raise click.ClickException(f"--out {out.name}: use FILE.png, FILE.gif or FILE.apng")
    item = {"kind": "slogan", "text": text, "effect": effect, "speed": speed, "duration": duration,
            "font": font, "color": text_color, "background": background}
    try:
        spec = BoardSpec.parse(size, color)
        now = now or datetime.now()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lints = lint_item(item, spec, now=now)
            path = write_preview(render_item(item, spec, now=now), out, scale)
    except (RenderError, GeometryError) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
    seen = {str(lint) for lint in lints}
    for lint in lints:
        click.echo(f"warning: {lint}", err=True)
    for w in caught:
        message = str(w.message)
        if not any(message in s or s in message for s in seen):
            click.echo(f"warning: {message}", err=True)
    click.echo(f"wrote {path} ({spec.width}x{spec.height} {spec.color})")
    return path
