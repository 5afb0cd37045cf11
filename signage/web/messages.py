"""Messages from below the web layer (rule checks, the renderer, its lint) in the user's language.

Each carries an English ``template`` (the catalog's message id) and its ``params``; the worker
and the CLI print the English, the admin says it with Flask-Babel.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _


def say(problem: Any) -> str:
    """``problem`` (InvalidInput, RenderError, Lint) in the user's language; plain text as it is."""
    template = getattr(problem, "template", "") or ""
    if not template:
        return str(getattr(problem, "message", problem))
    return _(template, **dict(getattr(problem, "params", {}) or {}))
