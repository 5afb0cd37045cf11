"""What a board's read-back should say: the CRC-32 of a frame the item shows.

The native protocol's READBACK answers CRC-32 (zlib's) of the board's packed framebuffer
(``drivers.native``: ``crc32(spec.pack(fb))``). Rendering an item here with the worker's
renderer and packing it as the driver does gives the same number when the board shows
exactly that frame, so the admin can confirm a notice is on the board, pixel for pixel,
without a camera. Free of Flask: the pure check (``check``) is testable on its own.

A still item is one CRC. A blinking or scrolling item changes the framebuffer many times a
second, so a read-back taken at some moment is compared with the set of CRCs of every frame
the item shows (one pass of a scroll, one period of a blink, one loop of an animation): a
read-back equal to one of them confirms the item is on. Frames of one colour everywhere (a
blink's off half, the empty board a scroll starts and ends on) are kept apart: a dark board
is no evidence the notice is on, so such a read-back is "not yet seen", never a mismatch.
A scroll's first frames show only its first letters, and so they are also the frames of any
text that begins the same way; the worker's status says which item it plays, and the
read-back confirms that item's frames are what the board holds.

Live tokens ({time}, {date}, {lunar}, countdowns) make the frames depend on the moment. The
worker draws the text as it reads at each moment, so the frames are drawn here for the
read-back's own time (``now``), together with the text of ``LIVE_SLACK`` before it (a frame
sent just before the minute turned may still be up when the read-back is taken). Like the
worker's renderer this uses the process's local time: the admin and the worker must run in
the same time zone, or a {time} notice shows as "matches none of its frames" (never as a
false confirmation). That is more use to staff than refusing to compare such notices.

Bounded: at most ``MAX_FRAMES`` frames are drawn per text. A longer scroll is compared with
its first ``MAX_FRAMES`` frames only, and a read-back that is none of them is "not yet seen"
(the worker reads back again every few seconds, and its early frames come round each pass).
The notice page asks every two seconds, so the drawn sets are kept in a small cache.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from drivers.framing import crc32
from drivers.pixels import BoardSpec, GeometryError
from signage.render import RenderError, render_item
from signage.render.tokens import expand, has_tokens
from signage.show import ShowItem

#: Protocols whose boards answer a read-back (see ``drivers.base.Board.readback``).
READBACK_PROTOCOLS = frozenset({"native"})
#: Most frames drawn per text to build the set (a 192 px board's 1 px scroll of ~300 letters).
MAX_FRAMES = 4000
#: How far before the read-back a live text is drawn too (see the module docstring).
LIVE_SLACK = timedelta(seconds=10)
#: Drawn frame sets kept (per item text, board size and colours).
CACHE_SIZE = 32

#: What ``check`` says of a read-back.
CONFIRMED = "confirmed"  # one of the item's frames: it is on the board
NO_READBACK = "no-readback"  # nothing read back (yet) to compare
DARK = "dark"  # a moving item's dark moment (a blink's off half): not yet seen
UNLISTED = "unlisted"  # none of the first MAX_FRAMES frames of a longer scroll: not yet seen
DIFFERS = "differs"  # none of the item's frames: the board shows something else
UNCOMPARABLE = "uncomparable"  # nothing to compare with; ``Expected.why_not`` says why


@dataclass(frozen=True)
class Expected:
    """What a board showing ``item`` reports on read-back, or why there is nothing to compare.

    ``crc`` is the one CRC of a still item (None otherwise, with ``why_not``: "moving" when
    the item has several frames, which are then in ``frames``; "protocol" or "render" when
    there is nothing to compare with). ``frames`` holds the CRC of every lit frame (a still
    item's one CRC too), ``dark`` the CRCs of its frames of one colour, and ``complete`` is
    False when the item had more than ``MAX_FRAMES`` frames and only the first were drawn.
    """

    crc: int | None
    why_not: str | None = None  # "moving", "protocol" or "render" when ``crc`` is None
    frames: frozenset[int] = frozenset()
    dark: frozenset[int] = frozenset()
    complete: bool = True

    @property
    def hex(self) -> str | None:
        """Spelled as the worker puts it in the board's status (8 lower-case hex digits)."""
        return f"{self.crc:08x}" if self.crc is not None else None

    @property
    def moving(self) -> bool:
        return self.why_not == "moving"


@dataclass(frozen=True)
class _Drawn:
    """One text's frames on one board: lit CRCs in order of first showing, dark CRCs."""

    lit: tuple[int, ...]
    dark: frozenset[int]
    count: int
    complete: bool


def frame_crc(image: Any, spec: BoardSpec) -> int:
    """CRC-32 of ``image`` packed for ``spec``: what READBACK says while the board shows it."""
    return crc32(spec.pack(image))


def is_blank(image: Any) -> bool:
    """True when a frame is one colour everywhere: it shows nothing of any item."""
    return image.getcolors(1) is not None


def expected(
    item: ShowItem,
    spec: BoardSpec,
    protocol: str = "native",
    now: datetime | None = None,
    image: bytes | None = None,
) -> Expected:
    """The read-back CRCs of ``item`` on ``spec``: one for a still item, a set for a moving one.

    ``image``: a banner's bytes (the item names them by hash).

    ``now`` is the moment the read-back was taken on the board's wall clock (aware, in the
    board's zone, as the worker draws live tokens), used only for items with live tokens;
    default: now in the worker's local zone.
    """
    if protocol not in READBACK_PROTOCOLS:
        return Expected(None, "protocol")
    moment = now or datetime.now()
    try:
        drawn = [_drawn(v, spec) for v in _variants(item, moment, image)]
    except (RenderError, GeometryError):
        return Expected(None, "render")
    if not any(d.count for d in drawn):
        return Expected(None, "render")
    lit = frozenset(c for d in drawn for c in d.lit)
    dark = frozenset(c for d in drawn for c in d.dark)
    if all(d.count == 1 for d in drawn):
        still = drawn[-1]  # the text at ``moment``; an earlier one only when a live text just changed
        crc = still.lit[0] if still.lit else next(iter(still.dark))
        return Expected(crc, frames=lit | {crc})
    return Expected(None, "moving", lit, dark - lit, all(d.complete for d in drawn))


def check(want: Expected, readback: str | int | None) -> str:
    """What a read-back says about the item: one of CONFIRMED, NO_READBACK, DARK, UNLISTED,
    DIFFERS or UNCOMPARABLE. ``readback`` is the worker's hex spelling (or the number).

    A still item's read-back is either its frame or something else. A moving item's may be
    a dark moment or, for a long scroll, a frame beyond those drawn: "not yet seen" rather
    than a mismatch, as the next read-back may well match.
    """
    if not want.frames:
        return UNCOMPARABLE
    if readback is None or readback == "":
        return NO_READBACK
    try:
        crc = readback if isinstance(readback, int) else int(str(readback), 16)
    except ValueError:
        return DIFFERS
    if crc in want.frames:
        return CONFIRMED
    if not want.moving:
        return DIFFERS
    if crc in want.dark:
        return DARK
    return DIFFERS if want.complete else UNLISTED


def _variants(item: ShowItem, moment: datetime, image: bytes | None) -> list[dict[str, Any]]:
    """The item reduced to one cycle of its frames (as the renderer takes it), once per text its
    live tokens show around ``moment`` (the earlier first); items without tokens give one."""
    if item.is_banner:
        # no duration: a still once, an animation's frames one loop
        return [replace(item, duration=None).render(image)]
    # a scroll's one pass, a blink's one period: later ones repeat them; no duration: how long
    # frames are held, never which frames there are
    one = replace(item, passes=1, duration=None)
    text = one.text
    if text is None or not has_tokens(text):
        return [one.render(image)]
    texts = list(dict.fromkeys(expand(text, m) for m in (moment - LIVE_SLACK, moment)))
    return [replace(one, text=t).render(image) for t in texts]


_cache: OrderedDict[tuple[str, BoardSpec, int], _Drawn] = OrderedDict()
_lock = threading.Lock()


def _key(item: Mapping[str, Any]) -> str:
    """The item spelled out, its image bytes (a banner's) by digest."""

    def spell(value: Any) -> str:
        if isinstance(value, bytes | bytearray | memoryview):
            return "sha256:" + hashlib.sha256(value).hexdigest()
        return repr(value)

    return json.dumps(item, sort_keys=True, default=spell, ensure_ascii=False)


def _drawn(item: Mapping[str, Any], spec: BoardSpec) -> _Drawn:
    """The frames of ``item`` on ``spec`` as CRCs (at most MAX_FRAMES drawn), kept a while."""
    key = (_key(item), spec, MAX_FRAMES)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    lit: dict[int, None] = {}
    dark: set[int] = set()
    count, complete = 0, True
    for frame in render_item(item, spec):
        if count == MAX_FRAMES:
            complete = False
            break
        count += 1
        crc = crc32(frame.pack(spec))  # exactly spec.pack's bytes, faster for scrolls
        if is_blank(frame.image):
            dark.add(crc)
        else:
            lit.setdefault(crc)
    drawn = _Drawn(tuple(lit), frozenset(dark), count, complete)
    with _lock:
        _cache[key] = drawn
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return drawn
