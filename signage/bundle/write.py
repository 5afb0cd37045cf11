"""Write a checked ``Bundle`` into the database, inside the caller's transaction.

Matching, so that importing the same files twice changes nothing: boards by slug, groups,
playlists and campaigns by name, banners by image hash, slogans by text (the n-th slogan
of a text in the files is the n-th in the database), schedules by name when they have one.
What the files describe replaces what the database holds for that thing (a playlist's
items, a campaign's phases, a board's settings). A name the files use but do not define
(a playlist, board, group or campaign) is looked up in the database; if it is not there
either, ``BundleError`` is raised and the caller's transaction rolls back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.bundle.read import phase_index
from signage.bundle.spec import BannerEntry, BoardEntry, Bundle, BundleError, CampaignEntry, Origin
from signage.models import (
    Banner,
    Base,
    Board,
    BoardGroup,
    BoardSettings,
    BrightnessStep,
    Campaign,
    Phase,
    Playlist,
    PlaylistItem,
    Schedule,
    Slogan,
)
from signage.problem import N_
from signage.services import InvalidInput, content
from signage.services.content import SloganData

#: A model the files name rows of (boards, playlists, groups, campaigns).
_Row = TypeVar("_Row", bound=Base)


class _Names:
    """Rows by natural key: those the import wrote first, else the database's."""

    def __init__(self, session: Session, problems: list[str]) -> None:
        self.session, self.problems = session, problems
        self.rows: dict[tuple[type[Base], str], Base] = {}

    def put(self, model: type[_Row], key: str, row: _Row) -> None:
        self.rows[(model, key)] = row

    def get(self, model: type[_Row], column: Any, key: str, origin: Origin, field: str) -> _Row | None:
        row = self.rows.get((model, key))
        if isinstance(row, model):
            return row
        found = self.session.scalar(select(model).where(column == key))
        if found is None:
            self.problems.append(origin.problem(field, MISSING[model], key=key))
        return found


#: What a name the files use but nobody defines is called, per table (whole sentences, to translate).
MISSING: dict[type[Base], str] = {
    Board: N_("no board %(key)r in the files nor in the database"),
    Playlist: N_("no playlist %(key)r in the files nor in the database"),
    BoardGroup: N_("no board group %(key)r in the files nor in the database"),
    Campaign: N_("no campaign %(key)r in the files nor in the database"),
}


def apply(session: Session, bundle: Bundle) -> dict[str, Playlist]:
    """Write ``bundle``; returns the playlists by name. Raises ``BundleError`` on a dangling name."""
    with session.no_autoflush:  # a row with a dangling name must not reach the database
        return _apply(session, bundle)


def _apply(session: Session, bundle: Bundle) -> dict[str, Playlist]:
    problems: list[str] = []
    names = _Names(session, problems)
    slogans = _slogans(session, bundle)
    banners = {key: _banner(session, entry) for key, entry in bundle.banners.items()}
    playlists: dict[str, Playlist] = {}
    for entry in bundle.playlists.values():
        playlist = session.scalar(select(Playlist).where(Playlist.name == entry.name))
        if playlist is None:
            playlist = Playlist(name=entry.name)
            session.add(playlist)
        playlist.items.clear()
        session.flush()
        for position, item in enumerate(entry.items):
            playlist.items.append(
                PlaylistItem(
                    position=position,
                    duration=item.duration,
                    enabled=item.enabled,
                    passes=item.passes,
                    slogan=slogans[item.slogan] if item.slogan is not None else None,
                    banner=banners[item.banner] if item.banner is not None else None,
                )
            )
        playlists[entry.name] = playlist
        names.put(Playlist, entry.name, playlist)
    for board_entry in bundle.boards.values():
        names.put(Board, board_entry.slug, _board(session, board_entry, names))
    for group_entry in bundle.groups.values():
        group = session.scalar(select(BoardGroup).where(BoardGroup.name == group_entry.name))
        if group is None:
            group = BoardGroup(name=group_entry.name)
            session.add(group)
        group.description = group_entry.description
        group.boards = [
            b
            for b in (
                names.get(Board, Board.slug, slug, group_entry.origin, "boards")
                for slug in group_entry.boards
            )
            if b is not None
        ]
        names.put(BoardGroup, group_entry.name, group)
    for campaign_entry in bundle.campaigns.values():
        names.put(Campaign, campaign_entry.name, _campaign(session, campaign_entry))
    _schedules(session, bundle, names)
    if problems:
        raise BundleError(problems)
    session.flush()
    return playlists


def _slogans(session: Session, bundle: Bundle) -> dict[str, Slogan]:
    """Each slogan saved through the service (the rules every other path runs)."""
    claimed: set[int] = set()
    out: dict[str, Slogan] = {}
    for key, entry in bundle.slogans.items():
        slogan = next(
            (
                s
                for s in session.scalars(select(Slogan).where(Slogan.text == entry.text).order_by(Slogan.id))
                if s.id not in claimed
            ),
            None,
        )
        data = SloganData(entry.text, entry.effect, entry.speed, entry.color, entry.source)
        with _refused(entry.origin):
            slogan = content.save_slogan(session, data, slogan, commit=False)
        claimed.add(slogan.id)
        slogan.font = entry.font  # the files' own choice; the forms and the API leave it alone
        out[key] = slogan
    return out


