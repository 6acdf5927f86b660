"""Helpers shared by the domain tests (not fixtures): deterministic ids, the example products."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from asiria_desktop.domain.cart import ProductRef
from asiria_desktop.domain.tax import TaxClass

NAIROBI = timezone(timedelta(hours=3))
CONTRACT_DIR = Path(__file__).resolve().parents[2] / "contract"


def make_id_factory(prefix: str = "01936c1e-8a4b-7c2d-9e3f") -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"{prefix}-{next(counter):012x}"


COKE = ProductRef(
    "8f14e45f-ceea-4672-a5b1-1b2c3d4e5f60",
    "Coca-Cola 500ml",
    "5449000000996",
    8000,
    TaxClass.STANDARD,
)
TOMATOES = ProductRef(
    "c9f0f895-fb98-4b91-9c2e-7a8b9c0d1e2f",
    "Tomatoes (kg)",
    None,
    12000,
    TaxClass.ZERO,
    sold_by_weight=True,
)
BREAD = ProductRef(
    "45c48cce-2e2d-4fbd-8a7c-6b5a4f3e2d1c",
    "White bread 400g",
    "6161002500401",
    6500,
    TaxClass.EXEMPT,
)


def load_contract(name: str) -> Any:
    path = CONTRACT_DIR / name
    if not path.exists():
        pytest.skip(f"{path} is missing: the sync contract copy is needed for this test")
    return json.loads(path.read_text(encoding="utf-8"))
