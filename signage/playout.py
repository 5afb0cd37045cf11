"""Playout on RQ: one queue per board, one job per item played, the port kept open.

Shape (see docs and ../shared/architecture.md): a ``SimpleWorker`` per board runs the jobs
in its own process, so the serial link stays open between items (opening a port toggles
DTR and resets many controllers). Each job enqueues the next item when it starts, so a
restarted worker finds the next item already waiting. A job ends its item early when a
newer show is published or the worker is asked to stop. Free of Flask and the database.
"""

from __future__ import annotations

import io
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker, get_current_job

from drivers import Board, LinkError, PortError, open_board
from drivers.pixels import BoardSpec, GeometryError
from signage import show
from signage.render import RenderError, render_item

log = logging.getLogger(__name__)

#: How often a held frame checks for a newer show or a stop request (seconds).
POLL = 0.05
#: What a board shows (and how long) when it has nothing to play, before looking again.
IDLE_SECONDS = 2.0
#: Upper bound of one job: an item longer than this is cut (RQ kills the job at its timeout).
JOB_TIMEOUT = 3 * 3600
PROOF_KEEP = 10_000

_stop = threading.Event()
_links: dict[str, tuple[tuple, Board]] = {}


def queue_name(slug: str) -> str:
    return f"signage:board:{slug}"


def cache_dir() -> Path:
    """Where this worker keeps the last show of each board (``SIGNAGE_INSTANCE``/shows)."""
    return Path(os.environ.get("SIGNAGE_INSTANCE", "instance")) / "shows"


def _link_for(board: dict[str, Any]) -> Board:
    """The open link of a board, reopened only when its settings changed."""
    spec = BoardSpec(board["width"], board["height"], board.get("color", "mono"))
    key = (board["port_url"], board["protocol"], spec, board.get("baud", 115200), board.get("address", 1))
    held = _links.get(board["slug"])
    if held is not None and held[0] == key:
        return held[1]
    if held is not None:
        log.info("board %s: settings changed, reopening the link", board["slug"])
        close_links(board["slug"])
    link = open_board(key[0], key[1], spec, baud=key[3], address=key[4])
    _links[board["slug"]] = (key, link)
    log.info("board %s: link open on %s (%s, %s baud)", board["slug"], key[0], key[1], key[3])
    return link


def close_links(slug: str | None = None) -> None:
    """Close the links this process holds (one board's, or all)."""
    for name in [slug] if slug else list(_links):
        held = _links.pop(name, None)
        if held is not None:
            try:
                held[1].close()
            except Exception:  # a dying link must not stop the others from closing
                log.exception("board %s: error while closing the link", name)


def enqueue_next(queue: Queue, slug: str, position: int) -> None:
    """Queue the next item unless one is already waiting (one chain per board)."""
    if queue.count == 0:
        queue.enqueue_call(
            play_item, args=(slug, position), timeout=JOB_TIMEOUT, result_ttl=3600,
            failure_ttl=24 * 3600, description=f"play {slug} #{position}",
        )


def _status(redis: Redis, slug: str, **fields: Any) -> None:
    """Heartbeat and status of the board; a Redis outage must not stop the board."""
    fields["heartbeat"] = time.time()
    try:
        redis.hset(show.status_key(slug), mapping={k: json.dumps(v) for k, v in fields.items()})
    except RedisError:
        pass


def _mirror(redis: Redis, slug: str, image: Any) -> None:
    """Keep what the board was last sent, as PNG, for the admin's live mirror."""
    buf = io.BytesIO()
    image.save(buf, "PNG")
    try:
        redis.set(show.mirror_key(slug), buf.getvalue())
    except RedisError:
        pass


