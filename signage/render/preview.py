"""Previews for staff: a frame at 1:1 (exact board pixels), magnified with round LEDs, or a
whole item as an animated GIF/APNG with its true timing.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from drivers.record import durations_ms, encode_animation

from .errors import N_, RenderError
from .frame import Frame

#: Colour a lit LED of a one-colour board shows (the common red P10 modules).
MONO_LED = (255, 40, 16)
#: An unlit LED is still visible on a real board: a dim grey dot.
OFF_LED = (28, 28, 28)
#: Longest animation a preview writes, so a 2000-character marquee cannot fill the disk.
MAX_PREVIEW_FRAMES = 3000


def as_rgb(image: Image.Image, led: tuple[int, int, int] = MONO_LED) -> Image.Image:
    """A frame in RGB, a one-colour frame in the board's LED colour."""
    if image.mode == "1":
        return Image.composite(Image.new("RGB", image.size, led), Image.new("RGB", image.size, 0), image)
    return image.convert("RGB")


#: Dot masks up to this many pixels are kept (a 256x128 board at scale 8 is 2 MB).
KEEP_MASK_PIXELS = 2 * 1024 * 1024


def _dot_mask(size: tuple[int, int], scale: int) -> Image.Image:
    """Round LEDs on a grid; kept per board size and scale when small (read-only once made)."""
    if size[0] * size[1] * scale * scale <= KEEP_MASK_PIXELS:
        return _kept_dot_mask(size, scale)
    return _make_dot_mask(size, scale)


@lru_cache(maxsize=4)
def _kept_dot_mask(size: tuple[int, int], scale: int) -> Image.Image:
    return _make_dot_mask(size, scale)


def _make_dot_mask(size: tuple[int, int], scale: int) -> Image.Image:
    """One row of dots, then that row down the board: width + height pastes, not width x
    height (6,144 for 192x32, which were most of an uncached preview's 24 ms)."""
    tile = Image.new("L", (scale, scale), 0)
    pad = max(0, scale // 8)
    ImageDraw.Draw(tile).ellipse((pad, pad, scale - 1 - pad, scale - 1 - pad), fill=255)
    row = Image.new("L", (size[0] * scale, scale), 0)
    for x in range(0, row.width, scale):
        row.paste(tile, (x, 0))
    mask = Image.new("L", (size[0] * scale, size[1] * scale), 0)
    for y in range(0, mask.height, scale):
        mask.paste(row, (0, y))
    return mask


#: Most colours a frame may have to be previewed as a palette image (4 bits a pixel). Every
#: one-colour frame has two, bicolor four; anti-aliased RGB text has ~100, and finding an
#: exact palette for those costs more than it saves.
PALETTE_COLORS = 16
#: zlib level for preview PNGs. The default (6) spends ~0.5 ms more on a magnified RGB
#: frame (0.1 ms on a palette one) to save a few kB; the pixels are the same at every level.
PNG_LEVEL = 1
_LIT_INDEX = [0] * 255 + [1]  # a 1-bit frame as "L" (0/255) to palette indices 0/1


def _indices(
    image: Image.Image, led: tuple[int, int, int]
) -> tuple[Image.Image, list[tuple[int, ...]]] | None:
    """A frame as palette indices (an "L" image) and the RGB colour of each (as_rgb's),
    exactly; None when it has more than PALETTE_COLORS colours."""
    if image.mode == "1":
        return image.convert("L").point(_LIT_INDEX), [(0, 0, 0), led]
    rgb = image.convert("RGB")
    found = rgb.getcolors(PALETTE_COLORS)
    if found is None:
        return None
    pal = rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=len(found))
    if pal.convert("RGB").tobytes() != rgb.tobytes():
        return None  # Pillow's quantizer merged colours: not the frame's pixels, so not used
    flat = (pal.getpalette() or [])[: 3 * len(found)]  # indices run 0..len(found)-1
    colors = [tuple(flat[i : i + 3]) for i in range(0, len(flat), 3)]
    return Image.frombytes("L", pal.size, pal.tobytes()), colors


