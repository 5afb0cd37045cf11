"""Compile a board's show from the database and publish it to Redis.

The only bridge between the database and the players: after it runs, the worker needs
neither the database nor the admin.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from drivers.pixels import BoardSpec, GeometryError
from signage import show
from signage.models import (
    Banner,
    Board,
    BoardGroup,
    BoardSettings,
    BrightnessStep,
    Playlist,
    PlaylistItem,
    ProofOfPlay,
    Schedule,
    Slogan,
    UrgentNotice,
    utcnow,
)
from signage.render import RenderError
from signage.render.timing import remembered_item_seconds


def show_item(
    entry: PlaylistItem, blobs: dict[str, bytes] | None = None, spec: BoardSpec | None = None
) -> show.ShowItem | None:
    """A playlist item as the show carries it (None: its content is gone); banner bytes go to ``blobs``.

    On a board of ``spec``, a scroll given seconds gets the passes that fill them
    (``timing.passes_to_fill``): the worker then plays whole passes, never a pass and a dark
    board until the seconds are up."""
    content = entry.content  # None: in the bin
    if isinstance(content, Slogan):
        ident = f"slogan:{content.id}"
    elif isinstance(content, Banner):
        ident = f"banner:{content.id}"
        if blobs is not None:
            blobs[content.sha256] = content.data
    else:
        return None
    # passes None: left out, so a worker that predates passes still plays the duration
    item = {**content.show_item(), "id": ident, "duration": entry.duration}
    passes = entry.passes
    if passes is None and spec is not None and isinstance(content, Slogan):
        try:
            passes = remembered_item_seconds(item, spec).passes
        except RenderError:
            pass  # the worker skips it and says why
    return show.ShowItem.from_json({**item, "passes": passes})


def _items(
    playlist: Playlist | None, blobs: dict[str, bytes], spec: BoardSpec | None
) -> tuple[show.ShowItem, ...]:
    """The enabled items of a playlist as show items, collecting banner bytes on the way."""
    if playlist is None:
        return ()
    items = (show_item(entry, blobs, spec) for entry in playlist.items if entry.enabled)
    return tuple(item for item in items if item is not None)


def _instant(value: datetime) -> datetime:
    """Instants are stored as naive UTC; the show spells them with their offset."""
    return value.replace(tzinfo=UTC)


def schedule_entry(entry: Schedule) -> show.ShowSchedule:
    """A schedule as the show carries it: the phase's dates folded into the date range."""
    first, last = entry.starts_on, entry.ends_on
    if entry.phase is not None:
        first = max(d for d in (first, entry.phase.starts_on) if d is not None)
        last = min(d for d in (last, entry.phase.ends_on) if d is not None)
    target = "board" if entry.board_id else "group" if entry.group_id else "all"
    return show.ShowSchedule(
        id=entry.id,
        name=entry.name or entry.playlist.name,
        playlist=str(entry.playlist_id),
        target=target,
        starts_on=first,
        ends_on=last,
        weekdays=entry.weekdays or "1234567",
        start_time=entry.start_time,
        end_time=entry.end_time,
        priority=entry.priority,
        phase=entry.phase.name if entry.phase is not None else None,
        repeat=entry.rule,
    )


def schedules_for(session: Session, board: Board) -> list[Schedule]:
    """The enabled schedules that target this board, one of its groups, or all boards."""
    group_ids = [g.id for g in session.scalars(select(BoardGroup)) if board in g.boards]
    rows = session.scalars(select(Schedule).where(Schedule.enabled.is_(True)).order_by(Schedule.id))
    return [
        s
        for s in rows
        if s.board_id == board.id or (s.group_id in group_ids) or (s.board_id is None and s.group_id is None)
    ]


def notices_for(session: Session, board: Board) -> list[UrgentNotice]:
    """Urgent notices for this board that are not over yet (past ones are left out)."""
    now = utcnow()
    rows = session.scalars(
        select(UrgentNotice).where(UrgentNotice.expires_at > now, UrgentNotice.cancelled_at.is_(None))
    )
    return [n for n in rows if n.all_boards or board in n.boards]


