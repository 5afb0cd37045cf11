"""One item's frames, each sent at its time and stopped at once when something comes first.

The pacer knows nothing of Redis: it asks ``interrupted`` (a cheap, memory-only check)
before every frame and while a frame is held, asks ``may_write`` (the fence) right before
every write, measures how late each frame left, and reads the board back: at the first
lit frame and every ``NOTICE_READBACK_EVERY`` seconds for a notice (each read-back holds
the next frame back by one round trip), once after the last frame for anything else.

A scroll the board steps on its own clock (``play_on_board``: SCROLL, docs/protocol.md)
goes out once; the board is then read back every ``BOARD_LOOK_EVERY`` seconds and at the
scroll's end, and the step it answers is what the mirror, the status and the proof say.
Anything that interrupts it stops the board at once (CLEAR), as a SHIFT scroll stops.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from drivers import Board, DriverError
from drivers.board_scroll import BoardScroll, Capabilities
from signage.player import clock
from signage.readback import is_blank

log = logging.getLogger(__name__)

#: How often a held frame checks for a newer show, a notice, the lease or a stop (seconds).
POLL = 0.02
#: Seconds between read-backs while a notice blinks or scrolls (the notice page asks every 2 s).
NOTICE_READBACK_EVERY = 2.0
#: Status and mirror go out at the first frame and every this many frames after.
STATUS_EVERY = 30
#: Seconds between read-backs of a board-side scroll (its step: mirror, status, proof).
BOARD_LOOK_EVERY = 1.0


#: How long a play loop with a wake event waits before looking anyway: what only the clock
#: changes (a notice's start or expiry, the lease running out unrenewed) is seen this late.
LOOK = 0.25
#: A wait this short (seconds) is slept through, the wake event looked at after it.
NAP = 0.05


class Stop(threading.Event):
    """The player's stop flag: setting it also sets ``wake``, so a waiting play loop sees it at once."""

    def __init__(self, wake: threading.Event) -> None:
        super().__init__()
        self.wake = wake

    def set(self) -> None:
        super().set()
        self.wake.set()