class LedLook:
    """Magnifies frames into round LEDs on a black panel; the dot mask is built once."""

    def __init__(self, size: tuple[int, int], scale: int = 8, led: tuple[int, int, int] = MONO_LED):
        if not 1 <= scale <= 32:
            raise RenderError(f"preview scale {scale} is outside 1..32")
        self.scale = scale
        self.led = led
        self._mask = _dot_mask(size, scale) if scale >= 3 else None
        self._big = (size[0] * scale, size[1] * scale)
        self._off: Image.Image | None = None  # full-size panels, made on first RGB use
        self._black: Image.Image | None = None

    def __call__(self, image: Image.Image) -> Image.Image:
        """The frame as the board would look from across the road."""
        rgb = as_rgb(image, self.led)
        if self.scale == 1:
            return rgb
        big = rgb.resize((rgb.width * self.scale, rgb.height * self.scale), Image.Resampling.NEAREST)
        if self._mask is None:
            return big
        if self._off is None or self._black is None:
            self._off = Image.new("RGB", self._big, OFF_LED)
            self._black = Image.new("RGB", self._big, 0)
        return Image.composite(ImageChops.lighter(big, self._off), self._black, self._mask)

    def indexed(self, image: Image.Image) -> Image.Image | None:
        """The same picture as calling the look, as a palette ("P") image; None for a frame
        of more than PALETTE_COLORS colours.

        A one-colour frame's look has three colours (panel, unlit and lit LED): as a palette
        image it is magnified one byte a pixel instead of three and written to PNG at 2 bits
        a pixel instead of 24, a tenth of the work; decoded, the pixels are the same.
        """
        found = _indices(image, self.led)
        if found is None:
            return None
        idx, colors = found
        if self.scale > 1:
            idx = idx.resize(self._big, Image.Resampling.NEAREST)
        if self._mask is not None:
            # as __call__: each LED at least as bright as an unlit one (ImageChops.lighter is a
            # per-channel max), the panel between the dots black (its own index, last)
            colors = [tuple(max(c, o) for c, o in zip(rgb, OFF_LED, strict=True)) for rgb in colors]
            colors.append((0, 0, 0))
            idx = Image.composite(idx, Image.new("L", idx.size, len(colors) - 1), self._mask)
        idx.putpalette([v for rgb in colors for v in rgb])
        return idx


def frame_png(image: Image.Image, scale: int = 1, led: tuple[int, int, int] = MONO_LED) -> bytes:
    """PNG bytes of a frame: exact board pixels at scale 1, round LEDs when magnified.

    A magnified frame of few colours (every one-colour frame) is written as a palette image
    and at a low zlib level: ~0.3 ms instead of ~2.4 ms for 192x32 at scale 4, the same
    pixels once decoded (see LedLook.indexed).
    """
    if scale == 1:
        out = image
    else:
        look = LedLook(image.size, scale, led)
        indexed = look.indexed(image)
        out = look(image) if indexed is None else indexed
    buf = io.BytesIO()
    out.save(buf, "PNG", compress_level=PNG_LEVEL)
    return buf.getvalue()


def animation(
    frames: Iterable[Frame], fmt: str = "GIF", scale: int = 1, led: tuple[int, int, int] = MONO_LED
) -> bytes:
    """A whole item as an animated GIF or APNG, each frame shown for its own hold time.

    GIF counts time in hundredths of a second: delays are rounded on the running total
    (``drivers.record.durations_ms``, as recordings are exported), so the whole animation
    lasts its true length to the centisecond: a scroll's 25 ms steps become 2 and 3 cs
    delays, not 2 each (25 % fast). APNG keeps ms the same way.
    """
    fmt = fmt.upper()
    if fmt not in ("GIF", "PNG", "APNG"):
        raise RenderError(f"animation format {fmt!r}: use GIF or APNG")
    images: list[Image.Image] = []
    runs: list[int] = []  # how many frames in a row each image stands for
    holds: list[float] = []
    look: LedLook | None = None
    for i, frame in enumerate(frames):
        if i >= MAX_PREVIEW_FRAMES:
            raise RenderError(
                N_("item has more than %(limit)d frames: too long for a preview"), limit=MAX_PREVIEW_FRAMES
            )
        if look is None:
            look = LedLook(frame.image.size, scale, led)
        holds.append(frame.hold)
        img = look(frame.image)
        if images and img.tobytes() == images[-1].tobytes():
            runs[-1] += 1  # merge repeats, as the board would just keep showing it
            continue
        images.append(img)
        runs.append(1)
    if not images:
        raise RenderError("item made no frames")
    each = iter(
        durations_ms(
            list(itertools.accumulate(holds[:-1], initial=0.0)), holds[-1], 10 if fmt == "GIF" else 1
        )
    )
    durations = [sum(itertools.islice(each, n)) for n in runs]
    return encode_animation(
        images, durations, fmt, lambda im: im.convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
    )


def write_preview(frames: Iterable[Frame], path: str | Path, scale: int = 1) -> Path:
    """Write the first frame (.png) or the whole item (.gif, .apng) to ``path``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".png":
        first = next(iter(frames), None)
        if first is None:
            raise RenderError("item made no frames")
        path.write_bytes(frame_png(first.image, scale))
    elif suffix in (".gif", ".apng"):
        path.write_bytes(animation(frames, "GIF" if suffix == ".gif" else "APNG", scale))
    else:
        raise RenderError(f"cannot write {path.name}: use .png (first frame), .gif or .apng (whole item)")
    return path
