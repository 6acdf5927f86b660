"""Voiding a whole completed sale (manager-approved; services allow it only in the open shift)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .errors import DomainError
from .json_types import JsonObject
from .sale import CompletedSale
from .text import one_line
from .times import require_aware, rfc3339


@dataclass(frozen=True, slots=True)
class SaleVoid:
    id: str
    sale_id: str
    receipt_no: str
    shift_id: str | None
    cashier_id: str
    approved_by: str | None
    reason: str
    voided_at: datetime
    total_cents: int

    def to_payload(self) -> JsonObject:
        """The ``sale.voided`` payload (docs/events.md)."""
        return {
            "id": self.id,
            "sale_id": self.sale_id,
            "receipt_no": self.receipt_no,
            "shift_id": self.shift_id,
            "cashier_id": self.cashier_id,
            "approved_by": self.approved_by,
            "reason": self.reason,
            "voided_at": rfc3339(self.voided_at),
            "total_cents": self.total_cents,
        }


def void_sale(
    sale: CompletedSale,
    void_id: str,
    reason: str,
    cashier_id: str,
    approved_by: str | None,
    voided_at: datetime,
    *,
    shift_id: str | None = None,
    already_refunded_cents: int = 0,
) -> SaleVoid:
    """Void ``sale``; a sale with refunds can't be voided (refund the rest instead)."""
    require_aware(voided_at, "voided_at")
    if not one_line(reason):
        raise DomainError("Enter a reason for voiding the sale.")
    if already_refunded_cents:
        raise DomainError(
            f"Receipt {sale.receipt_no} already has a refund, so it can't be voided. "
            "Refund the remaining items instead."
        )
    return SaleVoid(
        id=void_id,
        sale_id=sale.id,
        receipt_no=sale.receipt_no,
        shift_id=shift_id if shift_id is not None else sale.shift_id,
        cashier_id=cashier_id,
        approved_by=approved_by,
        reason=one_line(reason),
        voided_at=voided_at,
        total_cents=sale.total_cents,
    )
