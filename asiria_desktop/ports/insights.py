"""What the manager's view and the sale screen's hint read from the till's own database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from asiria_desktop.ports.sync_store import BasketHintRecord


@dataclass(frozen=True)
class SoldSale:
    """One sale of the period, as the figures need it (voided ones are left out)."""

    completed_at: datetime
    total_cents: int
    change_cents: int


@dataclass(frozen=True)
class PaymentTotal:
    method: str
    amount_cents: int


@dataclass(frozen=True)
class ProductTotal:
    product_id: str
    name: str
    qty: int  # units of products sold by the piece
    qty_milli: int  # thousandths of a kg of weighed products
    total_cents: int


@dataclass(frozen=True)
class PeriodSales:
    sales: tuple[SoldSale, ...]
    voided_count: int
    payments: tuple[PaymentTotal, ...]  # tendered, by method (cash before change is given)
    products: tuple[ProductTotal, ...]  # every product sold, best-selling (by amount) first
    refunds_cents: int


class InsightsReader(Protocol):
    def basket_hint(self, product_id: str) -> BasketHintRecord | None:
        """The pulled hint for a product, or None (never pulled, or none at this store)."""
        ...

    def sales_between(self, start: datetime, end: datetime) -> PeriodSales:
        """This till's sales completed in [start, end), and the refunds given then."""
        ...
