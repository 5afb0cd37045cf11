"""Finished preview images, kept by a digest of everything that decides their pixels.

Staff retype and revisit the same text, and everyone previewing the campaign's slogans asks
for the same images; drawing one again costs 20-40 ms of CPU, finding it costs microseconds.
The key covers the checked item (its live tokens expanded at the moment of the request, so
``{time}`` still changes each minute), the board's size and colours, the scale and the font
files on disk; so a changed board, font or option is a different key, never a stale image.
The cache is bounded in bytes and per process (each admin worker keeps its own: a miss
only costs a render). Responses carry an ETag of the bytes, so a browser that has the image
gets a bodiless 304 instead of the image again.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from flask import Response, request
from werkzeug import Response as WResponse

from drivers.pixels import BoardSpec
from signage.render.cache import RenderCache, content_key
from signage.render.fonts import fonts_dir
from signage.render.tokens import expand, has_tokens
from signage.render.words import words_version

#: Enough for thousands of magnified stills (a few kB each) and some GIFs; far under a worker.
PREVIEWS = RenderCache(max_bytes=16 * 1024 * 1024)
FONT_SUFFIXES = (".ttf", ".otf", ".bdf", ".pcf")


#: How long a look at the font files is trusted: reading them is a tenth of a cached answer.
FONTS_RECHECK_SECONDS = 5.0
_fonts_seen: dict[str, tuple[float, list[tuple[str, int, int]]]] = {}


def fonts_fingerprint() -> list[tuple[str, int, int]]:
    """Name, size and modification time of each font file (a replaced font is a new key
    within ``FONTS_RECHECK_SECONDS``)."""
    folder = fonts_dir()
    seen = _fonts_seen.get(str(folder))
    if seen is not None and time.monotonic() - seen[0] < FONTS_RECHECK_SECONDS:
        return seen[1]
    found = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in FONT_SUFFIXES:
            st = path.stat()
            found.append((path.name, st.st_size, st.st_mtime_ns))
    _fonts_seen[str(folder)] = (time.monotonic(), found)
    return found


def preview_key(kind: str, item: Mapping[str, Any], spec: BoardSpec, now: datetime, *extra: Any) -> str:
    """Digest of every input of a preview; raises ``RenderError`` for a malformed token."""
    text = item.get("text", "")
    shown = {**item, "text": expand(text, now) if has_tokens(text) else text}
    board = [spec.width, spec.height, spec.color, spec.pitch_mm, spec.viewing_m]
    return content_key("preview", kind, shown, board, list(extra), fonts_fingerprint(), words_version())


def cached_image(key: str, make: Callable[[], bytes]) -> tuple[bytes, str]:
    """The image under ``key`` and its ETag, made (and kept, if it fits) on a miss."""

    def made() -> tuple[bytes, str]:
        data = make()
        return data, hashlib.sha256(data).hexdigest()[:32]

    return PREVIEWS.get_or_make(key, made)


def image_response(data: bytes, etag: str, mimetype: str) -> WResponse:
    """The image, or 304 when the browser already has these bytes.

    ``no-cache`` (keep it, but ask first) rather than a lifetime: the same URL may show
    another picture once the board's size changes or a token's minute passes.
    """
    response = Response(data, mimetype=mimetype)
    response.set_etag(etag)
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response.make_conditional(request)
