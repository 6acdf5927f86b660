"""Completing a sale: only a paid cart becomes a sale, and the record keeps every figure."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

import pytest

from asiria_desktop.domain.cart import Cart, PaymentMethod
from asiria_desktop.domain.errors import DomainError, EmptyCart, PaymentError
from asiria_desktop.domain.pricing import Discount, DiscountKind
from asiria_desktop.domain.sale import (
    CashierRef,
    CompletedSale,
    complete_sale,
    format_receipt_no,
    parse_receipt_no,
)
from asiria_desktop.domain.tax import TaxClass

CASHIER = CashierRef("5b0c4f0e-2d7a-4b8e-9a51-3c1f2e7d8a90", "Wanjiku")


def paid_sale(cart: Cart, ids: Callable[[], str], now: datetime) -> CompletedSale:
    cart.add_payment(PaymentMethod.MPESA, 20000, "SKO3ZQ8H2J")
    cart.add_payment(PaymentMethod.CASH, 20000)
    return complete_sale(cart, ids(), "S01-T02-000017", CASHIER, "shift-1", now)


def test_receipt_numbers() -> None:
    assert format_receipt_no("S01", "T02", 123) == "S01-T02-000123"
    assert format_receipt_no("S01", "T02", 1234567) == "S01-T02-1234567"
    assert parse_receipt_no(" s01-t02-000123 ") == ("S01", "T02", 123)
    with pytest.raises(DomainError, match="not a receipt number"):
        parse_receipt_no("123")
    with pytest.raises(ValueError):
        format_receipt_no("S01", "T02", 0)


def test_only_a_paid_cart_can_be_completed(
    example_cart: Cart, ids: Callable[[], str], now: datetime
) -> None:
    with pytest.raises(EmptyCart):
        complete_sale(Cart(ids), ids(), "S01-T02-000001", CASHIER, None, now)
    example_cart.add_payment(PaymentMethod.CASH, 30000)
    with pytest.raises(PaymentError) as error:
        complete_sale(example_cart, ids(), "S01-T02-000001", CASHIER, None, now)
    assert error.value.message == "70.00 is still due. Take payment first."
    with pytest.raises(ValueError, match="timezone-aware"):
        complete_sale(example_cart, ids(), "S01-T02-000001", CASHIER, None, datetime(2026, 1, 1))


def test_sale_keeps_store_terminal_cashier_and_tax_details(
    example_cart: Cart, ids: Callable[[], str], now: datetime
) -> None:
    sale = paid_sale(example_cart, ids, now)
    assert (sale.store_code, sale.terminal_code) == ("S01", "T02")
    assert sale.cashier_name == "Wanjiku"
    assert [item.tax_class for item in sale.lines] == [
        TaxClass.STANDARD,
        TaxClass.ZERO,
        TaxClass.EXEMPT,
    ]
    assert sale.lines[0].tax_rate_bp == 1600
    assert sale.paid_by(PaymentMethod.CASH) == 17000  # 200.00 cash less 30.00 change
    assert sale.paid_by(PaymentMethod.MPESA) == 20000
    assert sale.paid_cents - sale.change_cents == sale.total_cents


def test_record_round_trips_through_json(
    example_cart: Cart, ids: Callable[[], str], now: datetime
) -> None:
    sale = paid_sale(example_cart, ids, now)
    record = json.loads(json.dumps(sale.to_record()))
    assert CompletedSale.from_record(record) == sale


def test_payload_has_no_fields_beyond_the_contract_except_rounding(
    example_cart: Cart, ids: Callable[[], str], now: datetime
) -> None:
    payload = paid_sale(example_cart, ids, now).to_payload()
    assert set(payload) == {
        "id",
        "receipt_no",
        "cashier_id",
        "shift_id",
        "completed_at",
        "currency",
        "lines",
        "payments",
        "subtotal_cents",
        "discount_cents",
        "tax_cents",
        "total_cents",
        "change_cents",
        "rounding_cents",
    }
    assert payload["completed_at"] == "2026-11-24T13:05:42+03:00"
    assert all(isinstance(v, int) for k, v in payload.items() if k.endswith("_cents"))


def test_a_free_sale_records_a_zero_cash_tender(ids: Callable[[], str], now: datetime) -> None:
    from .support import BREAD

    cart = Cart(ids)
    cart.add_product(BREAD)
    cart.set_cart_discount(Discount(DiscountKind.PERCENT, 10_000))
    assert cart.is_paid
    sale = complete_sale(cart, ids(), "S01-T02-000020", CASHIER, None, now)
    assert sale.total_cents == 0
    assert [(p.method, p.amount_cents) for p in sale.payments] == [(PaymentMethod.CASH, 0)]
