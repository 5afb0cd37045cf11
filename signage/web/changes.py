"""The Changes page: what is saved but not yet on the boards, and the approver's publish button.

Editors may look (to see their drafts wait); approvers publish. The form carries the
newest change the approver was shown, and a publish is refused when something newer
arrived meanwhile: nobody's draft reaches the boards without an approver having seen it.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from redis.exceptions import RedisError
from werkzeug.wrappers import Response

from signage import approval
from signage.web.access import role_required
from signage.web.change_lines import records
from signage.web.db import get_db
from signage.web.forms import ActionForm
from signage.web.page_cache import data_version
from signage.web.publishing import approval_required, board_names, publish

bp = Blueprint("changes", __name__, url_prefix="/changes")
#: More rows than anyone reads on one page; the count says how many there are in all.
PAGE = 500


#: The last pending count this process computed and the audit log version it was computed at.
_counted: tuple[tuple[str, int, str], int] | None = None


@bp.app_context_processor
def _pending_in_menu() -> dict[str, object]:
    """The menu's pending count for every logged-in page.

    The count is a function of the audit log alone, so it is kept per process under the log's
    version (its newest entry, ``page_cache.data_version``: one primary-key lookup); the
    count itself scans the log for the last publish and runs again only when the log moved.
    With approval off every save publishes at once, so the count would only name loose
    slogans no board plays; it is not shown then.
    """
    global _counted
    if not current_user.is_authenticated or not approval_required():
        return {"pending_changes": 0}
    version = data_version()
    counted = _counted
    if counted is None or counted[0] != version:
        counted = _counted = (version, approval.pending_count(get_db()))
    return {"pending_changes": counted[1]}


@bp.route("/")
@role_required("editor")
def index() -> str:
    db = get_db()
    entries = approval.pending(db, limit=PAGE)
    return render_template(
        "changes.html",
        records=records(db, approval.decoded(entries)),
        shown=len(entries),
        total=approval.pending_count(db),
        seen=approval.newest_pending_id(db),
        last=approval.publish_info(approval.last_publish(db)),
        required=approval_required(),
        action=ActionForm(),
    )


@bp.route("/publish", methods=["POST"])
@role_required("approver")
def publish_now() -> Response:
    """Approve and publish everything pending, if it is what the approver was shown."""
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The form expired; reload the page and try again."), "error")
        return redirect(url_for("changes.index"))
    raw = request.form.get("seen", "").strip()
    if not raw.isdigit():
        flash(_("Open the Changes page and review the changes before publishing."), "error")
        return redirect(url_for("changes.index"))
    if approval.newest_pending_id(get_db()) > int(raw):
        flash(
            _(
                "New changes were saved while you were reviewing; nothing was published. "
                "Look at the list again, then publish."
            ),
            "error",
        )
        return redirect(url_for("changes.index"))
    try:
        versions = publish()
    except RedisError:
        flash(
            _(
                "Nothing was published: Redis does not answer. The boards keep playing what they had; "
                "try again."
            ),
            "error",
        )
        return redirect(url_for("changes.index"))
    sent = ", ".join(board_names(versions)) or _("no boards yet")
    flash(_("Approved and published: %(boards)s", boards=sent), "info")
    return redirect(url_for("changes.index"))
