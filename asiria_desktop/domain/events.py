"""Outbox event types and their payloads (see docs/events.md for every field).

The till writes each business event to its outbox in the same transaction as the event itself;
the pusher wraps a payload in the envelope ``{id, type, seq, recorded_at, payload}``. Payloads
follow ARCHITECTURE.md 6.1: a UUID ``id`` (the business record's own id), integer ``*_cents``,
RFC 3339 times with an offset, ``cashier_id``, and ``approved_by`` where a manager approved.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from .json_types import JsonObject
from .refund import Refund
from .sale import CompletedSale
from .shift import CashMovement, ShiftReport
from .stock import GoodsReceipt, StockAdjustment
from .times import require_aware, rfc3339
from .voids import SaleVoid

__all__ = [
    "EventType",
    "cash_moved_payload",
    "drawer_opened_payload",
    "goods_received_payload",
    "refund_created_payload",
    "rfc3339",
    "sale_completed_payload",
    "sale_voided_payload",
    "shift_closed_payload",
    "shift_opened_payload",
    "stock_adjusted_payload",
]


class EventType(StrEnum):
    SALE_COMPLETED = "sale.completed"
    SALE_VOIDED = "sale.voided"
    REFUND_CREATED = "refund.created"
    SHIFT_OPENED = "shift.opened"
    SHIFT_CLOSED = "shift.closed"
    CASH_MOVED = "cash.moved"
    DRAWER_OPENED = "drawer.opened"
    STOCK_ADJUSTED = "stock.adjusted"
    GOODS_RECEIVED = "goods.received"


class DrawerReason(StrEnum):
    NO_SALE = "no_sale"
    SALE = "sale"
    REFUND = "refund"
    CASH_MOVEMENT = "cash_movement"


def sale_completed_payload(sale: CompletedSale) -> JsonObject:
    return sale.to_payload()


def sale_voided_payload(void: SaleVoid) -> JsonObject:
    return void.to_payload()


def refund_created_payload(refund: Refund) -> JsonObject:
    return refund.to_payload()


def cash_moved_payload(movement: CashMovement) -> JsonObject:
    return movement.to_payload()


def goods_received_payload(receipt: GoodsReceipt) -> JsonObject:
    return receipt.to_payload()


def stock_adjusted_payload(adjustment: StockAdjustment) -> JsonObject:
    return adjustment.to_payload()


def shift_opened_payload(
    shift_id: str,
    cashier_id: str,
    opening_float_cents: int,
    opened_at: datetime,
    terminal_code: str = "",
) -> JsonObject:
    return {
        "id": shift_id,
        "terminal_code": terminal_code,
        "cashier_id": cashier_id,
        "opened_at": rfc3339(opened_at),
        "opening_float_cents": opening_float_cents,
    }


def shift_closed_payload(
    report: ShiftReport,
    closed_by: str,
    closed_at: datetime,
    approved_by: str | None = None,
) -> JsonObject:
    """The Z report's figures; ``closed_by`` is the cashier who counted the drawer."""
    if report.counted_cash_cents is None:
        raise ValueError("shift.closed needs a Z report with the counted cash")
    return {
        "id": report.shift_id,
        "cashier_id": closed_by,
        "approved_by": approved_by,
        "opened_at": rfc3339(report.opened_at),
        "closed_at": rfc3339(closed_at),
        **report.to_payload(),
    }


def drawer_opened_payload(
    event_id: str,
    reason: DrawerReason | str,
    cashier_id: str,
    opened_at: datetime,
    approved_by: str | None = None,
    shift_id: str | None = None,
) -> JsonObject:
    require_aware(opened_at, "opened_at")
    return {
        "id": event_id,
        "reason": str(DrawerReason(reason)),
        "cashier_id": cashier_id,
        "approved_by": approved_by,
        "opened_at": rfc3339(opened_at),
        "shift_id": shift_id,
    }
