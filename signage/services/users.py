"""Users, their sessions and their sign-ins: every change an administrator or a user makes.

The rules: usernames unique whatever their case; passwords by ``signage.passwords``; the last
active administrator can be neither switched off nor demoted, so nobody locks the office out
of its own admin. Every change that takes something away (a role, the account, a password)
ends the user's sessions at once (``signage.accounts``). Row changes are audited by
``signage.audit``; what changes no row the log shows (a sign-in, a refusal, a sign-out) is
written with ``accounts.record``. Each function commits; Flask stays with the caller, which
keeps the session cookie and words the messages.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from signage import accounts
from signage.message import N_
from signage.models import ROLES, ApiToken, User
from signage.passwords import check_password
from signage.rules import InvalidInput
from signage.services.errors import checked, saved

# --- reading -------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    """What the Users page lists: every user, how many API tokens and live sessions each has."""

    users: list[User]
    tokens: dict[int, int]
    sessions: dict[int, int]


def overview(session: Session, lifetimes: accounts.Lifetimes) -> Overview:
    """Every user by name, with their token and live-session counts."""
    users = list(session.scalars(select(User).order_by(User.username)))
    counted = session.execute(select(ApiToken.user_id, func.count()).group_by(ApiToken.user_id))
    tokens = {user_id: count for user_id, count in counted}
    return Overview(users, tokens, accounts.live_sessions(session, lifetimes))


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """A user's API tokens, oldest first."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def token_of(session: Session, user: User, token_id: int) -> ApiToken | None:
    """The user's token ``token_id`` (None: no such token, or another user's)."""
    token = session.get(ApiToken, token_id)
    return token if token is not None and token.user_id == user.id else None


# --- rules ---------------------------------------------------------------------------


def unique_username(session: Session, name: str) -> str:
    """A username nobody has, whatever the case ("Admin" and "admin" are one person to staff)."""
    if session.scalar(select(User.id).where(func.lower(User.username) == name.lower())) is not None:
        raise InvalidInput("username", N_("A user named %(name)s exists already."), name=name)
    return name


def role(value: str | None) -> str:
    """One of ``models.ROLES``."""
    if value not in ROLES:
        raise InvalidInput("role", N_("Choose one of the roles."))
    return value


def new_password(given: str | None, username: str) -> tuple[str, bool]:
    """The password typed (checked against the rule) or a generated one; True when generated."""
    if given:
        return check_password(given, username), False
    return secrets.token_urlsafe(12), True


def is_last_admin(session: Session, user: User) -> bool:
    """True when ``user`` is an active administrator and no other one is."""
    if user.role != "admin" or not user.active:
        return False
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == "admin", User.active.is_(True), User.id != user.id)
    )
    return not others


def _not_last_admin(session: Session, user: User, template: str) -> None:
    if is_last_admin(session, user):
        raise InvalidInput("role", template, name=user.username)


# --- changes -------------------------------------------------------------------------


def add_user(
    session: Session, username: str | None, role_: str | None, password: str | None
) -> tuple[User, str | None]:
    """Add an active user; the password given, or a generated one returned to show once."""
    name = (username or "").strip()
    _unique, wanted, (chosen, generated) = checked(
        lambda: unique_username(session, name), lambda: role(role_), lambda: new_password(password, name)
    )
    user = User(username=name, role=wanted, active=True)
    user.set_password(chosen)
    session.add(user)
    saved(session)
    return user, chosen if generated else None


def check_role_change(session: Session, user: User, new_role: str | None) -> str:
    """The role ``user`` may be given; refused (``InvalidInput``) for an unknown role and for the
    last active administrator's demotion."""
    wanted: str = checked(lambda: role(new_role))[0]
    if wanted != user.role:
        _not_last_admin(
            session,
            user,
            N_("%(name)s is the last active administrator; make someone else an administrator first."),
        )
    return wanted


def change_role(session: Session, user: User, new_role: str | None) -> bool:
    """Give ``user`` another role and end their sessions; False when it is their role already."""
    wanted = check_role_change(session, user, new_role)
    if wanted == user.role:
        return False
    user.role = wanted
    accounts.end_all_sessions(session, user.id)
    saved(session)
    return True


def check_can_switch_off(session: Session, user: User) -> None:
    """Refuse (``InvalidInput``) to switch off the last active administrator."""
    if user.active:
        _not_last_admin(
            session, user, N_("%(name)s is the last active administrator and cannot be switched off.")
        )


