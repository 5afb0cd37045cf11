"""The audit log page: who changed what and when, with before and after; administrators only."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select

from signage.approval import decoded
from signage.models import AuditEntry
from signage.web.access import role_required
from signage.web.change_lines import records
from signage.web.db import get_db

bp = Blueprint("audit", __name__, url_prefix="/audit")
PAGE = 200


@bp.route("/")
@role_required("admin")
def index() -> str:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(PAGE)
    table = request.args.get("table", "").strip()
    who = request.args.get("actor", "").strip()
    if table:
        query = query.where(AuditEntry.table == table)
    if who:
        query = query.where(AuditEntry.actor == who)
    db = get_db()
    return render_template(
        "audit.html", records=records(db, decoded(db.scalars(query))), table=table, actor=who
    )
