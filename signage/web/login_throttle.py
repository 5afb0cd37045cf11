"""The failed-login throttle: per client address and per username, counted apart.

Only failed attempts count, so staff who log in many times a day (or a whole office
behind one NAT address that types its passwords right) are never held up, while guessing
is slowed at both ends: one PC trying many names, and many PCs trying one name. The counts
are moving windows in Redis (the ``limits`` library), shared by every admin process; a
Redis outage must not lock staff out, so then nothing is counted.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)
EXTENSION = "signage.login_throttle"


def storage_uri(redis_url: str) -> str:
    """The ``limits`` storage URI for our Redis URL (it spells unix sockets its own way)."""
    return "redis+" + redis_url if redis_url.startswith("unix://") else redis_url


@dataclass(frozen=True)
class Refusal:
    """Why a login is not even tried: whose counter is full, and for how many more seconds."""

    by: str  # "address" or "username"
    seconds: int


class LoginThrottle:
    """Counters of failed logins by address and by username (``limits`` syntax for each)."""

    def __init__(self, redis_url: str, per_address: str, per_username: str) -> None:
        self.limiter = MovingWindowRateLimiter(
            storage_from_string(storage_uri(redis_url), socket_connect_timeout=2, socket_timeout=5)
        )
        self.rules: dict[str, list[RateLimitItem]] = {
            "address": parse_many(per_address),
            "username": parse_many(per_username),
        }

    def _keys(self, address: str, username: str) -> dict[str, str]:
        return {"address": address or "-", "username": username.strip().casefold()[:80]}

    def refusal(self, address: str, username: str) -> Refusal | None:
        """A full counter for this address or name, with the longest wait; None: may try."""
        worst: Refusal | None = None
        try:
            for by, key in self._keys(address, username).items():
                for item in self.rules[by]:
                    if not self.limiter.test(item, "login", by, key):
                        reset = self.limiter.get_window_stats(item, "login", by, key).reset_time
                        wait = max(1, math.ceil(reset - time.time()))
                        if worst is None or wait > worst.seconds:
                            worst = Refusal(by, wait)
        except Exception as exc:  # noqa: BLE001 - any storage fault: let staff in rather than lock them out
            log.warning("login throttle unavailable (%s); not counting", exc)
            return None
        return worst

    def failed(self, address: str, username: str) -> None:
        """Count one failed attempt against both the address and the name."""
        try:
            for by, key in self._keys(address, username).items():
                for item in self.rules[by]:
                    self.limiter.hit(item, "login", by, key)
        except Exception as exc:  # noqa: BLE001 - as above
            log.warning("login throttle unavailable (%s); not counting", exc)


def init_throttle(app: Flask) -> None:
    """Check ``LOGIN_RATE_LIMIT`` and ``LOGIN_USER_RATE_LIMIT`` now, naming a wrong one; the
    throttle itself is built on first use (tests change the settings until then)."""
    for key, name in (
        ("LOGIN_RATE_LIMIT", "SIGNAGE_LOGIN_RATE_LIMIT"),
        ("LOGIN_USER_RATE_LIMIT", "SIGNAGE_LOGIN_USER_RATE_LIMIT"),
    ):
        try:
            parse_many(app.config[key])
        except ValueError:
            raise ValueError(
                f"{name} must read like '10 per minute;60 per hour', not {app.config[key]!r}"
            ) from None
    app.extensions[EXTENSION] = None


def throttle() -> LoginThrottle:
    """The app's throttle, built from its settings as they are now."""
    config = current_app.config
    wanted = (config["REDIS_URL"], config["LOGIN_RATE_LIMIT"], config["LOGIN_USER_RATE_LIMIT"])
    cached = current_app.extensions.get(EXTENSION)
    if cached is None or cached[0] != wanted:
        cached = (wanted, LoginThrottle(*wanted))
        current_app.extensions[EXTENSION] = cached
    return cached[1]
