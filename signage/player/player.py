"""What one board plays now, and the proof record of each play.

``Player.play`` plays one item (or waits a moment when there is nothing, or when it may
not write): the show in hand (``state``: refreshed when the status thread saw a newer
one), the schedule's choice at this moment with the playlist's cursor, the open link
(``board_link``), the check that ends an item early (``interrupt``) and a ``Pacer`` for
the frames, or the board's own scroll. Each play leaves a proof record (``record``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from redis.exceptions import RedisError

from drivers import Board, DriverError
from drivers.board_scroll import BoardScroll
from drivers.pixels import BoardSpec
from signage import schedule
from signage.player import clock, onboard
from signage.player.board_link import GIVE_UP_AFTER, LINK_FAULTS, PortBusy
from signage.player.interrupt import Interrupter, NoticeClock
from signage.player.pacer import NOTICE_READBACK_EVERY, Pacer, wait_until
from signage.player.record import item_end, name_item, new_record, planned_seconds
from signage.player.state import PlayerState, instance_dir
from signage.render import RenderError, render_item
from signage.show import Show, ShowBoard, ShowItem

__all__ = [
    "GIVE_UP_AFTER",
    "IDLE_SECONDS",
    "LINK_FAULTS",
    "LINK_RETRY",
    "NoticeClock",
    "Player",
    "PortBusy",
    "instance_dir",
    "planned_seconds",
]

log = logging.getLogger(__name__)

#: What a board does (and how long) when it has nothing to play, before looking again.
IDLE_SECONDS = 2.0
#: Pause after a link error before trying the board again.
LINK_RETRY = 0.3


class Player(PlayerState):
    """Plays one board's items, one ``play`` call each (from RQ's job, or offline)."""

    # -- playing --------------------------------------------------------------------------
    def interrupter(
        self, doc: Show | None, choice: schedule.Choice, source: str, item: ShowItem | None = None
    ) -> Interrupter:
        """The check run before every frame and while a frame is held (``interrupt``)."""
        return Interrupter(self, doc, choice, source, item)

    def play(self, source: str = "rq") -> dict[str, Any]:
        """Play one item (or wait a moment when there is nothing); returns the proof record."""
        from signage.player.pattern import play_test_pattern

        self.touch()
        doc = self.refresh()
        request = self.pattern_request
        if doc is not None and self.pattern_wanted() and request is not None:
            left = request["left"] - (time.monotonic() - request["read_at"])
            if left > 0:
                return play_test_pattern(self, doc, request, left, source)
        now = clock.utc_now()
        choice, item = self.choose(doc, now)
        record = self.new_record(choice, doc, now, source)
        start = time.monotonic()
        interrupted = self.interrupter(doc, choice, source, item)
        if item is None or doc is None or not self.lease.may_write():
            return self.wait(choice, doc, record, start, interrupted)
        return self.play_item(doc, choice, item, record, start, interrupted)

    def new_record(
        self, choice: schedule.Choice, doc: Show | None, now: datetime, source: str
    ) -> dict[str, Any]:
        return new_record(self.slug, self.lease.token, choice, doc, now, source)

    def wait(
        self,
        choice: schedule.Choice,
        doc: Show | None,
        record: dict[str, Any],
        start: float,
        interrupted: Interrupter,
    ) -> dict[str, Any]:
        """Nothing to play (or not ours to play): off hours blank the board; wait a moment."""
        if not self.lease.may_write():
            choice = schedule.Choice("idle", label="waiting for the lease")
        elif choice.kind == "off" and not self.was_off:
            self.switch_off(doc)
        self.status.update(item=None, label=choice.label, kind=choice.kind, since=time.time())
        record["interrupted"] = wait_until(start + IDLE_SECONDS, interrupted)
        return self.finish(record, start)

    def open_link(self, doc: Show, record: dict[str, Any]) -> tuple[Board, BoardSpec] | None:
        """The board's link and size, or None (said in the status and record) when unreachable."""
        try:
            return self.link_for(doc.board), doc.board.spec()
        except LINK_FAULTS as exc:
            record["error"] = f"link: {exc}"
            log.error("board %s: cannot reach the board: %s", self.slug, exc)
            self.status.update(item=record["item"], since=time.time(), link="down", error=str(exc))
            return None

    def play_item(
        self,
        doc: Show,
        choice: schedule.Choice,
        item: ShowItem,
        record: dict[str, Any],
        start: float,
        interrupted: Interrupter,
    ) -> dict[str, Any]:
        """One item's frames on the board, from the first frame (a full one) to its end."""
        self.was_off = False
        name_item(record, item, doc)
        opened = self.open_link(doc, record)
        if opened is None:
            record["interrupted"] = wait_until(start + IDLE_SECONDS, interrupted)
            return self.finish(record, start)
        link, spec = opened
        self.status.item_started(choice.kind, choice.label, item, record)
        self.journal.append(record, "begin")  # a kill mid-item leaves this, marked interrupted
        pacer = Pacer(
            link,
            record,
            start,
            may_write=self.lease.may_write,
            interrupted=interrupted,
            report=self.status.update,
            mirror=self.status.mirror,
            last_end=self.last_end,
        )
        try:
            self.run_frames(pacer, doc, choice, item, spec)
        except RenderError as exc:
            record["error"] = f"render: {exc}"
            log.error("board %s: item %s cannot be rendered: %s; skipping it", self.slug, record["item"], exc)
            wait_until(time.monotonic() + 0.5, interrupted)
        except DriverError as exc:  # the link, or a board that refuses a command (a NACK)
            self.link_lost(record, exc, interrupted)
        pacer.close(self.link)
        if not self.lease.may_write() and not self.stop.is_set():
            log.error("board %s: lease lost; link closed, no more writes", self.slug)
            self.close_link()
        self.last_end = time.monotonic() if record["frames_sent"] else self.last_end
        return self.finish(record, start)

    def run_frames(
        self, pacer: Pacer, doc: Show, choice: schedule.Choice, item: ShowItem, spec: BoardSpec
    ) -> None:
        """The item's brightness, then its frames: stepped by the board when it can, else sent."""
        link = pacer.link
        self.set_brightness(doc, link, clock.utc_now())
        frames = render_item(self.with_image(item), spec, now=clock.board_now(doc))
        every = NOTICE_READBACK_EVERY if choice.kind == "notice" else None
        end = item_end(item, pacer.start)
        scroll = self.board_scroll(link, item, spec, doc)
        if scroll is None:
            pacer.play(frames, end, every)
        else:
            pacer.play_on_board(scroll, frames, end, every, self.caps)

    def board_scroll(self, link: Board, item: ShowItem, spec: BoardSpec, doc: Show) -> BoardScroll | None:
        """The item as a scroll the board steps itself, when the board lists SCROLL (asked
        once per open link) and the item is one (``onboard.scroll_for``); else None."""
        if not onboard.enabled():
            return None
        caps = self.board_link.capabilities(link)
        if caps is None or onboard.SCROLL not in caps.commands:
            return None
        return onboard.scroll_for(link, item, spec, clock.board_now(doc))

    def link_lost(self, record: dict[str, Any], exc: DriverError, interrupted: Callable[[], bool]) -> None:
        """The board stopped answering mid-item: say so, close the link, retry shortly."""
        record["error"] = f"link: {exc}"
        log.error("board %s: link lost during item %s: %s", self.slug, record["item"], exc)
        self.status.update(link="down", error=str(exc))
        self.close_link()
        wait_until(time.monotonic() + LINK_RETRY, interrupted)

    def set_brightness(self, doc: Show, link: Board, now: datetime) -> None:
        """Send the brightness of the time table when it changed (percent -> 0..255)."""
        level = round(schedule.brightness(doc, now) * 255 / 100)
        if self.board_link.brightness(link, level):
            self.status.update(brightness=level)

    def switch_off(self, doc: Show | None) -> None:
        """Outside on/off hours: blank the board and turn it down."""
        if self.board_link.switch_off(doc.board if doc is not None else ShowBoard()):
            self.was_off = True

    def with_image(self, item: ShowItem) -> dict[str, Any]:
        """The item as the renderer takes it: banners name their image by hash; hand it the bytes."""
        if not item.is_banner:
            return item.render()
        sha = item.image or ""
        try:
            data = self.cache.blob(self.redis if self.redis_ok else None, sha)
        except RedisError as exc:
            self.went_offline(exc)
            data = self.cache.blob(None, sha)
        if data is None:
            raise RenderError(f"banner image {sha[:12]} is missing from the show")
        return item.render(data)

    def finish(self, record: dict[str, Any], start: float) -> dict[str, Any]:
        """Close the record and journal it as proof of play (pushed to Redis by the status thread)."""
        record["actual_end"] = clock.utc_now().isoformat()
        record["seconds"] = round(time.monotonic() - start, 3)
        if record["item"] is not None:  # waiting is not playing: no proof record
            self.journal.append(record)
        return record
