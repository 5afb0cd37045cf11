"""Who may do what: the role check every admin route goes through."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app
from flask_login import current_user, login_required
from redis import Redis


def role_required(role: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Require a logged-in user with at least ``role`` (viewer < editor < approver < admin)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        label(wrapped, required_role=role)
        return wrapped

    return decorate


def label(view: Callable[..., Any], **labels: Any) -> None:
    """Set attributes on a view function, such as the ``required_role`` the access walk test
    reads over the URL map (a function takes attributes; its type does not list them)."""
    view.__dict__.update(labels)


def get_redis() -> Redis:
    """The app's Redis client (publishing, status, the live mirror)."""
    return current_app.extensions["signage.redis"]
