"""The services' usual starting point: a demo till with the cashier (PIN 1111) logged in.
A file that needs more (an open shift...) defines its own ``till``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.desktop.no_network import _no_network  # noqa: F401

from .support import CASHIER_PIN


@pytest.fixture
def till(make_till: Any) -> Any:
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    return till


@pytest.fixture
def fake_till(core_clock: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The demo till's use cases on in-memory storage (fakes.py): no SQLite, no files, and
    cheap PIN hashes."""
    from .fakes import CHEAP_PIN_HASHER, build_fake_till

    monkeypatch.setattr("asiria_desktop.services.signin.pins._HASHER", CHEAP_PIN_HASHER)
    return build_fake_till(core_clock)
