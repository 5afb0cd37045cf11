"""Is the notice on the board? Per target board: playing it, since when, and confirmed.

Confirmation is the board's own word: the worker asks a native board for the CRC-32 of its
framebuffer once a notice's frame is up, and every few seconds while a notice blinks or
scrolls (``readback`` and ``readback_at`` in the status hash). This compares it with the CRCs
of the notice's frames rendered here the same way (``signage.readback``): the one frame of a
still notice, any lit frame of a moving one (a dark moment of a blink is "not yet seen").
The notice page and its JSON (polled by ``notice-status.js``) both come from ``board_rows``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from drivers.pixels import BoardSpec, GeometryError
from signage import readback
from signage import schedule as pure
from signage.models import Board, BoardSettings, UrgentNotice, utcnow
from signage.publish import notice_entry
from signage.web.dashboard import STALE_SECONDS, board_status
from signage.web.db import get_db

#: The states a board can be in for a notice, in the order staff read them.
WAITING, CONFIRMED, UNCONFIRMED, NOT_ANSWERING, EXPIRED = (
    "waiting",
    "confirmed",
    "unconfirmed",
    "not-answering",
    "expired",
)


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
    if notice.all_boards:
        return list(get_db().scalars(select(Board).order_by(Board.slug)))
    return list(notice.boards)


def is_over(notice: UrgentNotice) -> bool:
    return notice.cancelled_at is not None or notice.expires_at <= utcnow()


def _local_clock(epoch: float | None) -> str | None:
    """A worker's Unix time as the office's wall time, as the notice list shows times."""
    if not epoch:
        return None
    zone = ZoneInfo(current_app.config.get("TIMEZONE", pure.DEFAULT_TIMEZONE))
    return datetime.fromtimestamp(epoch, zone).strftime("%d/%m/%Y %H:%M:%S")


def _expected(notice: UrgentNotice, board: Board, taken_at: float | None = None) -> readback.Expected:
    """The read-back a board showing this notice gives, from the item its worker plays.

    ``taken_at`` (the worker's Unix time of the read-back) is when live tokens are drawn:
    the worker draws them on the board's wall clock, so this does too (see ``signage.readback``).
    """
    item = pure.notice_item(notice_entry(notice), datetime.now(UTC))
    image = notice.banner.data if notice.banner is not None else None
    try:
        spec = BoardSpec.of(board)
    except GeometryError:
        return readback.Expected(None, "render")
    settings = get_db().get(BoardSettings, board.id)
    zone = ZoneInfo(settings.timezone if settings and settings.timezone else pure.DEFAULT_TIMEZONE)
    moment = datetime.fromtimestamp(taken_at or time.time(), zone)
    return readback.expected(item, spec, board.protocol, now=moment, image=image)


def _compare(row: dict[str, Any], want: readback.Expected) -> str:
    """Fill the row's expected CRC, details and ``check`` (``readback.check``'s word, for
    scripts) from its read-back; the state that leads to."""
    verdict = row["check"] = readback.check(want, row["readback"])
    # the frame matched (a moving notice has no single one), else the still frame wanted
    row["expected"] = row["readback"] if verdict == readback.CONFIRMED else want.hex
    if verdict == readback.CONFIRMED:
        return CONFIRMED
    if verdict == readback.UNCOMPARABLE:
        row["detail"] = {
            "moving": _("on the board, read-back not comparable for moving effects"),
            "protocol": _("this board's protocol cannot read back what it shows"),
        }.get(want.why_not or "", _("the expected frame could not be drawn"))
    elif verdict == readback.NO_READBACK:
        row["detail"] = _("waiting for the board's read-back")
    elif verdict == readback.DARK:
        row["detail"] = _(
            "the last read-back caught the board dark between frames of the moving "
            "notice; waiting for the next one"
        )
    elif verdict == readback.UNLISTED:
        row["detail"] = _(
            "the last read-back is none of the first %(count)s frames compared "
            "(a long scroll); waiting for the next one",
            count=readback.MAX_FRAMES,
        )
    elif want.moving:
        row["detail"] = _("the board's read-back matches none of the notice's frames")
    else:
        row["detail"] = _("the board's read-back differs from the expected frame")
    return UNCONFIRMED


def board_row(notice: UrgentNotice, board: Board) -> dict[str, Any]:
    """One board's line on the notice page (also the JSON for the page's script)."""
    status = board_status(board.slug)
    source = f"notice:{notice.id}"
    row: dict[str, Any] = {
        "board": board.slug,
        "name": board.name,
        "since": None,
        "readback": None,
        "expected": None,
        "check": None,
        "detail": "",
    }
    playing = status.get("source") == source
    if playing:
        row["since"] = _local_clock(status.get("since"))
    if is_over(notice):
        state = EXPIRED
        row["detail"] = _("cancelled") if notice.cancelled_at is not None else ""
    elif status.get("age") is None or status["age"] >= STALE_SECONDS:
        state = NOT_ANSWERING
        row["detail"] = (
            _("no heartbeat from the board's worker")
            if status.get("age") is None
            else _("last heartbeat %(seconds)s s ago", seconds=status["age"])
        )
        if status.get("error"):
            row["detail"] += f" ({status['error']})"
    elif status.get("link") == "down":  # the worker runs, but its frames do not reach the board
        state = NOT_ANSWERING
        row["detail"] = _("the worker cannot reach the board: %(error)s", error=status.get("error") or "?")
    elif not playing:
        state = WAITING
        if notice.starts_at > utcnow():
            row["detail"] = _(
                "starts at %(time)s", time=_local_clock(notice.starts_at.replace(tzinfo=UTC).timestamp())
            )
        else:
            label = status.get("label") or status.get("item") or "—"
            row["detail"] = _("now playing: %(label)s", label=label)
    else:
        # only a read-back taken since the board began the notice says anything about it
        fresh = (status.get("readback_at") or 0) >= (status.get("since") or time.time())
        row["readback"] = status.get("readback") if fresh else None
        want = _expected(notice, board, status.get("readback_at") if fresh else None)
        state = _compare(row, want)
    row["state"] = state
    row["label"] = state_label(state)
    return row


def board_rows(notice: UrgentNotice) -> list[dict[str, Any]]:
    return [board_row(notice, b) for b in target_boards(notice)]
