"""What a service refuses, each a message with its English template (``signage.message``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from signage.message import Message
from signage.models import (
    Banner,
    Board,
    BoardGroup,
    Campaign,
    Phase,
    Playlist,
    Schedule,
    Slogan,
    UrgentNotice,
    Versioned,
    loaded_versions,
)
from signage.rules import InvalidInput

__all__ = ["InUse", "InvalidInput", "Stale", "checked", "saved", "writing"]

#: How a refusal names each kind of versioned record (the keys of the API's ``NAMES``).
KINDS: dict[type[Versioned], str] = {
    Slogan: "slogan",
    Banner: "banner",
    Playlist: "playlist",
    Schedule: "schedule",
    Campaign: "campaign",
    Phase: "phase",
    BoardGroup: "group",
    Board: "board",
    UrgentNotice: "notice",
}


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


def saved(session: Session, commit: bool = True) -> None:
    """Commit (or only flush) a service's changes; ``Stale`` when a row moved on meanwhile.

    Every UPDATE or DELETE of a versioned record names the version this session read
    (``signage.models.Versioned``); when another save got there first the database finds no
    such row and SQLAlchemy raises ``StaleDataError``. Here that becomes the same ``Stale`` a
    form or an API client gets for an old version, after a rollback, so nothing is half-saved.
    Every service writes through this function (or ``writing`` around earlier flushes).
    """
    with writing(session):
        if commit:
            session.commit()
        else:
            session.flush()


@contextmanager
def writing(session: Session) -> Iterator[None]:
    """Inside the block, a flush that finds a versioned row changed by someone else rolls the
    session back and raises ``Stale`` (see ``saved``)."""
    try:
        yield
    except StaleDataError as exc:
        read = loaded_versions(session)
        session.rollback()
        raise _which(session, read) from exc


def _which(session: Session, read: list[tuple[type[Any], tuple[Any, ...], int]]) -> Stale:
    """The refusal naming the first record whose version in the database is not the one read."""
    for cls, ident, version in read:
        now = session.execute(
            select(cls.row_version).where(
                *(col == value for col, value in zip(cls.__mapper__.primary_key, ident, strict=True))
            ),
            execution_options={"include_deleted": True},
        ).scalar_one_or_none()
        if now != version:
            return Stale(KINDS.get(cls, cls.__name__.lower()), str(version), "" if now is None else str(now))
    first = read[0] if read else (Versioned, (), "")
    return Stale(KINDS.get(first[0], "record"), str(first[2]), "")
