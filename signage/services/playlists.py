"""Playlists (danh sách phát) and their items: create, add, time, switch, move, remove.

Every change to a playlist's items carries the version of the playlist as the caller saw
it (its items' order and times included, see ``signage.services.versions``): a playlist
someone else changed meanwhile is not touched (``Stale``). The rules: a playlist's name is
not empty, at most 120 characters and unique; an item plays for a duration in seconds
(``rules.duration``) or, if its slogan scrolls or blinks, for a number of passes
(``rules.passes``); the slogan or banner it plays exists.

A playlist is deleted into the bin ("Thùng rác", ``signage.services.bin``), from where it can
be brought back for 30 days; that is refused (``InUse``) while a schedule plays it or a
board falls back to it, as a board group is while a schedule targets it: the boards would
lose what they play, so the user changes those first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage import rules
from signage.campaigns import GROUP_NAME_LIMIT, short_name
from signage.message import N_
from signage.models import Banner, Board, Playlist, PlaylistItem, Schedule, Slogan
from signage.playlist_time import has_passes
from signage.services import bin as trash
from signage.services import versions
from signage.services.content import append_item
from signage.services.errors import InUse, InvalidInput, checked

__all__ = [
    "Timing",
    "add_item",
    "append_item",
    "content_label",
    "check_playlist_unused",
    "create_playlist",
    "delete_playlist",
    "move_item",
    "playlist_name",
    "playlist_users",
    "playlist_version",
    "remove_item",
    "set_timing",
    "toggle_item",
]


def playlist_version(playlist: Playlist) -> str:
    """The playlist with its items' order and times, as edits of its page act on it."""
    return versions.fingerprint(playlist)


def playlist_name(session: Session, value: str | None) -> str:
    """A new playlist's name: not empty, at most 120 characters, unlike every other playlist's."""
    cleaned = short_name(value, GROUP_NAME_LIMIT)
    query = (
        select(Playlist.deleted_at).where(Playlist.name == cleaned).execution_options(include_deleted=True)
    )
    taken = session.execute(query.limit(1)).first()
    if taken is not None:
        if taken.deleted_at is not None:
            raise InvalidInput(
                "name",
                N_("A playlist with this name is in the bin; bring it back from there or pick another name."),
            )
        raise InvalidInput("name", N_("A playlist with this name exists already."))
    return cleaned


def create_playlist(session: Session, name: str | None, *, commit: bool = True) -> Playlist:
    """A new, empty playlist."""
    (cleaned,) = checked(lambda: playlist_name(session, name))
    playlist = Playlist(name=cleaned)
    session.add(playlist)
    _done(session, commit)
    return playlist


@dataclass(frozen=True)
class Timing:
    """How long an item plays: ``amount`` seconds, or ``amount`` complete passes of its scroll."""

    amount: float | None
    unit: Literal["seconds", "passes"] | str = "seconds"


def _timing(timing: Timing, content: Slogan | Banner | None) -> tuple[float | None, int | None]:
    """The checked (duration, None) or (None, passes) of ``timing`` for an item playing ``content``."""
    if timing.unit != "passes":
        return rules.duration(timing.amount), None
    count = rules.passes(timing.amount)
    if not has_passes(content):
        raise InvalidInput(
            "passes",
            N_(
                "only a slogan that scrolls or blinks can play for a number of passes; "
                "give it a duration in seconds."
            ),
        )
    return None, count


def _content(session: Session, kind: str, content_id: int | None) -> Slogan | Banner:
    found: Slogan | Banner | None = None
    if content_id is not None and 1 <= content_id <= rules.MAX_ROW_ID:
        found = session.get(Banner, content_id) if kind == "banner" else session.get(Slogan, content_id)
    if found is None:
        raise InvalidInput(
            "content_id", N_("That slogan or banner was deleted meanwhile; nothing was added.")
        )
    return found


def content_label(session: Session, kind: str | None, content_id: int | None) -> str | None:
    """The slogan's text or the banner's name that an item would play (None: no such content)."""
    try:
        content = _content(session, kind or "slogan", content_id)
    except InvalidInput:
        return None
    return content.text if isinstance(content, Slogan) else content.name


