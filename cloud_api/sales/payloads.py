"""The checked shape of a completed sale, as the sales services take it: built once, by
``SaleIn`` on the REST path and by ``sale_from_wire`` on the sync path, then passed along typed.

Plain dicts at run time (the stored fingerprint is taken over exactly these keys), checked by
mypy: a misspelt key or a field read as the wrong type fails the type check."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NotRequired, TypedDict
from uuid import UUID


class SaleLinePayload(TypedDict):
    id: UUID
    product_id: UUID
    barcode: NotRequired[str | None]
    name: str
    qty: int | None  # pieces; None for a weighed line
    qty_milli: int | None  # grams (thousandths of a kg); None for a counted line
    unit_price_cents: int
    discount_cents: int
    tax_cents: int
    total_cents: int


class PaymentPayload(TypedDict):
    id: UUID
    method: str
    amount_cents: int
    reference: NotRequired[str | None]


class SalePayload(TypedDict):
    id: UUID
    receipt_no: str | None  # None: a sale typed in by a person, numbered by the server
    cashier_id: UUID
    shift_id: NotRequired[UUID | None]
    completed_at: datetime
    currency: str
    lines: list[SaleLinePayload]
    payments: list[PaymentPayload]
    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    total_cents: int
    change_cents: int
    rounding_cents: NotRequired[int | None]
    customer: NotRequired[dict[str, Any]]  # pushed sales: the customer the till attached
