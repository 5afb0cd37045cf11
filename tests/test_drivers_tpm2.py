"""rgb565 boards over TPM2: each 5/6-bit channel widened to the full 8 bits (issue #18, 8)."""

from __future__ import annotations

from PIL import Image

from drivers import open_board, tpm2
from drivers.pixels import BoardSpec
from drivers.simulator import Simulator

SPEC = BoardSpec(256, 256, "rgb565")


def every_565_colour() -> Image.Image:
    """A 256x256 image holding each of the 65,536 rgb565 colours once."""
    words = range(65536)
    data = bytes(v for w in words for v in ((w >> 11) << 3, ((w >> 5) & 0x3F) << 2, (w & 0x1F) << 3))
    return Image.frombytes("RGB", SPEC.size, data)


def test_white_is_sent_as_full_white() -> None:
    spec = BoardSpec(8, 8, "rgb565")
    frame = tpm2.encode(Image.new("RGB", spec.size, (255, 255, 255)), spec)
    assert frame[4:7] == b"\xff\xff\xff"  # was F8 FC F8: a dim, greenish white


def test_every_565_colour_is_widened_by_repeating_its_top_bits_and_decodes_back() -> None:
    img = every_565_colour()
    quarter = BoardSpec(256, 64, "rgb565")  # a TPM2 frame carries at most 65,535 bytes
    parts = [img.crop((0, y, 256, y + 64)) for y in range(0, 256, 64)]
    payloads = [tpm2.encode(part, quarter)[4:-1] for part in parts]
    payload = b"".join(payloads)
    for w in (0x0000, 0xFFFF, 0xF800, 0x07E0, 0x001F, 0x0821, 0x8410, 0x7BEF):
        r5, g6, b5 = w >> 11, (w >> 5) & 0x3F, w & 0x1F
        want = bytes(((r5 << 3) | (r5 >> 2), (g6 << 2) | (g6 >> 4), (b5 << 3) | (b5 >> 2)))
        assert payload[3 * w : 3 * w + 3] == want, hex(w)
    for part, data in zip(parts, payloads, strict=True):  # nothing lost on the way back
        assert quarter.pack(tpm2.decode_payload(data, quarter)) == quarter.pack(part)


def test_rgb565_board_on_the_simulator_shows_the_frame_exactly() -> None:
    spec = BoardSpec(64, 32, "rgb565")
    img = every_565_colour().crop((0, 0, 64, 32))
    with Simulator("tpm2", spec, listen="pty", baud=None) as sim, open_board(sim.url, "tpm2", spec) as board:
        board.show(img)
        board.flush()
        assert sim.wait_frames(1, 5)
        assert spec.pack(sim.framebuffer()) == spec.pack(img)
