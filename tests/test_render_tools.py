"""Previews, lint, the render cache and the ``signage render`` command."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageSequence

from drivers.pixels import BoardSpec
from signage.cli import main
from signage.render import RenderError, render_item
from signage.render.cache import ENTRY_OVERHEAD, RenderCache, content_key, size_of
from signage.render.fonts import face
from signage.render.lint import letter_collisions, lint_item
from signage.render.preview import OFF_LED, LedLook, animation, frame_png

NOW = datetime(2026, 11, 26, 8, 30)
SLOGAN = "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG"


def codes(item: dict, spec: BoardSpec) -> set[str]:
    return {lint.code for lint in lint_item(item, spec, now=NOW)}


# --- preview -------------------------------------------------------------------------------
def test_png_at_scale_one_is_exactly_the_board_pixels() -> None:
    frame = next(render_item({"text": "Đảng", "effect": "static"}, BoardSpec(64, 16), now=NOW))
    back = Image.open(io.BytesIO(frame_png(frame.image)))
    assert back.size == (64, 16)
    assert back.convert("1").tobytes() == frame.image.tobytes()


def test_led_look_draws_round_lit_and_dim_unlit_dots() -> None:
    img = Image.new("1", (2, 1), 0)
    img.putpixel((0, 0), 1)
    big = LedLook(img.size, scale=8, led=(255, 0, 0))(img)
    assert big.size == (16, 8)
    assert big.getpixel((4, 4)) == (255, OFF_LED[1], OFF_LED[2])  # lit dot centre
    assert big.getpixel((12, 4)) == OFF_LED  # unlit dot centre
    assert big.getpixel((0, 0)) == (0, 0, 0)  # between dots: the black panel


def test_animation_keeps_the_true_timing() -> None:
    frames = list(render_item({"text": "KHẨN", "effect": "blink", "duration": 4}, BoardSpec(64, 16), now=NOW))
    for fmt in ("GIF", "APNG"):
        data = animation(frames, fmt)
        im = Image.open(io.BytesIO(data))
        durations = [f.info["duration"] for f in ImageSequence.Iterator(im)]
        assert len(durations) == len(frames)
        assert sum(durations) == pytest.approx(4000, abs=20)


# --- lint ----------------------------------------------------------------------------------
def test_clean_slogan_has_no_warnings() -> None:
    assert codes({"text": SLOGAN}, BoardSpec(192, 32)) == set()


def test_lint_names_each_problem() -> None:
    assert "too-fast" in codes({"text": SLOGAN, "speed": 500}, BoardSpec(192, 16))
    assert {"small", "overflow", "clipped"} <= codes({"text": SLOGAN, "effect": "static"}, BoardSpec(64, 8))
    assert "clipped" in codes({"text": "Ẩ", "font": "galmuri9", "effect": "static"}, BoardSpec(64, 13))
    assert "unsupported" in codes({"text": "chào \U0001f9e0"}, BoardSpec(192, 32))
    assert "collision" in codes({"text": "Ấ À", "effect": "static"}, BoardSpec(64, 8))


def test_no_collisions_in_the_default_pixel_fonts() -> None:
    assert letter_collisions(face("galmuri7")) == ()
    assert letter_collisions(face("galmuri9")) == ()


def test_lint_rejects_invalid_items_like_the_renderer() -> None:
    with pytest.raises(RenderError, match="empty"):
        lint_item({"text": ""}, BoardSpec(192, 32))


# --- cache ---------------------------------------------------------------------------------
def test_cache_is_keyed_by_content_and_bounded() -> None:
    cache = RenderCache(max_bytes=3 * (size_of(Image.new("L", (100, 100))) + ENTRY_OVERHEAD))
    made = []

    def make(n: int) -> Image.Image:
        made.append(n)
        return Image.new("L", (100, 100))

    k1, k2 = content_key("a", {"x": 1, "y": 2}), content_key("a", {"y": 2, "x": 1})
    assert k1 == k2
    cache.get_or_make(k1, lambda: make(1))
    cache.get_or_make(k2, lambda: make(2))
    assert made == [1] and cache.stats.hits == 1
    for i in range(10):
        cache.get_or_make(content_key(i), lambda i=i: make(i))
    assert cache.stats.bytes <= cache.max_bytes and len(cache) == 3
    assert cache.stats.evictions >= 8
    huge = cache.get_or_make("huge", lambda: Image.new("L", (1000, 1000)))
    assert huge.size == (1000, 1000) and "huge" not in cache._items


def test_renderer_reuses_the_drawn_text() -> None:
    from signage.render.cache import CACHE

    item = {"text": "Cache thử " + NOW.isoformat(), "effect": "scroll-left"}
    before = CACHE.stats.hits
    a = [f.image.tobytes() for f in render_item(item, BoardSpec(96, 16), now=NOW)]
    b = [f.image.tobytes() for f in render_item(item, BoardSpec(96, 16), now=NOW)]
    assert a == b and CACHE.stats.hits == before + 1


def test_cache_counts_the_drawn_strip() -> None:
    from signage.render.cache import CACHE, size_of
    from signage.render.options import parse_slogan
    from signage.render.slogan import prepare

    opts = parse_slogan({"text": SLOGAN, "effect": "scroll-left"})
    prepared = prepare(SLOGAN + " size", opts, BoardSpec(192, 32))
    assert size_of(prepared) >= prepared.mask.width * 32  # Pillow keeps a byte per pixel of a mono mask
    assert CACHE.stats.bytes >= size_of(prepared)


def test_images_count_as_pillow_holds_them() -> None:
    """Counting a mono mask at a bit per pixel let a worker's 4 MB cache hold some 16 MB."""
    assert size_of(Image.new("1", (192, 32))) >= 192 * 32
    assert size_of(Image.new("L", (192, 32))) >= 192 * 32
    assert size_of(Image.new("RGB", (192, 32))) >= 192 * 32 * 4  # RGB is stored as 4 bytes a pixel


