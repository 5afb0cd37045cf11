"""Settings read from the environment, with embedded defaults that need nothing installed.

Defaults: the instance folder is ``./instance`` (or ``SIGNAGE_INSTANCE``), the database a
SQLite file inside it, and Redis a private server the launcher starts on a unix socket
there. Anything real (PostgreSQL, a central Redis) comes in by URL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from signage.instance import make_private

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def instance_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The instance folder: ``--instance``, else ``SIGNAGE_INSTANCE``, else ``./instance``.

    It is created 0700 and made private on every call (see ``signage.instance``).
    """
    raw = explicit or os.environ.get("SIGNAGE_INSTANCE") or "instance"
    path = Path(raw).expanduser().resolve()
    make_private(path)
    return path


def secret_key(instance: Path) -> str:
    """``SECRET_KEY`` from the environment, else one generated once and kept in the instance."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def private_redis_socket(instance: Path) -> Path:
    """Where the private Redis of an instance listens."""
    return instance / "redis" / "redis.sock"


def redis_url(instance: Path) -> str:
    """``REDIS_URL``, else the private server's unix socket in the instance folder."""
    return os.environ.get("REDIS_URL") or f"unix://{private_redis_socket(instance)}"


def database_url(instance: Path) -> str:
    """``DATABASE_URL``, else a SQLite file in the instance folder."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'signage.db'}"


def parse_switch(raw: str | None, default: bool = True, name: str = "SIGNAGE_APPROVAL_REQUIRED") -> bool:
    """An on/off setting from the environment; anything unrecognised is refused by name."""
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "on", "yes"):
        return True
    if value in ("0", "false", "off", "no"):
        return False
    raise ValueError(f"{name} must be on or off (1/true/on/yes or 0/false/off/no), not {raw!r}")


def proxies(raw: str | None) -> int:
    """``SIGNAGE_PROXIES``: how many reverse proxies stand in front of the admin (default 0).

    Behind a proxy every request comes from the proxy's address, so the failed-login throttle
    would count the whole office as one client and lock everyone out together. With N set,
    the client's address (and scheme) are taken from the last N ``X-Forwarded-*`` hops, which
    only those proxies can write; with none, the headers are ignored (anyone could forge them).
    """
    if raw is None or raw.strip() == "":
        return 0
    if not raw.strip().isdigit() or int(raw) > 5:
        raise ValueError(f"SIGNAGE_PROXIES must be a number of proxies from 0 to 5, not {raw!r}")
    return int(raw)


def positive_number(raw: str | None, default: float, name: str, most: float) -> float:
    """A positive number of hours or minutes from the environment; anything else is refused by name."""
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= most:
        raise ValueError(f"{name} must be a number above 0 and at most {most:g}, not {raw!r}")
    return value


def load(instance: Path | None = None, **overrides: Any) -> dict[str, Any]:
    """The Flask config mapping for an instance; ``overrides`` win (the tests use them)."""
    inst = instance or instance_dir()
    config: dict[str, Any] = {
        "INSTANCE": str(inst),
        "SECRET_KEY": secret_key(inst),
        "DATABASE_URL": database_url(inst),
        "REDIS_URL": redis_url(inst),
        "TIMEZONE": os.environ.get("SIGNAGE_TIMEZONE", DEFAULT_TIMEZONE),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        # Failed logins allowed per client address, and per username (``limits`` syntax);
        # successful logins never count. The address's limit is the looser one: a whole office
        # may share one NAT address, and one person's typos must not lock out the rest.
        "LOGIN_RATE_LIMIT": os.environ.get("SIGNAGE_LOGIN_RATE_LIMIT", "30 per minute;300 per hour"),
        "LOGIN_USER_RATE_LIMIT": os.environ.get("SIGNAGE_LOGIN_USER_RATE_LIMIT", "10 per 15 minutes"),
        # A session ends this long after login, and after this long without a request.
        "SESSION_HOURS": positive_number(
            os.environ.get("SIGNAGE_SESSION_HOURS"), 12, "SIGNAGE_SESSION_HOURS", most=24 * 31
        ),
        "SESSION_IDLE_MINUTES": positive_number(
            os.environ.get("SIGNAGE_SESSION_IDLE_MINUTES"),
            120,
            "SIGNAGE_SESSION_IDLE_MINUTES",
            most=60 * 24 * 31,
        ),
        # An editor's change waits for an approver before it reaches the boards; small
        # offices where one person does everything turn this off ("0", "false", "off").
        "APPROVAL_REQUIRED": parse_switch(os.environ.get("SIGNAGE_APPROVAL_REQUIRED"), default=True),
    }
    # Behind HTTPS (a TLS reverse proxy, or gunicorn given a certificate) the cookies go only
    # over TLS and browsers are told to stay on HTTPS. Off by default: the admin on the office
    # LAN is plain HTTP, where a Secure cookie never comes back and nobody could log in.
    https = parse_switch(os.environ.get("SIGNAGE_HTTPS"), default=False, name="SIGNAGE_HTTPS")
    config.update(
        {
            "HTTPS": https,
            "SESSION_COOKIE_SECURE": https,
            "REMEMBER_COOKIE_SECURE": https,
            "PREFERRED_URL_SCHEME": "https" if https else "http",
            "PROXIES": proxies(os.environ.get("SIGNAGE_PROXIES")),
        }
    )
    config.update(overrides)
    return config
