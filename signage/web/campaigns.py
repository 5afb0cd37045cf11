"""Campaigns (đợt tuyên truyền) and their phases (giai đoạn): list, forms, overview.

Until now a campaign could only come from a TOML bundle; these pages let editors make
and change them, see which schedules each phase drives, and see per board which
playlist plays on which days. Every write is ``signage.services.campaigns``'s (the API's
too); this module maps forms to it and its refusals back under the fields, then publishes
like any other content change.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug import Response
from wtforms import DateField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.fields.core import Field

from signage import campaigns as rules
from signage.models import Campaign, Phase, Schedule
from signage.services import InUse, InvalidInput, Stale, fingerprint
from signage.services import campaigns as service
from signage.services.campaigns import CampaignData, PhaseData, campaign_version
from signage.web.access import role_required
from signage.web.db import get_db
from signage.web.forms import ActionForm, Form, translate
from signage.web.page_cache import cached_page
from signage.web.publishing import publish_changes

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")


class DayField(DateField):
    """A date box (YYYY-MM-DD, as browsers send it) whose parse error is in our catalog."""

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if raw:
            try:
                super().process_formdata([raw])
            except ValueError:
                raise ValueError(_("Dates are written YYYY-MM-DD.")) from None


class CampaignForm(Form):
    # No validators here: the service checks every rule and says each under its field.
    name = StringField(_l("Campaign name"))
    description = TextAreaField(_l("Description"))
    base_version = HiddenField()
    submit = SubmitField(_l("Save"))


class PhaseForm(Form):
    name = StringField(_l("Phase name"))
    starts_on = DayField(_l("First day"))
    ends_on = DayField(_l("Last day (inclusive)"))
    base_version = HiddenField()
    submit = SubmitField(_l("Save"))


def refuse(form: Form, exc: InvalidInput, fallback: Field) -> None:
    """Show each of the service's problems under the field it names (or ``fallback``)."""
    for problem in exc.problems:
        target = getattr(form, problem.field, None)
        (target if isinstance(target, Field) else fallback).errors.append(translate(problem))


def _campaign(campaign_id: int) -> Campaign:
    return get_db().get(Campaign, campaign_id, options=[selectinload(Campaign.phases)]) or abort(404)


def _phase(campaign: Campaign, phase_id: int) -> Phase:
    phase = next((p for p in campaign.phases if p.id == phase_id), None)
    return phase if phase is not None else abort(404)


@bp.route("/")
@role_required("viewer")
@cached_page(60)
def index() -> str:
    db = get_db()
    query = select(Campaign).options(selectinload(Campaign.phases)).order_by(Campaign.name)
    entries = db.scalars(query).all()
    return render_template("campaigns/index.html", campaigns=entries)


@bp.route("/<id:campaign_id>")
@role_required("viewer")
def show(campaign_id: int) -> str:
    """The phases in order, each with the schedules that use it."""
    campaign = _campaign(campaign_id)
    used: dict[int, list[Schedule]] = {p.id: [] for p in campaign.phases}
    for entry in rules.schedules_using(get_db(), phases=campaign.phases):
        if entry.phase_id is not None:  # always, as they were found by their phase
            used[entry.phase_id].append(entry)
    action = ActionForm(formdata=None, base_version=campaign_version(campaign))
    return render_template("campaigns/show.html", campaign=campaign, used=used, action=action)


@bp.route("/<id:campaign_id>/overview")
@role_required("viewer")
def overview(campaign_id: int) -> str:
    """Per board, which playlist plays on which days over the campaign's phases."""
    campaign = _campaign(campaign_id)
    boards, cut = rules.overview(get_db(), campaign)
    return render_template(
        "campaigns/overview.html", campaign=campaign, boards=boards, cut=cut, limit=rules.OVERVIEW_DAYS
    )


def _save_campaign(form: CampaignForm, campaign: Campaign | None) -> Response | None:
    """Save if the form and the rules agree; None when the form shows why not.

    ``Stale`` (someone saved the campaign after this form was opened) goes to the caller.
    """
    if not form.validate_on_submit():
        return None
    data = CampaignData(form.name.data, form.description.data)
    try:
        campaign = service.save_campaign(get_db(), data, campaign, version=form.base_version.data)
    except InvalidInput as exc:
        refuse(form, exc, form.name)
        return None
    flash(_("Campaign saved."), "info")
    publish_changes()
    return redirect(url_for("campaigns.show", campaign_id=campaign.id))


def _status(form: Form) -> int:
    return 422 if any(f.errors for f in form) else 200


@bp.route("/new", methods=["GET", "POST"])
@role_required("editor")
def new() -> str | Response | tuple[str, int]:
    form = CampaignForm()
    done = _save_campaign(form, None)
    if done is not None:
        return done
    return render_template("campaigns/form.html", form=form, campaign=None), _status(form)


