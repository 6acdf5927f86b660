"""Plain frozen dataclasses the services hand to the UI: cents plus ready-made display strings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from asiria_desktop.domain.permissions import Role


@dataclass(frozen=True)
class CashierSession:
    user_id: str
    name: str
    role: Role


@dataclass(frozen=True)
class Approval:
    """A manager's PIN approval; pass it back into the call that raised ``ApprovalRequired``."""

    approver_id: str
    approver_name: str
    role: Role
    action: str


@dataclass(frozen=True)
class ProductView:
    id: str
    name: str
    barcode: str | None
    sku: str | None
    price_cents: int
    price_text: str
    tax_class: str
    sold_by_weight: bool
    category_id: str | None


@dataclass(frozen=True)
class CategoryView:
    id: str
    name: str


@dataclass(frozen=True)
class ScanLookup:
    found: bool
    product: ProductView | None
    qty: int | None
    qty_milli: int | None
    label_price_cents: int | None  # the price a scale printed on the label
    message: str


@dataclass(frozen=True)
class ScanOutcome:
    added: bool
    line_id: str | None
    message: str
    ignored: bool = False  # a repeat of the same code inside the debounce window
    product_id: str | None = None
    needs_weight: bool = False  # a weighed product: ask for the weight, then add_product()


@dataclass(frozen=True)
class CartLineView:
    line_id: str
    product_id: str
    name: str
    barcode: str | None
    qty: int | None
    qty_milli: int | None
    qty_text: str
    unit_price_cents: int
    unit_price_text: str
    gross_cents: int
    discount_cents: int
    discount_text: str
    tax_cents: int
    total_cents: int
    total_text: str
    price_overridden: bool
    sold_by_weight: bool


@dataclass(frozen=True)
class PaymentView:
    id: str
    method: str
    label: str
    amount_cents: int
    amount_text: str
    reference: str | None


@dataclass(frozen=True)
class CartView:
    lines: tuple[CartLineView, ...]
    payments: tuple[PaymentView, ...]
    item_count: int
    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    total_cents: int
    paid_cents: int
    balance_due_cents: int
    change_cents: int
    subtotal_text: str
    discount_text: str
    tax_text: str
    total_text: str
    paid_text: str
    balance_due_text: str
    change_text: str
    is_empty: bool
    is_paid: bool
    cart_discount_cents: int


@dataclass(frozen=True)
class ParkedView:
    id: str
    label: str
    parked_at: datetime
    item_count: int
    total_cents: int
    total_text: str


@dataclass(frozen=True)
class SaleResult:
    sale_id: str
    receipt_no: str
    total_cents: int
    change_cents: int
    change_text: str
    receipt_text: str
    opened_drawer: bool
    printed: bool
    message: str  # "Sale S01-T01-000017 done. Change KES 30.00." plus any printer/drawer problem


@dataclass(frozen=True)
class SaleLineView:
    line_id: str
    name: str
    qty: int | None
    qty_milli: int | None
    qty_text: str
    total_cents: int
    total_text: str
    refundable_qty: int | None
    refundable_qty_milli: int | None
    unit_price_text: str = ""  # "80.00", or "120.00/kg" for a weighed line
    refunded_text: str = ""  # "" or "1 refunded": what earlier refunds gave back


@dataclass(frozen=True)
class SaleDetailView:
    sale_id: str
    receipt_no: str
    completed_at: datetime
    cashier_name: str
    total_cents: int
    total_text: str
    lines: tuple[SaleLineView, ...]
    payments: tuple[PaymentView, ...]
    voided: bool
    fully_refunded: bool


@dataclass(frozen=True)
class RefundResult:
    refund_id: str
    receipt_no: str  # the original sale's
    amount_cents: int
    amount_text: str
    method: str
    opened_drawer: bool
    message: str
    refund_no: str = ""  # the refund's own number, on its slip
    slip_text: str = ""  # the refund slip as printed (the last-receipt pane shows it)


@dataclass(frozen=True)
class RefundLinePreview:
    """One chosen line of a refund being prepared: what it gives back."""

    line_id: str
    amount_cents: int
    amount_text: str


@dataclass(frozen=True)
class RefundPreview:
    """What a refund would give back, before the manager approves it."""

    lines: tuple[RefundLinePreview, ...]
    total_cents: int
    total_text: str


@dataclass(frozen=True)
class VoidResult:
    void_id: str
    receipt_no: str
    amount_cents: int
    amount_text: str
    message: str
    slip_text: str = ""  # the void slip as printed (the last-receipt pane shows it)
    slip_no: str = ""  # what Reprint asks for: "VOID <receipt number>"


@dataclass(frozen=True)
class ShiftView:
    id: str
    cashier_id: str
    cashier_name: str
    opened_at: datetime
    opening_float_cents: int
    opening_float_text: str


@dataclass(frozen=True)
class ShiftReportView:
    kind: str  # "X" | "Z"
    shift_id: str
    text: str  # printable report
    sales_count: int
    gross_cents: int
    expected_cash_cents: int
    counted_cash_cents: int | None
    difference_cents: int | None
    totals_by_method: dict[str, int]


@dataclass(frozen=True)
class StatusView:
    online: bool | None
    unsent_events: int
    last_sync_at: datetime | None
    message: str
    network_text: str = "Offline (sync not set up)"  # the status bar's first word(s)
    last_sync_text: str = ""  # "Last sync 13:05" or ""
    error: str | None = None  # plain-language reason sync is not working, if any
    rejected_events: int = 0
    warning: str | None = None
    progress: tuple[int, int | None] | None = None  # (applied, total) during a pull
    printer_ok: bool = True
    printer_text: str = ""  # "Printer is out of paper - 2 receipts waiting..." or "Printer ready"
    printer_waiting: int = 0  # receipts and reports waiting in the print queue
    device_problems: tuple[str, ...] = ()  # scanners, customer display: what is not working
    # "online" | "offline" | "connecting" | "local" (not enrolled) | "training" (never sends):
    # the colour and icon shown
    network_state: str = "local"
    syncing: bool = False  # a sync is running: the status bar looks more often
    warning_note: str = ""  # a calm one-line summary of ``warning``; the whole text on demand


@dataclass(frozen=True)
class LastReceiptView:
    """The last document this till printed: its number (for Reprint), its text and its kind
    ("sale", "refund" or "void")."""

    receipt_no: str
    text: str
    kind: str = "sale"


@dataclass(frozen=True)
class StockEntry:
    """One line of a delivery or a stock adjustment, as typed: ``quantity`` is in the product's
    unit ("12" pieces, "1.250" kg); for an adjustment a change is signed ("-2"), a count not."""

    product_id: str
    quantity: str


@dataclass(frozen=True)
class StockLevelView:
    """A product with its stock as this till knows it (see ``ports.records.LocalStockLevel``)."""

    product_id: str
    name: str
    barcode: str | None
    sold_by_weight: bool
    on_hand_milli: int
    on_hand_text: str  # "24" pieces, "1.250 kg"
    known: bool  # head office has sent a figure for it (else only this till's own movements)
    unit_hint: str  # what to type: "pieces" or "kg"


@dataclass(frozen=True)
class ReasonView:
    code: str  # domain.stock.AdjustmentReason value
    label: str
    needs_note: bool


@dataclass(frozen=True)
class StockResult:
    """A saved delivery or adjustment: its id, what to tell the person, and the new levels."""

    record_id: str
    message: str
    levels: tuple[StockLevelView, ...]
