"""Errors and warnings of the renderer, in one place so callers catch one type."""

from __future__ import annotations

from signage.message import N_, Message

__all__ = ["MAX_TEXT_CHARS", "N_", "RenderError", "RenderWarning"]

#: Longest slogan accepted: enough for any real notice, small enough to bound memory.
MAX_TEXT_CHARS = 2000


class RenderError(Message, ValueError):
    """Input the renderer cannot turn into frames; the message names the problem.

    Raised as ``RenderError(N_("... %(name)s ..."), name=value)``: ``str(exc)`` is the English
    message (logs, the worker, the CLI) and ``template``/``params`` let the admin say it in
    the user's language. A plain message (no params) is its own template.
    """

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(self.english_text())


class RenderWarning(UserWarning):
    """Something renders, but not as well as it should (missing glyphs, no raqm)."""
