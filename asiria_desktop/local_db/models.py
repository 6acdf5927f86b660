"""SQLAlchemy 2 table models of the till database.

Migrations (``local_db/migrations``) create these tables; the models are only used to read and
write rows. Ids are UUID strings made on the till; money is INTEGER cents; times are ISO 8601
text that keeps the till's UTC offset (SQLite has no time zone type).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def aware_iso(value: datetime) -> str:
    """How a time is stored: ISO 8601 with its offset; naive datetimes are refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("the till stores only timezone-aware times")
    return value.isoformat()


class AwareDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes as ISO 8601 text with their offset; naive ones are refused."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else aware_iso(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


UUID = String(36)


class Category(Base):
    __tablename__ = "categories"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"), default=None)


class Product(Base):
    """``pk`` is an INTEGER PRIMARY KEY so the FTS5 index has a rowid that VACUUM never moves."""

    __tablename__ = "products"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(UUID, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    barcode: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    sku: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    price_cents: Mapped[int] = mapped_column(Integer)
    tax_class: Mapped[str] = mapped_column(String(16), default="standard")
    sold_by_weight: Mapped[bool] = mapped_column(Boolean, default=False)
    category_id: Mapped[str | None] = mapped_column(
        ForeignKey("categories.id"), index=True, default=None
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)


class Shift(Base):
    __tablename__ = "shifts"
    __table_args__ = (Index("ix_shifts_terminal_open", "terminal_code", "closed_at"),)
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    terminal_code: Mapped[str] = mapped_column(String(16))
    cashier_id: Mapped[str] = mapped_column(UUID)
    opened_at: Mapped[datetime] = mapped_column(AwareDateTime)
    opening_float_cents: Mapped[int] = mapped_column(Integer)
    closed_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)
    closed_by: Mapped[str | None] = mapped_column(UUID, default=None)
    counted_cash_cents: Mapped[int | None] = mapped_column(Integer, default=None)


class Sale(Base):
    """A completed sale; ``data`` keeps the full domain record so it can be rebuilt exactly."""

    __tablename__ = "sales"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    terminal_code: Mapped[str] = mapped_column(String(16), index=True)
    cashier_id: Mapped[str] = mapped_column(UUID)
    shift_id: Mapped[str | None] = mapped_column(ForeignKey("shifts.id"), index=True)
    # Indexed for the manager's view of today's sales (a range scan, not the whole history).
    completed_at: Mapped[datetime] = mapped_column(AwareDateTime, index=True)
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_cents: Mapped[int] = mapped_column(Integer)
    discount_cents: Mapped[int] = mapped_column(Integer)
    tax_cents: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    change_cents: Mapped[int] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(Text)


class SaleLine(Base):
    __tablename__ = "sale_lines"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[str] = mapped_column(UUID, index=True)
    barcode: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    qty: Mapped[int | None] = mapped_column(Integer)
    qty_milli: Mapped[int | None] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    discount_cents: Mapped[int] = mapped_column(Integer)
    tax_cents: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)


class SalePayment(Base):
    __tablename__ = "sale_payments"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str | None] = mapped_column(String(64))


class RefundRow(Base):
    __tablename__ = "refunds"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    shift_id: Mapped[str | None] = mapped_column(ForeignKey("shifts.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    approved_by: Mapped[str | None] = mapped_column(UUID)
    total_cents: Mapped[int] = mapped_column(Integer)
    tax_cents: Mapped[int] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(Text)


class RefundLineRow(Base):
    __tablename__ = "refund_lines"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    refund_id: Mapped[str] = mapped_column(ForeignKey("refunds.id"), index=True)
    sale_line_id: Mapped[str] = mapped_column(ForeignKey("sale_lines.id"), index=True)
    qty: Mapped[int | None] = mapped_column(Integer)
    qty_milli: Mapped[int | None] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    tax_cents: Mapped[int] = mapped_column(Integer)


class VoidRow(Base):
    __tablename__ = "voids"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), unique=True)
    receipt_no: Mapped[str] = mapped_column(String(40))
    shift_id: Mapped[str | None] = mapped_column(ForeignKey("shifts.id"), index=True)
    reason: Mapped[str] = mapped_column(String(200))
    cashier_id: Mapped[str] = mapped_column(UUID)
    approved_by: Mapped[str | None] = mapped_column(UUID)
    voided_at: Mapped[datetime] = mapped_column(AwareDateTime)
    total_cents: Mapped[int] = mapped_column(Integer)