def set_active(session: Session, user: User, active: bool) -> None:
    """Switch the account on or off; its sessions end either way (off: at once, and its API
    tokens stop working)."""
    if not active:
        check_can_switch_off(session, user)
    user.active = active
    accounts.end_all_sessions(session, user.id)
    saved(session)


def reset_password(session: Session, user: User, given: str | None) -> str | None:
    """Give ``user`` the password ``given`` (or a generated one, returned to show once) and end
    their sessions; ``InvalidInput`` for a password the rule refuses."""
    password, generated = new_password(given, user.username)
    user.set_password(password)
    accounts.end_all_sessions(session, user.id)
    saved(session)
    return password if generated else None


def sign_out_everywhere(session: Session, user: User, who: str) -> int:
    """End every session of ``user``; returns how many, and ``who`` did it is logged."""
    ended = accounts.end_all_sessions(session, user.id)
    accounts.record(session, who, "signout", "accounts", user.id, {"sessions": ended})
    saved(session)
    return ended


def revoke_token(session: Session, token: ApiToken) -> None:
    """Revoke an API token: scripts using it are refused from now on (audited as a delete)."""
    session.delete(token)
    saved(session)


def refused(session: Session, who: str, user: User | None, action: str, reason: str, **detail: Any) -> None:
    """Log a refused change (nothing of it is saved: the session is rolled back first)."""
    session.rollback()
    record = {"action": action, **detail, "reason": reason}
    accounts.record(session, who, "refused", "accounts", user.id if user is not None else "-", record)
    saved(session)


def change_own_password(
    session: Session, user: User, current: str, password: str, address: str, lifetimes: accounts.Lifetimes
) -> str:
    """A user changes their own password: their other sessions end, a new one starts here
    (its token returned for the cookie). ``InvalidInput`` for a wrong current password or a
    new one the rule refuses."""
    if not user.check_password(current):
        raise InvalidInput("current", N_("The current password is wrong."))
    user.set_password(check_password(password, user.username))
    accounts.end_all_sessions(session, user.id)
    token = accounts.start_session(session, user, address, lifetimes)
    saved(session)
    return token


# --- signing in and out --------------------------------------------------------------


@cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, made like real ones (same cost, same time)."""
    return generate_password_hash("no such user; the time of a real check")


@dataclass(frozen=True)
class SignIn:
    """How a sign-in went: ``token`` for the cookie, or why not (``wrong``, ``inactive``)."""

    user: User | None
    token: str | None = None
    refusal: str | None = None


def sign_in(
    session: Session, name: str, password: str, address: str, lifetimes: accounts.Lifetimes
) -> SignIn:
    """Check a username and password in the same time whether or not the name exists, and start
    a session for an active user. Every attempt is logged; a refusal says only whether the
    password was right for a switched-off account (they may know it is off)."""
    user = session.scalar(select(User).where(User.username == name))
    matches = check_password_hash(user.password_hash if user else _dummy_hash(), password)
    if user is not None and matches and user.active:
        token = accounts.start_session(session, user, address, lifetimes)
        accounts.record(session, user.username, "login", "accounts", user.id, {"address": address})
        saved(session)
        return SignIn(user, token)
    accounts.record(
        session,
        "anonymous",
        "failed",
        "accounts",
        user.id if user else "-",
        {"username": name, "address": address},
    )
    saved(session)
    return SignIn(user, refusal="inactive" if user is not None and matches else "wrong")


def throttled(session: Session, name: str, address: str, by: str, seconds: int) -> None:
    """Log a sign-in refused for too many failures (from ``address`` or for ``name``)."""
    detail = {"username": name, "address": address, "by": by, "seconds": seconds}
    accounts.record(session, "anonymous", "throttled", "accounts", "-", detail)
    saved(session)


def sign_out(session: Session, token: str | None, user: Any, address: str) -> None:
    """End this browser's session and log it."""
    if token:
        accounts.end_session(session, token)
    accounts.record(session, user.username, "logout", "accounts", user.id, {"address": address})
    saved(session)


def resume(
    session: Session, token: str | None, user_id: str, lifetimes: accounts.Lifetimes
) -> tuple[User | None, str | None]:
    """The user of a browser's session (None and why it ended); an ended one is forgotten.

    A session deleted because its user was switched off says so (``INACTIVE``) rather than
    just ``ENDED``.
    """
    user, reason = accounts.check_session(session, token, lifetimes) if token else (None, accounts.ENDED)
    saved(session)
    if user is not None and str(user.id) == user_id:
        return user, None
    if (
        reason == accounts.ENDED
        and user_id.isdigit()
        and session.scalar(select(User.active).where(User.id == int(user_id))) is False
    ):
        reason = accounts.INACTIVE
    return None, reason
