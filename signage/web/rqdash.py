"""rq-dashboard under ``/admin/rq``: the board queues and workers, for administrators, read-only.

rq-dashboard (the optional extra ``rq-dashboard``) is a ready-made view of RQ, but it was
written to run alone: it has no login, its actions (requeue, delete, empty a queue) are
POSTs without CSRF tokens, and its pages run inline scripts and underscore templates
(``new Function``) that our Content-Security-Policy blocks. Mounting it as is would let
any office PC empty a board's queue. So here:

- every request to its blueprint passes one gate first (before CSRF and before its own
  hooks): a login, the admin role, then only its read views by GET; anything else is
  refused with 403 and a message saying that operators act with the CLI;
- its views also carry ``required_role`` so the access walk over the URL map checks them;
- only its pages get a relaxed CSP: the hashes of the inline scripts and style attributes
  the page really carries, plus ``'unsafe-eval'`` for underscore's templates. The rest
  of the admin keeps the strict policy.

Without the package nothing is mounted: the queue page (``signage.web.queues``, the menu's
"Hàng đợi") has no technical link, ``/admin/rq`` is a 404.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import logging
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import Flask, Response, abort, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from rq.exceptions import NoSuchJobError

from signage.web.access import role_required

log = logging.getLogger(__name__)

PREFIX = "/admin/rq"
BLUEPRINT = "rq_dashboard"
#: Its views that only read. Anything else it has (or a later version adds) is refused.
READ_VIEWS = frozenset(
    {
        "queues_overview",
        "workers_overview",
        "jobs_overview",
        "job_view",
        "list_queues",
        "list_jobs",
        "job_info",
        "list_workers",
        "favicon",
        "static",
    }
)
READ_METHODS = frozenset({"GET", "HEAD"})
#: The app's own client gives up on a dead Redis after this long; the dashboard does the same.
REDIS_TIMEOUTS = {"socket_connect_timeout": "2", "socket_timeout": "5"}

_SCRIPT_RE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_STYLE_ATTR_RE = re.compile(r"""\sstyle\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""", re.I)
_STRICT = "default-src 'self'; img-src 'self' data:; style-src 'self'"


def init_rqdash(app: Flask) -> bool:
    """Mount rq-dashboard at ``/admin/rq`` when it is installed; True if mounted.

    Call after the other hooks are registered: its CSP hook must run before the app's
    default one (Flask runs ``after_request`` hooks last-registered first).
    """
    app.jinja_env.globals["rq_dashboard_mounted"] = False
    try:
        import rq_dashboard
        from rq_dashboard.web import setup_rq_connection
    except ImportError as exc:  # the optional extra is absent (or half there: it needs six)
        log.debug("rq-dashboard not mounted: %s", exc)
        return False
    app.config.setdefault("RQ_DASHBOARD_REDIS_URL", with_timeouts(app.config["REDIS_URL"]))
    app.config.setdefault("RQ_DASHBOARD_DISABLE_DELETE", True)  # hides its delete buttons too
    setup_rq_connection(app)
    app.register_blueprint(rq_dashboard.blueprint, url_prefix=PREFIX)
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith(BLUEPRINT + "."):
            app.view_functions[endpoint] = role_required("admin")(view)
    # First of all hooks: CSRF would answer a bare 400 to its POSTs, and its own
    # before_request (which picks a Redis by a number in the URL) must not run for strangers.
    app.before_request_funcs.setdefault(None, []).insert(0, _gate)
    app.after_request(_dashboard_csp)
    app.register_error_handler(NoSuchJobError, _no_such_job)
    app.jinja_env.globals["rq_dashboard_mounted"] = True
    return True


def _no_such_job(_exc: Exception) -> tuple[Response | str, int]:
    """A job id that RQ does not know (finished and cleaned up, or mistyped): a 404 that says so,
    where the dashboard's own view would let ``NoSuchJobError`` become a server error."""
    message = _(
        "There is no job with this id in the queues: it finished and was cleaned up, or never existed."
    )
    if request.path.endswith(".json"):
        return jsonify(status="NOT_FOUND", message=message), 404
    return render_template("error.html", message=message), 404