def add_item(
    session: Session,
    playlist: Playlist,
    kind: str,
    content_id: int | None,
    timing: Timing,
    *,
    version: str | None = None,
    commit: bool = True,
) -> PlaylistItem:
    """Append the slogan (``kind`` "slogan") or banner ``content_id`` for the time given.

    By passes, the item keeps a 10 s duration: it applies where the slogan fits the board
    and stays still.
    """
    versions.check("playlist", version, playlist_version(playlist))
    (content,) = checked(lambda: _content(session, kind, content_id))
    duration, passes = checked(lambda: _timing(timing, content))[0]
    item = append_item(playlist, content, duration if duration is not None else 10.0)
    item.passes = passes
    _done(session, commit)
    return item


def set_timing(
    session: Session,
    item: PlaylistItem,
    timing: Timing,
    *,
    version: str | None = None,
    commit: bool = True,
) -> PlaylistItem:
    """Play an item for a number of seconds, or for a number of passes of its scroll."""
    versions.check("playlist", version, playlist_version(item.playlist))
    duration, passes = checked(lambda: _timing(timing, item.slogan or item.banner))[0]
    if duration is not None:
        item.duration = duration
    item.passes = passes  # seconds: back to the duration (kept while it played by passes)
    _done(session, commit)
    return item


def toggle_item(
    session: Session, item: PlaylistItem, *, version: str | None = None, commit: bool = True
) -> bool:
    """Switch an item off (it keeps its place, the boards skip it) or back on; True when on."""
    versions.check("playlist", version, playlist_version(item.playlist))
    item.enabled = not item.enabled
    _done(session, commit)
    return item.enabled


def move_item(
    session: Session, item: PlaylistItem, step: int, *, version: str | None = None, commit: bool = True
) -> bool:
    """Move an item ``step`` places (-1 up, +1 down); False when it is already at that end."""
    versions.check("playlist", version, playlist_version(item.playlist))
    items = item.playlist.items
    j = items.index(item) + step
    if not 0 <= j < len(items):
        return False
    other = items[j]
    # Swap through a free position: (playlist_id, position) is unique.
    a, b = item.position, other.position
    item.position = -1
    session.flush()
    other.position, item.position = a, b
    _done(session, commit)
    return True


def remove_item(
    session: Session, item: PlaylistItem, *, version: str | None = None, commit: bool = True
) -> bool:
    """Take an item out of its playlist (the slogan or banner stays); True when done."""
    versions.check("playlist", version, playlist_version(item.playlist))
    session.delete(item)
    _done(session, commit)
    return True


@dataclass(frozen=True)
class PlaylistUsers:
    """What plays a playlist: the schedules that name it and the boards that fall back to it."""

    schedules: list[Schedule]
    boards: list[Board]

    def __bool__(self) -> bool:
        return bool(self.schedules or self.boards)


def playlist_users(session: Session, playlist: Playlist) -> PlaylistUsers:
    """The schedules (not in the bin) that play ``playlist``, and the boards whose fallback it is."""
    schedules = session.scalars(
        select(Schedule).where(Schedule.playlist_id == playlist.id).order_by(Schedule.id)
    ).all()
    boards = session.scalars(select(Board).where(Board.playlist_id == playlist.id).order_by(Board.slug)).all()
    return PlaylistUsers(list(schedules), list(boards))


def check_playlist_unused(session: Session, playlist: Playlist) -> None:
    """Refuse (``InUse``) to delete a playlist a schedule plays or a board falls back to."""
    users = playlist_users(session, playlist)
    if users.schedules:
        raise InUse(
            InvalidInput(
                "playlist",
                N_("schedules %(names)s play it; change or delete them first"),
                names=", ".join(f"«{s.name or '#' + str(s.id)}»" for s in users.schedules[:10]),
            )
        )
    if users.boards:
        raise InUse(
            InvalidInput(
                "playlist",
                N_("the boards %(names)s play it when no schedule does; pick another list for them first"),
                names=", ".join(b.name for b in users.boards[:10]),
            )
        )


def delete_playlist(
    session: Session, playlist: Playlist, *, version: str | None = None, commit: bool = True
) -> None:
    """Move a playlist to the bin (it can be brought back for 30 days); refused (``InUse``)
    while a schedule plays it or a board falls back to it."""
    versions.check("playlist", version, playlist_version(playlist))
    check_playlist_unused(session, playlist)
    trash.to_bin(session, playlist, commit=commit)


def _done(session: Session, commit: bool) -> None:
    if commit:
        session.commit()
    else:
        session.flush()
