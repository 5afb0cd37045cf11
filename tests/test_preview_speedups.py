"""The uncached slogan preview is cheap (issue #6) without showing anything the board does not.

The preview asks the renderer for just the frames it looks at (``render_item(..., only=...)``)
and writes the magnified frame as a palette PNG at a low zlib level. These tests hold both to
the slow way: the frames are the full sequence's, the chosen frame is the one a full scan over
the real generator picks, and the decoded PNG pixels are those of the RGB LED look.
"""

from __future__ import annotations

import io
import itertools
from datetime import datetime, timedelta
from typing import Any

import pytest
from PIL import Image

from drivers.pixels import BoardSpec
from signage.render import Frame, render_item
from signage.render import effects as effects_module
from signage.render.preview import PALETTE_COLORS, LedLook, frame_png
from signage.web.preview import SAMPLES, SCROLL_SAMPLES, _fullest_frame

SLOGAN = "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẢNG BỘ TỈNH KON TUM"
#: Two seconds before a new minute: a {time} slogan changes text inside the first stretch.
NOW = datetime(2026, 11, 26, 8, 59, 58)
SPECS = [BoardSpec(192, 32, "mono"), BoardSpec(128, 64, "rgb")]
EFFECTS = ["scroll-left", "scroll-right", "scroll-up", "typewriter", "wipe", "blink"]
TEXTS = [SLOGAN, "Bây giờ là {time}, chào mừng Đại hội"]


def item(text: str, effect: str, **more: Any) -> dict[str, Any]:
    return {
        "kind": "slogan",
        "text": text,
        "effect": effect,
        "speed": 32,
        "color": "#ffcc00",
        "duration": 10.0,
        **more,
    }


def sample(spec: BoardSpec, effect: str = "typewriter") -> range:
    """The frames the preview looks at, as web.preview._fullest_frame picks them."""
    span = 2 * max(spec.width, spec.height)
    scrolls = effect == "auto" or effect.startswith("scroll-")
    return range(0, span, max(1, span // (SCROLL_SAMPLES if scrolls else SAMPLES)))


def same(a: Frame, b: Frame) -> bool:
    return (a.image.mode, a.image.size, a.image.tobytes(), a.at, a.hold) == (
        b.image.mode,
        b.image.size,
        b.image.tobytes(),
        b.at,
        b.hold,
    )


def old_lit(frame: Frame) -> int:
    """Lit pixels counted as the preview first counted them (through the histogram)."""
    return frame.image.size[0] * frame.image.size[1] - frame.image.convert("L").histogram()[0]


# --- only the frames looked at -------------------------------------------------------------
@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.color)
@pytest.mark.parametrize("effect", EFFECTS)
@pytest.mark.parametrize("text", TEXTS, ids=["plain", "live"])
def test_the_frames_asked_for_are_the_full_sequences_frames(spec: BoardSpec, effect: str, text: str) -> None:
    it = item(text, effect)
    for only in (sample(spec, effect), range(3, 200, 7), range(0, 10**6)):
        full = list(itertools.islice(render_item(it, spec, now=NOW), only.start, only.stop, only.step))
        picked = list(render_item(it, spec, now=NOW, only=only))
        assert len(picked) == len(full)
        assert all(same(a, b) for a, b in zip(picked, full, strict=True))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.color)
@pytest.mark.parametrize("effect", [*EFFECTS, "static", "hold", "auto"])
@pytest.mark.parametrize("text", TEXTS, ids=["plain", "live"])
def test_the_fullest_frame_is_the_one_a_full_scan_picks(spec: BoardSpec, effect: str, text: str) -> None:
    it = item(text, effect)
    only = sample(spec, effect)
    scanned = max(
        itertools.islice(render_item(it, spec, now=NOW), only.start, only.stop, only.step), key=old_lit
    )
    assert same(_fullest_frame(it, spec, NOW), scanned)


@pytest.mark.parametrize("effect", ["scroll-left", "scroll-right", "scroll-up"])
@pytest.mark.parametrize("color", ["mono", "bicolor", "rgb565"])
def test_a_live_text_that_shrinks_mid_scroll_is_sampled_as_walked_in_full(effect: str, color: str) -> None:
    # "còn 1 ngày" becomes "hôm nay" at midnight, 1.5 s in: sideways on a 48 px board the
    # window is already past the shorter text's end, so that pass stops early (the swap's break)
    spec = BoardSpec(48, 16, color)
    it = item("{countdown:2026-11-27}", effect, speed=64, passes=2, background="#000044")
    now = datetime(2026, 11, 27) - timedelta(seconds=1.5)
    full = list(render_item(it, spec, now=now))
    for only in (range(0, len(full) + 5), range(1, len(full), 5), range(len(full) - 1, len(full))):
        picked = list(render_item(it, spec, now=now, only=only))
        assert [f.at for f in picked] == [full[i].at for i in only if i < len(full)]
        assert all(same(a, full[i]) for a, i in zip(picked, only, strict=False))


