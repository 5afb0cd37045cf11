"""Campaigns (đợt tuyên truyền) and their phases (giai đoạn): list, forms, overview.

Until now a campaign could only come from a TOML bundle; these pages let editors make
and change them, see which schedules each phase drives, and see per board which
playlist plays on which days. The checks live in ``signage.campaigns`` (shared with the
API and the importer later); this module only maps forms to them. Every save is checked
against the version the user opened (``signage.web.concurrency``) and then published
like any other content change.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug import Response
from wtforms import DateField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.fields.core import Field

from signage import campaigns as rules
from signage.db import get_db
from signage.models import Campaign, Phase, Schedule
from signage.rules import InvalidInput
from signage.web.access import role_required
from signage.web.concurrency import fingerprint
from signage.web.forms import ActionForm, Form, rule, translate
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
    # No Length validator: the rule says how long it is in the user's language.
    name = StringField(_l("Campaign name"), validators=[rule(rules.campaign_name)])
    description = TextAreaField(_l("Description"), validators=[rule(rules.description)])
    base_version = HiddenField()
    submit = SubmitField(_l("Save"))


class PhaseForm(Form):
    name = StringField(_l("Phase name"), validators=[rule(rules.phase_name)])
    starts_on = DayField(_l("First day"))
    ends_on = DayField(_l("Last day (inclusive)"))
    base_version = HiddenField()
    submit = SubmitField(_l("Save"))


def refuse(form: Form, exc: InvalidInput, fallback: Field) -> None:
    """Show a rule's message under the field it names (or ``fallback``)."""
    target = getattr(form, exc.field, None)
    (target if isinstance(target, Field) else fallback).errors.append(translate(exc))


