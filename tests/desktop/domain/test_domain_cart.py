"""The cart behaves as a cashier expects at the counter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from asiria_desktop.domain.cart import MAX_QTY, Cart, PaymentMethod, ProductRef
from asiria_desktop.domain.errors import (
    EmptyCart,
    InvalidAmount,
    InvalidQuantity,
    LineNotFound,
    PaymentError,
)
from asiria_desktop.domain.pricing import Discount, DiscountKind
from asiria_desktop.domain.tax import TaxClass

from .support import BREAD, COKE, TOMATOES


def test_scanning_the_same_product_again_increases_its_quantity(ids: Callable[[], str]) -> None:
    cart = Cart(ids)
    first = cart.add_product(COKE)
    again = cart.add_product(COKE, qty=2)
    assert again.id == first.id
    assert [line.qty for line in cart.lines] == [3]
    assert cart.total_cents == 24000


def test_same_product_at_another_price_gets_its_own_line(ids: Callable[[], str]) -> None:
    cart = Cart(ids)
    cart.add_product(COKE)
    cart.add_product(COKE, unit_price_cents=7000)
    assert len(cart.lines) == 2


def test_weighed_items_need_a_weight(ids: Callable[[], str]) -> None:
    cart = Cart(ids)
    with pytest.raises(InvalidQuantity, match="sold by weight"):
        cart.add_product(TOMATOES)
    line = cart.add_product(TOMATOES, qty_milli=1250)
    cart.add_product(TOMATOES, qty_milli=500)  # a second bag is its own line
    assert [item.qty_milli for item in cart.lines] == [1250, 500]
    cart.set_qty_milli(line.id, 2000)
    assert cart.priced().lines[0].total_cents == 24000
    with pytest.raises(InvalidQuantity, match="sold by weight"):
        cart.add_product(TOMATOES, unit_price_cents=1503)  # a price alone is not a weight
    with pytest.raises(InvalidQuantity, match="sold by count"):
        cart.add_product(COKE, qty_milli=500)
    with pytest.raises(InvalidQuantity, match="weighed"):
        cart.set_qty(line.id, 2)


def test_a_scale_price_label_is_sold_by_its_weight_at_exactly_its_price(
    ids: Callable[[], str],
) -> None:
    cart = Cart(ids)
    line = cart.add_product(TOMATOES, label_price_cents=9000)  # 90.00 at 120.00/kg
    assert (line.qty, line.qty_milli, line.unit_price_cents) == (None, 750, 12000)
    # 100.00 at 120.00/kg is 0.8333 kg: the weight is rounded to the gram, the price is kept.
    odd = cart.add_product(TOMATOES, label_price_cents=10000)
    assert odd.qty_milli == 833
    priced = cart.priced()
    assert [p.gross_cents for p in priced.lines] == [9000, 10000]
    assert [p.total_cents for p in priced.lines] == [9000, 10000]
    assert priced.total_cents == 19000
    # The catalog price per kg is what the line carries: no price change to explain.
    assert all(p.unit_price_cents == TOMATOES.price_cents for p in priced.lines)


def test_a_weight_label_or_a_reweigh_prices_the_weight(ids: Callable[[], str]) -> None:
    cart = Cart(ids)
    weighed = cart.add_product(TOMATOES, qty_milli=750)  # a weight-embedded label
    assert cart.priced().line(weighed.id).gross_cents == 9000
    labelled = cart.add_product(TOMATOES, label_price_cents=10000)
    cart.set_qty_milli(labelled.id, 500)  # weighed again at the till: 0.5 kg x 120.00
    assert cart.priced().line(labelled.id).total_cents == 6000
    again = cart.add_product(TOMATOES, label_price_cents=9000)
    cart.override_price(again.id, 10000, approved_by="mgr")  # 0.750 kg x 100.00/kg
    assert cart.priced().line(again.id).total_cents == 7500


def test_a_label_that_cannot_be_read_as_a_weight_is_refused(ids: Callable[[], str]) -> None:
    cart = Cart(ids)
    with pytest.raises(InvalidAmount, match="no price per kg"):
        cart.add_product(replace(TOMATOES, price_cents=0), label_price_cents=9000)
    with pytest.raises(InvalidQuantity, match="gram"):
        cart.add_product(TOMATOES, label_price_cents=5)  # 0.05 at 120.00/kg: 0.4 g
    with pytest.raises(InvalidQuantity, match="1000 kg"):
        cart.add_product(TOMATOES, label_price_cents=99_999_999)
    assert cart.is_empty
    # A price label on an item sold by count is one piece at the label's price.
    cake = cart.add_product(BREAD, label_price_cents=4500)
    assert (cake.qty, cake.unit_price_cents) == (1, 4500)


def test_a_label_line_survives_park_and_recall(ids: Callable[[], str]) -> None:
    cart = Cart(ids)
    cart.add_product(TOMATOES, label_price_cents=10000)
    again = Cart.from_snapshot(cart.to_snapshot(), ids)
    assert again.lines == cart.lines
    assert again.priced().total_cents == 10000


def test_quantities_are_checked(ids: Callable[[], str]) -> None:
    cart = Cart(ids)
    line = cart.add_product(COKE)
    with pytest.raises(InvalidQuantity, match="void it"):
        cart.set_qty(line.id, 0)
    with pytest.raises(InvalidQuantity, match=str(MAX_QTY)):
        cart.set_qty(line.id, 5449000000996)  # a barcode scanned into the quantity box
    assert cart.lines[0].qty == 1
    with pytest.raises(LineNotFound):
        cart.set_qty("gone", 2)


def test_void_line_removes_it_and_keeps_a_record(ids: Callable[[], str]) -> None:
    cart = Cart(ids)
    coke = cart.add_product(COKE)
    cart.add_product(BREAD)
    cart.void_line(coke.id)
    assert [item.product.name for item in cart.lines] == ["White bread 400g"]
    assert [item.id for item in cart.voided_lines] == [coke.id]
    assert cart.total_cents == 6500


def test_discounts_and_price_override(ids: Callable[[], str]) -> None:
    cart = Cart(ids)
    coke = cart.add_product(COKE, qty=2)
    cart.set_line_discount(coke.id, Discount(DiscountKind.PERCENT, 1000))
    assert cart.total_cents == 14400
    with pytest.raises(InvalidAmount, match="more than Coca-Cola"):
        cart.set_line_discount(coke.id, Discount(DiscountKind.AMOUNT, 20000))
    cart.set_line_discount(coke.id, None)
    cart.set_cart_discount(Discount(DiscountKind.AMOUNT, 1000))
    assert cart.total_cents == 15000
    with pytest.raises(InvalidAmount, match="sale total"):
        cart.set_cart_discount(Discount(DiscountKind.AMOUNT, 16001))
    cart.set_cart_discount(None)
    changed = cart.override_price(coke.id, 7000, approved_by="manager-1")
    assert changed.original_price_cents == 8000
    assert changed.price_override_by == "manager-1"
    assert cart.total_cents == 14000
    assert cart.override_price(coke.id, 6000, "manager-1").original_price_cents == 8000


def test_split_tender_and_change(example_cart: Cart) -> None:
    assert example_cart.balance_due_cents == 37000
    example_cart.add_payment(PaymentMethod.CARD, 15000)
    assert example_cart.balance_due_cents == 22000
    assert example_cart.change_cents == 0
    example_cart.add_payment(PaymentMethod.CASH, 25000)
    assert example_cart.is_paid
    assert example_cart.change_cents == 3000
    with pytest.raises(PaymentError, match="Nothing more is due"):
        example_cart.add_payment(PaymentMethod.CASH, 100)


def test_card_and_mpesa_can_never_overpay(example_cart: Cart) -> None:
    example_cart.add_payment(PaymentMethod.CASH, 22000)
    with pytest.raises(PaymentError) as error:
        example_cart.add_payment(PaymentMethod.CARD, 15001)
    assert error.value.message == "Card payment can't be more than the 150.00 still due."
    with pytest.raises(PaymentError, match="M-Pesa payment can't be more"):
        example_cart.add_payment(PaymentMethod.MPESA, 20000, "SKO3ZQ8H2J")


def test_mpesa_needs_its_code_once(example_cart: Cart) -> None:
    with pytest.raises(PaymentError, match="M-Pesa code"):
        example_cart.add_payment(PaymentMethod.MPESA, 1000)
    entry = example_cart.add_payment("mpesa", 1000, " sko3zq8h2j ")
    assert entry.reference == "SKO3ZQ8H2J"
    with pytest.raises(PaymentError, match="already used"):
        example_cart.add_payment(PaymentMethod.MPESA, 1000, "SKO3ZQ8H2J")


def test_payment_rules(ids: Callable[[], str]) -> None:
    cart = Cart(ids)
    with pytest.raises(EmptyCart):
        cart.add_payment(PaymentMethod.CASH, 100)
    cart.add_product(BREAD)
    with pytest.raises(PaymentError, match="more than zero"):
        cart.add_payment(PaymentMethod.CASH, 0)
    cash = cart.add_payment(PaymentMethod.CASH, 10000, reference="ignored")
    assert cash.reference is None
    assert cart.change_cents == 3500
    cart.remove_payment(cash.id)
    assert not cart.payments
    assert cart.balance_due_cents == 6500
    with pytest.raises(PaymentError, match="no longer"):
        cart.remove_payment(cash.id)


def test_a_change_that_would_leave_card_overpaying_is_refused(example_cart: Cart) -> None:
    example_cart.add_payment(PaymentMethod.CARD, 37000)
    bread = example_cart.lines[-1]
    with pytest.raises(PaymentError, match="Remove a payment first"):
        example_cart.void_line(bread.id)
    with pytest.raises(PaymentError):
        example_cart.set_cart_discount(Discount(DiscountKind.PERCENT, 500))
    assert len(example_cart.lines) == 3
    assert example_cart.cart_discount is None
    assert example_cart.is_paid


def test_cash_rounding_to_five_cents(ids: Callable[[], str]) -> None:
    odd = replace(BREAD, price_cents=37003)
    cart = Cart(ids, cash_rounding_step_cents=5)
    cart.add_product(odd)
    assert cart.cash_due_cents == 37005
    cart.add_payment(PaymentMethod.CASH, 40000)
    assert cart.change_cents == 2995  # 29.97 rounds to 29.95
    assert cart.rounding_cents == 2
    assert cart.paid_cents - cart.change_cents == cart.total_cents + cart.rounding_cents

    down = Cart(ids, cash_rounding_step_cents=5)
    down.add_product(replace(BREAD, price_cents=37002))
    down.add_payment(PaymentMethod.CASH, 37000)  # the last 2 cents round away
    assert down.is_paid
    assert (down.change_cents, down.rounding_cents) == (0, -2)


def test_without_cash_rounding_every_cent_is_due(ids: Callable[[], str]) -> None:
    cart = Cart(ids)
    cart.add_product(replace(BREAD, price_cents=37002))
    cart.add_payment(PaymentMethod.CASH, 37000)
    assert cart.balance_due_cents == 2
    assert not cart.is_paid


def test_park_and_recall_restores_everything(example_cart: Cart, ids: Callable[[], str]) -> None:
    import json

    example_cart.set_cart_discount(Discount(DiscountKind.PERCENT, 500, "loyal", "mgr"))
    example_cart.override_price(example_cart.lines[0].id, 7500, "mgr")
    example_cart.add_payment(PaymentMethod.MPESA, 1000, "SKO3ZQ8H2J")
    snapshot = json.loads(json.dumps(example_cart.to_snapshot()))
    restored = Cart.from_snapshot(snapshot, ids)
    assert restored.lines == example_cart.lines
    assert restored.payments == example_cart.payments
    assert restored.priced() == example_cart.priced()
    assert restored.balance_due_cents == example_cart.balance_due_cents


def test_an_empty_cart(ids: Callable[[], str]) -> None:
    cart = Cart(ids)
    assert cart.is_empty
    assert not cart.is_paid
    assert cart.total_cents == 0
    assert cart.balance_due_cents == 0


def test_product_with_missing_tax_class_value_is_rejected() -> None:
    with pytest.raises(ValueError):
        ProductRef("p", "Odd", None, 100, TaxClass("luxury"))


def test_adding_zero_or_negative_quantity_never_removes_items(ids: Callable[[], str]) -> None:
    cart = Cart(ids)
    cart.add_product(COKE, qty=3)
    for bad in (0, -2):
        with pytest.raises(InvalidQuantity):
            cart.add_product(COKE, qty=bad)
    assert cart.lines[0].qty == 3


def test_lowering_the_quantity_below_an_amount_discount_is_refused(
    ids: Callable[[], str],
) -> None:
    cart = Cart(ids)
    coke = cart.add_product(COKE, qty=3)
    cart.set_line_discount(coke.id, Discount(DiscountKind.AMOUNT, 20000))
    with pytest.raises(InvalidAmount, match="remove the discount first"):
        cart.set_qty(coke.id, 2)
    assert cart.lines[0].qty == 3


def test_price_override_needs_an_approver(ids: Callable[[], str]) -> None:
    from asiria_desktop.domain.errors import ApprovalRequired
    from asiria_desktop.domain.permissions import Action

    cart = Cart(ids)
    coke = cart.add_product(COKE)
    with pytest.raises(ApprovalRequired) as error:
        cart.override_price(coke.id, 100, approved_by="")
    assert error.value.action == Action.PRICE_OVERRIDE


def test_a_product_without_a_name_or_with_a_bad_price_is_refused() -> None:
    from asiria_desktop.domain.errors import DomainError

    with pytest.raises(DomainError, match="no name"):
        ProductRef("p", "  ", None, 100, TaxClass.STANDARD)
    with pytest.raises(InvalidAmount, match="invalid price"):
        ProductRef("p", "Soap", None, -1, TaxClass.STANDARD)