def wait_until(deadline: float, interrupted: Callable[[], bool]) -> bool:
    """Sleep until ``deadline`` (monotonic); True if interrupted on the way.

    An ``interrupted`` that carries a ``wake`` event (the player's: set by the status thread
    when a newer show, a test pattern or a lost lease or Redis comes, and by a stop) is
    asked again when it is set, and every ``LOOK`` seconds; any other every ``POLL``. A
    wait of ``NAP`` or less (the gap between two scroll steps) is slept through and the
    event looked at after it: a plain sleep costs a fraction of an event's timed wait, and
    what set it is seen at most ``NAP`` late, at the next frame.
    """
    wake: threading.Event | None = getattr(interrupted, "wake", None)
    while True:
        if wake is not None and wake.is_set():
            wake.clear()  # before looking: a change after the look cuts the wait short
        if interrupted():
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        if wake is None:
            time.sleep(min(POLL, left))
        elif left <= NAP:
            time.sleep(left)
            if not wake.is_set():
                return False
        elif not wake.wait(min(LOOK, left)) and left <= LOOK:
            return False  # nothing woke it and the deadline came: looked at less than LOOK ago


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
        self.confirmed: int | None = None  # steps of a board-side scroll the board read back

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

    def play_on_board(
        self,
        scroll: BoardScroll,
        frames: Iterable[Any],
        end: float,
        readback_every: float | None,
        caps: Capabilities | None = None,
    ) -> bool:
        """Send the scroll once and let the board step it; hold its last step until ``end`` at
        the earliest. Falls back to ``play(frames)`` when the board does not take it (False)."""
        record = self.record
        if wait_until(self.start, self.interrupted) or not self.may_write():
            record["interrupted"] = True
            return True
        sent = time.monotonic()
        if not scroll.start(caps):
            self.play(frames, end, readback_every)
            return False
        applied = time.monotonic()  # the board's step 0, give or take half an ACK's wire time
        self.board_started(scroll, sent, applied)
        dt = scroll.seconds_per_step
        last = scroll.last_step or 0
        end = max(end, applied + (last + 1) * dt)  # the last step shows for one step's time too
        step = 0
        while step < last:
            due = applied + last * dt + 0.01  # when the board should show its last step
            look = min(time.monotonic() + BOARD_LOOK_EVERY, max(due, time.monotonic() + dt))
            if wait_until(look, self.interrupted) or not self.may_write():
                self.stop_board(scroll)
                return True
            n = scroll.shown()
            if n is None:  # the board lost it (a reset, another sender): SHIFT steps from here on
                return self.lost_board(scroll, frames, end, readback_every, applied)
            step = n
            self.look(scroll, n)
        self.record["interrupted"] = wait_until(end, self.interrupted)  # the last step stays lit
        return True

    def board_started(self, scroll: BoardScroll, sent: float, applied: float) -> None:
        """The board took the scroll (sent at ``sent``, ACKed at ``applied``): it shows step 0."""
        record = self.record
        log.info(
            "item %s scrolls on the board (SCROLL, %s steps, %.1f s to send)",
            record.get("item"),
            scroll.last_step + 1 if scroll.last_step is not None else "endless",
            applied - sent,
        )
        self.lateness.append(sent - self.start)
        if self.last_end is not None:
            record["gap_ms"] = round((sent - self.last_end) * 1000, 1)
            record["gap_acked_ms"] = round((applied - self.last_end) * 1000, 1)
        record["actual_start"] = clock.utc_now().isoformat()
        record["board_scroll"] = True
        record["frames_sent"] = 1
        self.confirmed = 1  # the SCROLL's ACK: the board applied it and shows step 0
        self.mirror(scroll.frame(0))
        self.report(frames=1, acked=self.link.stats.get("acked", 0), link="up", gap_ms=record["gap_ms"])

    def look(self, scroll: BoardScroll, n: int) -> None:
        """The board answered step ``n`` with that step's CRC: mirror, status and proof say so."""
        self.record["frames_sent"] = self.confirmed = n + 1
        self.mirror(scroll.frame(n))
        self.read_back = True
        self.report(
            frames=n + 1,
            acked=self.link.stats.get("acked", 0),
            errors=self.link.stats.get("errors", 0),
            link="up",
            readback=f"{scroll.crc:08x}",
            readback_at=time.time(),
        )

    def stop_board(self, scroll: BoardScroll) -> None:
        """Something came first: note the step the board got to, then stop it (CLEAR)."""
        self.record["interrupted"] = True
        if not self.may_write():
            return  # not ours to write any more: whoever holds the lease replaces it
        n = scroll.shown()
        if n is not None:
            self.record["frames_sent"] = self.confirmed = n + 1
        self.link.clear()
        self.mirror(self.link.spec.blank())

    def lost_board(
        self,
        scroll: BoardScroll,
        frames: Iterable[Any],
        end: float,
        readback_every: float | None,
        applied: float,
    ) -> bool:
        """The board no longer shows the scroll: the rest of it as SHIFT steps, on its time."""
        shown = self.record["frames_sent"]
        self.record["error"] = f"board-side scroll lost after {shown} steps; sent by SHIFT from there"
        self.start = applied
        elapsed = time.monotonic() - applied
        self.confirmed = None
        self.play((f for f in frames if f.at + f.hold > elapsed), end, readback_every)
        return True

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
        if self.confirmed is not None:  # a board-side scroll: the steps its read-backs confirmed
            record["frames_acked"] = self.confirmed if acked is not None else 0
        late = sorted(self.lateness)
        if len(late) > 1:
            record["late_ms"] = {
                "p50": round(late[len(late) // 2] * 1000, 2),
                "p99": round(late[int(len(late) * 0.99)] * 1000, 2),
                "max": round(late[-1] * 1000, 2),
            }
