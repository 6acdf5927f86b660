"""Shared by the till-core tests: a controllable clock and real tills on files in tmp_path.

Fixture names are prefixed ``core_`` / ``make_`` so the domain and UI conftests keep theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

NAIROBI = timezone(timedelta(hours=3))


class FakeClock:
    """Aware time that moves only when a test says so."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 24, 9, 0, 0, tzinfo=NAIROBI)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def core_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_till(tmp_path: Path, core_clock: FakeClock) -> Iterator[Callable[..., Any]]:
    """``make_till(seed=True, config={...}, **build_kwargs)``: a till on ``tmp_path/till``; call
    it again to "restart" on the same file. Every till made is closed at the end of the test."""
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import TillConfig
    from asiria_desktop.demo import seed_demo

    made: list[Any] = []

    def factory(
        seed: bool = True,
        data_dir: Path | None = None,
        config: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        kwargs.setdefault("clock", core_clock)
        # No scan debounce by default: tests scan the same code twice on purpose.
        settings = {"scan_debounce_ms": 0, **(config or {})}
        config_ = TillConfig(data_dir=data_dir or tmp_path / "till", **settings)
        till = build_till(config_, **kwargs)
        made.append(till)
        if seed:
            seed_demo(till)
        return till

    yield factory
    for till in made:
        till.close()
