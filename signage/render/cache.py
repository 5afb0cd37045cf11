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
#: Bound of the cache of text with live tokens expanded ({time} is a new text each minute):
#: the same minute's text is reused by the play that measured it and by a looping notice, and
#: never again after that minute, so a little room is enough and the rest would only fill up.
LIVE_MAX_BYTES = 1024 * 1024
#: Bytes Pillow holds per pixel, by mode: 1-bit and 8-bit modes take a whole byte per pixel
#: (mode "1" is not bit-packed in memory), 16-bit modes two, every other mode (RGB too) four.
PIXEL_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}
#: An image's fixed cost besides its pixels: Pillow's C struct and block, and the Python wrapper.
IMAGE_OVERHEAD = 1024
#: An entry's own cost: its key (a 64-character str), the (value, size) tuple and the map's node.
ENTRY_OVERHEAD = 320


def content_key(*parts: Any) -> str:
    """A stable digest of JSON-able parts (dicts sorted), the same in every process."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=repr).encode()
    return hashlib.sha256(blob).hexdigest()


def size_of(value: Any) -> int:
    """Approximate bytes an entry holds (images as Pillow stores them, not as the board packs them).

    Counting a mono mask at a bit per pixel (Pillow keeps a byte) made a worker's cache
    bounded at 4 MB hold some 11 MB, so its memory grew for an hour before the bound bit.
    """
    if isinstance(value, Image.Image):
        per_pixel = PIXEL_BYTES.get(value.mode, 4)
        # one row pointer per line as well as the pixels
        return value.width * value.height * per_pixel + 8 * value.height + IMAGE_OVERHEAD
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
        size = size_of(value) + ENTRY_OVERHEAD
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
#: Drawings of text whose live tokens were expanded: kept apart, so a worker's playlist in
#: CACHE is not pushed out (nor the process grown) by a new {time} text every minute.
LIVE = RenderCache(LIVE_MAX_BYTES)
