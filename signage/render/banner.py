"""Banners: an uploaded picture fitted to the board, dithered to its colours, GIF timing kept.

Uploads are checked before decoding (size on disk, pixel count from the header, format), so
a decompression bomb, a truncated file or a non-image is a RenderError, never a crash.
"""

from __future__ import annotations

import hashlib
import io
import math
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from drivers.pixels import BoardSpec, to_board_image

from .cache import CACHE, content_key
from .errors import N_, RenderError, RenderWarning
from .fonts import candidates
from .frame import Frame
from .layout import Block, draw_block, make_block, wrap
from .options import MAX_DURATION, normalize_text, parse_color
from .slogan import _chain

FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
FITS = ("fit", "fill", "stretch")
DITHERS = ("floyd-steinberg", "threshold")
#: Largest upload read from disk or memory.
MAX_BANNER_BYTES = 32 * 1024 * 1024
#: Largest picture decoded (a 12 MP photo passes, a 20,000 x 20,000 bomb does not).
MAX_BANNER_PIXELS = 40_000_000
#: Most frames of an animation played (about a minute at 15 fps).
MAX_BANNER_FRAMES = 1000
#: Shortest GIF frame honoured; browsers treat shorter delays the same way.
MIN_FRAME_SECONDS = 0.02

#: The colours a two-colour board can light: off, red, green, and both (amber).
BICOLOR_PALETTE = [(0, 0, 0), (255, 0, 0), (0, 255, 0), (255, 255, 0)]


@dataclass(frozen=True)
class BannerOptions:
    """A checked banner item."""

    data: bytes
    fit: str
    dither: str
    duration: float | None
    background: tuple[int, int, int]
    caption: str
    caption_color: tuple[int, int, int]


