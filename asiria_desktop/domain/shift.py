"""Shifts and the X (mid-shift) and Z (close) reports, computed from the shift's records alone.

Expected cash = opening float + cash taken for sales (net of change) - cash refunds + cash in -
cash out. A voided sale counts in the voids, not in the sales (its money went back).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .cart import PaymentMethod
from .errors import InvalidAmount, ShiftError
from .json_types import JsonObject
from .refund import Refund
from .sale import CompletedSale
from .tax import TaxClass, TaxSummaryLine
from .text import one_line
from .times import require_aware, rfc3339
from .voids import SaleVoid


class CashMovementKind(StrEnum):
    IN = "in"
    OUT = "out"


class ReportKind(StrEnum):
    X = "X"
    Z = "Z"


@dataclass(frozen=True, slots=True)
class Shift:
    id: str
    cashier_id: str
    opened_at: datetime
    opening_float_cents: int
    terminal_code: str = ""
    closed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CashMovement:
    kind: CashMovementKind
    amount_cents: int
    reason: str
    id: str = ""
    shift_id: str | None = None
    cashier_id: str = ""
    approved_by: str | None = None
    moved_at: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", CashMovementKind(self.kind))
        if self.amount_cents <= 0:
            raise InvalidAmount("The amount must be more than zero.")

    def to_payload(self) -> JsonObject:
        """The ``cash.moved`` payload (docs/events.md); needs ``id`` and ``moved_at`` set."""
        if not self.id or self.moved_at is None:
            raise ValueError("a cash movement needs an id and moved_at to be sent")
        return {
            "id": self.id,
            "shift_id": self.shift_id,
            "kind": str(self.kind),
            "amount_cents": self.amount_cents,
            "reason": one_line(self.reason),
            "cashier_id": self.cashier_id,
            "approved_by": self.approved_by,
            "moved_at": rfc3339(self.moved_at),
        }


def _by_method(pairs: Sequence[tuple[PaymentMethod, int]]) -> dict[PaymentMethod, int]:
    totals = dict.fromkeys(PaymentMethod, 0)
    for method, cents in pairs:
        totals[method] += cents
    return totals


@dataclass(frozen=True, slots=True)
class ShiftReport:
    kind: ReportKind
    shift_id: str
    cashier_id: str
    opened_at: datetime
    generated_at: datetime | None
    opening_float_cents: int
    sales_count: int
    gross_cents: int  # before discounts
    discount_cents: int
    tax_cents: int
    net_sales_cents: int  # what customers paid, net of voids, before refunds
    payments_by_method: Mapping[PaymentMethod, int]  # cash is net of change
    refunds_count: int
    refunds_total_cents: int
    refunds_by_method: Mapping[PaymentMethod, int]
    voids_count: int
    voids_total_cents: int
    cash_in_cents: int
    cash_out_cents: int
    expected_cash_cents: int
    counted_cash_cents: int | None
    difference_cents: int | None  # counted - expected: negative means cash is short
    tax_summary: tuple[TaxSummaryLine, ...] = field(default=())
    rounding_cents: int = 0

    def to_payload(self) -> JsonObject:
        """Figures of the report as JSON (part of ``shift.closed``)."""
        return {
            "opening_float_cents": self.opening_float_cents,
            "sales_count": self.sales_count,
            "gross_cents": self.gross_cents,
            "discount_cents": self.discount_cents,
            "tax_cents": self.tax_cents,
            "net_sales_cents": self.net_sales_cents,
            "payments_by_method": {str(m): c for m, c in self.payments_by_method.items()},
            "refunds_count": self.refunds_count,
            "refunds_total_cents": self.refunds_total_cents,
            "refunds_by_method": {str(m): c for m, c in self.refunds_by_method.items()},
            "voids_count": self.voids_count,
            "voids_total_cents": self.voids_total_cents,
            "cash_in_cents": self.cash_in_cents,
            "cash_out_cents": self.cash_out_cents,
            "expected_cash_cents": self.expected_cash_cents,
            "counted_cash_cents": self.counted_cash_cents,
            "difference_cents": self.difference_cents,
        }


def build_shift_report(
    kind: ReportKind | str,
    shift: Shift,
    sales: Sequence[CompletedSale],
    refunds: Sequence[Refund],
    voids: Sequence[SaleVoid],
    movements: Sequence[CashMovement],
    counted_cash_cents: int | None = None,
    *,
    generated_at: datetime | None = None,
) -> ShiftReport:
    kind = ReportKind(kind)
    if generated_at is not None:
        require_aware(generated_at, "generated_at")
    if kind is ReportKind.Z and counted_cash_cents is None:
        raise ShiftError("Count the cash in the drawer and enter the total to close the shift.")
    if counted_cash_cents is not None and counted_cash_cents < 0:
        raise InvalidAmount("The counted cash can't be negative.")
    voided_ids = {v.sale_id for v in voids}
    kept = [s for s in sales if s.id not in voided_ids]
    payments = _by_method([(m, s.paid_by(m)) for s in kept for m in PaymentMethod])
    refunds_by_method = _by_method([(r.method, r.total_cents) for r in refunds])
    cash_in = sum(m.amount_cents for m in movements if m.kind is CashMovementKind.IN)
    cash_out = sum(m.amount_cents for m in movements if m.kind is CashMovementKind.OUT)
    expected = (
        shift.opening_float_cents
        + payments[PaymentMethod.CASH]
        - refunds_by_method[PaymentMethod.CASH]
        + cash_in
        - cash_out
    )
    return ShiftReport(
        kind=kind,
        shift_id=shift.id,
        cashier_id=shift.cashier_id,
        opened_at=shift.opened_at,
        generated_at=generated_at,
        opening_float_cents=shift.opening_float_cents,
        sales_count=len(kept),
        gross_cents=sum(s.subtotal_cents for s in kept),
        discount_cents=sum(s.discount_cents for s in kept),
        tax_cents=sum(s.tax_cents for s in kept),
        net_sales_cents=sum(s.total_cents for s in kept),
        payments_by_method=payments,
        refunds_count=len(refunds),
        refunds_total_cents=sum(r.total_cents for r in refunds),
        refunds_by_method=refunds_by_method,
        voids_count=len(voids),
        voids_total_cents=sum(v.total_cents for v in voids),
        cash_in_cents=cash_in,
        cash_out_cents=cash_out,
        expected_cash_cents=expected,
        counted_cash_cents=counted_cash_cents,
        difference_cents=None if counted_cash_cents is None else counted_cash_cents - expected,
        tax_summary=_tax_summary(kept),
        rounding_cents=sum(s.rounding_cents for s in kept),
    )


def _tax_summary(sales: Sequence[CompletedSale]) -> tuple[TaxSummaryLine, ...]:
    rows: dict[tuple[TaxClass, int], list[int]] = {}
    for sale in sales:
        for t in sale.tax_summary:
            row = rows.setdefault((t.tax_class, t.rate_bp), [0, 0])
            row[0] += t.taxable_cents
            row[1] += t.tax_cents
    order = list(TaxClass)
    keys = sorted(rows, key=lambda k: (order.index(k[0]), k[1]))
    return tuple(TaxSummaryLine(c, rate, rows[c, rate][0], rows[c, rate][1]) for c, rate in keys)
