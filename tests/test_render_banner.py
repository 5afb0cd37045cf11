"""Banners: fitting, dithering, GIF timing, captions, and uploads that must be refused."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from drivers.pixels import BoardSpec
from signage.render import RenderError, render_item


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def banner(data: bytes | str, spec: BoardSpec, **extra: object) -> list:
    return list(render_item({"kind": "banner", "image": data, **extra}, spec))


def with_ihdr_size(data: bytes, width: int, height: int) -> bytes:
    """A PNG whose header claims another size (how decompression bombs look)."""
    ihdr = bytearray(data[16:29])
    ihdr[0:8] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)) & 0xFFFFFFFF)
    return data[:16] + bytes(ihdr) + crc + data[33:]


WIDE = Image.new("RGB", (200, 50), (255, 255, 255))


def test_fit_letterboxes_fill_crops_stretch_distorts() -> None:
    spec = BoardSpec(64, 32, "rgb")
    fit = banner(png(WIDE), spec, fit="fit")[0].image
    fill = banner(png(WIDE), spec, fit="fill")[0].image
    stretch = banner(png(WIDE), spec, fit="stretch")[0].image
    assert fit.getbbox() == (0, 8, 64, 24)  # 200x50 scaled to 64x16, centred
    assert fill.getbbox() == (0, 0, 64, 32)
    assert stretch.getbbox() == (0, 0, 64, 32)


@pytest.mark.parametrize("color", ["mono", "bicolor", "rgb", "rgb565"])
def test_banner_frames_are_board_sized_in_board_mode(color: str) -> None:
    spec = BoardSpec(96, 32, color)
    frames = banner(png(Image.radial_gradient("L").convert("RGB")), spec, caption="Chào mừng")
    assert len(frames) == 1 and frames[0].hold == 8
    assert frames[0].image.size == spec.size and frames[0].image.mode == spec.image_mode
    assert spec.pack(frames[0].image)  # packs without conversion errors


def test_dithering_keeps_mid_grey_as_a_pattern_threshold_does_not() -> None:
    grey = png(Image.new("L", (32, 16), 100).convert("RGB"))
    spec = BoardSpec(32, 16, "mono")
    dithered = banner(grey, spec, dither="floyd-steinberg")[0].image
    thresholded = banner(grey, spec, dither="threshold")[0].image
    lit = sum(dithered.histogram()[1:])
    assert 0.3 * 512 < lit < 0.5 * 512
    assert thresholded.getbbox() is None


def test_bicolor_uses_only_board_colours() -> None:
    spec = BoardSpec(32, 16, "bicolor")
    img = Image.linear_gradient("L").convert("RGB").resize((32, 16))
    colours = {c for _, c in banner(png(img), spec)[0].image.getcolors()}
    assert colours <= {(0, 0, 0), (255, 0, 0), (0, 255, 0), (255, 255, 0)}


def test_animated_gif_keeps_its_frame_durations(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (16, 16), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    path = tmp_path / "a.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=[100, 250, 500], loop=0)
    out = banner(str(path), BoardSpec(32, 16, "rgb"))
    assert [round(f.hold, 3) for f in out] == [0.1, 0.25, 0.5]
    assert [round(f.at, 3) for f in out] == [0, 0.1, 0.35]
    looped = banner(str(path), BoardSpec(32, 16, "rgb"), duration=2)
    assert sum(f.hold for f in looped) == pytest.approx(2)
    assert len(looped) == 8  # two loops of 0.85 s, then 0.1 s and 0.2 s of the 0.25 s frame
    assert looped[-1].hold == pytest.approx(0.2)


def test_a_20000_px_square_png_is_refused_without_decoding() -> None:
    bomb = with_ihdr_size(png(Image.new("1", (8, 8))), 20000, 20000)
    with pytest.raises(RenderError, match="20000x20000|decompression bomb"):
        banner(bomb, BoardSpec(64, 32))


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"hello, not a picture", "not an image"),
        (b"", "empty"),
        (png(Image.radial_gradient("L"))[:300], "damaged or truncated"),
        (None, "path or bytes"),
        ("/nonexistent/banner.png", "does not exist"),
    ],
)
def test_bad_uploads_are_named(data: object, words: str) -> None:
    with pytest.raises(RenderError, match=words):
        banner(data, BoardSpec(64, 32))  # type: ignore[arg-type]


def test_bad_banner_options_are_named() -> None:
    with pytest.raises(RenderError, match="unknown fit"):
        banner(png(WIDE), BoardSpec(64, 32), fit="zoom")
    with pytest.raises(RenderError, match="unknown dither"):
        banner(png(WIDE), BoardSpec(64, 32), dither="ordered")


def test_bmp_is_refused_as_a_format() -> None:
    buf = io.BytesIO()
    WIDE.save(buf, "BMP")
    with pytest.raises(RenderError, match="BMP"):
        banner(buf.getvalue(), BoardSpec(64, 32))


def test_a_long_caption_wraps_onto_lines_that_all_show() -> None:
    import warnings

    from signage.render.banner import caption_block

    spec = BoardSpec(128, 64, "rgb")
    text = "Chào mừng quý khách đến cửa khẩu quốc tế Bờ Y"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fits: no "cut" warning
        block = caption_block(text, spec)
        frame = banner(png(Image.new("RGB", (64, 64), (0, 0, 90))), spec, caption=text, color="#ffff00")[0]
    words = " ".join("".join(r.text for r in line) for line in block.lines)
    assert len(block.lines) >= 2 and words == text
    assert block.height <= 32 and block.width <= 128
    # the yellow text is lit in the bottom half only, on more than one line
    rows_lit = [
        y for y in range(64) if any(frame.image.getpixel((x, y))[:2] == (255, 255) for x in range(128))
    ]
    assert rows_lit and rows_lit[0] >= 32
    assert rows_lit[-1] - rows_lit[0] > 16  # more than one line of text


def test_caption_line_breaks_are_kept_and_too_much_is_cut_with_a_warning() -> None:
    from signage.render import RenderWarning
    from signage.render.banner import caption_block

    block = caption_block("Dòng một\nDòng hai", BoardSpec(96, 32, "mono"))
    assert ["".join(r.text for r in line) for line in block.lines] == ["Dòng một", "Dòng hai"]
    with pytest.warns(RenderWarning, match="cut to 1 line"):
        cut = caption_block("Chào mừng quý khách đến cửa khẩu quốc tế Bờ Y", BoardSpec(64, 16, "mono"))
    assert len(cut.lines) == 1 and cut.height <= 16


def test_caption_lines_sit_on_plates_so_a_dithered_picture_does_not_touch_the_letters() -> None:
    spec = BoardSpec(192, 32, "mono")
    text = "Chào mừng quý khách đến cửa khẩu quốc tế Bờ Y"
    dark = banner(png(Image.new("RGB", (96, 16), (0, 0, 0))), spec, caption=text)[0].image
    grey = banner(png(Image.new("RGB", (96, 16), (110, 110, 110))), spec, caption=text)[0].image
    box = dark.getbbox()
    assert box is not None and box[3] - box[1] > 16  # two lines
    plate = (box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1)
    left, right = grey.crop((0, 0, plate[0], 32)), dark.crop((0, 0, plate[0], 32))
    assert left.tobytes() != right.tobytes()  # the picture is there beside the caption
    inner = (box[0] + 8, box[1], box[2] - 8, box[3])  # inside both lines' plates
    assert grey.crop(inner).tobytes() == dark.crop(inner).tobytes()


def test_a_red_caption_is_lit_on_a_one_colour_board() -> None:
    spec = BoardSpec(96, 16, "mono")
    frame = banner(png(Image.new("RGB", (96, 16), (0, 0, 0))), spec, caption="Chào", color="#ff0000")[0]
    assert frame.image.getbbox() is not None
