"""Is the notice on the board? The notice page's rows in the user's language.

What each board's state is (waiting, confirmed by read-back, not confirmed, not answering,
expired) is decided in the core, ``signage.notice_state``, from what the board's worker
last reported; this reads that report from Redis and says the result in words. The notice
page and its JSON (polled by ``notice-status.js``) both come from ``board_rows``.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from signage import notice_state
from signage import schedule as pure
from signage.models import Board, UrgentNotice
from signage.notice_state import CONFIRMED, EXPIRED, NOT_ANSWERING, UNCONFIRMED, WAITING, Said
from signage.services import notices as service
from signage.web.dashboard import STALE_SECONDS, board_status
from signage.web.db import get_db
from signage.web.messages import say

__all__ = ["CONFIRMED", "EXPIRED", "NOT_ANSWERING", "UNCONFIRMED", "WAITING", "board_row", "board_rows"]


def state_label(state: str) -> str:
    """The words staff read for a state (translated at request time)."""
    return {
        WAITING: _("waiting"),
        CONFIRMED: _("on the board (confirmed by read-back)"),
        UNCONFIRMED: _("on the board (not confirmed)"),
        NOT_ANSWERING: _("board not answering"),
        EXPIRED: _("expired"),
    }[state]


def target_boards(notice: UrgentNotice) -> list[Board]:
    """The boards a notice names (all boards for an all-boards notice)."""
    return service.target_boards(get_db(), notice)


def is_over(notice: UrgentNotice) -> bool:
    return service.is_over(notice)


def board_row(notice: UrgentNotice, board: Board) -> dict[str, Any]:
    """One board's line on the notice page (also the JSON for the page's script)."""
    zone = ZoneInfo(current_app.config.get("TIMEZONE", pure.DEFAULT_TIMEZONE))
    status = board_status(board.slug)
    row = notice_state.board_row(get_db(), notice, board, status, zone, STALE_SECONDS)
    detail = row["detail"]
    row["detail"] = say(detail) + detail.suffix if isinstance(detail, Said) else detail
    row["label"] = state_label(row["state"])
    return row


def board_rows(notice: UrgentNotice) -> list[dict[str, Any]]:
    return [board_row(notice, b) for b in target_boards(notice)]
