"""Compile a board's show from the database and publish it to Redis.

The only bridge between the database and the players: after it runs, the worker needs
neither the database nor the admin.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from signage import show
from signage.models import Board


def compile_show(board: Board) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The show document of a board and the banner bytes it refers to."""
    items: list[dict[str, Any]] = []
    blobs: dict[str, bytes] = {}
    if board.playlist is not None:
        for entry in board.playlist.items:
            if not entry.enabled:
                continue
            if entry.slogan is not None:
                item = entry.slogan.show_item()
                item["id"] = f"slogan:{entry.slogan.id}"
            elif entry.banner is not None:
                item = entry.banner.show_item()
                item["id"] = f"banner:{entry.banner.id}"
                blobs[entry.banner.sha256] = entry.banner.data
            else:
                continue
            item["duration"] = entry.duration
            items.append(item)
    doc = {
        "format": show.SHOW_FORMAT,
        "compiled_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "board": {
            "slug": board.slug,
            "name": board.name,
            "width": board.width,
            "height": board.height,
            "color": board.color,
            "protocol": board.protocol,
            "port_url": board.port_url,
            "baud": board.baud,
            "address": board.address,
        },
        "playlist": board.playlist.name if board.playlist is not None else None,
        "items": items,
    }
    return doc, blobs


def publish_board(redis: Redis, board: Board) -> int:
    """Publish one board's show; returns the new version."""
    doc, blobs = compile_show(board)
    return show.store(redis, board.slug, doc, blobs)


def publish_all(session: Session, redis: Redis, playlist_id: int | None = None) -> dict[str, int]:
    """Publish every board (or those playing ``playlist_id``); returns slug -> version."""
    query = select(Board)
    if playlist_id is not None:
        query = query.where(Board.playlist_id == playlist_id)
    return {b.slug: publish_board(redis, b) for b in session.scalars(query)}
