"""A completed sale: the immutable record of what was sold and paid, and its wire payload.

``CompletedSale.to_payload()`` is the ``sale.completed`` payload of ARCHITECTURE.md 6.1 (validated
against the sync contract's JSON Schema in the tests); ``to_record()``/``from_record()`` keep every
field (tax class, cashier name...) for the till's own database and for reprints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .cart import Cart, PaymentMethod
from .customer import SaleCustomer
from .errors import DomainError, EmptyCart, PaymentError
from .json_types import JsonObject
from .money import KES, Currency, format_amount
from .tax import TaxClass, TaxSummaryLine
from .times import parse_rfc3339, require_aware, rfc3339

_CODE = re.compile(r"[A-Z0-9]+")
_RECEIPT_NO = re.compile(r"([A-Z0-9]+)-([A-Z0-9]+)-([0-9]+)")


def stock_milli(qty: int | None, qty_milli: int | None) -> int:
    """A line's stock quantity in thousandths: one piece is 1000, a weighed line its grams.
    Stock movements (till and cloud) always count in these units."""
    return qty * 1000 if qty is not None else qty_milli or 0


def quantity_units(qty: int | None, qty_milli: int | None) -> int:
    """A quantity in its own unit: pieces, or thousandths for weighed lines."""
    return qty if qty is not None else (qty_milli or 0)


def format_receipt_no(store_code: str, terminal_code: str, seq: int) -> str:
    """``("S01", "T02", 123)`` -> ``"S01-T02-000123"`` (at least six digits, more if needed)."""
    if not _CODE.fullmatch(store_code) or not _CODE.fullmatch(terminal_code):
        raise ValueError("store and terminal codes are capital letters and digits, like S01 / T02")
    if seq < 1:
        raise ValueError("receipt sequence numbers start at 1")
    return f"{store_code}-{terminal_code}-{seq:06d}"


def parse_receipt_no(receipt_no: str) -> tuple[str, str, int]:
    """Inverse of :func:`format_receipt_no`; tolerant of case and spaces typed by a person."""
    match = _RECEIPT_NO.fullmatch(receipt_no.strip().upper())
    if not match:
        raise DomainError(f'"{receipt_no}" is not a receipt number (like S01-T02-000123).')
    return match.group(1), match.group(2), int(match.group(3))


@dataclass(frozen=True, slots=True)
class CashierRef:
    """Who rang the sale up (services map their session to this)."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class SaleLine:
    id: str
    product_id: str
    barcode: str | None
    name: str
    qty: int | None
    qty_milli: int | None
    unit_price_cents: int
    discount_cents: int
    tax_cents: int
    total_cents: int
    tax_class: TaxClass = TaxClass.STANDARD
    tax_rate_bp: int = 0
    gross_cents: int = 0
    category_id: str | None = None
    price_override_by: str | None = None
    original_price_cents: int | None = None

    @property
    def quantity_units(self) -> int:
        return quantity_units(self.qty, self.qty_milli)

    def to_payload(self) -> JsonObject:
        return {
            "id": self.id,
            "product_id": self.product_id,
            "barcode": self.barcode,
            "name": self.name,
            "qty": self.qty,
            "qty_milli": self.qty_milli,
            "unit_price_cents": self.unit_price_cents,
            "discount_cents": self.discount_cents,
            "tax_cents": self.tax_cents,
            "total_cents": self.total_cents,
        }


@dataclass(frozen=True, slots=True)
class SalePayment:
    id: str
    method: PaymentMethod
    amount_cents: int
    reference: str | None = None

    def to_payload(self) -> JsonObject:
        return {
            "id": self.id,
            "method": str(self.method),
            "amount_cents": self.amount_cents,
            "reference": self.reference,
        }


