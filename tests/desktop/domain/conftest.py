"""Fixtures for the domain tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from asiria_desktop.domain.cart import Cart
from asiria_desktop.domain.pricing import Discount, DiscountKind
from tests.desktop.no_network import _no_network  # noqa: F401

from .support import BREAD, COKE, NAIROBI, TOMATOES, load_contract, make_id_factory


@pytest.fixture
def ids() -> Callable[[], str]:
    return make_id_factory()


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 11, 24, 13, 5, 42, tzinfo=NAIROBI)


@pytest.fixture
def example_cart(ids: Callable[[], str]) -> Cart:
    """The sale of contract/examples/push-request.json, before payment."""
    cart = Cart(ids)
    cart.add_product(COKE, qty=2)
    cart.add_product(TOMATOES, qty_milli=1250)
    bread = cart.add_product(BREAD)
    cart.set_line_discount(bread.id, Discount(DiscountKind.AMOUNT, 500, "day-old"))
    return cart


@pytest.fixture
def schema() -> dict[str, Any]:
    return dict(load_contract("sync-v1.schema.json"))