def notice_entry(n: UrgentNotice, blobs: dict[str, bytes] | None = None) -> show.ShowNotice:
    """A notice as the show carries it (its banner's bytes go into ``blobs``)."""
    image = None
    if n.banner is not None and n.banner.deleted_at is None:
        image = n.banner.sha256
        if blobs is not None:
            blobs[n.banner.sha256] = n.banner.data
    return show.ShowNotice(
        id=n.id,
        text=n.text,
        effect=n.effect,
        color=n.color,
        starts_at=_instant(n.starts_at),
        expires_at=_instant(n.expires_at),
        image=image,
    )


def notice_entries(session: Session, board: Board, blobs: dict[str, bytes]) -> tuple[show.ShowNotice, ...]:
    """The ``notices`` part of a board's show."""
    return tuple(notice_entry(n, blobs) for n in notices_for(session, board))


def compile_show(board: Board, session: Session | None = None) -> tuple[show.Show, dict[str, bytes]]:
    """The show of a board and the banner bytes it refers to."""
    blobs: dict[str, bytes] = {}
    try:
        spec: BoardSpec | None = BoardSpec(board.width, board.height, board.color)
    except GeometryError:
        spec = None  # the worker refuses such a board anyway
    items = _items(board.playlist, blobs, spec)
    playlists: dict[str, show.ShowPlaylist] = {}
    if board.playlist is not None:
        playlists[str(board.playlist.id)] = show.ShowPlaylist(board.playlist.name, items)
    schedules: list[show.ShowSchedule] = []
    notices: tuple[show.ShowNotice, ...] = ()
    hours = None
    steps: tuple[show.ShowStep, ...] = ()
    timezone = None
    if session is not None:
        for entry in schedules_for(session, board):
            key = str(entry.playlist_id)
            if key not in playlists:
                playlists[key] = show.ShowPlaylist(entry.playlist.name, _items(entry.playlist, blobs, spec))
            schedules.append(schedule_entry(entry))
        notices = notice_entries(session, board, blobs)
        settings = session.get(BoardSettings, board.id)
        if settings is not None:
            timezone = settings.timezone
            if settings.on_time is not None or settings.off_time is not None:
                hours = show.ShowHours(settings.on_time, settings.off_time)
        steps = tuple(
            show.ShowStep(s.at, s.level)
            for s in session.scalars(
                select(BrightnessStep).where(BrightnessStep.board_id == board.id).order_by(BrightnessStep.at)
            )
        )
    doc = show.Show(
        # the lowest format that says it, so a worker not yet upgraded keeps playing what it can
        format=show.format_for(schedules),
        compiled_at=datetime.now(UTC).replace(microsecond=0),
        board=show.ShowBoard.from_json({**board.settings(), "timezone": timezone or "Asia/Ho_Chi_Minh"}),
        playlist=board.playlist.name if board.playlist is not None else None,
        # The fallback's items stay under "items" too, as format 1 had them.
        items=items,
        playlists=playlists,
        fallback=str(board.playlist.id) if board.playlist is not None else None,
        schedules=tuple(schedules),
        notices=notices,
        hours=hours,
        brightness=steps,
    )
    return doc, blobs


def publish_board(redis: Redis, board: Board, session: Session | None = None) -> int:
    """Publish one board's show; returns the new version."""
    doc, blobs = compile_show(board, session)
    return show.store(redis, board.slug, doc, blobs)


