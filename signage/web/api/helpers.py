"""Pieces the banner, schedule and notice endpoints share: documented errors, versions, names.

Kept apart from ``content.py`` and ``schemas.py`` so each resource module stays small and
reads the same way: token check, documented inputs and outputs, then a thin body.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, NoReturn

from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from marshmallow import fields

from signage.problem import N_
from signage.services import InUse, InvalidInput, Stale, fingerprint
from signage.web.messages import say

#: Errors every operation can answer: no token, a token whose role is too low.
AUTH_ERRORS = (401, 403)


def errors(blp: Blueprint, *codes: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Document error responses (the shared ``{code, status, message}`` body) on an operation."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        for code in (*AUTH_ERRORS, *codes):
            view = blp.alt_response(code, response=HTTPStatus(code).name)(view)
        return view

    return decorate


def version_field() -> fields.String:
    """The optional ``version`` an update sends back: what it read, so a stale write is refused."""
    return fields.String(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "the `version` from your last read; when someone changed the record since, "
            "the update is refused with 409 and nothing is saved. Leave out to overwrite."
        },
    )


@contextmanager
def answered(what: str = "") -> Iterator[None]:
    """A service's refusals as the API answers them, in the request's language.

    ``InvalidInput``: 422 with every problem under its field; ``Stale``: 409 naming ``what``
    (see ``named``); ``InUse``: 409 saying which schedules prevent the delete.
    """
    try:
        yield
    except InvalidInput as exc:
        problems: dict[str, list[str]] = {}
        for problem in exc.problems:
            problems.setdefault(problem.field, []).append(say(problem))
        refuse(problems)
    except Stale as exc:
        _stale(what, exc.given, exc.now)
    except InUse as exc:
        abort(409, message=_("not deleted: %(problem)s", problem=say(exc.reason)))


def _stale(what: str, given: str, now: str) -> NoReturn:
    abort(
        409,
        message=_(
            "%(what)s was changed by someone else since version %(given)s; read it again "
            "(version now %(now)s) and redo your change. Nothing was saved.",
            what=what,
            given=given,
            now=now,
        ),
    )
    raise AssertionError  # abort raises


def check_version(obj: object, given: str | None, what: str, current: str | None = None) -> None:
    """Abort with 409 when the client's ``version`` is not the record's version now.

    ``what`` names the record in the request's language ("slogan 5", see ``no_such``);
    ``current`` is the version when the record has its own way to compute it (see banners).
    """
    now = current if current is not None else fingerprint(obj)
    if given is not None and given != now:
        _stale(what, given, now)


#: How messages name a record, per kind: whole phrases, so each language orders its own words.
NAMES = {
    "slogan": N_("slogan %(id)s"),
    "playlist": N_("playlist %(id)s"),
    "banner": N_("banner %(id)s"),
    "schedule": N_("schedule %(id)s"),
    "notice": N_("urgent notice %(id)s"),
    "campaign": N_("campaign %(id)s"),
    "phase": N_("phase %(id)s"),
    "group": N_("board group %(id)s"),
    "board": N_("board %(id)r"),
}
MISSING = {
    "slogan": N_("no slogan %(id)s"),
    "playlist": N_("no playlist %(id)s"),
    "banner": N_("no banner %(id)s"),
    "schedule": N_("no schedule %(id)s"),
    "notice": N_("no urgent notice %(id)s"),
    "campaign": N_("no campaign %(id)s"),
    "phase": N_("no phase %(id)s"),
    "group": N_("no board group %(id)s"),
    "board": N_("no board %(id)r"),
}


def named(kind: str, ident: object) -> str:
    """A record as messages name it, in the request's language: ``named("slogan", 5)``."""
    return _(NAMES[kind], id=ident)


def missing(kind: str, ident: object) -> str:
    """ "There is no such record" in the request's language: ``missing("board", "cua-khau")``."""
    return _(MISSING[kind], id=ident)


def no_such(kind: str, ident: object) -> NoReturn:
    """Abort with 404: there is no such record."""
    abort(404, message=missing(kind, ident))
    raise AssertionError  # abort raises; this keeps type checkers sure of it


def as_utc(value: datetime | None) -> datetime | None:
    """Instants are stored as naive UTC; the API spells them with their offset."""
    return value.replace(tzinfo=UTC) if value is not None else None


class Instant(fields.DateTime):
    """An instant in an answer: stored as naive UTC, written with its offset (RFC 3339, as the
    OpenAPI ``date-time`` format requires; a bare ``2026-01-02T08:00:00`` is not one)."""

    def _serialize(
        self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any
    ) -> str | float | None:
        return super()._serialize(
            as_utc(value) if value is not None and value.tzinfo is None else value, attr, obj, **kwargs
        )


def instant(**kwargs: Any) -> Instant:
    """An ``Instant`` field."""
    return Instant(**kwargs)


def refuse(problems: dict[str, list[str]], location: str = "json") -> None:
    """Refuse a body with 422 naming each field, in the same shape as a schema error."""
    if problems:
        abort(422, message=_("the request body has errors; nothing was saved"), errors={location: problems})