def test_a_live_time_token_does_not_fill_the_render_cache() -> None:
    """A board showing {time} for hours: each minute's text is drawn again, but the drawings
    stay within the small live bound and the playlist's fixed texts stay cached."""
    from signage.render.cache import CACHE, LIVE

    spec = BoardSpec(192, 32)
    still = {"text": "XẾP HÀNG TRẬT TỰ cache", "effect": "static", "duration": 1}
    clock = {"text": "{time} CHÀO MỪNG", "effect": "static", "duration": 1}
    list(render_item(still, spec, now=NOW))
    entries = len(CACHE)
    shown = set()
    for minute in range(3 * 60):
        frame = next(render_item(clock, spec, now=NOW + timedelta(minutes=minute)))
        shown.add(frame.image.tobytes())
    assert len(shown) == 3 * 60  # every minute shows its own time
    assert len(CACHE) == entries
    assert LIVE.stats.bytes <= LIVE.max_bytes and LIVE.stats.evictions > 0
    hits = CACHE.stats.hits
    list(render_item(still, spec, now=NOW + timedelta(hours=3)))
    assert CACHE.stats.hits == hits + 1  # not pushed out: no new layout for the playlist's text


def test_bad_input_is_not_cached() -> None:
    from signage.render.cache import CACHE

    entries = len(CACHE)
    with pytest.raises(RenderError):
        render_item({"text": "x", "speed": -1}, BoardSpec(96, 16))
    assert len(CACHE) == entries


# --- command -------------------------------------------------------------------------------
def test_render_command_writes_board_pixels_png(tmp_path: Path) -> None:
    out = tmp_path / "a.png"
    result = CliRunner().invoke(
        main, ["render", "CHÀO MỪNG", "--size", "192x32", "--color", "mono", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    img = Image.open(out)
    assert img.size == (192, 32) and img.getbbox() is not None


def test_render_command_writes_gif_and_prints_lint(tmp_path: Path) -> None:
    out = tmp_path / "a.gif"
    result = CliRunner().invoke(
        main,
        [
            "render",
            SLOGAN,
            "--size",
            "128x32",
            "--color",
            "rgb",
            "--effect",
            "scroll-left",
            "--speed",
            "400",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "too-fast" in result.output
    assert Image.open(out).n_frames > 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["", "--out"], "text is empty"),
        (["x", "--size", "5x5", "--out"], "width 5 px"),
        (["x", "--size", "big", "--out"], "WIDTHxHEIGHT"),
        (["x", "--font", "Arial", "--out"], "unknown font"),
        (["x", "--speed", "0", "--out"], "speed"),
    ],
)
def test_render_command_bad_input_exits_non_zero(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "x.png"
    result = CliRunner().invoke(main, ["render", *args, str(out)])
    assert result.exit_code != 0
    assert message in result.output
    assert not out.exists()


def test_render_command_refuses_unknown_output_type(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["render", "x", "--out", str(tmp_path / "x.bmp")])
    assert result.exit_code != 0 and ".png" in result.output
