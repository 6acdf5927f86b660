"""Where new record ids come from: UUIDv7 strings in production, predictable ones in tests."""

from __future__ import annotations

from collections.abc import Callable

IdFactory = Callable[[], str]
