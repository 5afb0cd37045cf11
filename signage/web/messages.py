"""Messages from below the web layer (rule checks, renderer, lint, importer) in the user's language.

Each carries an English ``template`` (the catalog's message id) and its ``params``; the worker
and the CLI print the English, the admin and the API say it with Flask-Babel. A param that is
itself such a message is said first (an import problem wraps a rule's or the renderer's), and
a ``signage.problem.Problem``'s place (``file:line: table.field:``) is kept as written.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _


def say(problem: Any) -> str:
    """``problem`` (InvalidInput, RenderError, Lint, Problem) in the user's language; plain text as it is."""
    template = getattr(problem, "template", "") or ""
    if not template:
        return str(getattr(problem, "message", problem))
    params = {
        key: say(value) if getattr(value, "template", None) else value
        for key, value in (getattr(problem, "params", {}) or {}).items()
    }
    text = _(template, **params)
    place = getattr(problem, "place", "")
    return f"{place} {text}" if place else text
