"""Boards (bảng điện tử): create and change one, and ask its worker for the test pattern.

The rules are ``signage.rules``'s, all checked at once: a slug no other board has, a name, a
size the renderer and the board's colour model take, a known protocol and a port the driver
can open, a standard baud rate, a pixel pitch and viewing distance within reason, an LED
colour, and a fallback playlist that exists.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass

from redis import Redis
from rq import Queue
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry
from sqlalchemy import select
from sqlalchemy.orm import Session

from signage import rules, show
from signage.audit import actor
from signage.message import N_
from signage.models import AuditEntry, Board, Playlist, utcnow
from signage.playout import queue_name
from signage.rules import InvalidInput
from signage.services import versions
from signage.services.errors import checked, saved


@dataclass(frozen=True)
class BoardData:
    """A board as an administrator gives it (``playlist_id`` None: no fallback playlist)."""

    slug: str | None
    name: str | None
    width: int | None
    height: int | None
    color: str | None = "mono"
    led_color: str | None = "#ff2810"
    protocol: str | None = "native"
    port_url: str | None = None
    baud: int | None = 115200
    address: int | None = 1
    pitch_mm: float | None = 10.0
    viewing_m: float | None = 20.0
    playlist_id: int | None = None
    #: The port must be a device on this machine (the admin's form), or only a URL that parses
    #: (files: an export taken at the gate names the gate's device, and moves between machines).
    port_here: bool = True


def unique_slug(session: Session, slug: str, board: Board | None) -> None:
    """No two boards share a slug (their workers, shows and URLs are named by it)."""
    taken = session.scalar(select(Board).where(Board.slug == slug))
    if taken is not None and taken is not board:
        raise InvalidInput("slug", N_("This slug is already used by another board."))


def board_name(value: str | None) -> str:
    """A name for lists and messages, at most 120 characters."""
    name = (value or "").strip()
    if not name or len(name) > 120:
        raise InvalidInput("name", N_("give the board a name of at most 120 characters"))
    return name


def led_color(value: str | None) -> str:
    """The colour a one-colour board's LEDs light in, #rrggbb."""
    try:
        return rules.color(value)
    except InvalidInput as exc:
        raise InvalidInput("led_color", exc.template, **exc.params) from None


def fallback_playlist(session: Session, playlist_id: int | None) -> int | None:
    """The playlist the board plays when no schedule matches (None: none)."""
    if playlist_id is not None and session.get(Playlist, playlist_id) is None:
        raise InvalidInput("playlist", N_("no playlist %(id)s"), id=playlist_id)
    return playlist_id


def save_board(
    session: Session,
    data: BoardData,
    board: Board | None = None,
    *,
    version: str | None = None,
    commit: bool = True,
) -> Board:
    """Create (``board`` None) or change a board; ``version`` is what the caller read."""
    if board is not None:
        versions.check("board", version, versions.fingerprint(board))
    slug, name, spec, protocol, port, baud, pitch, viewing, led, playlist_id = checked(
        lambda: rules.board_slug(data.slug),
        lambda: board_name(data.name),
        lambda: rules.board_geometry(data.width, data.height, data.color),
        lambda: rules.protocol(data.protocol),
        lambda: rules.port_url(data.port_url) if data.port_here else rules.port_syntax(data.port_url),
        lambda: rules.baud(data.baud),
        lambda: rules.pitch_mm(data.pitch_mm),
        lambda: rules.viewing_m(data.viewing_m),
        lambda: led_color(data.led_color),
        lambda: fallback_playlist(session, data.playlist_id),
    )
    checked(lambda: unique_slug(session, slug, board))
    # A board the session holds already is not added again: that would cascade to what it
    # still holds in memory, a playlist deleted in this session among them.
    if board is None or board not in session:
        board = board or Board()
        session.add(board)
    board.slug, board.name, board.width, board.height = slug, name, spec.width, spec.height
    board.color, board.led_color, board.protocol, board.port_url = spec.color, led, protocol, port
    board.baud, board.pitch_mm, board.viewing_m = baud, pitch, viewing
    board.address = data.address if data.address is not None else 1
    board.playlist_id = playlist_id
    saved(session, commit)
    return board


def request_test_pattern(session: Session, redis: Redis, board: Board, seconds: int) -> None:
    """Put the test pattern on the board for ``seconds``, then back to its schedule.

    The request goes to the board's worker through a Redis key that expires when the pattern
    should end (``show.test_pattern_key``), not through a publish: nothing of the show changes
    and drafts stay drafts. Who asked goes into the audit log, written only when the key was
    set: a ``RedisError`` leaves nothing behind and reaches the caller.
    """
    who = actor.get()
    session.add(
        AuditEntry(
            at=utcnow(),
            actor=who,
            action="run",
            table="test_pattern",
            row_id=board.slug,
            after=json.dumps({"board": board.slug, "seconds": seconds}, ensure_ascii=False),
        )
    )
    session.flush()
    payload = {"id": uuid.uuid4().hex, "by": who, "seconds": seconds, "at": time.time()}
    try:
        redis.set(
            show.test_pattern_key(board.slug), json.dumps(payload, ensure_ascii=False), px=seconds * 1000
        )
    except Exception:
        session.rollback()
        raise
    saved(session)


#: The audit log's name for a failed play put back in its board's queue.
REQUEUE_TABLE = "board_queue"


def requeue_failed_play(session: Session, redis: Redis, board: Board, job_id: str, what: str) -> bool:
    """Put a failed play of ``board`` back at the end of its queue, through RQ's public API,
    and audit it (``what`` says the play in words). False when there is no such failed play
    of this board any more (put back or cleaned up already, or another board's): nothing is
    written then. A ``RedisError`` reaches the caller, with nothing written either.
    """
    queue = Queue(queue_name(board.slug), connection=redis)
    try:
        job = Job.fetch(job_id, connection=redis)
        if job.origin != queue.name:
            return False
        FailedJobRegistry(queue=queue).requeue(job)
    except (NoSuchJobError, InvalidJobOperation):
        return False
    session.add(
        AuditEntry(
            at=utcnow(),
            actor=actor.get(),
            action="requeue",
            table=REQUEUE_TABLE,
            row_id=board.slug,
            after=json.dumps({"job": job.id, "what": what}, ensure_ascii=False),
        )
    )
    saved(session)
    return True


# --- reading -------------------------------------------------------------------------


def by_slug(session: Session, slug: str) -> Board | None:
    """The board named ``slug`` (None: there is none)."""
    return session.scalar(select(Board).where(Board.slug == slug))


def every_board(session: Session) -> list[Board]:
    """Every board, by slug."""
    return list(session.scalars(select(Board).order_by(Board.slug)))


def playlist_names(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every playlist by name: what a board or a schedule can play."""
    return [(i, n) for i, n in session.execute(select(Playlist.id, Playlist.name).order_by(Playlist.name))]
