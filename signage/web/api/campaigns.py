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
from marshmallow import Schema, fields
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from signage.models import BoardGroup, Campaign, Phase
from signage.services import campaigns as service
from signage.services.campaigns import CampaignData, GroupData, PhaseData, group_version
from signage.web.api import SECURITY
from signage.web.api.auth import token_required
from signage.web.api.helpers import (
    answered,
    as_utc,
    errors,
    instant,
    named,
    no_such,
)
from signage.web.api.schemas import (
    CampaignIn,
    CampaignUpdate,
    GroupIn,
    GroupUpdate,
    PhaseIn,
    PhaseUpdate,
    Published,
)
from signage.web.concurrency import fingerprint
from signage.web.db import get_db
from signage.web.publishing import publish_report

blp = Blueprint(
    "api_campaigns", __name__, url_prefix="/api", description="Campaigns, phases and board groups"
)


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
    return {
        "id": phase.id,
        "campaign_id": phase.campaign_id,
        "position": phase.position,
        "name": phase.name,
        "starts_on": phase.starts_on,
        "ends_on": phase.ends_on,
        "version": fingerprint(phase),
    }


def campaign_json(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.id,
        "name": campaign.name,
        "description": campaign.description,
        "created_at": as_utc(campaign.created_at),
        "phases": [phase_json(p) for p in campaign.phases],
        "version": fingerprint(campaign),
    }


def group_json(group: BoardGroup) -> dict[str, Any]:
    return {
        "id": group.id,
        "name": group.name,
        "description": group.description,
        "boards": [b.slug for b in group.boards],
        "version": group_version(group),
    }


def _campaign(campaign_id: int) -> Campaign:
    found = get_db().get(Campaign, campaign_id, options=[selectinload(Campaign.phases)])
    return found or no_such("campaign", campaign_id)


def _phase(campaign: Campaign, phase_id: int) -> Phase:
    phase = next((p for p in campaign.phases if p.id == phase_id), None)
    return phase or abort(
        404, message=_("campaign %(campaign)s has no phase %(phase)s", campaign=campaign.id, phase=phase_id)
    )


def _group(group_id: int) -> BoardGroup:
    return get_db().get(BoardGroup, group_id) or no_such("group", group_id)


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
        with answered():
            campaign = service.save_campaign(get_db(), CampaignData(data["name"], data["description"]))
        return {**campaign_json(campaign), **publish_report()}


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
        with answered(named("campaign", campaign_id)):
            service.save_campaign(
                get_db(), CampaignData(data["name"], data["description"]), campaign, version=data["version"]
            )
        return {**campaign_json(campaign), **publish_report()}

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.response(204)
    @errors(blp, 404, 409)
    def delete(self, campaign_id: int) -> None:
        """Delete a campaign and its phases; refused (409) while a schedule names one of them."""
        campaign = _campaign(campaign_id)
        with answered(named("campaign", campaign_id)):
            service.delete_campaign(get_db(), campaign)
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
        with answered():
            phase = service.save_phase(get_db(), campaign, _phase_data(data))
        return {**phase_json(phase), **publish_report()}


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
        with answered(named("phase", phase_id)):
            service.save_phase(get_db(), campaign, _phase_data(data), phase, version=data["version"])
        return {**phase_json(phase), **publish_report()}

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.response(204)
    @errors(blp, 404, 409)
    def delete(self, campaign_id: int, phase_id: int) -> None:
        """Delete a phase; refused (409) while a schedule names it."""
        campaign = _campaign(campaign_id)
        phase = _phase(campaign, phase_id)
        with answered(named("phase", phase_id)):
            service.delete_phase(get_db(), campaign, phase)
        publish_report()


def _phase_data(data: dict[str, Any]) -> PhaseData:
    return PhaseData(data["name"], data["starts_on"], data["ends_on"])


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
        with answered():
            group = service.save_group(get_db(), _group_data(data))
        return {**group_json(group), **publish_report()}


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
        with answered(named("group", group_id)):
            service.save_group(get_db(), _group_data(data), group, version=data["version"])
        return {**group_json(group), **publish_report()}

    @token_required("admin")
    @blp.doc(security=SECURITY)
    @blp.response(204)
    @errors(blp, 404, 409)
    def delete(self, group_id: int) -> None:
        """Delete a group; refused (409) while a schedule targets it."""
        group = _group(group_id)
        with answered(named("group", group_id)):
            service.delete_group(get_db(), group)
        publish_report()


def _group_data(data: dict[str, Any]) -> GroupData:
    return GroupData(data["name"], data["description"], board_slugs=data["boards"])