def _banner(session: Session, entry: BannerEntry) -> Banner:
    """The banner for the picture through the service, named and fitted as the files say (a
    banner in the bin keeps its unique hash: importing the picture again brings it back)."""
    with _refused(entry.origin):
        banner, _created = content.upload_banner(session, entry.name, entry.data, entry.fit, commit=False)
    banner.name, banner.fit = entry.name, entry.fit
    return banner


@contextmanager
def _refused(origin: Origin) -> Iterator[None]:
    """A service's refusal as the importer's problems, at the entry's file and line (the reader
    checks the same rules first, so this is a safety net, not a second message)."""
    try:
        yield
    except InvalidInput as exc:
        raise BundleError([origin.problem(p.field, p.template, **p.params) for p in exc.problems]) from None


def _board(session: Session, entry: BoardEntry, names: _Names) -> Board:
    board = session.scalar(select(Board).where(Board.slug == entry.slug))
    if board is None:
        board = Board(slug=entry.slug)
        session.add(board)
    for attr in (
        "name",
        "width",
        "height",
        "color",
        "protocol",
        "port_url",
        "baud",
        "address",
        "pitch_mm",
        "viewing_m",
    ):
        setattr(board, attr, getattr(entry, attr))
    board.playlist = (
        names.get(Playlist, Playlist.name, entry.playlist, entry.origin, "playlist")
        if entry.playlist is not None
        else None
    )
    session.flush()
    settings = session.get(BoardSettings, board.id)
    if entry.timezone is None:
        if settings is not None:
            session.delete(settings)
    else:
        if settings is None:
            settings = BoardSettings(board_id=board.id)
            session.add(settings)
        settings.timezone, settings.on_time, settings.off_time = entry.timezone, entry.on_time, entry.off_time
    for step in session.scalars(select(BrightnessStep).where(BrightnessStep.board_id == board.id)):
        session.delete(step)
    session.flush()
    for given in entry.brightness:
        session.add(BrightnessStep(board_id=board.id, at=given.at, level=given.level))
    return board


def _campaign(session: Session, entry: CampaignEntry) -> Campaign:
    """Phases are updated in place by name, so schedules that point at them keep their phase."""
    campaign = session.scalar(select(Campaign).where(Campaign.name == entry.name))
    if campaign is None:
        campaign = Campaign(name=entry.name)
        session.add(campaign)
    campaign.description = entry.description
    existing = {p.name: p for p in campaign.phases}
    for i, phase in enumerate(campaign.phases):
        phase.position = -1 - i  # out of the way of the new positions (unique per campaign)
    session.flush()
    phases = []
    for position, spec in enumerate(entry.phases):
        kept: Phase | None = existing.pop(spec.name, None)
        phase = kept or Phase(name=spec.name)
        phase.position, phase.starts_on, phase.ends_on = position, spec.start, spec.end
        phases.append(phase)
    campaign.phases = phases
    session.flush()
    return campaign


def _schedules(session: Session, bundle: Bundle, names: _Names) -> None:
    claimed: set[int] = set()
    for entry in bundle.schedules:
        schedule = None
        if entry.name:
            same = select(Schedule).where(Schedule.name == entry.name).order_by(Schedule.id)
            schedule = next((s for s in session.scalars(same) if s.id not in claimed), None)
        if schedule is None:
            schedule = Schedule(name=entry.name)
        o = entry.origin
        playlist = names.get(Playlist, Playlist.name, entry.playlist, o, "playlist")
        if playlist is not None:  # else a problem is recorded: the import fails, the row is dropped
            schedule.playlist = playlist
        schedule.board = names.get(Board, Board.slug, entry.board, o, "board") if entry.board else None
        schedule.group = (
            names.get(BoardGroup, BoardGroup.name, entry.group, o, "group") if entry.group else None
        )
        schedule.phase = None
        if entry.campaign is not None:
            campaign = names.get(Campaign, Campaign.name, entry.campaign, o, "campaign")
            if campaign is not None:
                index = phase_index(campaign.phases, entry.phase)
                if index is None:
                    names.problems.append(
                        o.problem(
                            "phase",
                            N_("campaign %(campaign)r has no phase %(phase)r"),
                            campaign=entry.campaign,
                            phase=entry.phase,
                        )
                    )
                else:
                    schedule.phase = campaign.phases[index]
        schedule.starts_on, schedule.ends_on = entry.start, entry.end
        schedule.weekdays = entry.weekdays
        schedule.start_time, schedule.end_time = entry.start_time, entry.end_time
        schedule.priority, schedule.enabled = entry.priority, entry.enabled
        schedule.rule = entry.rule
        if names.problems:
            continue  # the import fails; keep the half-made row out of the session
        session.add(schedule)
        session.flush()
        claimed.add(schedule.id)
