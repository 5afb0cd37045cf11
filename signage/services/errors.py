"""What a service refuses, each a message with its English template (``signage.message``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from signage.message import Message
from signage.rules import InvalidInput

__all__ = ["InUse", "InvalidInput", "Stale", "checked"]


class Stale(Message, Exception):
    """The record changed since the caller read it (at ``given``); nothing was saved.

    Its English is for logs; the admin and the API word it themselves, naming the record.
    """

    def __init__(self, kind: str, given: str, now: str) -> None:
        self.kind, self.given, self.now = kind, given, now
        self.template = "%(kind)s was changed by someone else since version %(given)s"
        self.params = {"kind": kind, "given": given}
        super().__init__(self.english_text())


class InUse(Message, Exception):
    """A delete refused because schedules still use the record; ``reason`` says which."""

    def __init__(self, reason: InvalidInput) -> None:
        self.reason = reason
        self.template, self.params, self.place = reason.template, reason.params, ""
        super().__init__(self.english_text())


def checked(*checks: Callable[[], Any]) -> list[Any]:
    """Run every check; their results in order, or one ``InvalidInput`` naming every refusal."""
    results: list[Any] = []
    problems: list[InvalidInput] = []
    for check in checks:
        try:
            results.append(check())
        except InvalidInput as exc:
            problems.extend(exc.problems)
            results.append(None)
    if problems:
        raise InvalidInput.gather(problems)
    return results
