"""How long a playlist's items play on a board: what the playlist page shows staff.

An item plays for its duration or for a number of passes of its scroll; a pass lasts as
long as the text takes to cross the board, so it depends on the board. The page uses the
board that plays the playlist (as its own, else through a schedule), else a common size.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from drivers.pixels import BoardSpec
from signage.models import Banner, Board, Playlist, PlaylistItem, Schedule, Slogan
from signage.publish import show_item
from signage.render import RenderError
from signage.render.timing import SCROLLS, ItemTime, remembered_item_seconds

#: The board size assumed for a playlist no board plays yet (the most common one-colour board).
DEFAULT_SPEC = BoardSpec(192, 32, "mono")
#: Effects whose items may end after passes instead of a duration ("auto" scrolls when the text is long).
PASS_EFFECTS = frozenset({"auto", "blink", *SCROLLS})


@dataclass(frozen=True)
class PlaylistTime:
    """Each item's time on ``spec`` (by item id), and the enabled items' total."""

    board: Board | None
    spec: BoardSpec
    items: dict[int, ItemTime]
    total: float
    estimated: bool


def board_for(session: Session, playlist: Playlist) -> Board | None:
    """A board that plays the playlist: one that has it as its own, else one a schedule puts it on."""
    board = session.scalar(select(Board).where(Board.playlist_id == playlist.id).order_by(Board.slug))
    if board is None:
        board = session.scalar(
            select(Board)
            .join(Schedule, Schedule.board_id == Board.id)
            .where(Schedule.playlist_id == playlist.id)
            .order_by(Board.slug)
        )
    return board


def has_passes(content: PlaylistItem | Slogan | Banner | None) -> bool:
    """Whether an item can end after passes: slogans that scroll or blink (banners and still text cannot)."""
    if isinstance(content, PlaylistItem):
        content = content.slogan
    return isinstance(content, Slogan) and content.effect in PASS_EFFECTS


@dataclass(frozen=True)
class QuickTotal:
    """A playlist's item count and enabled total, measured without laying out any text."""

    items: int
    seconds: float
    exact: bool


def quick_totals(session: Session) -> dict[int, QuickTotal]:
    """Every playlist's item count and enabled total in one query, for the list of playlists.

    Measuring each scroll there meant laying out every slogan (about 30 ms each: 10 s for
    1,000 slogans on a cold start). Enabled items that may scroll count their set duration
    (nothing for passes), so such a total is a lower bound, "at least"; the playlist's own
    page gives the measured one.
    """
    may_scroll = and_(PlaylistItem.slogan_id.is_not(None), Slogan.effect.in_(PASS_EFFECTS))
    counted = case(
        (and_(PlaylistItem.enabled, or_(~may_scroll, PlaylistItem.passes.is_(None))), PlaylistItem.duration),
        else_=0.0,
    )
    inexact = case((and_(PlaylistItem.enabled, may_scroll), 1), else_=0)
    rows = session.execute(
        select(PlaylistItem.playlist_id, func.count(PlaylistItem.id), func.sum(counted), func.max(inexact))
        .outerjoin(Slogan, Slogan.id == PlaylistItem.slogan_id)
        .group_by(PlaylistItem.playlist_id)
    )
    return {pid: QuickTotal(n, float(total or 0), not inexact) for pid, n, total, inexact in rows}


def playlist_time(session: Session, playlist: Playlist) -> PlaylistTime:
    """Every item's time on the playlist's board; the total counts the enabled items only."""
    board = board_for(session, playlist)
    spec = DEFAULT_SPEC
    if board is not None:
        try:
            spec = BoardSpec.of(board)
        except ValueError:
            board = None
    times: dict[int, ItemTime] = {}
    for entry in playlist.items:
        item = show_item(entry)
        if item is None:
            continue
        try:
            times[entry.id] = remembered_item_seconds(item.render(), spec)
        except RenderError:  # the worker skips it quickly; count what staff asked for
            times[entry.id] = ItemTime(entry.duration, False)
    enabled = [times[e.id] for e in playlist.items if e.enabled and e.id in times]
    return PlaylistTime(
        board, spec, times, sum(t.seconds for t in enabled), any(t.estimated for t in enabled)
    )
