"""A message said in the user's language: an English template, its params and the place it is about.

The worker, the importer and the CLI are Flask-free and speak English (logs, the terminal,
tests); the admin and the API say the same message in Vietnamese. So every error that can
reach a person carries its parts: ``template`` (the catalog's message id, marked with ``N_``
so extraction finds it), ``params`` (filled in after translation) and ``place`` (a field
path or ``file:line:``, never translated). ``signage.web.messages.say`` translates any of
them; ``english()`` is the text without a translator.
"""

from __future__ import annotations

from typing import Any


def N_(template: str) -> str:  # noqa: N802 - gettext's name for "mark for translation only"
    """Mark a message template for the catalogs; it is translated where it is said, not here."""
    return template


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - a marker, like N_
    """Mark a message with a plural for the catalogs (extracted with ``-k N_plural:1,2``)."""
    return singular, plural


def english(value: Any) -> Any:
    """A param as the English text shows it: a nested message by its English words, else as it is."""
    if isinstance(value, Message):
        return value.english_text()
    return value


class Message:
    """The parts every translatable message has; subclasses set them in their constructor."""

    template: str
    params: dict[str, Any]
    place: str = ""

    def english_text(self) -> str:
        """``template % params`` in English, nested messages included, without the place."""
        if not self.params:
            return self.template
        return self.template % {key: english(value) for key, value in self.params.items()}
