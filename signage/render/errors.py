"""Errors and warnings of the renderer, in one place so callers catch one type."""

from __future__ import annotations

#: Longest slogan accepted: enough for any real notice, small enough to bound memory.
MAX_TEXT_CHARS = 2000


class RenderError(ValueError):
    """Input the renderer cannot turn into frames; the message names the problem."""


class RenderWarning(UserWarning):
    """Something renders, but not as well as it should (missing glyphs, no raqm)."""
