"""Schedules (lịch phát): which playlist plays where and when, and each board's timeline.

Editors create and change schedules; every save republishes the boards' shows, so the
workers decide alone from then on. The timeline view runs the same pure function the
worker runs (``signage.schedule``), so what the admin sees is what the board will do.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row
from werkzeug import Response
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from signage import holidays, rules
from signage import schedule as pure
from signage.hours import read_hours
from signage.models import BoardSettings, Schedule
from signage.publish import compile_show
from signage.recurrence import Rule, span
from signage.rules import InvalidInput
from signage.services import Stale, fingerprint
from signage.services import boards as board_service
from signage.services import schedules as service
from signage.web.access import role_required
from signage.web.bin import confirm_or_delete
from signage.web.db import get_db
from signage.web.forms import Form, translate
from signage.web.page_cache import cached_page
from signage.web.publishing import publish_changes

bp = Blueprint("schedules", __name__, url_prefix="/schedules")

WEEKDAYS = [
    SelectChoice(str(i), name)
    for i, name in enumerate(
        (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"), _l("Sat"), _l("Sun")), start=1
    )
]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TimeText(StringField):
    """HH:MM, empty for none (a plain text box: browsers differ on time inputs)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if raw:
            try:
                self.data = datetime.strptime(raw, "%H:%M").time()
            except ValueError:
                self.data = None
                raise ValueError(_("Write the time as HH:MM, e.g. 22:00.")) from None

    def _value(self) -> str:
        return self.data.strftime("%H:%M") if self.data else ""


class DayMonthText(StringField):
    """A day of every year as day/month ("10/3"), empty for none."""

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if raw:
            parts = [p.strip() for p in raw.split("/")]
            if len(parts) != 2 or not all(p.isdigit() and len(p) <= 2 for p in parts):
                raise ValueError(_("Write the day and month as day/month, e.g. 10/3."))
            self.data = (int(parts[0]), int(parts[1]))

    def _value(self) -> str:
        return f"{self.data[0]}/{self.data[1]}" if self.data else ""


REPEATS = [
    SelectChoice("daily", _l("Every day of the dates (or the weekdays ticked)")),
    SelectChoice("yearly", _l("Every year on a date (solar calendar)")),
    SelectChoice("lunar", _l("Every year on a lunar date (âm lịch)")),
]
#: Which form field shows a problem that ``holidays.check`` names.
RULE_FIELDS = {
    "repeat": "repeat",
    "repeat_day": "repeat_date",
    "repeat_month": "repeat_date",
    "repeat_leap": "repeat_leap",
    "repeat_days": "repeat_days",
}


def official_choices() -> list[SelectChoice]:
    """The official days, in the user's language, with their date: "National Day of Vietnam (2/9)"."""

    def when(rule: Rule) -> str:
        day = f"{rule.day}/{rule.month}"
        return _("%(date)s lunar", date=day) if rule.kind == "lunar" else day

    return [SelectChoice("", _("— choose to fill in the date —"))] + [
        SelectChoice(d.key, f"{_(d.name)} ({when(d.rule)})") for d in holidays.OFFICIAL_DAYS
    ]


