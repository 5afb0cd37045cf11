"""Errors and warnings of the renderer, in one place so callers catch one type."""

from __future__ import annotations

#: Longest slogan accepted: enough for any real notice, small enough to bound memory.
MAX_TEXT_CHARS = 2000


def N_(template: str) -> str:  # noqa: N802 - gettext's name for "mark for translation only"
    """Mark a message template for the catalogs: the admin translates it, the worker and CLI do not."""
    return template


class RenderError(ValueError):
    """Input the renderer cannot turn into frames; the message names the problem.

    Raised as ``RenderError(N_("... %(name)s ..."), name=value)``: ``str(exc)`` is the English
    message (logs, the worker, the CLI) and ``template``/``params`` let the admin say it in
    the user's language. A plain message (no params) is its own template.
    """

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)


class RenderWarning(UserWarning):
    """Something renders, but not as well as it should (missing glyphs, no raqm)."""
