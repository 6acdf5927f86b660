"""How long to wait before the next sync after failures: exponential, capped, with jitter.

Jitter spreads the retries of many tills that lost the network at the same moment, so they
don't all hit the cloud together when it comes back ("equal jitter": half fixed, half random).
"""

from __future__ import annotations

import random


def backoff_delay(
    failures: int, *, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """Seconds to wait after ``failures`` failures in a row (0 failures: ``base``)."""
    if failures <= 0:
        return base
    ceiling = min(cap, base * 2.0 ** min(failures, 32))
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


class Backoff:
    """The failure count behind ``backoff_delay``; ``success()`` starts over."""

    def __init__(self, base: float, cap: float, rng: random.Random | None = None) -> None:
        self.base = base
        self.cap = cap
        self.failures = 0
        self._rng = rng or random.Random()

    def success(self) -> float:
        self.failures = 0
        return self.base

    def failure(self, retry_after: float | None = None) -> float:
        """The next delay; a server's ``Retry-After`` is honoured when it asks for longer."""
        self.failures += 1
        delay = backoff_delay(self.failures, base=self.base, cap=self.cap, rng=self._rng)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.cap))
        return delay
