"""Urgent notices (thông báo khẩn): approvers and administrators.

A notice is sent at once to the boards it names, and only the notice: each board's
published show gets new ``notices`` and nothing else, so content drafts waiting for an
approver stay drafts. The workers pre-empt the running item at the next frame and return
to the schedule by themselves when it expires. After sending, the notice's page shows per
board whether the board confirms it (``signage.web.notice_status``).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from redis.exceptions import RedisError
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug import Response
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from signage import rules
from signage import schedule as pure
from signage.models import Board, UrgentNotice, utcnow
from signage.publish import publish_notices
from signage.web import notice_status
from signage.web.access import get_redis, role_required
from signage.web.bin import confirm_cancel
from signage.web.db import get_db
from signage.web.forms import ActionForm, Form
from signage.web.page_cache import cached_page
from signage.web.publishing import board_names
from signage.web.words import EFFECT_WORDS

bp = Blueprint("notices", __name__, url_prefix="/notices")
log = logging.getLogger(__name__)


class NoticeForm(Form):
    text = TextAreaField(_l("Notice text"), validators=[InputRequired(), Length(max=2000)])
    effect = SelectField(
        _l("Effect"),
        default="static",
        choices=[SelectChoice(e, EFFECT_WORDS[e]) for e in ("static", "blink", "scroll-left")],
    )
    all_boards = BooleanField(_l("All boards"), default=True)
    boards = SelectMultipleField(_l("Boards"), coerce=int)
    starts_at = DateTimeLocalField(
        _l("Starts (local time; empty: now)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    minutes = IntegerField(
        _l("Lasts (minutes)"), default=60, validators=[InputRequired(), NumberRange(1, 60 * 24 * 31)]
    )
    expires_at = DateTimeLocalField(
        _l("Or expires at (local time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    submit = SubmitField(_l("Publish the notice now"))

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001 - WTForms' signature
        """Field checks, then the text rule and the two-field checks."""
        ok = super().validate(extra_validators)
        try:
            self.text.data = rules.slogan_text(self.text.data)
        except rules.InvalidInput as exc:
            self.text.errors.append(_(exc.template, **exc.params))
            ok = False
        if not self.all_boards.data and not self.boards.data:
            self.boards.errors.append(_("Choose the boards, or tick all boards."))
            ok = False
        if self.starts_at.data and self.expires_at.data and self.expires_at.data <= self.starts_at.data:
            self.expires_at.errors.append(_("The notice must expire after it starts."))
            ok = False
        return ok


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("TIMEZONE", pure.DEFAULT_TIMEZONE))


def to_utc(local: datetime) -> datetime:
    """A wall time typed in the office's zone, as the naive UTC the database keeps."""
    return local.replace(tzinfo=local_zone()).astimezone(UTC).replace(tzinfo=None)


