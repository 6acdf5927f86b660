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
