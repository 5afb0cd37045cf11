"""Campaigns (đợt tuyên truyền), their phases and board groups: create, change, reorder, delete.

The rules are ``signage.campaigns``'s: names not empty and unique (a campaign's among
campaigns, a phase's within its campaign), a phase's last day not before its first, no two
phases of a campaign sharing a day, a group's boards existing, and nothing deleted while a
schedule still uses it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from signage import campaigns as rules
from signage.audit import actor
from signage.models import BoardGroup, Campaign, Phase, Schedule, utcnow
from signage.services import versions
from signage.services.errors import InUse, InvalidInput, checked, saved, writing


@dataclass(frozen=True)
class CampaignData:
    """What a person gives for a campaign."""

    name: str | None
    description: str | None = ""


@dataclass(frozen=True)
class PhaseData:
    """What a person gives for a phase (days are local dates, both inclusive)."""

    name: str | None
    starts_on: date | None
    ends_on: date | None


def campaign_version(campaign: Campaign) -> str:
    """The campaign with its phases: reordering or deleting acts on the list the person saw."""
    return versions.combined([campaign, *campaign.phases])


def save_campaign(
    session: Session,
    data: CampaignData,
    campaign: Campaign | None = None,
    *,
    version: str | None = None,
    commit: bool = True,
) -> Campaign:
    """Create (``campaign`` None) or change a campaign; ``version`` is what the caller read."""
    if campaign is not None:
        versions.check("campaign", version, versions.fingerprint(campaign))
    name, text = checked(lambda: rules.campaign_name(data.name), lambda: rules.description(data.description))
    checked(lambda: rules.unique_campaign_name(session, name, campaign))
    campaign = campaign or Campaign()
    campaign.name, campaign.description = name, text
    session.add(campaign)
    _done(session, commit)
    return campaign


def delete_campaign(
    session: Session, campaign: Campaign, *, version: str | None = None, commit: bool = True
) -> bool:
    """Delete a campaign and its phases (True); refused (``InUse``) while a schedule names a phase."""
    versions.check("campaign", version, campaign_version(campaign))
    _unused(rules.schedules_using(session, phases=campaign.phases), "campaign")
    session.delete(campaign)
    _done(session, commit)
    return True


def save_phase(
    session: Session,
    campaign: Campaign,
    data: PhaseData,
    phase: Phase | None = None,
    *,
    version: str | None = None,
    commit: bool = True,
) -> Phase:
    """Add a phase after the campaign's last one (``phase`` None), or change one."""
    if phase is not None:
        versions.check("phase", version, versions.fingerprint(phase))
    others = [p for p in campaign.phases if p is not phase]
    name, days = checked(
        lambda: rules.phase_name(data.name), lambda: rules.phase_dates(data.starts_on, data.ends_on)
    )
    first, last = days
    checked(
        lambda: rules.no_overlap(others, first, last), lambda: rules.unique_phase_name(campaign, name, phase)
    )
    if phase is None:
        phase = Phase(position=max((p.position for p in campaign.phases), default=-1) + 1)
        campaign.phases.append(phase)
    phase.name, phase.starts_on, phase.ends_on = name, first, last
    _done(session, commit)
    return phase


def replace_phases(
    session: Session, campaign: Campaign, phases: Sequence[PhaseData], *, commit: bool = True
) -> list[Phase]:
    """Make the campaign's phases exactly ``phases``, in this order (a playlist file says them
    all at once). A phase whose name is kept keeps its row, so the schedules that name it keep
    it; the others go. Each phase's name and days are checked as ``save_phase`` checks them; a
    problem's field is ``phases.<n>.<field>``, the phase it is about (from 0).

    Unlike ``save_phase``, two phases of the list may share a name or a day: exports of older
    databases hold such campaigns (a schedule then names its phase by number), and a restore
    must read them back.
    """
    problems: list[InvalidInput] = []
    cleaned: list[tuple[str, date, date]] = []
    for n, given in enumerate(phases):
        try:
            cleaned.append(_phase_rules(given))
        except InvalidInput as exc:
            problems.extend(
                InvalidInput(f"phases.{n}.{p.field}", p.template, **p.params) for p in exc.problems
            )
    if problems:
        raise InvalidInput.gather(problems)
    existing = {p.name: p for p in campaign.phases}
    for i, phase in enumerate(campaign.phases):
        phase.position = -1 - i  # out of the way of the new positions (unique per campaign)
    with writing(session):
        session.flush()
    kept: list[Phase] = []
    for position, (name, first, last) in enumerate(cleaned):
        found: Phase | None = existing.pop(name, None)
        phase = found or Phase(name=name)
        phase.position, phase.starts_on, phase.ends_on = position, first, last
        kept.append(phase)
    campaign.phases = kept
    _done(session, commit)
    return kept