def to_local(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.replace(tzinfo=UTC).astimezone(local_zone()).strftime("%Y-%m-%d %H:%M:%S")


@bp.app_template_filter("local_time")
def local_time_filter(value: datetime | None) -> str:
    """Pages show the office's wall time as dd/mm/yyyy (exports keep ISO order for spreadsheets)."""
    if value is None:
        return ""
    return value.replace(tzinfo=UTC).astimezone(local_zone()).strftime("%d/%m/%Y %H:%M:%S")


def next_turn() -> datetime | None:
    """The next moment a notice starts or ends: the list's states ("on the boards", "expired",
    "scheduled") and cancel links change then without a database change, so the page cache
    keeps a list only until it (cancelling is a change, and versions the cache itself)."""
    now = utcnow()
    starts = select(func.min(UrgentNotice.starts_at)).where(UrgentNotice.starts_at > now)
    ends = select(func.min(UrgentNotice.expires_at)).where(UrgentNotice.expires_at > now)
    both = select(starts.scalar_subquery(), ends.scalar_subquery())
    turns = [t for t in get_db().connection().execute(both).one() if t]  # Core: a third of the ORM's cost
    return min(turns, default=None)


@bp.route("/", methods=["GET", "POST"])
@role_required("approver")
@cached_page(60, vary=next_turn)
def index() -> str | Response | tuple[str, int]:
    db = get_db()
    form = NoticeForm()
    boards = db.scalars(select(Board).order_by(Board.name)).all()
    form.boards.choices = [SelectChoice(b.id, b.name) for b in boards]
    if form.validate_on_submit():
        starts = to_utc(form.starts_at.data) if form.starts_at.data else utcnow()
        expires = (
            to_utc(form.expires_at.data)
            if form.expires_at.data
            else starts + timedelta(minutes=form.minutes.data)
        )
        if expires <= utcnow():
            form.expires_at.errors.append(_("This notice would already be over."))
        else:
            notice = UrgentNotice(
                text=form.text.data,
                effect=form.effect.data,
                all_boards=bool(form.all_boards.data),
                starts_at=starts,
                expires_at=expires,
                created_by_id=current_user.id,
            )
            if not notice.all_boards:
                notice.boards = list(db.scalars(select(Board).where(Board.id.in_(form.boards.data))))
            db.add(notice)
            db.commit()
            flash(_("Urgent notice saved."), "info")
            send_notice(notice)
            return redirect(url_for("notices.show", notice_id=notice.id))
    notices = db.scalars(
        select(UrgentNotice)
        .options(selectinload(UrgentNotice.boards))  # one query for every row's boards, not one each
        .order_by(UrgentNotice.id.desc())
        .limit(100)
    ).all()
    now = utcnow()
    return render_template(
        "notices/index.html", form=form, notices=notices, now=now, boards=boards
    ), 422 if form.errors else 200


@bp.route("/<id:notice_id>/cancel", methods=["GET", "POST"])
@role_required("approver")
def cancel(notice_id: int) -> str | Response:
    """Asks first (which boards go back to their schedule), then cancels; the bin can undo it."""
    db = get_db()
    notice = db.get(UrgentNotice, notice_id) or abort(404)
    if request.method == "GET":
        if notice.cancelled_at is not None or notice.expires_at <= utcnow():
            return redirect(url_for("notices.index"))
        return confirm_cancel(notice)
    if notice.cancelled_at is None and ActionForm().validate_on_submit():
        notice.cancelled_at = utcnow()
        db.commit()
        flash(_("Notice cancelled; the boards return to their schedule."), "binned")
        send_notice(notice)
    return redirect(url_for("notices.index"))


@bp.route("/<id:notice_id>")
@role_required("approver")
def show(notice_id: int) -> str:
    """The notice and, per target board, whether the board is showing it (refreshed by script)."""
    notice = get_db().get(UrgentNotice, notice_id) or abort(404)
    return render_template(
        "notices/show.html",
        notice=notice,
        rows=notice_status.board_rows(notice),
        over=notice_status.is_over(notice),
    )


@bp.route("/<id:notice_id>/status.json")
@role_required("approver")
def status_json(notice_id: int) -> Response:
    """The same as the notice page, for its script (``static/notice-status.js``)."""
    notice = get_db().get(UrgentNotice, notice_id) or abort(404)
    return jsonify(
        {
            "notice": notice.id,
            "over": notice_status.is_over(notice),
            "boards": notice_status.board_rows(notice),
        }
    )


def send_notice(notice: UrgentNotice) -> None:
    """Send only the notice part of its boards' shows (drafts stay drafts); say what happened."""
    ids = None if notice.all_boards else [b.id for b in notice.boards]
    db = get_db()
    db.expire_all()  # send what was committed
    try:
        versions = publish_notices(db, get_redis(), ids)
    except RedisError as exc:
        log.error("notice %s not sent: %s", notice.id, exc)
        flash(
            _(
                "Saved, but not yet sent to the boards (Redis does not answer). "
                "The boards keep playing what they had; try again."
            ),
            "error",
        )
        return
    if not versions:
        return
    sent = ", ".join(board_names(versions))
    if notice.cancelled_at is not None or notice.expires_at <= utcnow():
        flash(_("Sent to the boards: %(boards)s", boards=sent), "info")
    elif notice.starts_at > utcnow():
        flash(
            _(
                "Sent to the boards: %(boards)s. It shows from %(when)s, before everything else.",
                boards=sent,
                when=local_time_filter(notice.starts_at)[:16],
            ),
            "info",
        )
    else:
        flash(_("Sent to the boards: %(boards)s. It shows now, before everything else.", boards=sent), "info")
