"""The play loop's wait between two frames: a short one is slept through, yet a change is seen.

A scroll step's gap (31 ms at 32 px/s) is slept with ``time.sleep`` instead of a timed
event wait (issue #18, worker CPU); whatever sets the wake event meanwhile (a notice, a
newer show, a stop) still ends the item at the end of that gap, never later.
"""

from __future__ import annotations

import threading
import time

from signage.player import pacer


class Check:
    """An ``interrupted`` like the player's: a flag, and the wake event that says it changed."""

    def __init__(self) -> None:
        self.wake = threading.Event()
        self.flag = False
        self.asked = 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.flag

    def raise_flag(self) -> None:
        self.flag = True
        self.wake.set()


def test_a_step_gap_ends_on_time_when_nothing_changes() -> None:
    check = Check()
    start = time.monotonic()
    assert pacer.wait_until(start + 0.03, check) is False
    took = time.monotonic() - start
    assert 0.03 <= took < 0.03 + 0.02
    assert check.asked == 1  # looked once, before the gap


def test_a_change_during_a_step_gap_is_seen_at_its_end() -> None:
    check = Check()
    threading.Timer(0.01, check.raise_flag).start()
    start = time.monotonic()
    assert pacer.wait_until(start + pacer.NAP, check) is True
    assert time.monotonic() - start < pacer.NAP + 0.02


def test_a_change_during_a_long_wait_is_seen_at_once() -> None:
    check = Check()
    threading.Timer(0.05, check.raise_flag).start()
    start = time.monotonic()
    assert pacer.wait_until(start + 2.0, check) is True
    assert time.monotonic() - start < 0.05 + 0.05
