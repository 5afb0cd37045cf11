"""A problem found outside the web layer (the importer, archives), in English and sayable in any language.

The importer and the archive checks are Flask-free: the CLI prints their English, tests compare
it, and the admin's import page must say the same problem in Vietnamese. So a ``Problem`` *is*
its English text (a ``str``, so every caller that joins, prints or compares problems keeps
working) and also carries what a translator needs: the place it is about (``file:line: table.field:``,
never translated), the English ``template`` (the catalog's message id, marked with ``N_``) and
its ``params``. A param may itself be a ``Problem``, an ``InvalidInput`` or a ``RenderError``:
the web layer's ``say`` translates those too (``signage.web.messages``).
"""

from __future__ import annotations

from typing import Any

from signage.message import N_, Message, english

__all__ = ["N_", "Problem", "english"]


class Problem(Message, str):
    """``place`` + the English of ``template % params``; the parts stay for translation."""

    place: str
    template: str
    params: dict[str, Any]

    def __new__(cls, place: str, template: str, **params: Any) -> Problem:
        text = template % {k: english(v) for k, v in params.items()} if params else template
        self = super().__new__(cls, f"{place} {text}" if place else text)
        self.place, self.template, self.params = place, template, params
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[str, str], dict[str, Any]]:
        """Copies and pickles are made from the parts, as ``__new__`` takes them."""
        return (self.place, self.template), self.params

    @property
    def message(self) -> str:
        """The English without the place (what a message nested in another one shows)."""
        return str.__str__(self)[len(self.place) + 1 :] if self.place else str.__str__(self)
