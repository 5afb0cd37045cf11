"""Proof of play: what each board really played, filtered on a page and exported as CSV.

Readers need it (the management board reports on the campaign), so viewers may see it; the
rows come from the workers' records, collected from Redis when someone looks and a worker
has left some (``signage collect-proof`` does the same on a timer).

The table grows by a row per item played (millions a year), so a page view reads only its
page from an index on the order it shows (``0008_proof_index``) and counts at most
``COUNT_CAP`` rows: past that the page says "more than 1,000 rows" instead of an exact total.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, g, render_template, request
from flask_babel import format_decimal, get_timezone, gettext
from flask_babel import lazy_gettext as _l
from redis.exceptions import RedisError
from sqlalchemy import Select, func, or_, select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from signage import show
from signage.csv_safe import SafeWriter
from signage.models import Board, ProofOfPlay
from signage.publish import collect_proof
from signage.web.access import get_redis, role_required
from signage.web.db import get_db
from signage.web.forms import Form, options
from signage.web.notices import to_local, to_utc
from signage.web.page_cache import cached_page, quick_rows
from signage.web.words import source_words

bp = Blueprint("proof", __name__, url_prefix="/proof")
PAGE_SIZE = 100
#: Counting stops here: an exact total of a year's rows costs a scan of them all on every view.
COUNT_CAP = 1000
#: The columns the page shows (rows, not ORM objects: a hundred of them per view).
PAGE_COLUMNS = (
    ProofOfPlay.id,
    ProofOfPlay.board_slug,
    ProofOfPlay.item_id,
    ProofOfPlay.item_label,
    ProofOfPlay.source,
    ProofOfPlay.source_label,
    ProofOfPlay.planned_start,
    ProofOfPlay.actual_start,
    ProofOfPlay.actual_end,
    ProofOfPlay.frames_sent,
    ProofOfPlay.frames_acked,
    ProofOfPlay.interrupted,
    ProofOfPlay.reason,
)
#: The CSV's columns, headed in the user's language: what a report reads first, then the ids
#: (item, source, show version) for whoever matches rows against the database.
CSV_COLUMNS = (
    _l("Board"),
    _l("Content"),
    _l("Chosen by"),
    _l("Planned start"),
    _l("Planned end"),
    _l("Started"),
    _l("Ended"),
    _l("Frames sent"),
    _l("Frames acknowledged"),
    _l("Interrupted"),
    _l("Reason"),
    _l("Item id"),
    _l("Source id"),
    _l("Show version"),
)


class ProofFilter(Form):
    """The page's filters, read from the query string (a GET form: no CSRF token to carry)."""

    class Meta:
        csrf = False

    board = SelectField(_l("Board"), default="")
    start = DateField(_l("From (day)"), validators=[Optional()])
    end = DateField(_l("To (day, included)"), validators=[Optional()])
    text = StringField(_l("Content or schedule contains"), validators=[Optional(), Length(max=200)])
    interrupted = SelectField(
        _l("Interrupted"),
        default="",
        choices=options([("", _l("either")), ("yes", _l("yes")), ("no", _l("no"))]),
    )

    def validate_end(self, field: DateField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The last day comes before the first."))


def _filter_form() -> tuple[ProofFilter, list[str]]:
    """The filters, and the boards' slugs they offer (the boards whose records are collected)."""
    form = ProofFilter(formdata=request.args)
    slugs = list(get_db().scalars(select(Board.slug).order_by(Board.slug)))
    form.board.choices = options([("", _l("all boards")), *((s, s) for s in slugs)])
    return form, slugs


def _local_midnight(day: date) -> datetime:
    """The start of a local day as the naive UTC the database keeps."""
    return to_utc(datetime.combine(day, datetime.min.time()))


def _query(form: ProofFilter) -> Select:
    """The rows the filters name, oldest first (the order a report reads in)."""
    query = select(ProofOfPlay)
    if form.board.data:
        query = query.where(ProofOfPlay.board_slug == form.board.data)
    if form.start.data:
        query = query.where(ProofOfPlay.actual_start >= _local_midnight(form.start.data))
    if form.end.data:
        query = query.where(ProofOfPlay.actual_start < _local_midnight(form.end.data + timedelta(days=1)))
    if form.text.data:
        # SQLite's lower() folds ASCII only, so the words are also matched as typed and in capitals
        # (Vietnamese slogans are often written all in capitals).
        words = {form.text.data, form.text.data.lower(), form.text.data.upper()}
        query = query.where(
            or_(
                *(
                    column.contains(w)
                    for w in words
                    for column in (ProofOfPlay.item_label, ProofOfPlay.source_label)
                ),
                *(
                    func.lower(column).contains(form.text.data.lower())
                    for column in (ProofOfPlay.item_label, ProofOfPlay.source_label)
                ),
            )
        )
    if form.interrupted.data:
        query = query.where(ProofOfPlay.interrupted.is_(form.interrupted.data == "yes"))
    return query


def _filters() -> dict[str, str]:
    """The query string without the page number, for the CSV link and the page links."""
    return {k: v for k, v in request.args.items() if k != "page" and v}


def _collect(slugs: list[str]) -> bool:
    """Move the workers' records from Redis into the database when there are any: one round
    trip asks every board's list for its length, and only waiting records start a collection
    (its board query and reads), so a view between two plays costs one Redis call. Without
    Redis, the page shows what is stored. Once per request; true when it collected."""
    if g.get("proof_collected"):
        return False
    g.proof_collected = True
    try:
        redis = get_redis()
        pipe = redis.pipeline(transaction=False)
        for slug in slugs:
            pipe.llen(show.proof_key(slug))
        if any(pipe.execute()):
            collect_proof(get_db(), redis)
            return True
    except RedisError:
        pass
    return False


_NEWEST = select(func.max(ProofOfPlay.id)).scalar_subquery()
#: Every board's slug beside the newest proof id, in one query (Core: a third of the ORM's cost).
_SLUGS_AND_NEWEST = select(Board.slug, _NEWEST)


def _newest() -> int:
    """The page cache's version of the table, after collecting: records are only ever added
    (each with a higher id), so the newest id moves with every row a page could show."""
    rows = quick_rows(_SLUGS_AND_NEWEST)
    if _collect([slug for slug, _ in rows]) or not rows:  # (a collection commits: a new connection)
        return get_db().connection().execute(select(_NEWEST)).scalar_one() or 0
    return rows[0][1] or 0


def _stamper() -> Callable[[datetime | None], str]:
    """``dd/mm/yyyy HH:MM:SS`` in the user's zone, as the ``datetimeformat`` filter writes it
    for the stored naive UTC; the zone is looked up once per page, not per cell."""
    zone = ZoneInfo(str(get_timezone()))

    def stamp(value: datetime | None) -> str:
        if value is None:
            return "—"
        return value.replace(tzinfo=UTC).astimezone(zone).strftime("%d/%m/%Y %H:%M:%S")

    return stamp


@bp.route("/")
@role_required("viewer")
@cached_page(60, vary=_newest)
def index() -> tuple[str, int]:
    form, slugs = _filter_form()
    if not form.validate():
        return render_template(
            "proof.html",
            form=form,
            rows=[],
            page=1,
            pages=1,
            total=0,
            more=False,
            filters=_filters(),
        ), 400
    _collect(slugs)
    db = get_db()
    query = _query(form)
    # at most COUNT_CAP + 1 rows are counted (the newest, off the index): enough to number
    # the first pages exactly and to know there are more
    total = db.execute(
        select(func.count()).select_from(
            query.with_only_columns(ProofOfPlay.id).limit(COUNT_CAP + 1).subquery()
        )
    ).scalar_one()
    more = total > COUNT_CAP
    page = max(request.args.get("page", 1, type=int), 1)
    if more:
        rows = _page_rows(query, page)
        if not rows and page > 1:  # a page typed past the end: count them all this once
            total = db.execute(select(func.count()).select_from(query.subquery())).scalar_one()
            more = False
    if not more:
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(page, pages)
        rows = _page_rows(query, page)
    else:
        pages = page + 1 if len(rows) > PAGE_SIZE else page
    return render_template(
        "proof.html",
        form=form,
        rows=_cells(rows[:PAGE_SIZE]),
        page=page,
        pages=pages,
        total=total,
        more=more,
        cap=format_decimal(COUNT_CAP),
        filters=_filters(),
    ), 200


def _cells(rows: list[Any]) -> list[tuple[str, ...]]:
    """Each row's cells as the page says them (escaped by the template): a hundred rows a view,
    so the words of what chose an item are found once per source, and dates in one zone."""
    stamp = _stamper()
    yes, no = gettext("yes"), gettext("no")
    chosen: dict[tuple[str, str], str] = {}
    cells: list[tuple[str, ...]] = []
    for p in rows:
        key = (p.source, p.source_label)
        if key not in chosen:
            chosen[key] = source_words(*key)
        cells.append(
            (
                p.board_slug,
                p.item_label or p.item_id,
                chosen[key],
                stamp(p.planned_start),
                stamp(p.actual_start),
                stamp(p.actual_end),
                f"{p.frames_sent} / {p.frames_acked}",
                (f"{yes}: {p.reason}" if p.reason else yes) if p.interrupted else no,
            )
        )
    return cells


def _page_rows(query: Select, page: int) -> list[Any]:
    """The page's rows, newest first, and the first row of the next page when there is one."""
    return list(
        get_db().execute(
            query.with_only_columns(*PAGE_COLUMNS)
            .order_by(ProofOfPlay.actual_start.desc(), ProofOfPlay.id.desc())
            .limit(PAGE_SIZE + 1)
            .offset((page - 1) * PAGE_SIZE)
        )
    )


@bp.route("/proof.csv")
@role_required("viewer")
def proof_csv() -> Response:
    """Every row the filters name as CSV (UTF-8 with a BOM, so spreadsheet programs read Vietnamese)."""
    form, slugs = _filter_form()
    # The older spelling of the filters (?from=&to=, YYYY-MM-DD) keeps working for saved links.
    for old, new in (("from", form.start), ("to", form.end)):
        if request.args.get(old) and not new.data:
            try:
                new.data = date.fromisoformat(request.args[old])
            except ValueError:
                abort(400, _l("Dates are written YYYY-MM-DD."))
    if not form.validate():
        abort(400, "; ".join(str(e) for errors in form.errors.values() for e in errors))
    _collect(slugs)
    out = io.StringIO()
    writer = SafeWriter(out)  # cells that would start a formula are quoted (OWASP)
    writer.writerow([str(c) for c in CSV_COLUMNS])
    yes, no = gettext("yes"), gettext("no")
    for p in get_db().scalars(_query(form).order_by(ProofOfPlay.actual_start, ProofOfPlay.id)):
        writer.writerow(
            [
                p.board_slug,
                p.item_label,
                source_words(p.source, p.source_label),
                to_local(p.planned_start),
                to_local(p.planned_end),
                to_local(p.actual_start),
                to_local(p.actual_end),
                p.frames_sent,
                p.frames_acked,
                yes if p.interrupted else no,
                p.reason,
                p.item_id,
                p.source,
                p.show_version,
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=proof-of-play.csv"},
    )
