"""One item's frames, each sent at its time and stopped at once when something comes first.

The pacer knows nothing of Redis: it asks ``interrupted`` (a cheap, memory-only check)
before every frame and while a frame is held, asks ``may_write`` (the fence) right before
every write, measures how late each frame left, and reads the board back: at the first
lit frame and every ``NOTICE_READBACK_EVERY`` seconds for a notice (each read-back holds
the next frame back by one round trip), once after the last frame for anything else.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from drivers import Board, DriverError
from signage.player import clock
from signage.readback import is_blank

#: How often a held frame checks for a newer show, a notice, the lease or a stop (seconds).
POLL = 0.02
#: Seconds between read-backs while a notice blinks or scrolls (the notice page asks every 2 s).
NOTICE_READBACK_EVERY = 2.0
#: Status and mirror go out at the first frame and every this many frames after.
STATUS_EVERY = 30


def wait_until(deadline: float, interrupted: Callable[[], bool]) -> bool:
    """Sleep until ``deadline`` (monotonic); True if interrupted on the way."""
    while True:
        if interrupted():
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(POLL, left))


class Pacer:
    """Sends one item's frames to ``link`` and fills its proof ``record``."""

    def __init__(
        self,
        link: Board,
        record: dict[str, Any],
        start: float,
        *,
        may_write: Callable[[], bool],
        interrupted: Callable[[], bool],
        report: Callable[..., None],
        mirror: Callable[[Any], None],
        last_end: float | None,
    ) -> None:
        self.link, self.record, self.start = link, record, start
        self.may_write, self.interrupted = may_write, interrupted
        self.report, self.mirror, self.last_end = report, mirror, last_end
        self.lateness: list[float] = []
        self.acked_before = link.stats.get("acked", 0)
        self.read_back = False

    def play(self, frames: Iterable[Any], end: float, readback_every: float | None) -> None:
        """Send every frame at ``start + frame.at``; hold the last until ``end`` at the earliest."""
        readback_next = time.monotonic() if readback_every is not None else None
        for frame in frames:
            if wait_until(self.start + frame.at, self.interrupted) or not self.may_write():
                self.record["interrupted"] = True  # the fence is checked right before the write
                return
            self.send(frame)
            if readback_next is not None and time.monotonic() >= readback_next and not is_blank(frame.image):
                self.readback()  # a dark board proves nothing
                readback_next = time.monotonic() + (readback_every or NOTICE_READBACK_EVERY)
            end = max(end, self.start + frame.at + frame.hold)
        if not self.read_back and end - time.monotonic() > 0.5 and self.may_write():
            self.readback()
        self.record["interrupted"] = wait_until(end, self.interrupted)

    def send(self, frame: Any) -> None:
        record = self.record
        self.lateness.append(time.monotonic() - (self.start + frame.at))
        if record["frames_sent"] == 0 and self.last_end is not None:
            record["gap_ms"] = round((time.monotonic() - self.last_end) * 1000, 1)
        self.link.show(frame.image, frame.op)  # the renderer's scroll hint saves the driver a search
        record["frames_sent"] += 1
        if record["frames_sent"] == 1:
            record["actual_start"] = clock.utc_now().isoformat()
            if self.last_end is not None:  # with the wire time of the first frame
                record["gap_acked_ms"] = round((time.monotonic() - self.last_end) * 1000, 1)
        if record["frames_sent"] == 1 or record["frames_sent"] % STATUS_EVERY == 0:
            self.mirror(frame.image)
            stats = self.link.stats
            self.report(
                frames=record["frames_sent"],
                acked=stats.get("acked", 0),
                errors=stats.get("errors", 0),
                link="up",
                gap_ms=record["gap_ms"],
            )

    def readback(self) -> None:
        self.read_back = True
        try:
            crc = self.link.readback()
        except DriverError:  # no answer, or a board without read-back: nothing to report
            return
        if crc is not None:  # with its time, so the admin can tell it belongs to the item since ``since``
            self.report(readback=f"{crc:08x}", readback_at=time.time())

    def close(self, link_now: Board | None) -> None:
        """Fill the acked count and the lateness percentiles into the record."""
        record = self.record
        acked = link_now.stats.get("acked", 0) if link_now is self.link else None
        record["frames_acked"] = acked - self.acked_before if acked is not None else 0
        late = sorted(self.lateness)
        if len(late) > 1:
            record["late_ms"] = {
                "p50": round(late[len(late) // 2] * 1000, 2),
                "p99": round(late[int(len(late) * 0.99)] * 1000, 2),
                "max": round(late[-1] * 1000, 2),
            }
