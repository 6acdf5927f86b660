"""X and Z reports: what the drawer should hold, and where the money came from."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from asiria_desktop.domain.cart import Cart, PaymentMethod
from asiria_desktop.domain.errors import InvalidAmount, ShiftError
from asiria_desktop.domain.refund import RefundLineRequest, build_refund
from asiria_desktop.domain.sale import CashierRef, CompletedSale, complete_sale
from asiria_desktop.domain.shift import (
    CashMovement,
    CashMovementKind,
    ReportKind,
    Shift,
    build_shift_report,
)
from asiria_desktop.domain.tax import TaxClass
from asiria_desktop.domain.voids import void_sale

from .support import BREAD, COKE, NAIROBI, make_id_factory

OPENED = datetime(2026, 11, 24, 8, 0, tzinfo=NAIROBI)
CASHIER = CashierRef("c-1", "Wanjiku")
SHIFT = Shift("shift-1", CASHIER.id, OPENED, opening_float_cents=500000)
ids = make_id_factory()


def sale(seq: int, *payments: tuple[PaymentMethod, int]) -> CompletedSale:
    cart = Cart(ids)
    cart.add_product(COKE, qty=2)  # 160.00, 22.07 VAT
    cart.add_product(BREAD)  # 65.00 exempt
    for method, amount in payments:
        cart.add_payment(method, amount, "SKO3ZQ8H2J" if method is PaymentMethod.MPESA else None)
    return complete_sale(
        cart, ids(), f"S01-T01-{seq:06d}", CASHIER, SHIFT.id, OPENED + timedelta(minutes=seq)
    )


def test_z_report_adds_up_the_shift() -> None:
    cash_sale = sale(1, (PaymentMethod.CASH, 30000))  # 75.00 change
    split = sale(2, (PaymentMethod.MPESA, 10000), (PaymentMethod.CASH, 12500))
    card = sale(3, (PaymentMethod.CARD, 22500))
    voided = sale(4, (PaymentMethod.CASH, 22500))
    refund = build_refund(
        cash_sale,
        [RefundLineRequest(cash_sale.lines[1].id, qty=1)],
        [],
        ids(),
        ids,
        PaymentMethod.CASH,
        OPENED + timedelta(hours=1),
        "mgr",
    )
    void = void_sale(
        voided, ids(), "customer changed mind", CASHIER.id, "mgr", OPENED + timedelta(hours=2)
    )
    movements = [
        CashMovement(CashMovementKind.IN, 100000, "more change"),
        CashMovement(CashMovementKind.OUT, 200000, "banking", approved_by="mgr"),
    ]
    report = build_shift_report(
        "Z",
        SHIFT,
        [cash_sale, split, card, voided],
        [refund],
        [void],
        movements,
        430000,
        generated_at=OPENED + timedelta(hours=9),
    )
    assert report.kind is ReportKind.Z
    assert report.sales_count == 3
    assert report.net_sales_cents == 3 * 22500
    assert report.tax_cents == 3 * 2207
    assert report.payments_by_method == {
        PaymentMethod.CASH: 22500 + 12500,
        PaymentMethod.CARD: 22500,
        PaymentMethod.MPESA: 10000,
    }
    assert (report.refunds_count, report.refunds_total_cents) == (1, 6500)
    assert (report.voids_count, report.voids_total_cents) == (1, 22500)
    # float 5000 + cash sales 350 - cash refund 65 + in 1000 - out 2000
    assert report.expected_cash_cents == 500000 + 35000 - 6500 + 100000 - 200000
    assert report.expected_cash_cents == 428500
    assert report.difference_cents == 1500  # 15.00 over
    standard = next(t for t in report.tax_summary if t.tax_class is TaxClass.STANDARD)
    assert standard.tax_cents == report.tax_cents


def test_x_report_mid_shift_needs_no_count() -> None:
    report = build_shift_report(
        ReportKind.X, SHIFT, [sale(5, (PaymentMethod.CASH, 22500))], [], [], []
    )
    assert report.counted_cash_cents is None
    assert report.difference_cents is None
    assert report.expected_cash_cents == 522500


def test_z_report_needs_the_counted_cash() -> None:
    with pytest.raises(ShiftError, match="Count the cash"):
        build_shift_report("Z", SHIFT, [], [], [], [])
    with pytest.raises(InvalidAmount):
        build_shift_report("Z", SHIFT, [], [], [], [], -1)


def test_an_empty_shift_expects_the_float_back() -> None:
    report = build_shift_report("Z", SHIFT, [], [], [], [], 500000)
    assert report.expected_cash_cents == 500000
    assert report.difference_cents == 0
    assert report.sales_count == 0


def test_cash_movements_must_be_positive() -> None:
    with pytest.raises(InvalidAmount, match="more than zero"):
        CashMovement(CashMovementKind.OUT, 0, "nothing")
