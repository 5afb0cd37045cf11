"""A board's time zone, daily on/off hours and brightness table, stored in one go.

The admin's form (reached from each board's row) and the JSON API (``/api/boards/<slug>/hours``)
both write through here, so they keep the same rules: the zone is checked, the pair of hours is
both or neither, and the brightness steps replace the old table whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage import rules
from signage.models import DEFAULT_TIMEZONE, Board, BoardSettings, BrightnessStep


def read_hours(session: Session, board: Board) -> dict[str, Any]:
    """The board's zone, hours (HH:MM or None) and brightness steps, as the API shows them."""
    settings = session.get(BoardSettings, board.id)
    steps = session.scalars(
        select(BrightnessStep).where(BrightnessStep.board_id == board.id).order_by(BrightnessStep.at)
    )
    return {
        "timezone": settings.timezone if settings is not None else DEFAULT_TIMEZONE,
        "on": _hhmm(settings.on_time) if settings is not None else None,
        "off": _hhmm(settings.off_time) if settings is not None else None,
        "brightness": [{"at": _hhmm(s.at), "level": s.level} for s in steps],
    }


def store_hours(
    session: Session,
    board: Board,
    timezone: str,
    on: time | None,
    off: time | None,
    steps: Mapping[time, int],
) -> None:
    """Replace the board's settings (not committed). ``rules.InvalidInput`` for a bad zone."""
    zone = rules.timezone(timezone)
    settings = session.get(BoardSettings, board.id) or BoardSettings(board_id=board.id)
    settings.timezone, settings.on_time, settings.off_time = zone, on, off
    session.add(settings)
    for step in session.scalars(select(BrightnessStep).where(BrightnessStep.board_id == board.id)):
        session.delete(step)
    session.flush()
    session.add_all(BrightnessStep(board_id=board.id, at=at, level=level) for at, level in steps.items())


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None
