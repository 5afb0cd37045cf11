"""Live preview of a slogan as the board will show it: pixel-exact, magnified, with lint.

The slogan form calls these as staff type; they render with the same code the worker uses,
so what is previewed is what the board shows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from werkzeug import Response as WResponse

from drivers.pixels import BoardSpec
from signage import rules
from signage.models import Board
from signage.render import RenderError, render_item
from signage.render.facts import layout_facts
from signage.render.preview import animation, frame_png
from signage.web.access import role_required
from signage.web.db import get_db
from signage.web.messages import say
from signage.web.preview_cache import cached_image, image_response, preview_key
from signage.web.words import color_word, led_rgb

bp = Blueprint("preview", __name__, url_prefix="/preview")

DEFAULT_SPEC = BoardSpec(192, 32, "mono")
#: Frames looked at when choosing the one that shows the most of an item that changes: a
#: typewriter's or a wipe's frames are its characters or columns, the text grows with them.
SAMPLES = 60
#: A scroll's frames are its pixels of travel; every 16 px of a 192 px board's first two
#: widths finds a full board as 60 samples did, and costs a preview 0.6 ms less, at every
#: pause in typing (the most common preview: long slogans scroll).
SCROLL_SAMPLES = 24


# Core and six columns, built once (SQLAlchemy keeps a built statement's cache key): the
# preview is asked for at every pause in typing.
_GEOMETRY = select(Board.width, Board.height, Board.color, Board.pitch_mm, Board.viewing_m, Board.led_color)
_GEOMETRY_OF = _GEOMETRY.where(Board.slug == bindparam("slug"))
_FIRST_GEOMETRY = _GEOMETRY.order_by(Board.id).limit(1)


def _item_and_spec() -> tuple[dict[str, Any], BoardSpec, tuple[int, int, int]]:
    """The slogan item, the board geometry and its LED colour named in the query string (checked).

    Text in TCVN3 or VNI is converted as saving converts it, so the preview is what will be saved.
    """
    args = request.args
    text, g.converted_from = rules.pasted_text(args.get("text"))
    item = {
        "kind": "slogan",
        "text": rules.slogan_text(text),
        "effect": rules.effect(args.get("effect") or "auto"),
        "speed": rules.speed(args.get("speed", 32, type=int)),
        "color": rules.color(args.get("color") or "#ff0000"),
        "duration": rules.duration(args.get("duration", 10.0, type=float)),
    }
    slug = args.get("board")
    query, params = (_GEOMETRY_OF, {"slug": slug}) if slug else (_FIRST_GEOMETRY, {})
    board = get_db().connection().execute(query, params).first()
    spec = BoardSpec.of(board._mapping) if board is not None else DEFAULT_SPEC
    return item, spec, led_rgb(board.led_color if board is not None else None)


def _lit(frame: Any) -> int:
    """Pixels not black, as the frame's grey bytes less its zero bytes: ``bytes.count`` finds
    those at once, where Pillow's histogram takes ~2 ns a pixel (9 us a 192x32 frame, not 14)."""
    image = frame.image
    return image.size[0] * image.size[1] - image.convert("L").tobytes().count(0)


def _fullest_frame(item: dict[str, Any], spec: BoardSpec, now: datetime | None = None) -> Any:
    """The frame showing the most text: a scroll's first frame is dark, its middle is not.

    A moving item fills the board within its first board-width (or height) of travel, so only
    that stretch is looked at, and only every few frames of it; the renderer is asked for just
    those frames (``only``), so the ones between are never cropped or painted.
    """
    span = 2 * max(spec.width, spec.height)
    scrolls = item["effect"] == "auto" or item["effect"].startswith("scroll-")  # auto: one still or a scroll
    step = max(1, span // (SCROLL_SAMPLES if scrolls else SAMPLES))
    return max(render_item(item, spec, now=now, only=range(0, span, step)), key=_lit)


def summary(facts: dict[str, Any]) -> str:
    """The layout in one sentence of the user's language: effect, font, letter height, reach."""
    params = {
        "effect": facts["effect"],
        "font": facts["font"],
        "size": facts["size_px"],
        "cm": f"{facts['letter_cm']:g}",
        "reach": f"{facts['readable_m']:.0f}",
        "distance": f"{facts['board']['viewing_m']:g}",
    }
    return _(
        "%(effect)s in %(font)s %(size)d px: letters %(cm)s cm tall read from about %(reach)s m "
        "(the board is read from %(distance)s m)",
        **params,
    )


def _bad(exc: Exception) -> Response:
    response = jsonify({"error": say(exc)})
    response.status_code = 400
    return response


@bp.route("/slogan.png")
@role_required("editor")
def slogan_png() -> WResponse:
    """The most telling frame, magnified with round LEDs (``scale``: 1 gives exact pixels)."""
    scale = min(max(request.args.get("scale", 4, type=int), 1), 8)
    try:
        item, spec, led = _item_and_spec()
        now = datetime.now()
        data, etag = cached_image(
            preview_key("png", item, spec, now, scale, led),
            lambda: frame_png(_fullest_frame(item, spec, now).image, scale, led),
        )
    except (rules.InvalidInput, RenderError) as exc:
        return _bad(exc)
    return image_response(data, etag, "image/png")


@bp.route("/slogan.gif")
@role_required("editor")
def slogan_gif() -> WResponse:
    """The whole item animated with its true timing."""
    try:
        item, spec, led = _item_and_spec()
        now = datetime.now()
        data, etag = cached_image(
            preview_key("gif", item, spec, now, 2, led),
            lambda: animation(render_item(item, spec, now=now), "GIF", 2, led),
        )
    except (rules.InvalidInput, RenderError) as exc:
        return _bad(exc)
    return image_response(data, etag, "image/gif")


@bp.route("/slogan.json")
@role_required("editor")
def slogan_lint() -> Response:
    """Legibility warnings, the layout chosen (as ``signage render --json`` prints it) and the
    item's length on the board."""
    try:
        item, spec, _led = _item_and_spec()
        facts = layout_facts(item, spec, say=say)
        seconds = 0.0
        for frame in render_item(item, spec):
            seconds = max(seconds, frame.at + frame.hold)
    except (rules.InvalidInput, RenderError) as exc:
        return _bad(exc)
    converted = g.get("converted_from")
    board = f"{spec.width}×{spec.height}, {color_word(spec.color)}"
    return jsonify(
        {
            "warnings": facts["warnings"],
            "layout": facts,
            "summary": summary(facts),
            "seconds": round(seconds, 2),
            "board": board,
            "converted": _("Converted from %(encoding)s: saving keeps the Unicode text.", encoding=converted)
            if converted
            else None,
        }
    )