class ScheduleForm(Form):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    playlist = SelectField(_l("Playlist"), coerce=int, validators=[InputRequired()])
    board = SelectField(_l("Board"), coerce=int, default=0)
    group = SelectField(_l("Board group"), coerce=int, default=0)
    phase = SelectField(_l("Campaign phase"), coerce=int, default=0)
    starts_on = DateField(_l("From (date)"), validators=[Optional()])
    ends_on = DateField(_l("Until (date, inclusive)"), validators=[Optional()])
    weekdays = MultiCheckboxField(_l("Weekdays"), choices=WEEKDAYS, default=[c.value for c in WEEKDAYS])
    start_time = TimeText(_l("Daily from (HH:MM)"))
    end_time = TimeText(_l("Daily until (HH:MM; before the start: overnight)"))
    priority = IntegerField(
        _l("Priority (higher wins)"), default=0, validators=[InputRequired(), NumberRange(-1000, 1000)]
    )
    official_day = SelectField(_l("Official day (fills in the date below)"), default="")
    repeat = SelectField(_l("Repeats"), choices=REPEATS, default="daily")
    repeat_date = DayMonthText(_l("Each year on (day/month)"))
    repeat_leap = BooleanField(_l("In the leap month, in years that have one (lunar)"))
    repeat_days = IntegerField(_l("Days each year"), default=1, validators=[Optional()])
    enabled = BooleanField(_l("Enabled"), default=True)
    base_version = HiddenField()
    submit = SubmitField(_l("Save"))

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001 - WTForms' signature
        """Field checks and the yearly rule; the service checks the fields that go together."""
        self.official_day.choices = official_choices()
        ok = super().validate(extra_validators)
        # the checks that involve two fields are the schedule service's (signage.rules)
        return self.check_rule() and ok

    def check_rule(self) -> bool:
        """An official day fills in its rule; then the rule gets the check every input path shares."""
        official = holidays.OFFICIAL_BY_KEY.get(self.official_day.data or "")
        if official is not None:
            rule = official.rule
            # Without schedule-form.js (or when the fields say another day) the pick fills them in
            # here; when they already hold its day, the days and leap month typed are kept.
            if (self.repeat.data, self.repeat_date.data) != (rule.kind, (rule.day, rule.month)):
                self.repeat.data, self.repeat_date.data = rule.kind, (rule.day, rule.month)
                self.repeat_leap.data, self.repeat_days.data = rule.leap, rule.days
            self.name.data = self.name.data or _(official.name)
        if self.repeat_date.errors:
            return False  # not a day/month at all: said once, on the field
        day, month = self.repeat_date.data or (None, None)
        yearly = self.repeat.data != "daily"  # "every day" chosen: the yearly fields do not apply
        try:
            self.rule = holidays.check(
                self.repeat.data,
                month if yearly else None,
                day if yearly else None,
                bool(self.repeat_leap.data) and yearly,
                self.repeat_days.data if yearly else None,
            )
        except rules.InvalidInput as exc:
            getattr(self, RULE_FIELDS.get(exc.field, "repeat")).errors.append(translate(exc))
            return False
        return True


def _choices(pairs: Sequence[Row[int, str] | tuple[int, str]], none: str) -> list[SelectChoice]:
    return [SelectChoice(0, none)] + [SelectChoice(i, n) for i, n in pairs]


def _form(entry: Schedule | None) -> ScheduleForm:
    db = get_db()
    form = ScheduleForm(obj=entry)
    form.playlist.choices = [SelectChoice(i, n) for i, n in board_service.playlist_names(db)]
    named = service.targets(db)
    form.board.choices = _choices(named.boards, _("— all boards —"))
    form.group.choices = _choices(named.groups, _("— no group —"))
    phases = [
        (i, f"{p.campaign.name}: {p.name} ({p.starts_on:%d/%m/%Y}–{p.ends_on:%d/%m/%Y})")
        for i, p in named.phases
    ]
    form.phase.choices = _choices(phases, _("— no phase —"))
    if entry is not None and not form.is_submitted():
        form.base_version.data = fingerprint(entry)
        form.playlist.data = entry.playlist_id
        form.board.data = entry.board_id or 0
        form.group.data = entry.group_id or 0
        form.phase.data = entry.phase_id or 0
        form.weekdays.data = list(entry.weekdays or "1234567")
        rule = entry.rule
        form.repeat_date.data = (rule.day, rule.month) if rule else None
        official = holidays.official_for(rule)
        form.official_day.data = official.key if official else ""
    form.official_day.choices = official_choices()
    if entry is None and not form.is_submitted():  # "add a schedule for this phase" on a campaign page
        asked = request.args.get("phase", 0, type=int)
        form.phase.data = asked if any(c.value == asked for c in form.phase.choices) else 0
    return form