def _read(source: Any) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise RenderError(f"banner image {path} does not exist")
        if path.stat().st_size > MAX_BANNER_BYTES:
            raise RenderError(
                N_("banner image %(name)s is larger than %(limit)d MB"),
                name=path.name,
                limit=MAX_BANNER_BYTES // 2**20,
            )
        data = path.read_bytes()
    else:
        raise RenderError("banner image must be a file path or bytes")
    if not data:
        raise RenderError(N_("banner image is empty"))
    if len(data) > MAX_BANNER_BYTES:
        raise RenderError(N_("banner image is larger than %(limit)d MB"), limit=MAX_BANNER_BYTES // 2**20)
    return data


def parse_banner(item: Mapping[str, Any]) -> BannerOptions:
    """Check a banner item's fields; RenderError names the first bad one."""
    fit = item.get("fit") or "fit"
    if fit not in FITS:
        raise RenderError(N_("unknown fit %(value)r: use one of %(known)s"), value=fit, known=", ".join(FITS))
    dither = item.get("dither") or "floyd-steinberg"
    if dither not in DITHERS:
        raise RenderError(f"unknown dither {dither!r}: use one of {', '.join(DITHERS)}")
    duration = item.get("duration")
    number = isinstance(duration, int | float) and not isinstance(duration, bool)
    if duration is not None and not (number and 0 < duration <= MAX_DURATION):
        raise RenderError(f"duration {duration!r} is not a number of seconds in (0, {MAX_DURATION:g}]")
    caption = normalize_text(item.get("caption") or "").strip()
    return BannerOptions(
        data=_read(item.get("image")),
        fit=fit,
        dither=dither,
        duration=float(duration) if duration is not None else None,
        background=parse_color(item.get("background") or "#000000", "background"),
        caption="\n".join(" ".join(line.split()) for line in caption.split("\n")),
        caption_color=parse_color(item.get("color") or "#ff0000", "color"),
    )


def open_image(data: bytes) -> Image.Image:
    """Open and check an upload: a known format, a sane pixel count, fully decodable."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.format not in FORMATS:
                raise RenderError(
                    N_("banner is a %(format)s image: use PNG, JPEG, GIF or WebP"), format=img.format
                )
            w, h = img.size
            if w * h > MAX_BANNER_PIXELS or w <= 0 or h <= 0:
                raise RenderError(
                    N_("banner is %(size)s px, more than %(limit)s pixels (a decompression bomb?)"),
                    size=f"{w}x{h}",
                    limit=f"{MAX_BANNER_PIXELS:,}",
                )
            img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise RenderError(
            N_("banner refused as a decompression bomb: %(problem)s"), problem=str(exc)
        ) from None
    except UnidentifiedImageError:
        raise RenderError(N_("banner is not an image: use PNG, JPEG, GIF or WebP")) from None
    except (OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, RenderError):
            raise
        raise RenderError(N_("banner image is damaged or truncated: %(problem)s"), problem=str(exc)) from None
    return img


def fitted(img: Image.Image, spec: BoardSpec, fit: str, background: tuple[int, int, int]) -> Image.Image:
    """The picture at board size in RGB: letterboxed (fit), cropped (fill) or stretched."""
    rgba = img.convert("RGBA")
    if fit == "stretch":
        out = rgba.resize(spec.size, Image.Resampling.LANCZOS)
    elif fit == "fill":
        out = ImageOps.fit(rgba, spec.size, Image.Resampling.LANCZOS)
    else:
        out = Image.new("RGBA", spec.size, (0, 0, 0, 0))
        small = ImageOps.contain(rgba, spec.size, Image.Resampling.LANCZOS)
        out.paste(small, ((spec.width - small.width) // 2, (spec.height - small.height) // 2))
    base = Image.new("RGBA", spec.size, (*background, 255))
    return Image.alpha_composite(base, out).convert("RGB")


def to_board_colours(rgb: Image.Image, spec: BoardSpec, dither: str) -> Image.Image:
    """Reduce a board-sized RGB picture to what the board can light (dithered or thresholded)."""
    mode = Image.Dither.FLOYDSTEINBERG if dither == "floyd-steinberg" else Image.Dither.NONE
    if spec.color == "mono":
        grey = rgb.convert("L")
        if mode == Image.Dither.NONE:
            return grey.point(lambda v: 255 if v >= 128 else 0, "1")
        return grey.convert("1", dither=mode)
    if spec.color == "bicolor":
        pal = Image.new("P", (1, 1))
        pal.putpalette([c for rgb_ in BICOLOR_PALETTE for c in rgb_] + [0, 0, 0] * 252)
        return rgb.quantize(palette=pal, dither=mode).convert("RGB")
    return to_board_image(rgb, spec)


def caption_block(caption: str, spec: BoardSpec) -> Block:
    """The caption wrapped to the board in the largest face whose lines fit the band.

    The band is the whole board below 40 rows, else at most half of it (the picture keeps the
    rest); lines start a third of the board tall and shrink (down to Galmuri7's 13 rows) to
    take more lines. What still does not fit is cut, with a warning.
    """
    w, h = spec.size
    band = h if h < 40 else h // 2
    rows = h if h < 26 else max(13, h // 3)
    faces = candidates(None, rows)
    block: Block | None = None
    for primary in faces:
        chain = _chain(caption, primary, rows)
        lines = wrap(caption, chain, w, balanced=True)
        block = make_block(lines, chain, band)
        if block.height <= band and block.width <= w:
            return block
    assert block is not None
    lines = ["".join(r.text for r in line) for line in block.lines]
    keep = max(1, (band + block.gap) // (block.box.height + block.gap))
    warnings.warn(
        f"banner caption {caption!r} does not fit the board and is cut to {keep} line(s)",
        RenderWarning,
        stacklevel=5,
    )
    return make_block(lines[:keep], chain, band)


def _caption(img: Image.Image, opts: BannerOptions, spec: BoardSpec) -> Image.Image:
    """The caption in a band at the bottom, each line on a plate of the background colour.

    A 1-px outline was not enough: over a dithered picture the dots around the letters read
    as part of them, so every line's ink box (plus a pixel) is cleared first.
    """
    block = caption_block(opts.caption, spec)
    x0, y0 = (spec.width - block.width) // 2, max(0, spec.height - block.height - 1)
    mask = draw_block(block, "1", spec.size, (x0, y0), "center")
    rgb = img.convert("RGB")
    fg, bg = opts.caption_color, opts.background
    if spec.color == "mono":  # one colour: the caption is lit (red text would threshold to dark)
        lit, dark = (255, 255, 255), (0, 0, 0)
        fg, bg = (dark, lit) if sum(bg) > sum(fg) else (lit, dark)
    step = block.box.height + block.gap
    plates = []
    for i in range(len(block.lines)):
        top = y0 + i * step
        box = mask.crop((0, top, spec.width, min(spec.height, top + step))).getbbox()
        if box is not None:
            plates.append(
                (
                    max(0, box[0] - 1),
                    max(0, top + box[1] - 1),
                    min(spec.width, box[2] + 1),
                    min(spec.height, top + box[3] + 1),
                )
            )
    for a, b in zip(plates, plates[1:], strict=False):  # no stray picture rows between lines
        if b[1] - a[3] <= 3 and max(a[0], b[0]) < min(a[2], b[2]):
            plates.append((max(a[0], b[0]), a[3], min(a[2], b[2]), b[1]))
    for plate in plates:
        if plate[1] < plate[3]:
            rgb.paste(bg, plate)
    rgb.paste(fg, (0, 0), mask)
    return (
        to_board_image(rgb, spec)
        if spec.color != "mono"
        else rgb.convert("L").point(lambda v: 255 if v >= 128 else 0, "1")
    )


def _board_frame(img: Image.Image, opts: BannerOptions, spec: BoardSpec) -> Image.Image:
    out = to_board_colours(fitted(img, spec, opts.fit, opts.background), spec, opts.dither)
    return _caption(out, opts, spec) if opts.caption else out


def render_banner(item: Mapping[str, Any], spec: BoardSpec) -> Iterator[Frame]:
    """Check and open the banner now (errors before any frame), then yield its frames lazily."""
    opts = parse_banner(item)
    img = open_image(opts.data)
    n = min(getattr(img, "n_frames", 1), MAX_BANNER_FRAMES)
    if n <= 1:
        digest = hashlib.sha256(opts.data).hexdigest()
        key = content_key(
            "banner",
            digest,
            opts.fit,
            opts.dither,
            opts.background,
            opts.caption,
            opts.caption_color,
            spec.width,
            spec.height,
            spec.color,
        )
        still = CACHE.get_or_make(key, lambda: _board_frame(img, opts, spec))
        return iter([Frame(still, 0.0, opts.duration or 8.0)])
    return _animated(img, n, opts, spec)


def _animated(img: Image.Image, n: int, opts: BannerOptions, spec: BoardSpec) -> Iterator[Frame]:
    """Each GIF/WebP frame for its own delay; looped until ``duration`` if one is set."""
    t = 0.0
    limit = opts.duration
    loops = 0
    while True:
        for i in range(n):
            img.seek(i)
            hold = max(MIN_FRAME_SECONDS, (img.info.get("duration") or 100) / 1000)
            if limit is not None:
                hold = min(hold, limit - t)
            yield Frame(_board_frame(img, opts, spec), t, hold)
            t += hold
            if limit is not None and t >= limit - 1e-9:
                return
        loops += 1
        if limit is None or loops * n >= MAX_BANNER_FRAMES * 100 or math.isclose(t, 0.0):
            return