def with_timeouts(url: str) -> str:
    """``url`` with the socket timeouts in its query, unless it sets them already.

    rq-dashboard builds its own Redis client from the URL on every request, so the URL is
    the only place to say that a dead Redis should fail the page rather than hang it.
    """
    base, _sep, query = url.partition("?")  # not urlunsplit: it turns unix:///path into unix:/path
    params = dict(parse_qsl(query))
    for key, value in REDIS_TIMEOUTS.items():
        params.setdefault(key, value)
    return f"{base}?{urlencode(params)}"


def refused(endpoint: str | None, method: str) -> bool:
    """Whether a request to this endpoint of the dashboard is refused for everyone (it would
    change RQ); False for the rest of the app."""
    blueprint, _dot, name = (endpoint or "").partition(".")
    return blueprint == BLUEPRINT and (name not in READ_VIEWS or method not in READ_METHODS)


def _gate() -> Any:
    """Login, admin role, read-only: for the dashboard's routes only, before anything else runs."""
    if request.blueprint != BLUEPRINT:
        return None
    if not current_user.is_authenticated:
        from signage.web import login_manager

        return login_manager.unauthorized()
    if not current_user.has_role("admin"):
        abort(403)
    if refused(request.endpoint, request.method):
        return _read_only()
    if (request.view_args or {}).get("instance_number", 0) != 0:
        abort(404)  # one Redis only; its hook would raise (a 500) for any other number
    return None


def _read_only() -> tuple[Response | str, int]:
    """The refusal of a change: JSON for its scripts, a page for a browser."""
    message = _(
        "The queue view is read-only: nothing was changed. Operators requeue or remove "
        "jobs with the rq command line on the server (see docs/operations.md)."
    )
    if (
        request.accept_mimetypes.best == "application/json"
        or request.is_json
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
    ):
        return jsonify(status="READ_ONLY", message=message), 403
    return render_template("error.html", message=message), 403


def _dashboard_csp(response: Response) -> Response:
    """The relaxed policy on the dashboard's own pages only (not its JSON, files or our error pages)."""
    if (
        request.blueprint == BLUEPRINT
        and response.mimetype == "text/html"
        and response.status_code < 400
        and not response.direct_passthrough
    ):
        response.headers["Content-Security-Policy"] = dashboard_policy(response.get_data(as_text=True))
    return response


def dashboard_policy(html: str) -> str:
    """The strict policy plus what this page needs: its inline scripts and style attributes by
    hash, and ``'unsafe-eval'`` for underscore's ``_.template`` (it compiles with ``Function``)."""
    scripts = [m.group("body") for m in _SCRIPT_RE.finditer(html) if _runs(m.group("attrs"))]
    styles = [
        html_lib.unescape(m.group("dq") if m.group("dq") is not None else m.group("sq"))
        for m in _STYLE_ATTR_RE.finditer(html)
    ]  # the browser hashes the decoded value
    policy = f"{_STRICT}; script-src 'self' 'unsafe-eval'{_hashes(scripts)}"
    if styles:
        policy += f"; style-src-attr 'unsafe-hashes'{_hashes(styles)}"
    return policy


def _runs(attrs: str) -> bool:
    """An inline script the browser executes (not ``src=``, not a ``text/template`` holder)."""
    if re.search(r"\ssrc\s*=", " " + attrs, re.I):
        return False
    kind = re.search(r"""type\s*=\s*["']?([^"'\s>]+)""", attrs, re.I)
    return kind is None or kind.group(1).lower() in {"text/javascript", "application/javascript", "module"}


def _hashes(sources: Iterable[str]) -> str:
    digests = sorted({base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in sources})
    return "".join(f" 'sha256-{d}'" for d in digests)
