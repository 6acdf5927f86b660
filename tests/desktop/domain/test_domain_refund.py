"""Refunds: never more than was sold, pro-rata to what the customer paid, exact in full."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asiria_desktop.domain.cart import Cart, PaymentMethod
from asiria_desktop.domain.errors import LineNotFound, RefundError
from asiria_desktop.domain.pricing import Discount, DiscountKind
from asiria_desktop.domain.refund import (
    Refund,
    RefundLineRequest,
    build_refund,
    refundable_lines,
)
from asiria_desktop.domain.sale import CashierRef, CompletedSale, complete_sale

from .support import BREAD, COKE, NAIROBI, TOMATOES, make_id_factory

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=NAIROBI)
CASHIER = CashierRef("5b0c4f0e-2d7a-4b8e-9a51-3c1f2e7d8a90", "Wanjiku")


def make_sale(
    cart_discount_bp: int = 0, coke_qty: int = 3, pay: PaymentMethod = PaymentMethod.CASH
) -> CompletedSale:
    ids = make_id_factory()
    cart = Cart(ids)
    cart.add_product(COKE, qty=coke_qty)
    cart.add_product(TOMATOES, qty_milli=1250)
    cart.add_product(replace(BREAD, price_cents=6699))
    if cart_discount_bp:
        cart.set_cart_discount(Discount(DiscountKind.PERCENT, cart_discount_bp))
    if pay is PaymentMethod.CASH:
        cart.add_payment(pay, cart.total_cents)
    else:
        cart.add_payment(pay, cart.total_cents, "SKO3ZQ8H2J")
    return complete_sale(cart, ids(), "S01-T01-000001", CASHIER, None, NOW)


def refund(
    sale: CompletedSale,
    requests: list[RefundLineRequest],
    previous: list[Refund],
    method: PaymentMethod = PaymentMethod.CASH,
) -> Refund:
    ids = make_id_factory("0193aaaa-0000-7000-8000")
    return build_refund(sale, requests, previous, ids(), ids, method, NOW, "manager-1")


def request_for(line_id: str, sale: CompletedSale, units: int) -> RefundLineRequest:
    line = sale.line(line_id)
    if line.qty is not None:
        return RefundLineRequest(line_id, qty=units)
    return RefundLineRequest(line_id, qty_milli=units)


def test_partial_refund_of_a_discounted_line_is_pro_rata() -> None:
    sale = make_sale(cart_discount_bp=1000)
    coke = sale.lines[0]  # 3 x 80.00 = 240.00, less 10 % = 216.00
    assert coke.total_cents == 21600
    first = refund(sale, [RefundLineRequest(coke.id, qty=1)], [])
    assert first.total_cents == 7200
    assert first.tax_cents == div3(coke.tax_cents)
    assert first.approved_by == "manager-1"
    assert first.cashier_id == CASHIER.id


def div3(cents: int) -> int:
    return (cents * 2 + 3) // 6


def test_refunding_more_than_sold_is_refused() -> None:
    sale = make_sale()
    coke = sale.lines[0]
    first = refund(sale, [RefundLineRequest(coke.id, qty=2)], [])
    with pytest.raises(RefundError) as error:
        refund(sale, [RefundLineRequest(coke.id, qty=2)], [first])
    assert error.value.message == "Only 1 of Coca-Cola 500ml can still be refunded."
    second = refund(sale, [RefundLineRequest(coke.id, qty=1)], [first])
    with pytest.raises(RefundError, match="already been refunded in full"):
        refund(sale, [RefundLineRequest(coke.id, qty=1)], [first, second])
    remaining = {r.sale_line.id: r.remaining_units for r in refundable_lines(sale, [first, second])}
    assert remaining[coke.id] == 0
    assert remaining[sale.lines[1].id] == 1250


def test_wrong_units_and_unknown_lines_say_what_to_do() -> None:
    sale = make_sale()
    coke, tomatoes, _ = sale.lines
    with pytest.raises(RefundError, match="sold by weight"):
        refund(sale, [RefundLineRequest(tomatoes.id, qty=1)], [])
    with pytest.raises(RefundError, match="sold by count"):
        refund(sale, [RefundLineRequest(coke.id, qty_milli=500)], [])
    with pytest.raises(RefundError, match=r"Only 1\.250 kg"):
        refund(sale, [RefundLineRequest(tomatoes.id, qty_milli=1300)], [])
    with pytest.raises(LineNotFound, match="S01-T01-000001"):
        refund(sale, [RefundLineRequest("nope", qty=1)], [])
    with pytest.raises(RefundError, match="at least one item"):
        refund(sale, [], [])
    with pytest.raises(RefundError, match="twice"):
        refund(sale, [RefundLineRequest(coke.id, qty=1)] * 2, [])


def test_card_refunds_are_limited_to_what_the_card_paid() -> None:
    sale = make_sale(pay=PaymentMethod.MPESA)
    everything = [request_for(item.id, sale, item.quantity_units) for item in sale.lines]
    assert refund(sale, everything, [], PaymentMethod.MPESA).total_cents == sale.total_cents
    with pytest.raises(RefundError, match="can go back by Card"):
        refund(sale, everything, [], PaymentMethod.CARD)
    assert refund(sale, everything, [], PaymentMethod.CASH).total_cents == sale.total_cents


def test_refund_payload_shape() -> None:
    sale = make_sale()
    payload = refund(sale, [RefundLineRequest(sale.lines[0].id, qty=1)], []).to_payload()
    assert payload["sale_id"] == sale.id
    assert payload["created_at"] == "2026-11-24T15:00:00+03:00"
    assert payload["method"] == "cash"
    assert payload["lines"][0]["qty"] == 1
    assert payload["total_cents"] == sum(item["total_cents"] for item in payload["lines"])


@settings(max_examples=150)
@given(
    st.integers(0, 5000),
    st.integers(1, 9),
    st.lists(st.tuples(st.integers(0, 2), st.integers(1, 2000)), min_size=1, max_size=25),
)
def test_any_sequence_of_partial_refunds_never_exceeds_the_sale(
    discount_bp: int, coke_qty: int, steps: list[tuple[int, int]]
) -> None:
    sale = make_sale(discount_bp, coke_qty)
    done: list[Refund] = []
    for index, units in steps:
        line = sale.lines[index]
        left = {r.sale_line.id: r.remaining_units for r in refundable_lines(sale, done)}[line.id]
        if left == 0:
            with pytest.raises(RefundError):
                refund(sale, [request_for(line.id, sale, 1)], done)
            continue
        done.append(refund(sale, [request_for(line.id, sale, min(units, left))], done))
    for line in sale.lines:
        refunded = [rl for r in done for rl in r.lines if rl.sale_line_id == line.id]
        assert sum(rl.total_cents for rl in refunded) <= line.total_cents
        assert sum(rl.tax_cents for rl in refunded) <= line.tax_cents
        assert all(rl.total_cents >= 0 and rl.tax_cents >= 0 for rl in refunded)
    # Refund whatever is left: every line is then given back exactly what was paid for it.
    rest = [
        request_for(r.sale_line.id, sale, r.remaining_units)
        for r in refundable_lines(sale, done)
        if r.remaining_units
    ]
    if rest:
        done.append(refund(sale, rest, done))
    assert sum(r.total_cents for r in done) == sale.total_cents
    assert sum(r.tax_cents for r in done) == sale.tax_cents
    assert all(r.remaining_cents == 0 for r in refundable_lines(sale, done))
