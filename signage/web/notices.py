"""Urgent notices (thông báo khẩn): approvers and administrators.

A notice is sent at once to the boards it names, and only the notice: each board's
published show gets new ``notices`` and nothing else, so content drafts waiting for an
approver stay drafts. The workers pre-empt the running item at the next frame and return
to the schedule by themselves when it expires. After sending, the notice's page shows per
board whether the board confirms it (``signage.web.notice_status``).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
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
from sqlalchemy import select
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
from wtforms.fields.core import Field
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from signage import schedule as pure
from signage.models import Board, UrgentNotice, utcnow
from signage.publish import publish_notices
from signage.schemas.records import MAX_MINUTES, NOTICE_EFFECTS
from signage.services import InvalidInput
from signage.services import notices as service
from signage.services.notices import NoticeData
from signage.web import notice_status
from signage.web.access import get_redis, role_required
from signage.web.bin import confirm_cancel
from signage.web.db import get_db
from signage.web.forms import ActionForm, Form, translate
from signage.web.page_cache import cached_page, page_version
from signage.web.publishing import board_names
from signage.web.words import EFFECT_WORDS

bp = Blueprint("notices", __name__, url_prefix="/notices")
log = logging.getLogger(__name__)


class NoticeForm(Form):
    text = TextAreaField(_l("Notice text"), validators=[InputRequired(), Length(max=2000)])
    effect = SelectField(
        _l("Effect"),
        default="static",
        choices=[SelectChoice(e, EFFECT_WORDS[e]) for e in NOTICE_EFFECTS],
    )
    all_boards = BooleanField(_l("All boards"), default=True)
    boards = SelectMultipleField(_l("Boards"), coerce=int)
    starts_at = DateTimeLocalField(
        _l("Starts (local time; empty: now)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    minutes = IntegerField(
        _l("Lasts (minutes)"), default=60, validators=[InputRequired(), NumberRange(1, MAX_MINUTES)]
    )
    expires_at = DateTimeLocalField(
        _l("Or expires at (local time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    submit = SubmitField(_l("Publish the notice now"))

    def data_for(self, author_id: int | None) -> NoticeData:
        """The form as the service takes it: local wall times as naive UTC, boards by id."""
        return NoticeData(
            text=self.text.data,
            effect=self.effect.data,
            all_boards=bool(self.all_boards.data),
            board_ids=[] if self.all_boards.data else list(self.boards.data or []),
            starts_at=to_utc(self.starts_at.data) if self.starts_at.data else None,
            expires_at=to_utc(self.expires_at.data) if self.expires_at.data else None,
            minutes=self.minutes.data,
            created_by_id=author_id,
        )


#: The service's words as this form says them: its boards are boxes to tick, not JSON keys.
FORM_WORDS = {
    "list the boards, or set all_boards": _l("Choose the boards, or tick all boards."),
    "the notice must expire after it starts": _l("The notice must expire after it starts."),
    "this notice would already be over": _l("This notice would already be over."),
}


def _refuse(form: NoticeForm, exc: InvalidInput) -> None:
    """Each of the service's problems under its field, in the form's words."""
    for problem in exc.problems:
        target = getattr(form, problem.field, None)
        field = target if isinstance(target, Field) else form.text
        word = FORM_WORDS.get(problem.template)
        field.errors.append(str(word) if word is not None else translate(problem))


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


#: The last answer of ``next_turn`` in this process: (the data version it was read under, the turn).
_turn: tuple[tuple[str, int, str], datetime | None] | None = None


def next_turn() -> datetime | None:
    """The next moment a notice starts or ends: the list's states ("on the boards", "expired",
    "scheduled") and cancel links change then without a database change, so the page cache
    keeps a list only until it (cancelling is a change, and versions the cache itself).

    Asked on every view, so it is kept per process: while the data version is the same, no
    notice was added or changed, and until the turn comes it is still the next one.
    """
    global _turn
    version, now = page_version(), utcnow()
    kept = _turn
    if kept is not None and kept[0] == version and (kept[1] is None or now < kept[1]):
        return kept[1]
    turn = service.next_turn(get_db(), now)
    _turn = (version, turn)
    return turn


@bp.route("/", methods=["GET", "POST"])
@role_required("approver")
@cached_page(60, vary=next_turn)
def index() -> str | Response | tuple[str, int]:
    db = get_db()
    form = NoticeForm()
    boards = db.scalars(select(Board).order_by(Board.name)).all()
    form.boards.choices = [SelectChoice(b.id, b.name) for b in boards]
    if form.validate_on_submit():
        try:
            notice = service.create_notice(db, form.data_for(current_user.id))
        except InvalidInput as exc:
            _refuse(form, exc)
        else:
            flash(_("Urgent notice saved."), "info")
            send_notice(notice)
            return redirect(url_for("notices.show", notice_id=notice.id))
    notices = service.recent_notices(db)
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
        if service.is_over(notice):
            return redirect(url_for("notices.index"))
        return confirm_cancel(notice)
    if ActionForm().validate_on_submit() and service.cancel_notice(db, notice):
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
    ids = service.board_ids(notice)
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
