"""The real send path uses the renderer's scroll hint without diffing frames (issue #18, 9).

A hint whose ``prev`` is the frame the board shows is trusted: the SHIFT goes out when it
provably costs least, and the packets are byte for byte those the full search sends.
"""

from __future__ import annotations

import pytest

from drivers import delta, open_board
from drivers.native import SYNC, decode_packet
from drivers.pixels import BoardSpec
from drivers.simulator import Simulator
from signage.render import ScrollOp, render_item

SLOGAN = "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG"
CASES = [
    (BoardSpec(192, 32), {"effect": "scroll-left", "speed": 32}),
    (BoardSpec(128, 64, "rgb"), {"effect": "scroll-left", "speed": 32, "color": "#ffcc00"}),
    (BoardSpec(96, 16, "bicolor"), {"effect": "scroll-right", "speed": 64}),
    (BoardSpec(100, 20, "rgb"), {"effect": "scroll-right", "speed": 64, "color": "#ff3300"}),
    (BoardSpec(100, 13), {"effect": "scroll-right", "speed": 32}),
    (BoardSpec(64, 32, "rgb565"), {"effect": "scroll-up", "speed": 16}),
    (BoardSpec(84, 7), {"effect": "scroll-left", "speed": 32}),
    (BoardSpec(160, 16), {"effect": "scroll-left", "speed": 400, "text": "{time} " + SLOGAN}),
]


def written(board: object) -> list[bytes]:
    """Every packet the board's link writes, in order."""
    out: list[bytes] = []
    link = board.link  # type: ignore[attr-defined]
    real = link.write

    def write(data: bytes) -> None:
        out.append(data)
        real(data)

    link.write = write
    return out


@pytest.mark.parametrize("spec, item", CASES, ids=[f"{s.width}x{s.height}-{s.color}" for s, _ in CASES])
def test_trusted_hint_sends_the_bytes_the_search_sends(spec: BoardSpec, item: dict, monkeypatch) -> None:
    item = {"text": SLOGAN, **item}
    frames = list(render_item(item, spec))
    assert sum(f.op is not None for f in frames) > len(frames) // 2
    diffs = {"n": 0}
    real_diff = delta.diff_bbox

    def counted(a, b):  # noqa: ANN001, ANN202
        diffs["n"] += 1
        return real_diff(a, b)

    with (
        Simulator("native", spec, listen="pty", baud=None) as fast_sim,
        Simulator("native", spec, listen="pty", baud=None) as slow_sim,
        open_board(fast_sim.url, "native", spec) as fast,
        open_board(slow_sim.url, "native", spec) as slow,
    ):
        slow._seq = fast._seq  # type: ignore[attr-defined]
        fast_bytes, slow_bytes = written(fast), written(slow)
        monkeypatch.setattr(delta, "diff_bbox", counted)
        for f in frames:
            fast.show(f.image, f.op)
        fast_diffs = diffs["n"]
        monkeypatch.setattr(delta, "diff_bbox", real_diff)
        for f in frames:  # the same hint, minus what ties it to the frame before: checked as before
            slow.show(f.image, ScrollOp(f.op.direction, f.op.shift, f.image) if f.op else None)
        assert fast.verify() and slow.verify()
    assert fast_bytes == slow_bytes
    hinted = sum(f.op is not None for f in frames)
    assert fast.stats["hints_used"] >= hinted * 0.9
    if spec.size in ((192, 32), (128, 64)):
        assert fast_diffs <= hinted // 2  # most steps are decided without comparing frames


def test_a_hint_that_follows_another_frame_is_not_trusted() -> None:
    """A hint whose ``prev`` is not what the board shows is checked, so the board ends up right."""
    spec = BoardSpec(96, 16)
    frames = list(render_item({"text": SLOGAN, "effect": "scroll-left", "speed": 32}, spec))
    with (
        Simulator("native", spec, listen="pty", baud=None) as sim,
        open_board(sim.url, "native", spec) as board,
    ):
        board.show(frames[40].image)
        board.show(frames[60].image, frames[60].op)  # its prev is frame 59, which the board never had
        assert board.verify()
        board.clear()
        board.show(frames[61].image, frames[61].op)  # prev is frame 60, but the board was cleared since
        assert board.verify()


def test_packets_are_what_show_writes() -> None:
    """``NativeBoard.packets`` (the benchmark's real path) plans and encodes as ``show`` does."""
    spec = BoardSpec(192, 32)
    frames = list(render_item({"text": SLOGAN, "effect": "scroll-left", "speed": 32}, spec))[:200]
    with (
        Simulator("native", spec, listen="pty", baud=None) as sim,
        open_board(sim.url, "native", spec) as board,
    ):
        shadow = open_board("loop://", "native", spec)
        shadow._seq = board._seq  # type: ignore[attr-defined]
        sent = written(board)
        planned = [p for f in frames for p in shadow.packets(f.image, f.op)]  # type: ignore[attr-defined]
        for f in frames:
            board.show(f.image, f.op)
    assert sent[1:] == planned[1:]  # the first packet on a new port also carries SYNC
    assert decode_packet(sent[0][:-1])[2] == decode_packet(planned[0][:-1])[2] | SYNC