@bp.route("/<id:campaign_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def edit(campaign_id: int) -> str | Response | tuple[str, int]:
    campaign = _campaign(campaign_id)
    form = CampaignForm(obj=campaign)
    if not form.is_submitted():
        form.base_version.data = fingerprint(campaign)
    try:
        done = _save_campaign(form, campaign)
    except Stale:
        flash(
            _(
                "Someone else saved this campaign after you opened it. The form now shows their "
                "version; make your change again."
            ),
            "error",
        )
        form = CampaignForm(obj=campaign, formdata=None, base_version=fingerprint(campaign))
        return render_template("campaigns/form.html", form=form, campaign=campaign), 409
    if done is not None:
        return done
    return render_template("campaigns/form.html", form=form, campaign=campaign), _status(form)


@bp.route("/<id:campaign_id>/delete", methods=["POST"])
@role_required("editor")
def delete(campaign_id: int) -> Response:
    campaign = _campaign(campaign_id)
    name = campaign.name
    if not _acted(
        lambda version: service.delete_campaign(get_db(), campaign, version=version),
        lambda problem: _("Campaign %(name)s was not deleted: %(problem)s", name=name, problem=problem),
    ):
        return redirect(url_for("campaigns.show", campaign_id=campaign_id))
    flash(_("Campaign deleted."), "info")
    publish_changes()
    return redirect(url_for("campaigns.index"))


# --- phases ----------------------------------------------------------------------------


def _save_phase(form: PhaseForm, campaign: Campaign, phase: Phase | None) -> Response | None:
    if not form.validate_on_submit():
        return None
    data = PhaseData(form.name.data, form.starts_on.data, form.ends_on.data)
    try:
        service.save_phase(get_db(), campaign, data, phase, version=form.base_version.data)
    except InvalidInput as exc:
        refuse(form, exc, form.name)
        return None
    flash(_("Phase saved."), "info")
    publish_changes()
    return redirect(url_for("campaigns.show", campaign_id=campaign.id))


@bp.route("/<id:campaign_id>/phases/new", methods=["GET", "POST"])
@role_required("editor")
def new_phase(campaign_id: int) -> str | Response | tuple[str, int]:
    campaign = _campaign(campaign_id)
    form = PhaseForm()
    done = _save_phase(form, campaign, None)
    if done is not None:
        return done
    page = render_template("campaigns/phase_form.html", form=form, campaign=campaign, phase=None)
    return page, _status(form)


@bp.route("/<id:campaign_id>/phases/<id:phase_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def edit_phase(campaign_id: int, phase_id: int) -> str | Response | tuple[str, int]:
    campaign = _campaign(campaign_id)
    phase = _phase(campaign, phase_id)
    form = PhaseForm(obj=phase)
    if not form.is_submitted():
        form.base_version.data = fingerprint(phase)
    try:
        done = _save_phase(form, campaign, phase)
    except Stale:
        flash(
            _(
                "Someone else saved this phase after you opened it. The form now shows their "
                "version; make your change again."
            ),
            "error",
        )
        form = PhaseForm(obj=phase, formdata=None, base_version=fingerprint(phase))
        return render_template("campaigns/phase_form.html", form=form, campaign=campaign, phase=phase), 409
    if done is not None:
        return done
    page = render_template("campaigns/phase_form.html", form=form, campaign=campaign, phase=phase)
    return page, _status(form)


def _acted(action: Callable[[str], bool], refused: Callable[[str], str]) -> bool:
    """Run a button's action on the campaign as the person saw it; False when it did nothing.

    A refusal is said in the page: ``refused`` words a delete that schedules still prevent.
    """
    form = ActionForm()
    if not form.validate_on_submit():
        return False
    try:
        return action(form.base_version.data)
    except Stale:
        flash(
            _(
                "The campaign was changed by someone else meanwhile; nothing was moved or deleted. "
                "Here it is as it is now."
            ),
            "error",
        )
        return False
    except InUse as exc:
        flash(refused(translate(exc.reason)), "error")
        return False


@bp.route("/<id:campaign_id>/phases/<id:phase_id>/move/<direction>", methods=["POST"])
@role_required("editor")
def move_phase(campaign_id: int, phase_id: int, direction: str) -> Response:
    if direction not in ("up", "down"):
        abort(404)
    campaign = _campaign(campaign_id)
    phase = _phase(campaign, phase_id)
    step = -1 if direction == "up" else 1
    if _acted(
        lambda version: service.move_phase(get_db(), campaign, phase, step, version=version),
        lambda problem: problem,
    ):
        publish_changes()
    return redirect(url_for("campaigns.show", campaign_id=campaign_id))


@bp.route("/<id:campaign_id>/phases/<id:phase_id>/delete", methods=["POST"])
@role_required("editor")
def delete_phase(campaign_id: int, phase_id: int) -> Response:
    campaign = _campaign(campaign_id)
    phase = _phase(campaign, phase_id)
    if _acted(
        lambda version: service.delete_phase(get_db(), campaign, phase, version=version),
        lambda problem: _("Phase %(name)s was not deleted: %(problem)s", name=phase.name, problem=problem),
    ):
        flash(_("Phase deleted."), "info")
        publish_changes()
    return redirect(url_for("campaigns.show", campaign_id=campaign_id))
