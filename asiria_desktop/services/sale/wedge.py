"""Telling a keyboard-wedge scanner from a person by keystroke timing.

A USB scanner in keyboard mode "types" a whole code in a few tens of milliseconds, every key a
few milliseconds after the last, and ends it with Enter (or Tab). A person, even a fast typist,
leaves 60-200 ms between keys and cannot keep every gap short over a whole code. So a scan is:
at least ``min_length`` characters, each following the one before within ``max_interval_ms``,
closed by the terminator within ``max_interval_ms`` of the last character. Anything slower is
typing and is left alone.

Pure and Qt-free: the UI's key filter feeds it characters with their event timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WedgeSettings:
    """How this till's keyboard-mode scanner is told from a person (the device settings)."""

    enabled: bool = True
    max_interval_ms: int = 35
    min_length: int = 4


class WedgeDetector:
    def __init__(
        self,
        max_interval_ms: float = 35,
        min_length: int = 4,
        *,
        max_length: int = 64,
        require_terminator: bool = True,
    ) -> None:
        if max_interval_ms <= 0 or min_length < 1 or max_length < min_length:
            raise ValueError("max_interval_ms > 0 and 1 <= min_length <= max_length, please")
        self.max_interval_ms = max_interval_ms
        self.min_length = min_length
        self.max_length = max_length
        self.require_terminator = require_terminator
        self._chars: list[str] = []
        self._last_ms: float | None = None

    @property
    def pending(self) -> str:
        """The characters of the burst under way (a scan in progress, or fast typing)."""
        return "".join(self._chars)

    @property
    def in_burst(self) -> bool:
        """True when the last keys came fast enough to be the start of a scan."""
        return len(self._chars) >= 2

    def reset(self) -> None:
        self._chars.clear()
        self._last_ms = None

    def feed(self, char: str, t_ms: float) -> str | None:
        """One typed character at time ``t_ms``. Returns a finished scan only for scanners set
        up without a terminator (``require_terminator=False``), when this key starts a new burst
        after a long enough one; otherwise None."""
        finished = None
        if len(char) != 1 or not char.isprintable():
            self.reset()
            return None
        if self._last_ms is not None and t_ms - self._last_ms > self.max_interval_ms:
            finished = self._take_unterminated()
            self._chars.clear()
        self._chars.append(char)
        self._last_ms = t_ms
        if len(self._chars) > self.max_length:
            self._chars = self._chars[-self.max_length :]  # noise or a held key, not a code
        return finished

    def feed_terminator(self, t_ms: float) -> str | None:
        """Enter or Tab at ``t_ms``: the scanned code, or None when this was a person typing."""
        fast = self._last_ms is not None and t_ms - self._last_ms <= self.max_interval_ms
        code = self.pending if fast and len(self._chars) >= self.min_length else None
        self.reset()
        return code

    def flush(self, t_ms: float) -> str | None:
        """For scanners without a terminator: call from a timer; returns the code once the burst
        has been quiet for longer than ``max_interval_ms``."""
        if self._last_ms is None or t_ms - self._last_ms <= self.max_interval_ms:
            return None
        code = self._take_unterminated()
        self.reset()
        return code

    def _take_unterminated(self) -> str | None:
        if self.require_terminator or len(self._chars) < self.min_length:
            return None
        return self.pending
