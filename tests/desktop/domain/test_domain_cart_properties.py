"""Whatever a cashier does, in any order, the cart's money stays consistent, and a refused
change leaves the cart exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from asiria_desktop.domain.cart import Cart, PaymentMethod, ProductRef
from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.pricing import Discount, DiscountKind, price_cart

from .support import BREAD, COKE, TOMATOES, make_id_factory

PRODUCTS = [COKE, BREAD, replace(BREAD, id="p-odd", name="Odd", price_cents=3333)]
discounts = st.one_of(
    st.none(),
    st.builds(Discount, st.just(DiscountKind.PERCENT), st.integers(0, 10_000)),
    st.builds(Discount, st.just(DiscountKind.AMOUNT), st.integers(0, 50_000)),
)


class CartMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.cart = Cart(make_id_factory(), cash_rounding_step_cents=5)
        self.codes = 0

    def attempt(self, change: Callable[[], object]) -> None:
        """Do ``change``; if the cart refuses it, the cart must be exactly as before."""
        before = self.cart.to_snapshot()
        try:
            change()
        except DomainError as error:
            assert error.message
            assert self.cart.to_snapshot() == before

    def pick(self, index: int) -> str:
        return self.cart.lines[index % len(self.cart.lines)].id

    @rule(product=st.sampled_from(PRODUCTS), qty=st.integers(1, 5))
    def add(self, product: ProductRef, qty: int) -> None:
        self.attempt(lambda: self.cart.add_product(product, qty=qty))

    @rule(grams=st.integers(1, 5000))
    def weigh(self, grams: int) -> None:
        self.attempt(lambda: self.cart.add_product(TOMATOES, qty_milli=grams))

    @precondition(lambda self: not self.cart.is_empty)
    @rule(index=st.integers(0, 20), qty=st.integers(0, 12))
    def change_qty(self, index: int, qty: int) -> None:
        line = self.cart.line(self.pick(index))
        if line.qty is not None:
            self.attempt(lambda: self.cart.set_qty(line.id, qty))
        else:
            self.attempt(lambda: self.cart.set_qty_milli(line.id, qty * 100))

    @precondition(lambda self: not self.cart.is_empty)
    @rule(index=st.integers(0, 20))
    def void(self, index: int) -> None:
        self.attempt(lambda: self.cart.void_line(self.pick(index)))

    @precondition(lambda self: not self.cart.is_empty)
    @rule(index=st.integers(0, 20), discount=discounts)
    def discount_line(self, index: int, discount: Discount | None) -> None:
        self.attempt(lambda: self.cart.set_line_discount(self.pick(index), discount))

    @rule(discount=discounts)
    def discount_cart(self, discount: Discount | None) -> None:
        self.attempt(lambda: self.cart.set_cart_discount(discount))

    @rule(method=st.sampled_from(list(PaymentMethod)), amount=st.integers(1, 60_000))
    def pay(self, method: PaymentMethod, amount: int) -> None:
        self.codes += 1
        code = f"SKO3ZQ{self.codes:04d}" if method is PaymentMethod.MPESA else None
        self.attempt(lambda: self.cart.add_payment(method, amount, code))

    @precondition(lambda self: self.cart.has_payments)
    @rule(index=st.integers(0, 20))
    def unpay(self, index: int) -> None:
        payments = self.cart.payments
        self.cart.remove_payment(payments[index % len(payments)].id)

    @invariant()
    def the_cached_pricing_is_what_pricing_the_cart_afresh_gives(self) -> None:
        fresh = price_cart(
            [line.to_input() for line in self.cart.lines],
            self.cart.cart_discount,
            self.cart.tax_table,
        )
        assert self.cart.priced() == fresh
        assert self.cart.total_cents == fresh.total_cents
        restored = Cart.from_snapshot(self.cart.to_snapshot(), make_id_factory())
        assert restored.priced() == fresh

    @invariant()
    def money_adds_up(self) -> None:
        priced = self.cart.priced()
        assert priced.total_cents == sum(line.total_cents for line in priced.lines)
        assert priced.tax_cents == sum(t.tax_cents for t in priced.tax_summary)
        assert all(line.total_cents >= 0 for line in priced.lines)
        non_cash = sum(
            p.amount_cents for p in self.cart.payments if p.method is not PaymentMethod.CASH
        )
        assert non_cash <= priced.total_cents
        assert self.cart.balance_due_cents >= 0
        assert self.cart.change_cents >= 0
        if self.cart.change_cents:
            assert any(p.method is PaymentMethod.CASH for p in self.cart.payments)
        if self.cart.is_paid:
            settled = self.cart.paid_cents - self.cart.change_cents
            assert settled == priced.total_cents + self.cart.rounding_cents
            assert abs(self.cart.rounding_cents) * 2 <= 5


CartMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
TestCartStateMachine = CartMachine.TestCase