@dataclass(frozen=True, slots=True)
class CompletedSale:
    id: str
    receipt_no: str
    store_code: str
    terminal_code: str
    cashier_id: str
    cashier_name: str
    shift_id: str | None
    completed_at: datetime
    currency: Currency
    lines: tuple[SaleLine, ...]
    payments: tuple[SalePayment, ...]
    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    total_cents: int
    change_cents: int
    tax_summary: tuple[TaxSummaryLine, ...]
    rounding_cents: int = 0
    cart_discount_cents: int = 0
    customer: SaleCustomer | None = None

    def line(self, line_id: str) -> SaleLine:
        for line in self.lines:
            if line.id == line_id:
                return line
        raise KeyError(line_id)

    @property
    def paid_cents(self) -> int:
        return sum(p.amount_cents for p in self.payments)

    def paid_by(self, method: PaymentMethod) -> int:
        """What this method brought in, net of change (change always comes out of cash)."""
        paid = sum(p.amount_cents for p in self.payments if p.method is method)
        return paid - self.change_cents if method is PaymentMethod.CASH else paid

    def to_payload(self) -> JsonObject:
        """The ``sale.completed`` payload, exactly as ARCHITECTURE.md 6.1 (+ ``rounding_cents``)."""
        return {
            "id": self.id,
            "receipt_no": self.receipt_no,
            "cashier_id": self.cashier_id,
            "shift_id": self.shift_id,
            "completed_at": rfc3339(self.completed_at),
            "currency": self.currency.code,
            "lines": [line.to_payload() for line in self.lines],
            "payments": [p.to_payload() for p in self.payments],
            "subtotal_cents": self.subtotal_cents,
            "discount_cents": self.discount_cents,
            "tax_cents": self.tax_cents,
            "total_cents": self.total_cents,
            "change_cents": self.change_cents,
            "rounding_cents": self.rounding_cents,
        } | ({"customer": self.customer.to_payload()} if self.customer else {})

    def to_record(self) -> JsonObject:
        """Every field, JSON-ready, for storage; ``from_record`` gives back an equal sale."""
        payload = self.to_payload()
        payload.update(
            store_code=self.store_code,
            terminal_code=self.terminal_code,
            cashier_name=self.cashier_name,
            currency_decimals=self.currency.decimals,
            cart_discount_cents=self.cart_discount_cents,
            tax_summary=[
                [str(t.tax_class), t.rate_bp, t.taxable_cents, t.tax_cents]
                for t in self.tax_summary
            ],
        )
        payload["lines"] = [
            line.to_payload()
            | {
                "tax_class": str(line.tax_class),
                "tax_rate_bp": line.tax_rate_bp,
                "gross_cents": line.gross_cents,
                "category_id": line.category_id,
                "price_override_by": line.price_override_by,
                "original_price_cents": line.original_price_cents,
            }
            for line in self.lines
        ]
        return payload

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> CompletedSale:
        return cls(
            id=data["id"],
            receipt_no=data["receipt_no"],
            store_code=data["store_code"],
            terminal_code=data["terminal_code"],
            cashier_id=data["cashier_id"],
            cashier_name=data["cashier_name"],
            shift_id=data["shift_id"],
            completed_at=parse_rfc3339(data["completed_at"]),
            currency=Currency(data["currency"], int(data.get("currency_decimals", 2))),
            lines=tuple(
                SaleLine(
                    **{k: v for k, v in line.items() if k != "tax_class"},
                    tax_class=TaxClass(line.get("tax_class", TaxClass.STANDARD)),
                )
                for line in data["lines"]
            ),
            payments=tuple(
                SalePayment(p["id"], PaymentMethod(p["method"]), p["amount_cents"], p["reference"])
                for p in data["payments"]
            ),
            subtotal_cents=data["subtotal_cents"],
            discount_cents=data["discount_cents"],
            tax_cents=data["tax_cents"],
            total_cents=data["total_cents"],
            change_cents=data["change_cents"],
            tax_summary=tuple(
                TaxSummaryLine(TaxClass(c), rate, taxable, tax)
                for c, rate, taxable, tax in data.get("tax_summary", [])
            ),
            rounding_cents=data.get("rounding_cents", 0),
            cart_discount_cents=data.get("cart_discount_cents", 0),
            customer=SaleCustomer.from_payload(data["customer"]) if data.get("customer") else None,
        )


def complete_sale(
    cart: Cart,
    sale_id: str,
    receipt_no: str,
    cashier: CashierRef,
    shift_id: str | None,
    completed_at: datetime,
    currency: Currency = KES,
    customer: SaleCustomer | None = None,
) -> CompletedSale:
    """Freeze a fully paid cart into a sale. Raises ``EmptyCart`` / ``PaymentError`` otherwise."""
    require_aware(completed_at, "completed_at")
    if cart.is_empty:
        raise EmptyCart("There is nothing to sell: add an item first.")
    if not cart.is_paid:
        raise PaymentError(
            f"{format_amount(cart.balance_due_cents, currency)} is still due. Take payment first."
        )
    store_code, terminal_code, _ = parse_receipt_no(receipt_no)
    priced = cart.priced()
    by_id = {line.id: line for line in cart.lines}
    lines = tuple(
        SaleLine(
            id=p.line_id,
            product_id=p.product_id,
            barcode=p.barcode,
            name=p.name,
            qty=p.qty,
            qty_milli=p.qty_milli,
            unit_price_cents=p.unit_price_cents,
            discount_cents=p.discount_cents,
            tax_cents=p.tax_cents,
            total_cents=p.total_cents,
            tax_class=p.tax_class,
            tax_rate_bp=p.tax_rate_bp,
            gross_cents=p.gross_cents,
            category_id=by_id[p.line_id].product.category_id,
            price_override_by=by_id[p.line_id].price_override_by,
            original_price_cents=by_id[p.line_id].original_price_cents,
        )
        for p in priced.lines
    )
    payments = tuple(
        SalePayment(p.id, p.method, p.amount_cents, p.reference) for p in cart.payments
    )
    if not payments:  # a free sale (total 0.00): the contract wants one tender, so 0.00 cash
        payments = (SalePayment(cart.new_id(), PaymentMethod.CASH, 0, None),)
    return CompletedSale(
        id=sale_id,
        receipt_no=receipt_no,
        store_code=store_code,
        terminal_code=terminal_code,
        cashier_id=cashier.id,
        cashier_name=cashier.name,
        shift_id=shift_id,
        completed_at=completed_at,
        currency=currency,
        lines=lines,
        payments=payments,
        subtotal_cents=priced.subtotal_cents,
        discount_cents=priced.discount_cents,
        tax_cents=priced.tax_cents,
        total_cents=priced.total_cents,
        change_cents=cart.change_cents,
        tax_summary=priced.tax_summary,
        rounding_cents=cart.rounding_cents,
        cart_discount_cents=priced.cart_discount_cents,
        customer=customer,
    )