def _wait_until(deadline: float, interrupted: Callable[[], bool]) -> bool:
    """Sleep until ``deadline`` (monotonic); True if interrupted on the way."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        if interrupted():
            return True
        time.sleep(min(POLL, left))


def play_item(slug: str, position: int) -> dict[str, Any]:
    """Play item ``position`` of the board's show; the result is the proof-of-play record."""
    job = get_current_job()
    redis: Redis = job.connection if job is not None else Redis()
    queue = Queue(queue_name(slug), connection=redis)
    # The version seen now, not the played doc's: a refused (e.g. newer-format) show must
    # not interrupt every frame of the cached one we fall back to.
    seen_version = show.current_version(redis, slug)
    doc = show.load(redis, slug, cache_dir())
    items = doc["items"] if doc else []
    index = position % len(items) if items else 0
    try:
        redis.set(f"{show.PREFIX}:cursor:{slug}", position)
        enqueue_next(queue, slug, position + 1)
    except RedisError as exc:
        log.warning("board %s: could not queue the next item: %s", slug, exc)
    planned = datetime.now(UTC)
    record: dict[str, Any] = {
        "board": slug, "position": position, "item": None,
        "show_version": doc.get("version") if doc else None,
        "planned_start": planned.isoformat(), "frames_sent": 0, "interrupted": False, "error": None,
    }
    version = record["show_version"]

    def interrupted() -> bool:
        if _stop.is_set():
            return True
        now_version = show.current_version(redis, slug)
        return now_version is not None and seen_version is not None and now_version != seen_version

    start = time.monotonic()
    if not items:
        log.info("board %s: nothing to play; looking again in %.0f s", slug, IDLE_SECONDS)
        _status(redis, slug, item=None, since=time.time(), link="idle")
        record["interrupted"] = _wait_until(start + IDLE_SECONDS, interrupted)
        return _finish(redis, record, start)

    item = items[index]
    record["item"] = item.get("id")
    try:
        spec = BoardSpec(doc["board"]["width"], doc["board"]["height"], doc["board"].get("color", "mono"))
        link = _link_for(doc["board"])
    except (GeometryError, PortError, LinkError, KeyError) as exc:
        record["error"] = f"link: {exc}"
        log.error("board %s: cannot reach the board: %s", slug, exc)
        _status(redis, slug, item=record["item"], since=time.time(), link="down", error=str(exc))
        record["interrupted"] = _wait_until(start + IDLE_SECONDS, interrupted)
        return _finish(redis, record, start)

    _status(redis, slug, item=record["item"], text=item.get("text"), since=time.time(), link="up",
            version=version, position=position)
    end = start + float(item.get("duration", 10))
    try:
        for frame in render_item(_with_image(redis, item), spec):
            if _wait_until(start + frame.at, interrupted):
                record["interrupted"] = True
                break
            link.show(frame.image)
            record["frames_sent"] += 1
            if record["frames_sent"] == 1 or record["frames_sent"] % 30 == 0:
                _mirror(redis, slug, frame.image)
                _status(redis, slug, frames=record["frames_sent"], link="up")
            end = max(end, start + frame.at + frame.hold)
        else:
            record["interrupted"] = _wait_until(end, interrupted)
    except RenderError as exc:
        record["error"] = f"render: {exc}"
        log.error("board %s: item %s cannot be rendered: %s; skipping it", slug, record["item"], exc)
        time.sleep(0.5)
    except LinkError as exc:
        record["error"] = f"link: {exc}"
        log.error("board %s: link lost during item %s: %s", slug, record["item"], exc)
        _status(redis, slug, link="down", error=str(exc))
        close_links(slug)
    return _finish(redis, record, start)


def _with_image(redis: Redis, item: dict[str, Any]) -> dict[str, Any]:
    """Banners name their image by hash; hand the renderer the bytes."""
    if item.get("kind") != "banner":
        return item
    data = show.load_blob(redis, item["image"], cache_dir())
    if data is None:
        raise RenderError(f"banner image {item['image'][:12]} is missing from the show")
    return {**item, "image": data}


def _finish(redis: Redis, record: dict[str, Any], start: float) -> dict[str, Any]:
    """Close the record and keep it as proof of play."""
    record["actual_end"] = datetime.now(UTC).isoformat()
    record["seconds"] = round(time.monotonic() - start, 3)
    try:
        key = show.proof_key(record["board"])
        redis.lpush(key, json.dumps(record, ensure_ascii=False))
        redis.ltrim(key, 0, PROOF_KEEP - 1)
    except RedisError:
        log.warning("board %s: proof of play not stored (Redis unreachable)", record["board"])
    return record


class BoardWorker(SimpleWorker):
    """An RQ ``SimpleWorker`` whose stop request also ends the item being played."""

    def request_stop(self, signum: Any, frame: Any) -> None:  # noqa: D401 - RQ's hook
        _stop.set()
        super().request_stop(signum, frame)


def wait_for_redis(redis: Redis, what: str = "Redis", give_up: float | None = None) -> None:
    """Block until Redis answers, retrying with backoff and saying so in the log."""
    delay, began = 0.2, time.monotonic()
    while True:
        try:
            redis.ping()
            return
        except RedisError as exc:
            if give_up is not None and time.monotonic() - began > give_up:
                raise
            log.warning("%s not reachable (%s); retrying in %.1f s", what, exc, delay)
            time.sleep(delay)
            delay = min(delay * 2, 10.0)


def run_worker(slug: str, redis_url: str, *, burst: bool = False) -> None:
    """Run the worker of one board until stopped (``signage worker --board SLUG``)."""
    redis = Redis.from_url(redis_url)
    wait_for_redis(redis)
    queue = Queue(queue_name(slug), connection=redis)
    try:
        cursor = int(redis.get(f"{show.PREFIX}:cursor:{slug}") or -1)
    except (RedisError, ValueError):
        cursor = -1
    enqueue_next(queue, slug, cursor + 1)
    worker = BoardWorker([queue], connection=redis, name=f"signage-{slug}-{os.getpid()}")
    log.info("worker for board %s on queue %s", slug, queue.name)
    try:
        worker.work(burst=burst, logging_level="INFO", with_scheduler=False)
    finally:
        close_links()
