"""Who put which board in a group, or a notice on which boards, is in the audit log too, and a
membership change waits for approval like any other change to what the boards play."""

from __future__ import annotations

import json

from sqlalchemy import select

from signage.approval import pending_count
from signage.audit import acting_as
from signage.models import AuditEntry, Board, BoardGroup


def _board(slug: str) -> Board:
    return Board(
        slug=slug,
        name=slug,
        width=192,
        height=32,
        color="mono",
        protocol="native",
        port_url="socket://127.0.0.1:9",
        baud=115200,
    )


def test_group_membership_changes_are_recorded_with_before_and_after(db) -> None:  # noqa: ANN001
    bo_y, lao_bao, cha_lo = _board("bo-y"), _board("lao-bao"), _board("cha-lo")
    with acting_as("lan"):
        group = BoardGroup(name="Cửa khẩu phía Lào", boards=[bo_y, lao_bao])
        db.add_all([group, cha_lo])
        db.commit()
    created = db.scalar(select(AuditEntry).where(AuditEntry.table == "board_groups"))
    assert json.loads(created.after)["boards"] == sorted([str(bo_y.id), str(lao_bao.id)])
    with acting_as("minh"):
        group.boards = [lao_bao, cha_lo]
        db.commit()
    entry = db.scalars(
        select(AuditEntry).where(AuditEntry.table == "board_groups").order_by(AuditEntry.id.desc())
    ).first()
    assert entry.actor == "minh" and entry.action == "update"
    assert json.loads(entry.before) == {"boards": sorted([str(bo_y.id), str(lao_bao.id)])}
    assert json.loads(entry.after) == {"boards": sorted([str(lao_bao.id), str(cha_lo.id)])}
    assert pending_count(db) >= 1
    with acting_as("minh"):
        db.delete(group)
        db.commit()
    deleted = db.scalars(
        select(AuditEntry).where(AuditEntry.table == "board_groups").order_by(AuditEntry.id.desc())
    ).first()
    assert deleted.action == "delete" and json.loads(deleted.before)["name"] == "Cửa khẩu phía Lào"
