"""A render cache keyed by content and bounded in bytes, so replaying an item skips layout.

Keys are digests of what decides the pixels (text after tokens, options, board), never
object identities, so two equal items share one entry. Only finished images go in:
input that fails its checks never reaches the cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PIL import Image

T = TypeVar("T")

#: Default bound: a few long marquees on the biggest board, far under the worker's memory.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def content_key(*parts: Any) -> str:
    """A stable digest of JSON-able parts (dicts sorted), the same in every process."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=repr).encode()
    return hashlib.sha256(blob).hexdigest()


def size_of(value: Any) -> int:
    """Approximate bytes an entry holds (images by their pixel buffers)."""
    if isinstance(value, Image.Image):
        bits = {"1": 1, "L": 8, "P": 8, "RGB": 24, "RGBA": 32}.get(value.mode, 32)
        return (value.width * bits + 7) // 8 * value.height
    if isinstance(value, bytes | bytearray):
        return len(value) + 64
    if hasattr(value, "cache_bytes"):
        return int(value.cache_bytes)
    if isinstance(value, tuple | list):
        return sum(size_of(v) for v in value) + 64
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(size_of(getattr(value, f.name)) for f in dataclasses.fields(value)) + 64
    return 64


@dataclass
class CacheStats:
    """Counts that show whether the cache earns its memory."""

    hits: int = 0
    misses: int = 0
    evictions: int = 0
    bytes: int = 0
    entries: int = 0


class RenderCache:
    """Least-recently-used map from content key to rendered images, bounded in bytes."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.stats = CacheStats()

    def get_or_make(self, key: str, make: Callable[[], T]) -> T:
        """The cached value for ``key``, or ``make()`` stored under it if it fits the bound."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.stats.hits += 1
                return self._items[key][0]
            self.stats.misses += 1
        value = make()
        size = size_of(value)
        if size > self.max_bytes:
            return value  # too big to keep: the caller streams it once
        with self._lock:
            if key not in self._items:
                self._items[key] = (value, size)
                self.stats.bytes += size
            while self.stats.bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self.stats.bytes -= dropped
                self.stats.evictions += 1
            self.stats.entries = len(self._items)
        return value

    def clear(self) -> None:
        """Forget everything (tests, or when fonts change on disk)."""
        with self._lock:
            self._items.clear()
            self.stats = CacheStats()

    def __len__(self) -> int:
        return len(self._items)


#: The process-wide cache the renderer uses.
CACHE = RenderCache()