def publish_notices(session: Session, redis: Redis, board_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Send the urgent notices of these boards (None: all) without publishing anything else.

    Content saves may be drafts waiting for an approver, so a notice must not carry them
    to the boards: each board's already-published show is taken from Redis, only its
    ``notices`` are replaced, and it is stored as a new version (the worker sees a newer
    show and pre-empts at the next frame). A board with no readable show yet is compiled
    whole, as a first publish. Returns slug -> new version; raises ``RedisError``.
    """
    query = select(Board).order_by(Board.slug)
    if board_ids is not None:
        query = query.where(Board.id.in_(list(board_ids)))
    versions: dict[str, int] = {}
    for board in session.scalars(query):
        try:
            doc = show.fetch(redis, board.slug)
        except show.ShowError:
            doc = None  # unreadable or from a newer admin: replace it with a whole compile
        if doc is None:
            versions[board.slug] = publish_board(redis, board, session)
            continue
        blobs: dict[str, bytes] = {}
        doc = replace(doc.stamped(None, None), notices=notice_entries(session, board, blobs))
        versions[board.slug] = show.store(redis, board.slug, doc, blobs)
    return versions


def publish_all(session: Session, redis: Redis, playlist_id: int | None = None) -> dict[str, int]:
    """Publish every board (or those whose show uses ``playlist_id``); returns slug -> version."""
    boards = list(session.scalars(select(Board).order_by(Board.slug)))
    if playlist_id is not None:
        scheduled = session.scalar(select(Schedule.id).where(Schedule.playlist_id == playlist_id).limit(1))
        if scheduled is None:
            boards = [b for b in boards if b.playlist_id == playlist_id]
    return {b.slug: publish_board(redis, b, session) for b in boards}


def collect_proof(session: Session, redis: Redis, batch: int = 1000) -> int:
    """Move proof-of-play records from Redis into the database; returns how many were added.

    Workers push new records at the head of each board's list; this reads from the tail,
    commits, then trims what it read, so a crash in between only re-reads records, and
    ``record_id`` (unique) keeps them from being stored twice.
    """
    added = 0
    slugs = {b.slug: b.id for b in session.scalars(select(Board))}
    for slug, board_id in slugs.items():
        key = show.proof_key(slug)
        while True:
            raw = redis.lrange(key, -batch, -1)
            if not raw:
                break
            records = [json.loads(r) for r in raw]
            ids = [str(r.get("record_id") or "") for r in records]
            known = set(session.scalars(select(ProofOfPlay.record_id).where(ProofOfPlay.record_id.in_(ids))))
            for rid, r in zip(ids, records, strict=True):
                if not rid or rid in known:
                    continue
                known.add(rid)
                item_id = str(r.get("item") or "")
                words = r.get("content") or content_label(session, item_id) or r.get("label")
                session.add(
                    ProofOfPlay(
                        record_id=rid,
                        board_id=board_id,
                        board_slug=slug,
                        item_id=item_id,
                        item_label=str(words or "")[:500],
                        source=str(r.get("source") or ""),
                        source_label=str(r.get("label") or "")[:500],
                        show_version=int(r.get("show_version") or 0),
                        planned_start=_naive(r.get("planned_start")),
                        planned_end=_naive(r.get("planned_end")),
                        actual_start=_naive(r.get("actual_start")) or utcnow(),
                        actual_end=_naive(r.get("actual_end")),
                        frames_sent=int(r.get("frames_sent") or 0),
                        frames_acked=int(r.get("frames_acked") or 0),
                        interrupted=bool(r.get("interrupted")),
                        reason=str(r.get("error") or r.get("reason") or "")[:200],
                    )
                )
                added += 1
            session.commit()
            redis.ltrim(key, 0, -len(raw) - 1)
            if len(raw) < batch:
                break
    return added


def content_label(session: Session, item_id: str) -> str | None:
    """The words of a played item from its id ("slogan:42", "banner:7", "notice:3"), for records
    of workers that did not carry them; None when the id names nothing still stored."""
    kind, _, number = item_id.partition(":")
    model = {"slogan": Slogan, "banner": Banner, "notice": UrgentNotice}.get(kind)
    if model is None or not number.isdigit():
        return None
    row = session.get(model, int(number))
    if isinstance(row, Banner):
        return row.name
    return row.text if isinstance(row, Slogan | UrgentNotice) else None  # None: no longer stored


def _naive(value: str | None) -> datetime | None:
    """An ISO instant from a worker as naive UTC, the way the database keeps instants."""
    if not value:
        return None
    t = datetime.fromisoformat(value)
    return t.astimezone(UTC).replace(tzinfo=None) if t.tzinfo is not None else t