def test_frames_not_asked_for_are_never_cropped(monkeypatch: pytest.MonkeyPatch) -> None:
    crops = []
    real = effects_module.fast_crop
    monkeypatch.setattr(effects_module, "fast_crop", lambda img, box: crops.append(box) or real(img, box))
    spec = SPECS[0]
    only = sample(spec)
    frames = list(render_item(item(SLOGAN * 20, "scroll-left"), spec, now=NOW, only=only))
    assert len(frames) == len(only) == len(crops)
    assert all(f.op is None and f.packed is None for f in frames)  # their predecessors are not yielded


def test_playout_frames_still_carry_their_scroll_ops() -> None:
    frames = list(itertools.islice(render_item(item(SLOGAN, "scroll-left"), SPECS[0], now=NOW), 5))
    assert frames[0].op is None
    assert all(f.op is not None and f.op.shift == 1 and f.packed is not None for f in frames[1:])


def test_nothing_asked_for_gives_nothing_and_banners_honour_only_too() -> None:
    assert list(render_item(item(SLOGAN, "scroll-left"), SPECS[0], now=NOW, only=range(0))) == []
    assert list(render_item(item(SLOGAN, "typewriter"), SPECS[0], now=NOW, only=range(5, 5))) == []
    buf = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 10, 10)).save(buf, "PNG")
    banner = {"kind": "banner", "image": buf.getvalue()}
    (full,) = render_item(banner, SPECS[1])
    (picked,) = render_item(banner, SPECS[1], only=range(0, 384, 6))
    assert same(picked, full)
    assert list(render_item(banner, SPECS[1], only=range(1, 9))) == []


# --- PNG -----------------------------------------------------------------------------------
def frames_to_check() -> list[tuple[str, Image.Image]]:
    out = []
    for spec in (
        BoardSpec(192, 32, "mono"),
        BoardSpec(128, 64, "rgb"),
        BoardSpec(96, 16, "bicolor"),
        BoardSpec(64, 32, "rgb565"),
    ):
        for effect in ("scroll-left", "static"):
            it = item(SLOGAN, effect, color="#12ab77", background="#102030")
            out.append((f"{spec.color}-{effect}", _fullest_frame(it, spec, NOW).image))
    inverted = item(SLOGAN, "static", color="#000000", background="#ffffff")  # lit board, dark text
    out.append(("mono-inverted", _fullest_frame(inverted, SPECS[0], NOW).image))
    photo = Image.radial_gradient("L").resize((64, 32)).convert("RGB")  # a banner: every colour
    out.append(("photo", photo))
    return out


@pytest.mark.parametrize(("name", "image"), frames_to_check(), ids=lambda v: v if isinstance(v, str) else "")
def test_the_png_decodes_to_exactly_the_led_look(name: str, image: Image.Image) -> None:
    for scale in (1, 2, 3, 4, 8):
        for led in ((255, 40, 16), (10, 200, 255)):
            data = frame_png(image, scale, led)
            back = Image.open(io.BytesIO(data))
            if scale == 1:
                expected = image.convert("RGB")  # the board's own pixels
            else:
                expected = LedLook(image.size, scale, led)(image)  # the RGB look, as before
            assert back.size == expected.size
            assert back.convert("RGB").tobytes() == expected.tobytes(), (name, scale, led)


def test_a_mono_preview_png_is_a_small_palette_image() -> None:
    frame = _fullest_frame(item(SLOGAN, "scroll-left"), SPECS[0], NOW).image
    back = Image.open(io.BytesIO(data := frame_png(frame, 4)))
    assert back.mode == "P"
    assert len(back.getpalette() or []) <= 3 * 4  # 2 bits a pixel: panel, unlit, lit
    assert len(data) < 16_000


def test_frames_of_many_colours_stay_rgb() -> None:
    photo = Image.radial_gradient("L").resize((64, 32)).convert("RGB")
    assert len(photo.getcolors(1 << 16) or ()) > PALETTE_COLORS
    assert LedLook(photo.size, 4).indexed(photo) is None
    assert Image.open(io.BytesIO(frame_png(photo, 4))).mode == "RGB"
