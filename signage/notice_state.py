"""Is the notice on the board? Per target board: playing it, since when, and confirmed.

Confirmation is the board's own word: the worker asks a native board for the CRC-32 of its
framebuffer once a notice's frame is up, and every few seconds while a notice blinks or
scrolls (``readback`` and ``readback_at`` in the status hash). This compares it with the CRCs
of the notice's frames rendered here the same way (``signage.readback``): the one frame of a
still notice, any lit frame of a moving one (a dark moment of a blink is "not yet seen").

Flask-free: the caller reads the board's status (the admin from Redis, see
``signage.web.dashboard.board_status``) and says the ``detail`` message in its user's
language; the notice page and its JSON both come from ``board_row``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from drivers.pixels import BoardSpec, GeometryError
from signage import readback
from signage import schedule as pure
from signage.message import N_, Message
from signage.models import Board, BoardSettings, UrgentNotice, utcnow
from signage.publish import notice_entry
from signage.services.notices import is_over

#: The states a board can be in for a notice, in the order staff read them.
WAITING, CONFIRMED, UNCONFIRMED, NOT_ANSWERING, EXPIRED = (
    "waiting",
    "confirmed",
    "unconfirmed",
    "not-answering",
    "expired",
)
#: A heartbeat older than this (seconds) means the board's worker is not answering.
STALE_SECONDS = 15


class Said(Message):
    """A line of the notice page's detail column, said in the reader's language by the caller.

    ``suffix`` (the worker's own error text, in English) is shown after it as it is.
    """

    def __init__(self, template: str, suffix: str = "", **params: object) -> None:
        self.template, self.params, self.suffix = template, params, suffix


def local_clock(epoch: float | None, zone: ZoneInfo) -> str | None:
    """A worker's Unix time as the office's wall time, as the notice list shows times."""
    if not epoch:
        return None
    return datetime.fromtimestamp(epoch, zone).strftime("%d/%m/%Y %H:%M:%S")


def expected(
    session: Session, notice: UrgentNotice, board: Board, taken_at: float | None = None
) -> readback.Expected:
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
    settings = session.get(BoardSettings, board.id)
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
            "moving": Said(N_("on the board, read-back not comparable for moving effects")),
            "protocol": Said(N_("this board's protocol cannot read back what it shows")),
        }.get(want.why_not or "", Said(N_("the expected frame could not be drawn")))
    elif verdict == readback.NO_READBACK:
        row["detail"] = Said(N_("waiting for the board's read-back"))
    elif verdict == readback.DARK:
        row["detail"] = Said(
            N_(
                "the last read-back caught the board dark between frames of the moving "
                "notice; waiting for the next one"
            )
        )
    elif verdict == readback.UNLISTED:
        row["detail"] = Said(
            N_(
                "the last read-back is none of the first %(count)s frames compared "
                "(a long scroll); waiting for the next one"
            ),
            count=readback.MAX_FRAMES,
        )
    elif want.moving:
        row["detail"] = Said(N_("the board's read-back matches none of the notice's frames"))
    else:
        row["detail"] = Said(N_("the board's read-back differs from the expected frame"))
    return UNCONFIRMED


def _not_answering(status: dict[str, Any], stale_after: float) -> Said | None:
    """Why the board cannot be showing anything now, or None when its worker answers."""
    age = status.get("age")
    if age is None or age >= stale_after:
        said = (
            Said(N_("no heartbeat from the board's worker"))
            if age is None
            else Said(N_("last heartbeat %(seconds)s s ago"), seconds=age)
        )
        said.suffix = f" ({status['error']})" if status.get("error") else ""
        return said
    if status.get("link") == "down":  # the worker runs, but its frames do not reach the board
        return Said(N_("the worker cannot reach the board: %(error)s"), error=status.get("error") or "?")
    return None


def board_row(
    session: Session,
    notice: UrgentNotice,
    board: Board,
    status: dict[str, Any],
    zone: ZoneInfo,
    stale_after: float = STALE_SECONDS,
) -> dict[str, Any]:
    """One board's line on the notice page, from what its worker last reported (``status``).

    ``detail`` is a ``Said`` (or "") for the caller to say in its user's language.
    """
    row: dict[str, Any] = {
        "board": board.slug,
        "name": board.name,
        "since": None,
        "readback": None,
        "expected": None,
        "check": None,
        "detail": "",
    }
    playing = status.get("source") == f"notice:{notice.id}"
    if playing:
        row["since"] = local_clock(status.get("since"), zone)
    stopped = _not_answering(status, stale_after)
    if is_over(notice):
        state = EXPIRED
        row["detail"] = Said(N_("cancelled")) if notice.cancelled_at is not None else ""
    elif stopped is not None:
        state, row["detail"] = NOT_ANSWERING, stopped
    elif not playing:
        state = WAITING
        if notice.starts_at > utcnow():
            start = local_clock(notice.starts_at.replace(tzinfo=UTC).timestamp(), zone)
            row["detail"] = Said(N_("starts at %(time)s"), time=start)
        else:
            label = status.get("label") or status.get("item") or "—"
            row["detail"] = Said(N_("now playing: %(label)s"), label=label)
    else:
        # only a read-back taken since the board began the notice says anything about it
        fresh = (status.get("readback_at") or 0) >= (status.get("since") or time.time())
        row["readback"] = status.get("readback") if fresh else None
        want = expected(session, notice, board, status.get("readback_at") if fresh else None)
        state = _compare(row, want)
    row["state"] = state
    return row
