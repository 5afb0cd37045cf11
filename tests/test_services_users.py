"""Users, sessions and sign-ins through their service: a Session and plain data, no Flask.

The rules a person would notice: a username is taken whatever its case, the last active
administrator cannot be demoted or switched off, every change that takes something away ends
the user's sessions, and each sign-in, refusal and sign-out is in the audit log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from signage import accounts
from signage.db import create_schema, make_engine
from signage.models import ApiToken, AuditEntry, User
from signage.rules import InvalidInput
from signage.services import users as service

LIFETIMES = accounts.Lifetimes(absolute=timedelta(hours=12), idle=timedelta(hours=1))
PASSWORD = "correct horse battery"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine = make_engine(f"sqlite:///{tmp_path / 'signage.db'}")
    create_schema(engine)
    with Session(engine, expire_on_commit=False) as s:
        yield s
    engine.dispose()


def _log(s: Session) -> list[tuple[str, str, dict]]:
    rows = s.scalars(select(AuditEntry).where(AuditEntry.table == "accounts").order_by(AuditEntry.id))
    return [(r.actor, r.action, json.loads(r.after or "null")) for r in rows]


def test_a_user_is_added_once_whatever_the_case_with_every_problem_named(session: Session) -> None:
    user, generated = service.add_user(session, " quan-tri ", "admin", None)
    assert (user.username, user.role, user.active) == ("quan-tri", "admin", True)
    assert generated is not None and user.check_password(generated)  # shown once, stored hashed
    with pytest.raises(InvalidInput) as refused:
        service.add_user(session, "Quan-Tri", "boss", "quan-tri")
    assert sorted(p.field for p in refused.value.problems) == ["password", "role", "username"]
    assert session.scalars(select(User)).all() == [user]


def test_the_last_active_administrator_stays(session: Session) -> None:
    admin, _ = service.add_user(session, "quan-tri", "admin", PASSWORD)
    with pytest.raises(InvalidInput, match="last active administrator"):
        service.change_role(session, admin, "editor")
    with pytest.raises(InvalidInput, match="cannot be switched off"):
        service.set_active(session, admin, False)
    other, _ = service.add_user(session, "pho-quan-tri", "admin", PASSWORD)
    assert service.change_role(session, admin, "admin") is False  # already: nothing to do
    assert service.change_role(session, admin, "editor") is True
    with pytest.raises(InvalidInput):
        service.set_active(session, other, False)  # now the last one
    assert (admin.role, other.active) == ("editor", True)


def test_changes_that_take_something_away_end_the_sessions(session: Session) -> None:
    user, _ = service.add_user(session, "bien-tap", "editor", PASSWORD)
    signed = service.sign_in(session, "bien-tap", PASSWORD, "10.0.0.5", LIFETIMES)
    assert signed.token is not None and signed.refusal is None
    assert service.resume(session, signed.token, str(user.id), LIFETIMES)[0] is not None

    generated = service.reset_password(session, user, None)
    assert generated is not None and user.check_password(generated)
    assert service.resume(session, signed.token, str(user.id), LIFETIMES) == (None, accounts.ENDED)

    again = service.sign_in(session, "bien-tap", generated, "10.0.0.5", LIFETIMES)
    service.set_active(session, user, False)
    assert service.resume(session, again.token, str(user.id), LIFETIMES) == (None, accounts.INACTIVE)
    assert service.sign_in(session, "bien-tap", generated, "10.0.0.5", LIFETIMES).refusal == "inactive"
    assert service.sign_in(session, "khong-co", generated, "10.0.0.5", LIFETIMES).refusal == "wrong"

    service.set_active(session, user, True)
    third = service.sign_in(session, "bien-tap", generated, "10.0.0.6", LIFETIMES)
    assert service.sign_out_everywhere(session, user, "quan-tri") == 1
    assert service.resume(session, third.token, str(user.id), LIFETIMES)[0] is None
    actions = [(who, action) for who, action, _detail in _log(session)]
    assert actions == [
        ("bien-tap", "login"),
        ("bien-tap", "login"),
        ("anonymous", "failed"),
        ("anonymous", "failed"),
        ("bien-tap", "login"),
        ("quan-tri", "signout"),
    ]


def test_own_password_change_keeps_this_session_only(session: Session) -> None:
    user, _ = service.add_user(session, "bien-tap", "editor", PASSWORD)
    other = service.sign_in(session, "bien-tap", PASSWORD, "10.0.0.7", LIFETIMES).token
    with pytest.raises(InvalidInput) as wrong:
        service.change_own_password(session, user, "sai mat khau", "a new long phrase", "10.0.0.5", LIFETIMES)
    assert wrong.value.field == "current"
    with pytest.raises(InvalidInput) as weak:
        service.change_own_password(session, user, PASSWORD, "bien-tap", "10.0.0.5", LIFETIMES)
    assert weak.value.field == "password"
    service.refused(session, user.username, user, "own password", "weak")
    token = service.change_own_password(session, user, PASSWORD, "a new long phrase", "10.0.0.5", LIFETIMES)
    assert service.resume(session, token, str(user.id), LIFETIMES)[0] is not None
    assert service.resume(session, other, str(user.id), LIFETIMES)[0] is None
    assert ("bien-tap", "refused", {"action": "own password", "reason": "weak"}) in _log(session)


def test_a_revoked_token_is_gone_and_only_its_owner_names_it(session: Session) -> None:
    user, _ = service.add_user(session, "tu-dong", "editor", PASSWORD)
    stranger, _ = service.add_user(session, "nguoi-khac", "viewer", PASSWORD)
    token = ApiToken(user_id=user.id, name="script", token_sha256="a" * 64)
    session.add(token)
    session.commit()
    assert service.token_of(session, stranger, token.id) is None
    assert service.tokens_of(session, user) == [token]
    assert service.overview(session, LIFETIMES).tokens == {user.id: 1}
    service.revoke_token(session, token)
    assert service.tokens_of(session, user) == []
