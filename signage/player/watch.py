"""Tells the status thread when the board's show stamp or test-pattern key changes.

Without it the thread would read both keys every ``POLL`` (25 times a second);
with it the thread blocks on one connection until Redis says a key changed.
"""

from __future__ import annotations

import logging
from typing import Any

from redis.exceptions import RedisError, ResponseError

from signage import show

log = logging.getLogger(__name__)

#: How often the show stamp and the test-pattern key are read when Redis cannot say when
#: they change (seconds): the status thread's poll without a ``Watch``.
POLL = 0.04


class Watch:
    """Tells when the board's show stamp or test-pattern key changes, without polling.

    Redis's client-side caching in broadcast mode (``CLIENT TRACKING on BCAST PREFIX ...``,
    Redis 6 and later, RESP3) sends an invalidation on a connection of ours whenever a key
    under those prefixes is written or expires; the thread blocks on that connection between
    beats. An older Redis, or a RESP2 client, refuses: ``open`` says so and the thread polls.
    """

    def __init__(self, redis: Any, slug: str) -> None:
        self.redis, self.slug = redis, slug
        self.conn: Any = None
        self.refused = False

    def open(self) -> bool:
        """Whether changes are watched (opening the connection on first use)."""
        if self.conn is not None:
            return True
        if self.refused:
            return False
        conn = self.redis.connection_pool.make_connection()
        try:
            conn.connect()
            if str(getattr(conn, "protocol", 2)) != "3":
                raise ResponseError("RESP2: no invalidation messages on this connection")
            prefixes = (show.publish_id_key(self.slug), show.test_pattern_key(self.slug))
            watched = (x for p in prefixes for x in ("PREFIX", p))
            conn.send_command("CLIENT", "TRACKING", "on", "BCAST", *watched)
            conn.read_response()
        except ResponseError as exc:
            log.info("board %s: Redis cannot tell changes (%s); polling every %.2f s", self.slug, exc, POLL)
            self.refused = True
            conn.disconnect()
            return False
        except BaseException:
            conn.disconnect()
            raise
        self.conn = conn
        return True

    def wait(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds; True when a watched key changed (or the watch broke)."""
        conn = self.conn
        if conn is None:
            return True
        try:
            if not conn.can_read(timeout=timeout):
                return False
            while conn.can_read(timeout=0):
                conn.read_response(push_request=True)
        except (RedisError, OSError):
            self.close()  # reopened at the next poll; meanwhile say "changed" so it polls
        return True

    def close(self) -> None:
        if self.conn is not None:
            self.conn.disconnect()
            self.conn = None
