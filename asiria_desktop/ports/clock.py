"""The till's clock, behind a port so tests (and lockout timers) can control time."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (the till's local offset)."""
        ...
