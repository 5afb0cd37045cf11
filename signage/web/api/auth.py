"""Bearer-token checks for the API, with the same role ladder as the admin pages."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from webargs.flaskparser import abort  # flask_smorest.abort itself, from the package with its types

from signage.audit import actor
from signage.models import ApiToken, User, utcnow
from signage.web.access import label
from signage.web.db import get_db


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, name: str) -> str:
    """Create a token for ``user``; the token itself is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(user=user, name=name, token_sha256=digest(token)))
    return token


def _bearer_user() -> User:
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        abort(401, message=_("send 'Authorization: Bearer <token>' (create one with `signage create-token`)"))
    db = get_db()
    row = db.scalar(select(ApiToken).where(ApiToken.token_sha256 == digest(token.strip())))
    if row is None or not row.user.is_active:
        abort(401, message=_("unknown or revoked token"))
    row.last_used_at = utcnow()
    return row.user


def token_required(role: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Require a token whose user has at least ``role``."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = _bearer_user()
            if not user.has_role(role):
                abort(
                    403,
                    message=_(
                        "this needs the %(role)s role; the token's user is %(user_role)s",
                        role=role,
                        user_role=user.role,
                    ),
                )
            g.api_user = user
            actor.set(f"api:{user.username}")
            return view(*args, **kwargs)

        label(wrapped, required_role=role, token_auth=True)
        return wrapped

    return decorate
