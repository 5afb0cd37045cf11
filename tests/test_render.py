"""The renderer's contract: frames of the board's size and mode, on time, deterministic."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest

from drivers.pixels import BoardSpec
from signage.render import MAX_TEXT_CHARS, Frame, RenderError, ScrollOp, render_item

SLOGAN = "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG"
MONO = BoardSpec(192, 32, "mono")
NOW = datetime(2026, 11, 26, 8, 30)


def frames(item: dict, spec: BoardSpec = MONO) -> list[Frame]:
    return list(render_item(item, spec, now=NOW))


@pytest.mark.parametrize("color", ["mono", "bicolor", "rgb", "rgb565"])
@pytest.mark.parametrize(
    "effect", ["auto", "static", "scroll-left", "scroll-right", "scroll-up", "blink", "wipe", "typewriter"]
)
def test_every_frame_is_board_sized_in_board_mode_and_times_chain(color: str, effect: str) -> None:
    spec = BoardSpec(128, 32, color)
    out = frames({"text": "Chào mừng Đại hội", "effect": effect, "speed": 64, "duration": 2}, spec)
    assert out
    for a, b in zip(out, out[1:], strict=False):
        assert b.at == pytest.approx(a.at + a.hold)
    for f in out:
        assert f.image.size == spec.size
        assert f.image.mode == spec.image_mode
        assert f.hold > 0
    assert out[0].at == 0


def test_frames_come_lazily() -> None:
    gen = render_item({"text": SLOGAN * 20, "effect": "scroll-left"}, MONO, now=NOW)
    first = next(gen)
    assert first.image.size == (192, 32)


def test_same_item_gives_pixel_identical_frames() -> None:
    item = {"text": SLOGAN, "effect": "scroll-left", "speed": 96}
    a = [f.image.tobytes() for f in frames(item)]
    b = [f.image.tobytes() for f in frames(item)]
    assert a == b


def test_nfd_input_renders_like_nfc() -> None:
    for effect in ("static", "scroll-left"):
        nfc = frames({"text": SLOGAN, "effect": effect})
        nfd = frames({"text": unicodedata.normalize("NFD", SLOGAN), "effect": effect})
        assert len(nfc) == len(nfd)
        assert all(a.image.tobytes() == b.image.tobytes() for a, b in zip(nfc, nfd, strict=True))


def test_short_text_is_static_long_text_scrolls_by_default() -> None:
    short = frames({"text": "XIN CHÀO"})
    assert len(short) == 1 and short[0].hold == 8
    assert short[0].image.getbbox() is not None
    two_lines = frames({"text": SLOGAN})  # Galmuri9 takes the 69 characters on two lines
    assert len(two_lines) == 1
    long = frames({"text": SLOGAN + " - " + SLOGAN})
    assert len(long) > 100
    assert long[0].image.getbbox() is None  # starts off-screen right
    assert long[-1].image.getbbox() is None  # ends off-screen left


def test_scroll_left_moves_at_the_given_speed_and_ops_rebuild_frames() -> None:
    out = frames({"text": SLOGAN, "effect": "scroll-left", "speed": 32})
    assert out[1].at == pytest.approx(1 / 32)
    assert out[1].op is not None and out[1].op.shift == 1
    for prev, cur in zip(out, out[1:], strict=False):
        assert isinstance(cur.op, ScrollOp)
        assert cur.op.apply(prev.image).tobytes() == cur.image.tobytes()


@pytest.mark.parametrize("effect", ["scroll-right", "scroll-up"])
def test_other_scrolls_ops_rebuild_frames(effect: str) -> None:
    out = frames({"text": SLOGAN, "effect": effect, "speed": 150, "passes": 2}, BoardSpec(96, 32, "rgb"))
    ops = 0
    for prev, cur in zip(out, out[1:], strict=False):
        if cur.op is not None:
            ops += 1
            assert cur.op.apply(prev.image).tobytes() == cur.image.tobytes()
    assert ops >= len(out) - 3


def test_scroll_left_text_enters_at_the_right_edge() -> None:
    out = frames({"text": "A", "effect": "scroll-left", "speed": 10})
    box = next(f.image.getbbox() for f in out if f.image.getbbox())
    assert box[2] == 192


def test_passes_repeat_the_scroll() -> None:
    one = frames({"text": "ĐẢNG", "effect": "scroll-left"})
    two = frames({"text": "ĐẢNG", "effect": "scroll-left", "passes": 2})
    assert len(two) == 2 * len(one) - 1
    assert two[-1].at == pytest.approx(2 * one[-1].at)


def test_blink_alternates_for_the_duration() -> None:
    out = frames({"text": "KHẨN", "effect": "blink", "duration": 3, "blink_period": 1})
    assert [f.image.getbbox() is not None for f in out] == [True, False] * 3
    assert sum(f.hold for f in out) == pytest.approx(3)


def test_wipe_and_typewriter_reveal_then_hold() -> None:
    for effect in ("wipe", "typewriter"):
        out = frames({"text": "Xin chào", "effect": effect, "duration": 5})
        lit = [sum(f.image.convert("L").histogram()[255:]) for f in out]
        assert lit == sorted(lit) and lit[0] < lit[-1]
        assert out[-1].hold == 5


def test_colours_and_background_on_rgb() -> None:
    spec = BoardSpec(64, 16, "rgb")
    out = frames({"text": "Hi", "color": "#00ff00", "background": "#000080", "effect": "static"}, spec)
    colours = {c for _, c in out[0].image.getcolors()}
    assert colours <= {(0, 255, 0), (0, 0, 128)} | {c for c in colours if c[0] == 0}
    assert (0, 0, 128) in colours and (0, 255, 0) in colours


def test_bicolor_frames_hold_only_board_colours() -> None:
    out = frames({"text": "Chào", "color": "#ffa500", "effect": "static"}, BoardSpec(64, 16, "bicolor"))
    assert {c for _, c in out[0].image.getcolors()} <= {(0, 0, 0), (255, 0, 0), (0, 255, 0), (255, 255, 0)}


def test_mono_text_is_one_bit() -> None:
    out = frames({"text": "Chào", "effect": "static"})
    assert out[0].image.mode == "1"


@pytest.mark.parametrize(
    ("item", "words"),
    [
        ({"text": ""}, "empty"),
        ({"text": "   \n "}, "empty"),
        ({"text": "a" * (MAX_TEXT_CHARS + 1)}, "2000"),
        ({"text": 42}, "string"),
        ({"text": "x", "font": "Comic Sans"}, "unknown font"),
        ({"text": "x", "effect": "spin"}, "unknown effect"),
        ({"text": "x", "speed": 0}, "speed"),
        ({"text": "x", "speed": -5}, "speed"),
        ({"text": "x", "speed": "fast"}, "speed"),
        ({"text": "x", "duration": 0}, "duration"),
        ({"text": "x", "passes": 0}, "passes"),
        ({"text": "x", "passes": 1.5}, "passes"),
        ({"text": "x", "color": "red"}, "color"),
        ({"text": "x", "background": "#12345"}, "background"),
        ({"text": "x", "align": "middle"}, "align"),
        ({"text": "x\x00y"}, "control"),
        ({"text": "{countdown:2026-13-40}"}, "countdown"),
        ({"kind": "video", "text": "x"}, "kind"),
    ],
)
def test_bad_input_raises_render_error_naming_the_problem(item: dict, words: str) -> None:
    with pytest.raises(RenderError, match=words):
        render_item(item, MONO, now=NOW)


def test_render_error_is_a_value_error() -> None:
    assert issubclass(RenderError, ValueError)


def test_text_at_the_limit_renders() -> None:
    gen = render_item({"text": ("Đảng " * 400)[:MAX_TEXT_CHARS]}, MONO, now=NOW)
    assert next(gen).image.size == (192, 32)


@pytest.mark.parametrize("color", ["mono", "bicolor", "rgb", "rgb565"])
@pytest.mark.parametrize("size", [(192, 32), (100, 16), (64, 64)])
@pytest.mark.parametrize("effect", ["scroll-left", "scroll-right", "scroll-up", "static"])
def test_frame_pack_is_exactly_the_board_bytes(color: str, size: tuple[int, int], effect: str) -> None:
    spec = BoardSpec(*size, color)
    speed = 1000 if color == "rgb565" else 300  # spec.pack of rgb565 is in Python: keep it short
    out = frames({"text": SLOGAN, "effect": effect, "speed": speed, "passes": 2}, spec)
    from drivers.pixels import to_board_image

    for f in out:
        assert f.pack(spec) == spec.pack(f.image)
        assert to_board_image(f.image, spec).tobytes() == f.image.tobytes()  # already in board colours
    fast = color == "rgb565" or effect == "scroll-up" or (color in ("mono", "bicolor") and size[0] % 8 == 0)
    if effect.startswith("scroll") and fast:
        assert all(f.packed is not None for f in out)


@pytest.mark.parametrize("effect", ["scroll-left", "scroll-up", "typewriter", "wipe", "static"])
def test_longest_text_on_the_biggest_board_stays_bounded(effect: str) -> None:
    from signage.render.fonts import candidates
    from signage.render.layout import WHOLE_STRIP_PIXELS, LazyStrip
    from signage.render.options import parse_slogan
    from signage.render.slogan import prepare, scroll_up_rows, sideways_rows

    spec = BoardSpec(1024, 512, "rgb")
    text = (SLOGAN + " ") * 40
    text = text[:MAX_TEXT_CHARS]
    gen = render_item({"text": text, "effect": effect}, spec, now=NOW)
    first = next(gen)
    assert first.image.size == spec.size
    prepared = prepare(text, parse_slogan({"text": text, "effect": effect}), spec)
    mask = prepared.mask
    if isinstance(mask, LazyStrip):
        # too big to hold whole, so drawn a tile at a time: in the font asked for, not a smaller one
        rows = sideways_rows(spec) if effect == "scroll-left" else scroll_up_rows(spec.height)
        assert prepared.layout.chain[0] == candidates(None, rows)[0]
        assert mask.cache_bytes < 1_000_000
        if effect == "scroll-left":
            assert next(gen).image.size == spec.size
    else:
        assert mask.width * mask.height <= WHOLE_STRIP_PIXELS
    assert (effect in ("scroll-left", "scroll-up")) == isinstance(mask, LazyStrip)


@pytest.mark.parametrize("mode", ["1", "L"])
def test_a_lazy_strip_draws_the_same_pixels_as_the_whole_strip(mode: str) -> None:
    from signage.render.fonts import auto_font
    from signage.render.layout import LazyStrip, block_ops, draw_block, make_block

    chain = (auto_font(32),)
    block = make_block([SLOGAN + " ì Ẫ ĩ"], chain, 32)
    size = (block.width + 2 * 64, 32)
    whole = draw_block(block, mode, size, (64, 0), "left")
    lazy = LazyStrip(mode, size, block_ops(block, (64, 0), "left"), True)
    for x in (0, 50, 63, 64, 100, 333, block.width - 10, block.width + 64):
        box = (x, 0, x + 64, 32)
        assert lazy.crop(box).tobytes() == whole.crop(box).tobytes(), x
    assert lazy.crop((0, 0, size[0], 32)).tobytes() == whole.tobytes()
    assert lazy.getbbox()[0] <= whole.getbbox()[0] and lazy.getbbox()[2] >= whole.getbbox()[2]


def test_hold_shows_the_text_for_its_duration_then_clears_the_board() -> None:
    out = frames({"text": "ĐẢNG", "effect": "hold", "duration": 5})
    assert [(f.at, f.hold) for f in out] == [(0.0, 5.0), (5.0, 0.0)]
    assert out[0].image.getbbox() is not None and out[1].image.getbbox() is None
    static = frames({"text": "ĐẢNG", "effect": "static", "duration": 5})
    assert static[0].image.tobytes() == out[0].image.tobytes() and len(static) == 1


@pytest.mark.parametrize("effect", ["wipe", "typewriter"])
def test_wipe_and_typewriter_hold_the_whole_text_as_asked(effect: str) -> None:
    item = {"text": "CHÀO MỪNG", "effect": effect, "speed": 100, "duration": 8}
    default = frames(item)
    held = frames({**item, "hold": 2.5})
    none = frames({**item, "hold": 0})
    assert default[-1].hold == 8 and held[-1].hold == 2.5 and none[-1].hold == 0
    assert default[-1].image.tobytes() == held[-1].image.tobytes() == none[-1].image.tobytes()
    assert len(default) == len(held) > 2
    with pytest.raises(RenderError, match="hold"):
        frames({**item, "hold": -1})