def _page(form: ScheduleForm, entry: Schedule | None) -> tuple[str, int]:
    """The form, with what each official day fills in (for schedule-form.js)."""
    official = {
        d.key: {
            "repeat": d.rule.kind,
            "date": f"{d.rule.day}/{d.rule.month}",
            "days": d.rule.days,
            "leap": d.rule.leap,
            "name": _(d.name),
        }
        for d in holidays.OFFICIAL_DAYS
    }
    return (
        render_template("schedules/form.html", form=form, entry=entry, official=official),
        422 if form.errors else 200,
    )


#: The form field showing a problem the service names by its data key.
FORM_FIELDS = {"playlist_id": "playlist", "group_id": "group", "phase_id": "phase", **RULE_FIELDS}


def _data(form: ScheduleForm) -> service.ScheduleData:
    return service.ScheduleData(
        playlist_id=form.playlist.data,
        name=form.name.data or "",
        board_id=form.board.data or None,
        group_id=form.group.data or None,
        phase_id=form.phase.data or None,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        weekdays="".join(form.weekdays.data or ()),
        start_time=form.start_time.data,
        end_time=form.end_time.data,
        priority=form.priority.data or 0,
        enabled=bool(form.enabled.data),
        repeat=form.rule or "daily",  # the form's check parsed it once; the service stores it
    )


def show_problems(form: Form, refused: InvalidInput, fields: dict[str, str]) -> None:
    """Each problem a service names under the form field it is about (else under the first)."""
    first = next(iter(form))
    for problem in refused.problems:
        field = getattr(form, fields.get(problem.field, problem.field), None) or first
        field.errors = [*field.errors, translate(problem)]


def _save(form: ScheduleForm, entry: Schedule | None) -> Response | tuple[str, int]:
    try:
        version = form.base_version.data or None if entry is not None else None
        entry = service.save_schedule(get_db(), _data(form), entry, version=version)
    except InvalidInput as exc:
        show_problems(form, exc, FORM_FIELDS)
        return _page(form, entry)
    except Stale:
        flash(
            _(
                "Someone else saved this schedule after you opened it. The form now shows their "
                "version; make your change again."
            ),
            "error",
        )
        return redirect(request.url)
    flash(_("Schedule saved."), "info")
    playlist = entry.playlist
    if playlist is not None and not any(i.enabled for i in playlist.items):
        flash(
            _("Playlist %(name)s is empty: this schedule is skipped until it has items.", name=playlist.name),
            "error",
        )
    publish_changes(shows_in=[entry.playlist_id])
    return redirect(url_for("schedules.index"))


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("TIMEZONE", pure.DEFAULT_TIMEZONE))


@bp.route("/")
@role_required("viewer")
@cached_page(60)
def index() -> str:
    db = get_db()
    entries, boards = service.every_schedule(db), board_service.every_board(db)
    return render_template("schedules/index.html", entries=entries, boards=boards)


