"""Faults the simulator injects on demand, so testers can see how the controller copes.

Spec: comma-separated ``name=value`` (see docs/protocol.md, "Simulator faults"), e.g.
``flip=1e-3,drop=1e-4,nack=0.05,delay=0.2,withhold=0.1,disconnect=30,freeze=60:5,seed=7``.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field

NAMES = {
    "flip": "probability that each bit on the wire is flipped (both directions)",
    "drop": "probability that each byte from the host is lost",
    "nack": "probability that a command is refused with NACK busy (native)",
    "delay": "seconds added before every answer",
    "withhold": "probability that an answer is never sent",
    "disconnect": "hang up the link every N seconds",
    "freeze": "EVERY:FOR - stop reading and answering for FOR seconds every EVERY seconds",
    "seed": "random seed, for repeatable runs",
}


class FaultSpecError(ValueError):
    """A ``--faults`` value that cannot be understood."""


@dataclass
class Faults:
    """Which faults to inject, how often, and how many were injected."""

    flip: float = 0.0
    drop: float = 0.0
    nack: float = 0.0
    delay: float = 0.0
    withhold: float = 0.0
    disconnect: float = 0.0
    freeze_every: float = 0.0
    freeze_for: float = 0.0
    seed: int | None = None
    injected: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.started = time.monotonic()

    @classmethod
    def parse(cls, spec: str | None) -> Faults:
        """Read a ``--faults`` spec; ``FaultSpecError`` names the bad part."""
        f = cls()
        for part in filter(None, (p.strip() for p in (spec or "").split(","))):
            name, _, value = part.partition("=")
            name = name.strip().lower()
            if name not in NAMES or not value:
                raise FaultSpecError(f"fault {part!r}: use name=value with name one of {', '.join(NAMES)}")
            try:
                if name == "freeze":
                    every, _, dur = value.partition(":")
                    f.freeze_every, f.freeze_for = float(every), float(dur or 1)
                elif name == "seed":
                    f.seed = int(value)
                else:
                    setattr(f, name, float(value))
            except ValueError:
                raise FaultSpecError(f"fault {part!r}: {value!r} is not a number") from None
        for name in ("flip", "drop", "nack", "withhold"):
            if not 0 <= getattr(f, name) <= 1:
                raise FaultSpecError(f"fault {name}={getattr(f, name)} is a probability: use 0..1")
        f.rng = random.Random(f.seed)
        return f

    @property
    def active(self) -> bool:
        return any(
            (self.flip, self.drop, self.nack, self.delay, self.withhold, self.disconnect, self.freeze_every)
        )

    def mangle(self, data: bytes, *, incoming: bool) -> bytes:
        """Drop bytes (host to board only) and flip bits at the configured rates."""
        if incoming and self.drop:
            keep = bytearray(b for b in data if self.rng.random() >= self.drop)
            self.injected["dropped_bytes"] += len(data) - len(keep)
            data = bytes(keep)
        if self.flip and data:
            out = bytearray(data)
            nbits = len(out) * 8
            pos = self._geometric(self.flip)
            while pos < nbits:
                out[pos >> 3] ^= 1 << (pos & 7)
                self.injected["flipped_bits"] += 1
                pos += 1 + self._geometric(self.flip)
            data = bytes(out)
        return data

    def _geometric(self, p: float) -> int:
        """Bits until the next flip: skip ahead instead of drawing a number for each bit."""
        import math

        u = self.rng.random()
        return int(math.log(1 - u) / math.log(1 - p)) if p < 1 else 0

    def refuse(self) -> bool:
        """Whether to NACK the next command as busy."""
        if self.nack and self.rng.random() < self.nack:
            self.injected["nacks"] += 1
            return True
        return False

    def withhold_answer(self) -> bool:
        """Whether to swallow the next answer."""
        if self.withhold and self.rng.random() < self.withhold:
            self.injected["withheld_answers"] += 1
            return True
        return False

    def frozen(self, now: float) -> bool:
        """Whether the board is in one of its frozen spells."""
        if not self.freeze_every:
            return False
        return (now - self.started) % self.freeze_every >= self.freeze_every - self.freeze_for
