"""API for campaigns (đợt tuyên truyền), their phases and board groups, which schedules name.

The checks are ``signage.campaigns``'s, the same the admin's pages run: names unique and
not empty, a phase's last day not before its first, no two phases of a campaign sharing
a day, and nothing deleted while a schedule still uses it (409, with the schedules named).
Editors write campaigns and phases; groups, like on the admin's pages, are for admins.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from signage import campaigns as rules
from signage.db import get_db
from signage.models import Board, BoardGroup, Campaign, Phase
from signage.rules import InvalidInput
from signage.web.api import SECURITY
from signage.web.api.auth import token_required
from signage.web.api.helpers import (
    as_utc,
    board_ref,
    check_version,
    errors,
    instant,
    missing,
    named,
    no_such,
    plain_name,
    refuse,
    version_field,
)
from signage.web.api.schemas import Published
from signage.web.concurrency import fingerprint
from signage.web.messages import say
from signage.web.publishing import publish_report

blp = Blueprint("api_campaigns", __name__, url_prefix="/api",
                description="Campaigns, phases and board groups")

NAME = validate.And(validate.Length(max=200), plain_name)
TEXT = validate.Length(max=rules.DESCRIPTION_LIMIT * 2)  # the rule counts after normalising


class CampaignIn(Schema):
    name = fields.String(required=True, validate=NAME)
    description = fields.String(load_default="", validate=TEXT)


class CampaignUpdate(CampaignIn):
    version = version_field()


class PhaseIn(Schema):
    name = fields.String(required=True, validate=NAME)
    starts_on = fields.Date(required=True, metadata={"description": "first day, local, inclusive"})
    ends_on = fields.Date(required=True, metadata={"description": "last day, local, inclusive"})


class PhaseUpdate(PhaseIn):
    version = version_field()


class GroupIn(Schema):
    name = fields.String(required=True, validate=validate.And(validate.Length(max=120), plain_name))
    description = fields.String(load_default="", validate=TEXT)
    boards = fields.List(fields.String(validate=board_ref), load_default=list,
                         validate=validate.Length(max=1000), metadata={"description": "board slugs"})


class GroupUpdate(GroupIn):
    version = version_field()


class PhaseOut(Schema):
    id = fields.Integer()
    campaign_id = fields.Integer()
    position = fields.Integer()
    name = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    version = fields.String()


class CampaignOut(Schema):
    id = fields.Integer()
    name = fields.String()
    description = fields.String()
    created_at = instant()
    phases = fields.List(fields.Nested(PhaseOut), metadata={"description": "in order"})
    version = fields.String()


class GroupOut(Schema):
    id = fields.Integer()
    name = fields.String()
    description = fields.String()
    boards = fields.List(fields.String(), metadata={"description": "slugs"})
    version = fields.String()


class CampaignSaved(CampaignOut, Published):
    """A saved campaign and the boards it was published to."""


class PhaseSaved(PhaseOut, Published):
    """A saved phase and the boards it was published to."""


class GroupSaved(GroupOut, Published):
    """A saved group and the boards it was published to."""


def phase_json(phase: Phase) -> dict[str, Any]:
    return {"id": phase.id, "campaign_id": phase.campaign_id, "position": phase.position, "name": phase.name,
            "starts_on": phase.starts_on, "ends_on": phase.ends_on, "version": fingerprint(phase)}


def campaign_json(campaign: Campaign) -> dict[str, Any]:
    return {"id": campaign.id, "name": campaign.name, "description": campaign.description,
            "created_at": as_utc(campaign.created_at), "phases": [phase_json(p) for p in campaign.phases],
            "version": fingerprint(campaign)}


def group_json(group: BoardGroup) -> dict[str, Any]:
    return {"id": group.id, "name": group.name, "description": group.description,
            "boards": [b.slug for b in group.boards], "version": fingerprint(group)}


def _checked(checks: list[Any]) -> list[Any]:
    """Run the shared rules in order; the first refusal answers 422 under the field it names."""
    results = []
    for check, *args in checks:
        try:
            results.append(check(*args))
        except InvalidInput as exc:
            refuse({exc.field: [say(exc)]})
    return results


def _in_use(schedules: list[Any], what: str) -> None:
    """Deleting what schedules use would change what they play: 409, naming them."""
    try:
        rules.unused(schedules, what)
    except InvalidInput as exc:
        abort(409, message=_("not deleted: %(problem)s", problem=say(exc)))


def _campaign(campaign_id: int) -> Campaign:
    found = get_db().get(Campaign, campaign_id, options=[selectinload(Campaign.phases)])
    return found or no_such("campaign", campaign_id)


def _phase(campaign: Campaign, phase_id: int) -> Phase:
    phase = next((p for p in campaign.phases if p.id == phase_id), None)
    return phase or abort(404, message=_("campaign %(campaign)s has no phase %(phase)s", campaign=campaign.id,
                                         phase=phase_id))


def _group(group_id: int) -> BoardGroup:
    return get_db().get(BoardGroup, group_id) or no_such("group", group_id)


def _save(obj: Any, as_json: Any) -> dict[str, Any]:
    db = get_db()
    db.add(obj)
    db.commit()
    return {**as_json(obj), **publish_report()}


@blp.route("/campaigns")
class Campaigns(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, CampaignOut(many=True))
    @errors(blp)
    def get(self) -> list[dict[str, Any]]:
        """Campaigns and their phases (a schedule's ``phase_id`` is one of these)."""
        query = select(Campaign).options(selectinload(Campaign.phases)).order_by(Campaign.name)
        return [campaign_json(c) for c in get_db().scalars(query)]

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.arguments(CampaignIn)
    @blp.response(201, CampaignSaved)
    @errors(blp)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Start a campaign (its phases are added next)."""
        name, text = _checked([(rules.campaign_name, data["name"]), (rules.description, data["description"])])
        _checked([(rules.unique_campaign_name, get_db(), name, None)])
        return _save(Campaign(name=name, description=text), campaign_json)


@blp.route("/campaigns/<id:campaign_id>")
class CampaignById(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, CampaignOut)
    @errors(blp, 404)
    def get(self, campaign_id: int) -> dict[str, Any]:
        """One campaign with its phases in order."""
        return campaign_json(_campaign(campaign_id))

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.arguments(CampaignUpdate)
    @blp.response(200, CampaignSaved)
    @errors(blp, 404, 409)
    def put(self, data: dict[str, Any], campaign_id: int) -> dict[str, Any]:
        """Rename a campaign or change its description."""
        campaign = _campaign(campaign_id)
        check_version(campaign, data["version"], named("campaign", campaign_id))
        name, text = _checked([(rules.campaign_name, data["name"]), (rules.description, data["description"])])
        _checked([(rules.unique_campaign_name, get_db(), name, campaign)])
        campaign.name, campaign.description = name, text
        return _save(campaign, campaign_json)

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.response(204)
    @errors(blp, 404, 409)
    def delete(self, campaign_id: int) -> None:
        """Delete a campaign and its phases; refused (409) while a schedule names one of them."""
        db = get_db()
        campaign = _campaign(campaign_id)
        _in_use(rules.schedules_using(db, phases=campaign.phases), "campaign")
        db.delete(campaign)
        db.commit()
        publish_report()


@blp.route("/campaigns/<id:campaign_id>/phases")
class Phases(MethodView):
    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.arguments(PhaseIn)
    @blp.response(201, PhaseSaved)
    @errors(blp, 404)
    def post(self, data: dict[str, Any], campaign_id: int) -> dict[str, Any]:
        """Add a phase after the campaign's last one."""
        campaign = _campaign(campaign_id)
        phase = Phase(position=max((p.position for p in campaign.phases), default=-1) + 1)
        _fill(campaign, phase, data, None)
        campaign.phases.append(phase)
        return _save(phase, phase_json)


@blp.route("/campaigns/<id:campaign_id>/phases/<id:phase_id>")
class PhaseById(MethodView):
    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.arguments(PhaseUpdate)
    @blp.response(200, PhaseSaved)
    @errors(blp, 404, 409)
    def put(self, data: dict[str, Any], campaign_id: int, phase_id: int) -> dict[str, Any]:
        """Rename a phase or move its dates; the schedules that name it follow."""
        campaign = _campaign(campaign_id)
        phase = _phase(campaign, phase_id)
        check_version(phase, data["version"], named("phase", phase_id))
        _fill(campaign, phase, data, phase)
        return _save(phase, phase_json)

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.response(204)
    @errors(blp, 404, 409)
    def delete(self, campaign_id: int, phase_id: int) -> None:
        """Delete a phase; refused (409) while a schedule names it."""
        campaign = _campaign(campaign_id)
        phase = _phase(campaign, phase_id)
        _in_use(rules.schedules_using(get_db(), phases=[phase]), "phase")
        campaign.phases.remove(phase)
        get_db().commit()
        publish_report()


def _fill(campaign: Campaign, phase: Phase, data: dict[str, Any], current: Phase | None) -> None:
    """Check a phase's name and days against the campaign's other phases, then copy them."""
    (name,) = _checked([(rules.phase_name, data["name"])])
    [(first, last)] = _checked([(rules.phase_dates, data["starts_on"], data["ends_on"])])
    _checked([(rules.no_overlap, [p for p in campaign.phases if p is not current], first, last),
              (rules.unique_phase_name, campaign, name, current)])
    phase.name, phase.starts_on, phase.ends_on = name, first, last


@blp.route("/groups")
class Groups(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, GroupOut(many=True))
    @errors(blp)
    def get(self) -> list[dict[str, Any]]:
        """Board groups (a schedule's ``group_id`` is one of these) and their boards."""
        return [group_json(g) for g in get_db().scalars(select(BoardGroup).order_by(BoardGroup.name))]

    @token_required("admin")
    @blp.doc(security=SECURITY)
    @blp.arguments(GroupIn)
    @blp.response(201, GroupSaved)
    @errors(blp)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Make a group of boards that schedules can target together."""
        group = BoardGroup()
        _fill_group(group, data, None)
        return _save(group, group_json)


@blp.route("/groups/<id:group_id>")
class GroupById(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, GroupOut)
    @errors(blp, 404)
    def get(self, group_id: int) -> dict[str, Any]:
        """One board group."""
        return group_json(_group(group_id))

    @token_required("admin")
    @blp.doc(security=SECURITY)
    @blp.arguments(GroupUpdate)
    @blp.response(200, GroupSaved)
    @errors(blp, 404, 409)
    def put(self, data: dict[str, Any], group_id: int) -> dict[str, Any]:
        """Rename a group or change its boards; their shows follow."""
        group = _group(group_id)
        check_version(group, data["version"], named("group", group_id))
        _fill_group(group, data, group)
        return _save(group, group_json)

    @token_required("admin")
    @blp.doc(security=SECURITY)
    @blp.response(204)
    @errors(blp, 404, 409)
    def delete(self, group_id: int) -> None:
        """Delete a group; refused (409) while a schedule targets it."""
        db = get_db()
        group = _group(group_id)
        _in_use(rules.schedules_using(db, group=group), "group")
        db.delete(group)
        db.commit()
        publish_report()


def _fill_group(group: BoardGroup, data: dict[str, Any], current: BoardGroup | None) -> None:
    db = get_db()
    name, text = _checked([(rules.group_name, data["name"]), (rules.description, data["description"])])
    _checked([(rules.unique_group_name, db, name, current)])
    wanted = set(data["boards"])
    query = select(Board).where(Board.slug.in_(wanted)).order_by(Board.slug)
    boards = list(db.scalars(query)) if wanted else []
    unknown = sorted(wanted - {b.slug for b in boards})
    if unknown:
        refuse({"boards": [missing("board", slug) for slug in unknown[:5]]})
    group.name, group.description, group.boards = name, text, boards