def campaign_version(campaign: Campaign) -> str:
    """The campaign with its phases: reordering or deleting acts on the list the user saw."""
    parts = [fingerprint(campaign), *(fingerprint(p) for p in campaign.phases)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


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
        used[entry.phase_id].append(entry)
    action = ActionForm(formdata=None, base_version=campaign_version(campaign))
    return render_template("campaigns/show.html", campaign=campaign, used=used, action=action)


@bp.route("/<id:campaign_id>/overview")
@role_required("viewer")
def overview(campaign_id: int) -> str:
    """Per board, which playlist plays on which days over the campaign's phases."""
    campaign = _campaign(campaign_id)
    boards, cut = rules.overview(get_db(), campaign)
    return render_template("campaigns/overview.html", campaign=campaign, boards=boards, cut=cut,
                           limit=rules.OVERVIEW_DAYS)


def _save_campaign(form: CampaignForm, campaign: Campaign | None) -> Response | None:
    """Save if the form and the rules agree; None when the form shows why not."""
    if not form.validate_on_submit():
        return None
    db = get_db()
    try:
        rules.unique_campaign_name(db, form.name.data, campaign)
    except InvalidInput as exc:
        refuse(form, exc, form.name)
        return None
    campaign = campaign or Campaign()
    campaign.name, campaign.description = form.name.data, form.description.data
    db.add(campaign)
    db.commit()
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
    current = fingerprint(campaign)
    if not form.is_submitted():
        form.base_version.data = current
    elif form.base_version.data != current:
        flash(_("Someone else saved this campaign after you opened it. The form now shows their "
                 "version; make your change again."), "error")
        form = CampaignForm(obj=campaign, formdata=None, base_version=current)
        return render_template("campaigns/form.html", form=form, campaign=campaign), 409
    done = _save_campaign(form, campaign)
    if done is not None:
        return done
    return render_template("campaigns/form.html", form=form, campaign=campaign), _status(form)


@bp.route("/<id:campaign_id>/delete", methods=["POST"])
@role_required("editor")
def delete(campaign_id: int) -> Response:
    campaign = _campaign(campaign_id)
    if not _unchanged(campaign):
        return redirect(url_for("campaigns.show", campaign_id=campaign_id))
    db = get_db()
    try:
        rules.unused(rules.schedules_using(db, phases=campaign.phases), "campaign")
    except InvalidInput as exc:
        flash(_("Campaign %(name)s was not deleted: %(problem)s", name=campaign.name, problem=translate(exc)),
              "error")
        return redirect(url_for("campaigns.show", campaign_id=campaign_id))
    db.delete(campaign)
    db.commit()
    flash(_("Campaign deleted."), "info")
    publish_changes()
    return redirect(url_for("campaigns.index"))


# --- phases ----------------------------------------------------------------------------


def _save_phase(form: PhaseForm, campaign: Campaign, phase: Phase | None) -> Response | None:
    if not form.validate_on_submit():
        return None
    try:
        first, last = rules.phase_dates(form.starts_on.data, form.ends_on.data)
        rules.no_overlap((p for p in campaign.phases if p is not phase), first, last)
        rules.unique_phase_name(campaign, form.name.data, phase)
    except InvalidInput as exc:
        refuse(form, exc, form.name)
        return None
    db = get_db()
    if phase is None:
        position = max((p.position for p in campaign.phases), default=-1) + 1
        phase = Phase(position=position)
        campaign.phases.append(phase)
    phase.name, phase.starts_on, phase.ends_on = form.name.data, first, last
    db.commit()
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
    current = fingerprint(phase)
    if not form.is_submitted():
        form.base_version.data = current
    elif form.base_version.data != current:
        flash(_("Someone else saved this phase after you opened it. The form now shows their "
                 "version; make your change again."), "error")
        form = PhaseForm(obj=phase, formdata=None, base_version=current)
        return render_template("campaigns/phase_form.html", form=form, campaign=campaign, phase=phase), 409
    done = _save_phase(form, campaign, phase)
    if done is not None:
        return done
    page = render_template("campaigns/phase_form.html", form=form, campaign=campaign, phase=phase)
    return page, _status(form)


def _unchanged(campaign: Campaign) -> bool:
    """A valid button press on the campaign as the user saw it; else say why nothing happened."""
    form = ActionForm()
    if not form.validate_on_submit():
        return False
    if form.base_version.data != campaign_version(campaign):
        flash(_("The campaign was changed by someone else meanwhile; nothing was moved or deleted. "
                 "Here it is as it is now."), "error")
        return False
    return True


@bp.route("/<id:campaign_id>/phases/<id:phase_id>/move/<direction>", methods=["POST"])
@role_required("editor")
def move_phase(campaign_id: int, phase_id: int, direction: str) -> Response:
    if direction not in ("up", "down"):
        abort(404)
    campaign = _campaign(campaign_id)
    phase = _phase(campaign, phase_id)
    if _unchanged(campaign):
        phases = campaign.phases
        i = phases.index(phase)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(phases):
            other = phases[j]
            db = get_db()
            # Swap through a free position: (campaign_id, position) is unique.
            a, b = phase.position, other.position
            phase.position = min(a, b) - 1 - len(phases)
            db.flush()
            other.position, phase.position = a, b
            db.commit()
            publish_changes()
    return redirect(url_for("campaigns.show", campaign_id=campaign_id))


@bp.route("/<id:campaign_id>/phases/<id:phase_id>/delete", methods=["POST"])
@role_required("editor")
def delete_phase(campaign_id: int, phase_id: int) -> Response:
    campaign = _campaign(campaign_id)
    phase = _phase(campaign, phase_id)
    if _unchanged(campaign):
        db = get_db()
        try:
            rules.unused(rules.schedules_using(db, phases=[phase]), "phase")
        except InvalidInput as exc:
            flash(_("Phase %(name)s was not deleted: %(problem)s", name=phase.name,
                    problem=translate(exc)), "error")
            return redirect(url_for("campaigns.show", campaign_id=campaign_id))
        campaign.phases.remove(phase)
        db.commit()
        flash(_("Phase deleted."), "info")
        publish_changes()
    return redirect(url_for("campaigns.show", campaign_id=campaign_id))
