"""The service layer used as the importer and scripts use it: a Session and plain data, no Flask."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.audit import acting_as
from signage.db import create_schema, make_engine
from signage.models import AuditEntry, Campaign, Playlist, Schedule
from signage.services import InUse, InvalidInput, Stale, fingerprint
from signage.services import campaigns as service
from signage.services.campaigns import CampaignData, PhaseData, campaign_version


@pytest.fixture
def session(tmp_path: Path) -> Session:
    engine = make_engine(f"sqlite:///{tmp_path / 'signage.db'}")
    create_schema(engine)
    with Session(engine, expire_on_commit=False) as s:
        yield s


def test_every_problem_is_named_at_once_and_nothing_is_saved(session: Session) -> None:
    campaign = service.save_campaign(session, CampaignData("Đại hội XIII", ""))
    with pytest.raises(InvalidInput) as refused:
        service.save_phase(session, campaign, PhaseData("", date(2020, 9, 1), date(2020, 8, 1)))
    fields = sorted(p.field for p in refused.value.problems)
    assert fields == ["ends_on", "name"], [str(p) for p in refused.value.problems]
    session.rollback()
    assert session.get(Campaign, campaign.id).phases == []


def test_a_save_against_an_old_version_is_refused(session: Session) -> None:
    campaign = service.save_campaign(session, CampaignData("Đại hội XIII", ""))
    seen = fingerprint(campaign)
    service.save_campaign(session, CampaignData("Đại hội XIII (sửa)", ""), campaign, version=seen)
    with pytest.raises(Stale):
        service.save_campaign(session, CampaignData("Đại hội khác", ""), campaign, version=seen)
    assert session.get(Campaign, campaign.id).name == "Đại hội XIII (sửa)"


def test_a_phase_a_schedule_uses_is_not_deleted_and_every_write_is_audited(session: Session) -> None:
    with acting_as("bientap"):
        campaign = service.save_campaign(session, CampaignData("Đại hội XIII", "KH 17/KH-BQLKKT"))
        phase = service.save_phase(
            session, campaign, PhaseData("Giai đoạn 1", date(2019, 11, 1), date(2020, 8, 31))
        )
        playlist = Playlist(name="Hằng ngày")
        session.add_all([playlist, Schedule(playlist=playlist, phase_id=phase.id)])
        session.commit()
        with pytest.raises(InUse) as refused:
            service.delete_phase(session, campaign, phase, version=campaign_version(campaign))
        assert "still use it" in str(refused.value)
    actions = session.scalars(select(AuditEntry).where(AuditEntry.actor == "bientap")).all()
    assert {(a.table, a.action) for a in actions} >= {("campaigns", "create"), ("phases", "create")}


def test_the_service_layer_loads_no_web_framework() -> None:
    code = (
        "import sys, signage.services.campaigns, signage.backup, signage.playout\n"
        "print([m for m in ('flask', 'flask_login', 'wtforms') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_files_whole_list_of_phases_keeps_the_rows_it_names_again(session: Session) -> None:
    """The importer's way: the list replaces the phases, a phase kept by name keeps its row
    (schedules naming it keep it), every phase's problems come at once under ``phases.<n>``."""
    campaign = service.save_campaign(session, CampaignData("Tết", ""))
    first = service.replace_phases(
        session,
        campaign,
        [
            PhaseData("Trước", date(2027, 1, 20), date(2027, 2, 5)),
            PhaseData("Sau", date(2027, 2, 6), date(2027, 2, 9)),
        ],
    )
    kept = {p.name: p.id for p in first}
    again = service.replace_phases(
        session,
        campaign,
        [
            PhaseData("Sau", date(2027, 1, 20), date(2027, 2, 5)),
            PhaseData("Trước", date(2027, 2, 6), date(2027, 2, 9)),
        ],
    )
    assert [(p.name, p.id, p.position) for p in again] == [
        ("Sau", kept["Sau"], 0),
        ("Trước", kept["Trước"], 1),
    ]
    with pytest.raises(InvalidInput) as refused:
        service.replace_phases(
            session,
            campaign,
            [
                PhaseData("Ổn", date(2027, 1, 1), date(2027, 1, 2)),
                PhaseData("", date(2027, 3, 1), date(2027, 2, 1)),
            ],
        )
    assert sorted(p.field for p in refused.value.problems) == ["phases.1.ends_on", "phases.1.name"]
    session.rollback()
    assert [p.name for p in session.get(Campaign, campaign.id).phases] == ["Sau", "Trước"]
