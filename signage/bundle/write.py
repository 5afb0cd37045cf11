"""Write a checked ``Bundle`` into the database, inside the caller's transaction.

Matching, so that importing the same files twice changes nothing: boards by slug, groups,
playlists and campaigns by name, banners by image hash, slogans by text (the n-th slogan
of a text in the files is the n-th in the database), schedules by name when they have one.
What the files describe replaces what the database holds for that thing (a playlist's
items, a campaign's phases, a board's settings). A name the files use but do not define
(a playlist, board, group or campaign) is looked up in the database; if it is not there
either, ``BundleError`` is raised and the caller's transaction rolls back.

Slogans, banners, board groups, campaigns and their phases, schedules and a board's hours
are saved through their services (``signage.services``), which hold their rules and whose
writes the audit records, as for the admin's forms and the API; this module only finds the
rows the files name and says a service's refusal at the file's line. Boards' own columns
and playlists' items are still set here (see the module's functions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.bundle.read import phase_index
from signage.bundle.spec import (
    BannerEntry,
    BoardEntry,
    Bundle,
    BundleError,
    CampaignEntry,
    GroupEntry,
    Origin,
    ScheduleEntry,
)
from signage.bundle.tables import PhaseTable, ScheduleTable
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
from signage.services import boards as board_service
from signage.services import campaigns as campaign_service
from signage.services import schedules as schedule_service
from signage.services.boards import BoardData
from signage.services.campaigns import CampaignData, GroupData, PhaseData
from signage.services.content import SloganData
from signage.services.schedules import HoursData, ScheduleData

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
    playlists = _playlists(session, bundle, slogans, banners, names)
    for board_entry in bundle.boards.values():
        names.put(Board, board_entry.slug, _board(session, board_entry, names))
    for group_entry in bundle.groups.values():
        names.put(BoardGroup, group_entry.name, _group(session, group_entry, names))
    for campaign_entry in bundle.campaigns.values():
        names.put(Campaign, campaign_entry.name, _campaign(session, campaign_entry))
    _schedules(session, bundle, names)
    if problems:
        raise BundleError(problems)
    session.flush()
    return playlists


def _playlists(
    session: Session,
    bundle: Bundle,
    slogans: dict[str, Slogan],
    banners: dict[str, Banner],
    names: _Names,
) -> dict[str, Playlist]:
    playlists: dict[str, Playlist] = {}
    for entry in bundle.playlists.values():
        # A playlist of that name in the bin comes back: the files say it exists (and the
        # name is unique, binned or not).
        query = select(Playlist).where(Playlist.name == entry.name)
        playlist = session.scalar(query.execution_options(include_deleted=True))
        if playlist is None:
            playlist = Playlist(name=entry.name)
            session.add(playlist)
        playlist.deleted_at = playlist.deleted_by = None
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
def _refused(origin: Origin, said_as: Callable[[str], str] = str) -> Iterator[None]:
    """A service's refusal as the importer's problems, at the entry's file and line, each under
    the key the file writes (``said_as`` of the service's field). The reader checks the same
    rules first, so this is a safety net, not a second message."""
    try:
        yield
    except InvalidInput as exc:
        raise BundleError(
            [origin.problem(said_as(p.field), p.template, **p.params) for p in exc.problems]
        ) from None


def _board(session: Session, entry: BoardEntry, names: _Names) -> Board:
    """The board through the service; its LED colour, which files do not carry, stays, and its
    port need not be a device on this machine."""
    board = session.scalar(select(Board).where(Board.slug == entry.slug))
    playlist = (
        names.get(Playlist, Playlist.name, entry.playlist, entry.origin, "playlist")
        if entry.playlist is not None
        else None
    )
    data = BoardData(
        slug=entry.slug,
        name=entry.name,
        width=entry.width,
        height=entry.height,
        color=entry.color,
        led_color=board.led_color if board is not None else BoardData.led_color,
        protocol=entry.protocol,
        port_url=entry.port_url,
        baud=entry.baud,
        address=entry.address,
        pitch_mm=entry.pitch_mm,
        viewing_m=entry.viewing_m,
        playlist_id=playlist.id if playlist is not None else None,
        port_here=False,
    )
    with _refused(entry.origin):
        board = board_service.save_board(session, data, board, commit=False)
    _hours(session, board, entry)
    return board


def _hours(session: Session, board: Board, entry: BoardEntry) -> None:
    """The board's zone, hours and brightness through the service; a board the files give no
    zone (nor hours) keeps no settings of its own, only its brightness table."""
    steps = [(step.at, step.level) for step in entry.brightness]
    if entry.timezone is not None:
        data = HoursData(entry.timezone, entry.on_time, entry.off_time, steps)
        with _refused(entry.origin):
            schedule_service.save_hours(session, board, data, commit=False)
        return
    with _refused(entry.origin):
        table = schedule_service.brightness(steps)
    settings = session.get(BoardSettings, board.id)
    if settings is not None:
        session.delete(settings)
    for step in session.scalars(select(BrightnessStep).where(BrightnessStep.board_id == board.id)):
        session.delete(step)
    session.flush()
    session.add_all(BrightnessStep(board_id=board.id, at=at, level=level) for at, level in table.items())


def _group(session: Session, entry: GroupEntry, names: _Names) -> BoardGroup:
    """The group through the service, its boards by slug from the files or the database (a
    slug named nowhere is a problem of the import, said at the group's line)."""
    group = session.scalar(select(BoardGroup).where(BoardGroup.name == entry.name))
    found = (names.get(Board, Board.slug, slug, entry.origin, "boards") for slug in entry.boards)
    data = GroupData(entry.name, entry.description, board_ids=[b.id for b in found if b is not None])
    with _refused(entry.origin):
        return campaign_service.save_group(session, data, group, commit=False)


def _campaign(session: Session, entry: CampaignEntry) -> Campaign:
    """The campaign and its phases through the service; phases are matched by name, so the
    schedules that point at them keep their phase."""
    campaign = session.scalar(select(Campaign).where(Campaign.name == entry.name))
    with _refused(entry.origin):
        campaign = campaign_service.save_campaign(
            session, CampaignData(entry.name, entry.description), campaign, commit=False
        )
    phases = [PhaseData(p.name, p.start, p.end) for p in entry.phases]
    try:
        campaign_service.replace_phases(session, campaign, phases, commit=False)
    except InvalidInput as exc:
        raise BundleError([_phase_problem(entry, p) for p in exc.problems]) from None
    return campaign


def _phase_problem(entry: CampaignEntry, problem: InvalidInput) -> str:
    """A refusal of phase ``phases.<n>.<field>`` at that phase's line, as the file writes the field."""
    _phases, n, field = problem.field.split(".", 2)
    return entry.phases[int(n)].origin.problem(
        PhaseTable().said_as(field), problem.template, **problem.params
    )


def _schedules(session: Session, bundle: Bundle, names: _Names) -> None:
    """Each schedule through the service, matched by name (the n-th of a name in the files is
    the n-th in the database). Every name is looked up first, so that all the dangling ones are
    reported; a schedule is written only while there is none."""
    claimed: set[int] = set()
    said_as = ScheduleTable().said_as
    for entry in bundle.schedules:
        data = _schedule_data(entry, names)
        if data is None or names.problems:
            continue  # the import fails; nothing more is written
        schedule = None
        if entry.name:
            same = select(Schedule).where(Schedule.name == entry.name).order_by(Schedule.id)
            schedule = next((s for s in session.scalars(same) if s.id not in claimed), None)
        with _refused(entry.origin, said_as):
            schedule = schedule_service.save_schedule(session, data, schedule, commit=False)
        claimed.add(schedule.id)


def _schedule_data(entry: ScheduleEntry, names: _Names) -> ScheduleData | None:
    """The schedule as the service takes it, what it names by id (None: a name is missing,
    and the problem is recorded)."""
    o = entry.origin
    playlist = names.get(Playlist, Playlist.name, entry.playlist, o, "playlist")
    board = names.get(Board, Board.slug, entry.board, o, "board") if entry.board else None
    group = names.get(BoardGroup, BoardGroup.name, entry.group, o, "group") if entry.group else None
    phase = _phase(entry, names) if entry.campaign is not None else None
    if playlist is None or (entry.board and board is None) or (entry.group and group is None):
        return None
    if entry.campaign is not None and phase is None:
        return None
    return ScheduleData(
        playlist_id=playlist.id,
        name=entry.name,
        board_id=board.id if board is not None else None,
        group_id=group.id if group is not None else None,
        phase_id=phase.id if phase is not None else None,
        starts_on=entry.start,
        ends_on=entry.end,
        weekdays=entry.weekdays,
        start_time=entry.start_time,
        end_time=entry.end_time,
        priority=entry.priority,
        enabled=entry.enabled,
        repeat=entry.rule or "daily",  # as the reader's schema parsed it
    )


def _phase(entry: ScheduleEntry, names: _Names) -> Phase | None:
    """The phase of the campaign the schedule names (None: missing, the problem recorded)."""
    o = entry.origin
    campaign = names.get(Campaign, Campaign.name, entry.campaign or "", o, "campaign")
    if campaign is None:
        return None
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
        return None
    return campaign.phases[index]
