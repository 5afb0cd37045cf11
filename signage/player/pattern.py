"""The administrator's test pattern: before everything, until its request expires.

Someone is looking at the board and asked for it, for seconds, so it goes before notices
too. Off hours the board is lit for it and blanked again afterwards (the schedule sets
the brightness and the off state again once it is over).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from drivers import LinkError
from signage import schedule
from signage.player import clock
from signage.player.pacer import wait_until
from signage.render.testpattern import test_pattern
from signage.show import Show

if TYPE_CHECKING:
    from signage.player.player import Player

log = logging.getLogger(__name__)


def pattern_record(player: Player, doc: Show, by: str, left: float, source: str) -> dict[str, Any]:
    now = clock.utc_now()
    record = player.new_record(schedule.Choice("test", label=f"test pattern ({by})"), doc, now, source)
    record.update(
        item="test-pattern", source="test-pattern", planned_end=(now + timedelta(seconds=left)).isoformat()
    )
    return record


def announce(player: Player, record: dict[str, Any]) -> None:
    """The status says the test pattern is on, from now."""
    player.status.update(
        item="test-pattern",
        text=None,
        label=record["label"],
        kind="test",
        source="test-pattern",
        since=time.time(),
        link="up",
        error=None,
        version=record["show_version"],
        frames=0,
    )


def play_test_pattern(
    player: Player, doc: Show, request: dict[str, Any], left: float, source: str
) -> dict[str, Any]:
    """Show the test pattern until its request expires (or a new press replaces it)."""
    start = time.monotonic()
    by = str(request.get("by") or "?")
    record = pattern_record(player, doc, by, left, source)
    wanted, ended = request.get("id"), [False]

    def interrupted() -> bool:
        player.touch()
        if player.stop.is_set() or not player.lease.may_write():
            return True
        current = player.pattern_request if player.redis_ok else None
        if current is None or current.get("id") != wanted:
            ended[0] = current is None  # expired: the pattern is over, not cut short
            return True
        return False

    opened = player.open_link(doc, record)
    if opened is None:
        record["interrupted"] = wait_until(start + 2.0, interrupted)
        return player.finish(record, start)
    link, spec = opened
    acked_before = link.stats.get("acked", 0)
    announce(player, record)
    try:
        # lit even when dimmed to 0
        level = round(schedule.brightness(doc, clock.utc_now()) * 255 / 100) or 255
        link.brightness(level)
        player.board_link.level_sent, player.was_off = level, False  # the schedule sets both again
        cycle(player, link, test_pattern(spec, player.slug), record, start + left, interrupted, ended)
    except LinkError as exc:
        player.link_lost(record, exc, interrupted)
    record["frames_acked"] = (player.link.stats.get("acked", 0) - acked_before) if player.link is link else 0
    if not record["interrupted"]:
        player.pattern_done = wanted  # its key may outlive it by a few ms: do not start it again
    log.info("board %s: test pattern by %s shown (%d frames)", player.slug, by, record["frames_sent"])
    player.last_end = time.monotonic() if record["frames_sent"] else player.last_end
    return player.finish(record, start)


def cycle(
    player: Player,
    link: Any,
    frames: list[Any],
    record: dict[str, Any],
    end: float,
    interrupted: Any,
    ended: list[bool],
) -> None:
    """The pattern's frames round and round until ``end`` or an interruption."""
    at = time.monotonic()
    while not record["interrupted"] and at < end:
        frame = frames[record["frames_sent"] % len(frames)]
        if not player.lease.may_write():
            record["interrupted"] = True
            return
        link.show(frame.image)
        record["frames_sent"] += 1
        if record["frames_sent"] == 1:
            record["actual_start"] = clock.utc_now().isoformat()
        player.status.mirror(frame.image)
        player.status.update(frames=record["frames_sent"], acked=link.stats.get("acked", 0), link="up")
        at += frame.hold
        record["interrupted"] = wait_until(min(at, end), interrupted) and not ended[0]
        if ended[0]:
            return