def _phase_rules(given: PhaseData) -> tuple[str, date, date]:
    """A phase's own rules: its name, and its days (both given, the last not before the first)."""
    name, (first, last) = checked(
        lambda: rules.phase_name(given.name), lambda: rules.phase_dates(given.starts_on, given.ends_on)
    )
    return name, first, last


def move_phase(
    session: Session,
    campaign: Campaign,
    phase: Phase,
    step: int,
    *,
    version: str | None = None,
    commit: bool = True,
) -> bool:
    """Move a phase ``step`` places (-1 up, +1 down); False when it is already at that end."""
    versions.check("campaign", version, campaign_version(campaign))
    phases = campaign.phases
    j = phases.index(phase) + step
    if not 0 <= j < len(phases):
        return False
    other = phases[j]
    # Swap through a free position: (campaign_id, position) is unique.
    a, b = phase.position, other.position
    phase.position = min(a, b) - 1 - len(phases)
    session.flush()
    other.position, phase.position = a, b
    _done(session, commit)
    return True


def delete_phase(
    session: Session, campaign: Campaign, phase: Phase, *, version: str | None = None, commit: bool = True
) -> bool:
    """Delete a phase (True); refused (``InUse``) while a schedule names it."""
    versions.check("campaign", version, campaign_version(campaign))
    _unused(rules.schedules_using(session, phases=[phase]), "phase")
    campaign.phases.remove(phase)
    _done(session, commit)
    return True


def _unused(schedules: Sequence[Schedule], what: str) -> None:
    try:
        rules.unused(schedules, what)
    except InvalidInput as exc:
        raise InUse(exc) from None


def _done(session: Session, commit: bool) -> None:
    saved(session, commit)


# --- board groups ---------------------------------------------------------------------


@dataclass(frozen=True)
class GroupData:
    """A board group as a person gives it; boards by id (the admin's boxes) or by slug (the API)."""

    name: str | None
    description: str | None = ""
    board_ids: Sequence[str | int] = ()
    board_slugs: Sequence[str] = ()


def group_version(group: BoardGroup) -> str:
    """The group with its members: a membership change by someone else counts as a change."""
    raw = versions.fingerprint(group) + "|" + ",".join(str(b.id) for b in group.boards)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def save_group(
    session: Session,
    data: GroupData,
    group: BoardGroup | None = None,
    *,
    version: str | None = None,
    commit: bool = True,
) -> BoardGroup:
    """Create or change a group and its members, all checked first: all of it is saved or nothing."""
    if group is not None:
        versions.check("group", version, group_version(group))
    name, text, members = checked(
        lambda: rules.group_name(data.name),
        lambda: rules.description(data.description),
        lambda: rules.board_ids(session, data.board_ids) + rules.board_slugs(session, data.board_slugs),
    )
    checked(lambda: rules.unique_group_name(session, name, group))
    group = group or BoardGroup()
    group.name, group.description, group.boards = name, text, members
    session.add(group)
    _done(session, commit)
    return group


def check_group_unused(session: Session, group: BoardGroup) -> None:
    """Refuse (``InUse``) to delete a group while a schedule targets it."""
    _unused(rules.schedules_using(session, group=group), "group")


def delete_group(
    session: Session, group: BoardGroup, *, version: str | None = None, commit: bool = True
) -> bool:
    """Move a group to the bin (True: it can be restored for 30 days); refused (``InUse``)
    while a schedule targets it."""
    versions.check("group", version, group_version(group))
    check_group_unused(session, group)
    group.deleted_at, group.deleted_by = utcnow(), actor.get()
    _done(session, commit)
    return True
