"""Plain records the repositories read and write, for things the domain has no type of its own.

Sales, refunds, voids and cash movements are domain types (``CompletedSale``, ``Refund``,
``SaleVoid``, ``CashMovement``); everything else the till stores (catalog rows, accounts, shifts,
audit and outbox entries...) is described here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from asiria_desktop.domain.json_types import JsonObject
from asiria_desktop.domain.receipt import ReceiptDocument

#: In the ``settings`` table: the store's details (name, address, tax PIN, receipt footer) as
#: head office has them, JSON, written by the pull.
STORE_SETTINGS_KEY = "cloud.store"


@dataclass(frozen=True)
class DocumentRecord:
    """A document as it was printed (sale receipt, refund slip, void slip), kept so a reprint
    is exactly the original and the last-receipt pane can show the last one of any kind."""

    id: str
    kind: str  # "sale" | "refund" | "void"
    number: str  # receipt number, refund number, or "VOID <receipt number>" for a void slip
    sale_id: str
    created_at: datetime
    document: ReceiptDocument


@dataclass(frozen=True)
class CategoryRecord:
    id: str
    name: str
    sort_order: int = 0
    parent_id: str | None = None


@dataclass(frozen=True)
class ProductRecord:
    id: str
    name: str
    price_cents: int
    tax_class: str = "standard"
    barcode: str | None = None
    sku: str | None = None
    sold_by_weight: bool = False
    category_id: str | None = None
    active: bool = True


@dataclass(frozen=True)
class UserRecord:
    id: str
    name: str
    role: str
    pin_hash: str
    active: bool = True
    failed_attempts: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True)
class ShiftRecord:
    id: str
    terminal_code: str
    cashier_id: str
    opened_at: datetime
    opening_float_cents: int
    closed_at: datetime | None = None
    closed_by: str | None = None
    counted_cash_cents: int | None = None


@dataclass(frozen=True)
class OpenCartRecord:
    """The sale in progress as last saved: the cart snapshot and its approvals not yet audited."""

    cashier_id: str | None
    saved_at: datetime
    state: JsonObject


@dataclass(frozen=True)
class ParkedCartRecord:
    id: str
    label: str
    cashier_id: str | None
    parked_at: datetime
    snapshot: JsonObject


@dataclass(frozen=True)
class AuditRecord:
    id: str
    action: str
    actor_id: str | None
    approver_id: str | None
    details: JsonObject
    at: datetime


@dataclass(frozen=True)
class OutboxEntry:
    """One event as it goes on the wire (ARCHITECTURE.md 6.1), plus its delivery state."""

    id: str
    seq: int
    type: str
    recorded_at: str  # RFC 3339 with offset, exactly as sent
    payload: JsonObject
    status: str = "pending"  # pending | sent | rejected
    attempts: int = 0
    last_error: str | None = None

    def envelope(self) -> JsonObject:
        return {
            "id": self.id,
            "type": self.type,
            "seq": self.seq,
            "recorded_at": self.recorded_at,
            "payload": self.payload,
        }


@dataclass(frozen=True)
class StockMovementRecord:
    id: str
    product_id: str
    delta_milli: int  # thousandths of a unit (1 item = 1000); negative when stock leaves
    reason: str  # "sale" | "refund" | "void" | "adjustment" | "receipt"
    ref_id: str | None
    at: datetime
    extra: JsonObject = field(default_factory=dict)


@dataclass(frozen=True)
class LocalStockLevel:
    """A product's stock as this till knows it: head office's figure from the last pull
    (``None`` when it sent none) plus this till's own movements whose events head office has
    not counted yet (their outbox events are still pending or were rejected)."""

    product_id: str
    head_office_milli: int | None
    unsent_milli: int

    @property
    def on_hand_milli(self) -> int:
        return (self.head_office_milli or 0) + self.unsent_milli


@dataclass(frozen=True)
class CustomerRecord:
    """A customer this till has met: found again by phone (E.164) at the next sale."""

    id: str
    phone: str
    name: str
    whatsapp_consent: bool
    updated_at: datetime