@bp.route("/timeline/<slug>")
@role_required("viewer")
def timeline(slug: str) -> str:
    """The board's timeline over some days from the show it would be sent now, from today or any
    day (``start``, yyyy-mm-dd), and the next occurrences of its yearly schedules from there."""
    db = get_db()
    board = board_service.by_slug(db, slug) or abort(404)
    days = min(max(request.args.get("days", 7, type=int), 1), 62)
    doc, _blobs = compile_show(board, db)
    tz = pure.zone(doc)
    start = datetime.now(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    asked = request.args.get("start", "").strip()
    if asked:
        try:
            day = date.fromisoformat(asked)
            if not 1900 <= day.year <= 2199:
                raise ValueError(asked)
        except ValueError:
            flash(
                _(
                    "%(value)s is not a day between 1900 and 2199; the timeline starts today.",
                    value=asked[:20],
                ),
                "error",
            )
        else:
            start = datetime(day.year, day.month, day.day, tzinfo=tz)
    segments = pure.timeline(doc, start, start + timedelta(days=days))
    yearly = [
        (entry, rule, [span(a, b, rule) for a, b in found])
        for entry, rule, found in pure.yearly_ahead(doc, start.date())
    ]
    return render_template(
        "schedules/timeline.html",
        board=board,
        segments=segments,
        tz=tz,
        days=days,
        start=start.date(),
        yearly=yearly,
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required("editor")
def new() -> str | Response | tuple[str, int]:
    form = _form(None)
    if form.validate_on_submit():
        return _save(form, None)
    return _page(form, None)


@bp.route("/<id:entry_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def edit(entry_id: int) -> str | Response | tuple[str, int]:
    entry = get_db().get(Schedule, entry_id) or abort(404)
    form = _form(entry)
    if form.validate_on_submit():
        return _save(form, entry)
    return _page(form, entry)


@bp.route("/<id:entry_id>/delete", methods=["GET", "POST"])
@role_required("editor")
def delete(entry_id: int) -> str | Response:
    """Asks first (what the boards lose), then moves the schedule to the bin."""
    return confirm_or_delete("schedule", get_db().get(Schedule, entry_id) or abort(404))


class HoursForm(Form):
    timezone = StringField(_l("Time zone"), default=pure.DEFAULT_TIMEZONE)  # the service checks it
    on_time = TimeText(_l("On from (HH:MM; empty: always on)"))
    off_time = TimeText(_l("Off from (HH:MM)"))
    brightness = TextAreaField(_l("Brightness table: one 'HH:MM percent' a line"))
    base_version = HiddenField()
    submit = SubmitField(_l("Save"))

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001 - WTForms' signature
        """Field checks, then the brightness lines read (the rules are the service's)."""
        ok = super().validate(extra_validators)
        self.steps: list[tuple[time, int]] = []
        self.lines: list[int] = []  # the line of each step, for the service's problems
        for number, line in enumerate((self.brightness.data or "").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                at, level = line.split()
                self.steps.append((datetime.strptime(at, "%H:%M").time(), int(level.rstrip("%"))))
                self.lines.append(number)
            except ValueError:
                self.bad_line(number)
                ok = False
        return ok

    def bad_line(self, number: int) -> None:
        """Say which line of the brightness table is wrong."""
        self.brightness.errors.append(
            _("Line %(n)d: write 'HH:MM percent' (0-100), each time once.", n=number)
        )


#: The hours form's field for each problem the service names.
HOURS_FIELDS = {"off": "off_time"}


@bp.route("/board/<slug>/hours", methods=["GET", "POST"])
@role_required("admin")
def hours(slug: str) -> str | Response | tuple[str, int]:
    """A board's time zone, on/off hours and brightness table (sent through the driver)."""
    db = get_db()
    board = board_service.by_slug(db, slug) or abort(404)
    form = HoursForm(obj=db.get(BoardSettings, board.id))
    if not form.is_submitted():
        form.brightness.data = "\n".join(
            f"{s['at']} {s['level']}" for s in read_hours(db, board)["brightness"]
        )
        form.base_version.data = fingerprint(board)
    if form.validate_on_submit():
        data = service.HoursData(
            (form.timezone.data or "").strip(), form.on_time.data, form.off_time.data, form.steps
        )
        try:
            service.save_hours(db, board, data, version=form.base_version.data or None)
        except InvalidInput as exc:
            lines = [p for p in exc.problems if p.field.startswith("brightness.")]
            for problem in lines:
                form.bad_line(form.lines[int(problem.field.split(".")[1])])
            if len(lines) < len(exc.problems):
                show_problems(
                    form, InvalidInput.gather([p for p in exc.problems if p not in lines]), HOURS_FIELDS
                )
        except Stale:
            flash(
                _(
                    "Someone else saved this board after you opened it. The form now shows their "
                    "version; make your change again."
                ),
                "error",
            )
            return redirect(request.url)
        else:
            flash(_("Hours and brightness saved."), "info")
            publish_changes()
            return redirect(
                url_for("boards.index")
                if request.args.get("from") == "boards"
                else url_for("schedules.index")
            )
    return render_template("schedules/hours.html", form=form, board=board), 422 if form.errors else 200