class PrintedDocument(Base):
    """A receipt, refund slip or void slip as printed (``data``: the document as JSON)."""

    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    number: Mapped[str] = mapped_column(String(40), index=True)
    sale_id: Mapped[str] = mapped_column(UUID, index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    data: Mapped[str] = mapped_column(Text)


class CashMovement(Base):
    __tablename__ = "cash_movements"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    amount_cents: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    cashier_id: Mapped[str] = mapped_column(UUID)
    approved_by: Mapped[str | None] = mapped_column(UUID)
    moved_at: Mapped[datetime] = mapped_column(AwareDateTime)


class ParkedCart(Base):
    __tablename__ = "parked_carts"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    cashier_id: Mapped[str | None] = mapped_column(UUID)
    parked_at: Mapped[datetime] = mapped_column(AwareDateTime)
    snapshot: Mapped[str] = mapped_column(Text)


class OpenCart(Base):
    """The sale being rung up, rewritten on every change, so a crash does not lose it. One row
    at most (``slot`` 1); removed in the transaction that completes, parks or cancels the sale."""

    __tablename__ = "open_cart"
    slot: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cashier_id: Mapped[str | None] = mapped_column(UUID)
    saved_at: Mapped[datetime] = mapped_column(AwareDateTime)
    state: Mapped[str] = mapped_column(Text)


class StockMovement(Base):
    __tablename__ = "stock_movements"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    product_id: Mapped[str] = mapped_column(UUID, index=True)
    delta_milli: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))
    ref_id: Mapped[str | None] = mapped_column(UUID)
    at: Mapped[datetime] = mapped_column(AwareDateTime)
    extra: Mapped[str] = mapped_column(Text, default="{}")


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    actor_id: Mapped[str | None] = mapped_column(UUID)
    approver_id: Mapped[str | None] = mapped_column(UUID)
    details: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(AwareDateTime)


class BiometricCredentialRow(Base):
    """A finger or key enrolled for a person at this till (see ports/biometrics.py)."""

    __tablename__ = "biometric_credentials"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    user_id: Mapped[str] = mapped_column(UUID, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    sign_count: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)


class Outbox(Base):
    __tablename__ = "outbox"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)


class Sequence(Base):
    __tablename__ = "sequences"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SyncState(Base):
    """Sync state: pull cursor, enrolment, last sync, history (see local_db/sync_repos.py)."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class StockLevel(Base):
    """Head office's stock figure for a product as of the last pull (the till's own movements
    since then are in ``stock_movements``)."""

    __tablename__ = "stock_levels"
    product_id: Mapped[str] = mapped_column(UUID, primary_key=True)
    on_hand_milli: Mapped[int] = mapped_column(Integer)
    low_stock_threshold_milli: Mapped[int | None] = mapped_column(Integer, default=None)


class BasketHint(Base):
    """The products often bought with ``product_id`` at this store (pulled ``basket_hint``):
    a JSON list of ``{"product_id", "name", "confidence_bp", "lift_milli"}``, best first. No
    foreign key: a hint may name a product this till has not pulled yet."""

    __tablename__ = "basket_hints"
    product_id: Mapped[str] = mapped_column(UUID, primary_key=True)
    companions: Mapped[str] = mapped_column(Text)


class TaxClassRow(Base):
    __tablename__ = "tax_classes"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    rate_bp: Mapped[int] = mapped_column(Integer)
    inclusive: Mapped[bool] = mapped_column(Boolean)


class Notice(Base):
    """A store notice pulled from head office (entity ``notice``)."""

    __tablename__ = "notices"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40), index=True)
    audience: Mapped[str] = mapped_column(String(20), default="managers")
    read_by: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of user ids


class NoticeSeen(Base):
    """Who opened which notice on this till (the till's own read state, sent as
    ``notice.read`` events)."""

    __tablename__ = "notice_seen"
    notice_id: Mapped[str] = mapped_column(UUID, primary_key=True)
    user_id: Mapped[str] = mapped_column(UUID, primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(AwareDateTime)


class CustomerRow(Base):
    """Customers attached to sales at this till (the cloud keeps every store's)."""

    __tablename__ = "customers"
    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    whatsapp_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime)


class MpesaPrompt(Base):
    """An M-Pesa prompt this till sent ("send prompt to phone"), with its last known state.

    Kept so that a prompt the customer pays after the payment dialog closed can still be
    attached to a sale from the "Claim M-Pesa payment" screen."""

    __tablename__ = "mpesa_prompts"
    attempt_id: Mapped[str] = mapped_column(UUID, primary_key=True)  # the cloud's attempt id
    phone: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    result_code: Mapped[int | None] = mapped_column(Integer, default=None)
    result_desc: Mapped[str] = mapped_column(String(255), default="")
    receipt: Mapped[str | None] = mapped_column(String(20), default=None)
    sent_at: Mapped[datetime] = mapped_column(AwareDateTime, index=True)
