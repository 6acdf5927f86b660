"""Printed receipts: everything the customer and the tax man look for, within the paper width."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import pytest

from asiria_desktop.domain.cart import Cart, PaymentMethod
from asiria_desktop.domain.receipt import (
    TRAINING_RECEIPT_MARK,
    StoreInfo,
    receipt_from_sale,
    render_shift_report,
    render_text,
)
from asiria_desktop.domain.refund import Refund, RefundLineRequest, build_refund
from asiria_desktop.domain.sale import CashierRef, CompletedSale, complete_sale
from asiria_desktop.domain.shift import Shift, build_shift_report
from asiria_desktop.domain.slips import receipt_from_refund

STORE = StoreInfo(
    "Asiria Mini Mart",
    "Moi Avenue, Nairobi",
    "P051234567X",
    "0700 000 000",
    "Thank you! Goods once sold are exchanged within 7 days with this receipt.",
)


@pytest.fixture
def sale(example_cart: Cart, ids: Callable[[], str], now: datetime) -> CompletedSale:
    example_cart.add_payment(PaymentMethod.MPESA, 20000, "SKO3ZQ8H2J")
    example_cart.add_payment(PaymentMethod.CASH, 20000)
    return complete_sale(
        example_cart, ids(), "S01-T02-000017", CashierRef("c-1", "Wanjiku"), None, now
    )


@pytest.mark.parametrize("width", [42, 32])
def test_receipt_has_everything_and_fits_the_paper(sale: CompletedSale, width: int) -> None:
    text = render_text(receipt_from_sale(sale, STORE), width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    for expected in [
        "Asiria Mini Mart",
        "PIN P051234567X",
        "S01-T02-000017",
        "Cashier: Wanjiku",
        "Coca-Cola 500ml",
        "2 x 80.00",
        "1.250 kg x 120.00/kg",
        "-5.00",
        "KES 370.00",
        "22.07",
        "M-Pesa SKO3ZQ8H2J",
        "Change",
        "30.00",
        "Thank you!",
    ]:
        assert expected in text, expected


def test_receipt_layout_80mm(sale: CompletedSale) -> None:
    lines = render_text(receipt_from_sale(sale, STORE)).splitlines()
    assert "Coca-Cola 500ml                   160.00 B" in lines
    assert "  1.250 kg x 120.00/kg" in lines
    assert "TOTAL                           KES 370.00" in lines
    assert "B VAT 16%                 137.93     22.07" in lines
    assert "A Exempt                   60.00      0.00" in lines
    assert "C Zero-rated 0%           150.00      0.00" in lines
    # eTIMS order: the bands by letter.
    tax_rows = [line[:1] for line in lines if line[:2] in ("A ", "B ", "C ")]
    assert tax_rows == ["A", "B", "C"]
    assert "Change                               30.00" in lines


def test_reprint_is_marked_as_a_copy(sale: CompletedSale) -> None:
    assert "SALE - COPY" in render_text(receipt_from_sale(sale, STORE, copy=True))
    assert "COPY" not in render_text(receipt_from_sale(sale, STORE))


@pytest.fixture
def refund(sale: CompletedSale, ids: Callable[[], str], now: datetime) -> Refund:
    """One of the first line returned, paid back in cash."""
    return build_refund(
        sale,
        [RefundLineRequest(sale.lines[0].id, qty=1)],
        [],
        ids(),
        ids,
        PaymentMethod.CASH,
        now,
        "mgr",
    )


def test_a_training_tills_documents_say_so_first_and_last(
    sale: CompletedSale, refund: Refund
) -> None:
    training = replace(STORE, mark=TRAINING_RECEIPT_MARK)
    for doc in (
        receipt_from_sale(sale, training),
        receipt_from_refund(refund, sale, training, cashier_name="Wanjiku"),
    ):
        for width in (42, 32):
            lines = render_text(doc, width).splitlines()
            assert lines[0].strip() == TRAINING_RECEIPT_MARK
            assert lines[-1].strip() == TRAINING_RECEIPT_MARK
            assert max(len(line) for line in lines) <= width
    assert "TRAINING" not in render_text(receipt_from_sale(sale, STORE))


def test_long_names_are_cut_but_amounts_always_show(sale: CompletedSale) -> None:
    long = replace(sale, lines=(replace(sale.lines[0], name="Extra " * 12), *sale.lines[1:]))
    lines = render_text(receipt_from_sale(long, STORE), 32).splitlines()
    assert any(line.endswith("160.00 B") and "~" in line for line in lines)


def test_refund_receipt(sale: CompletedSale, refund: Refund) -> None:
    text = render_text(receipt_from_refund(refund, sale, STORE, cashier_name="Wanjiku"))
    assert "REFUND" in text
    assert "Of receipt S01-T02-000017" in text
    assert "KES 80.00" in text
    assert "Refunded by Cash" in text


def test_shift_report_text(sale: CompletedSale, now: datetime) -> None:
    shift = Shift("shift-1", "c-1", now, 500000)
    report = build_shift_report("Z", shift, [sale], [], [], [], 516000)
    text = render_shift_report(report, STORE)
    assert "Z REPORT" in text
    assert "Expected cash" in text and "5,170.00" in text
    assert "Short" in text and "10.00" in text
    assert max(len(line) for line in text.splitlines()) <= 42


def test_tax_exclusive_receipt_shows_the_tax_on_top(ids: Callable[[], str], now: datetime) -> None:
    from asiria_desktop.domain.tax import TaxTable

    from .support import COKE

    cart = Cart(ids, tax_table=TaxTable.kenya_default(inclusive=False))
    cart.add_product(COKE, qty=2)
    cart.add_payment(PaymentMethod.CARD, 18560)
    sale = complete_sale(cart, ids(), "S01-T01-000002", CashierRef("c-1", "Amina"), None, now)
    lines = render_text(receipt_from_sale(sale, STORE)).splitlines()
    assert "Subtotal                            160.00" in lines
    assert "TOTAL                           KES 185.60" in lines
    assert "B VAT 16%                 160.00     25.60" in lines
    assert "Change" not in "\n".join(lines)


def test_cash_rounding_is_printed(ids: Callable[[], str], now: datetime) -> None:
    from dataclasses import replace

    from .support import BREAD

    cart = Cart(ids, cash_rounding_step_cents=5)
    cart.add_product(replace(BREAD, price_cents=37003))
    cart.add_payment(PaymentMethod.CASH, 40000)
    sale = complete_sale(cart, ids(), "S01-T01-000003", CashierRef("c-1", "Amina"), None, now)
    text = render_text(receipt_from_sale(sale, STORE))
    assert "Cash rounding" in text
    assert "29.95" in text


def test_a_scale_label_is_printed_and_sent_by_its_weight(
    ids: Callable[[], str], now: datetime
) -> None:
    from .support import TOMATOES

    cart = Cart(ids)
    cart.add_product(TOMATOES, label_price_cents=9000)  # 2100101090004: 90.00 at 120.00/kg
    cart.add_payment(PaymentMethod.CASH, 9000)
    sale = complete_sale(cart, ids(), "S01-T01-000004", CashierRef("c-1", "Amina"), None, now)
    lines = render_text(receipt_from_sale(sale, STORE)).splitlines()
    assert "Tomatoes (kg)                      90.00 C" in lines
    assert "  0.750 kg x 120.00/kg" in lines
    assert "TOTAL                            KES 90.00" in lines
    (line,) = sale.to_payload()["lines"]
    assert (line["qty"], line["qty_milli"], line["unit_price_cents"]) == (None, 750, 12000)
    assert line["total_cents"] == 9000

    # Refunded by weight: a third of the weight gives back a third of the price.
    refund = build_refund(
        sale,
        [RefundLineRequest(line["id"], qty_milli=250)],
        [],
        ids(),
        ids,
        PaymentMethod.CASH,
        now,
        "mgr",
    )
    assert (refund.lines[0].qty_milli, refund.total_cents) == (250, 3000)
    slip = render_text(
        receipt_from_refund(refund, sale, STORE, cashier_name="Wanjiku")
    ).splitlines()
    assert "  0.250 kg x 120.00/kg" in slip
