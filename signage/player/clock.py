"""The player's clocks: wall time for the schedule, the board's zone for what it draws."""

from __future__ import annotations

from datetime import UTC, datetime

from signage import schedule
from signage.show import Show


def utc_now() -> datetime:
    """Now, in UTC (tests move it to step the wall clock)."""
    return datetime.now(UTC)


def board_now(doc: Show | None) -> datetime:
    """Now on the board's wall clock (its zone, whatever TZ the worker runs under)."""
    return utc_now().astimezone(schedule.zone(doc))
