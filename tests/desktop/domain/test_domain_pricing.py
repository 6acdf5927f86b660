"""Pricing: totals are sums of lines, to the cent, whatever the discounts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiria_desktop.domain.errors import InvalidAmount, InvalidQuantity
from asiria_desktop.domain.pricing import (
    Discount,
    DiscountKind,
    LineInput,
    allocate,
    price_cart,
)
from asiria_desktop.domain.tax import TaxClass, TaxTable


def line(
    n: int,
    price: int,
    qty: int | None = 1,
    qty_milli: int | None = None,
    tax_class: TaxClass = TaxClass.STANDARD,
    discount: Discount | None = None,
) -> LineInput:
    return LineInput(
        f"l{n}", f"p{n}", f"Item {n}", None, tax_class, price, qty, qty_milli, discount
    )


discounts = st.one_of(
    st.none(),
    st.builds(Discount, st.just(DiscountKind.PERCENT), st.integers(0, 10_000)),
    st.builds(Discount, st.just(DiscountKind.AMOUNT), st.integers(0, 200_000)),
)
lines_strategy = st.lists(
    st.tuples(
        st.integers(0, 500_000),
        st.one_of(
            st.tuples(st.integers(1, 50), st.none()), st.tuples(st.none(), st.integers(1, 20_000))
        ),
        st.sampled_from(list(TaxClass)),
        discounts,
    ),
    min_size=1,
    max_size=12,
).map(
    lambda rows: [
        line(i, price, qty, milli, tax_class, discount)
        for i, (price, (qty, milli), tax_class, discount) in enumerate(rows)
    ]
)


@given(lines_strategy, discounts, st.booleans())
def test_totals_are_sums_of_lines(
    lines: list[LineInput], cart_discount: Discount | None, inclusive: bool
) -> None:
    priced = price_cart(lines, cart_discount, TaxTable.kenya_default(inclusive=inclusive))
    assert priced.total_cents == sum(p.total_cents for p in priced.lines)
    assert priced.tax_cents == sum(p.tax_cents for p in priced.lines)
    assert priced.discount_cents == sum(p.discount_cents for p in priced.lines)
    assert priced.subtotal_cents == sum(p.gross_cents for p in priced.lines)
    # The tax summary adds up to the line taxes and to what the customer pays.
    assert sum(t.tax_cents for t in priced.tax_summary) == priced.tax_cents
    assert sum(t.gross_cents for t in priced.tax_summary) == priced.total_cents
    for p in priced.lines:
        assert 0 <= p.discount_cents <= p.gross_cents
        assert p.net_cents >= 0
        assert p.total_cents == (p.net_cents if inclusive else p.net_cents + p.tax_cents)


@given(lines_strategy, st.integers(0, 10_000))
def test_cart_percent_discount_is_spread_exactly(lines: list[LineInput], bp: int) -> None:
    priced = price_cart(lines, Discount(DiscountKind.PERCENT, bp))
    nets_before = sum(p.gross_cents - p.line_discount_cents for p in priced.lines)
    assert sum(p.cart_discount_cents for p in priced.lines) == priced.cart_discount_cents
    assert priced.cart_discount_cents == (nets_before * bp * 2 + 10_000) // 20_000


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**7), min_size=1, max_size=30))
def test_allocation_adds_up_and_never_exceeds_a_weight(amount: int, weights: list[int]) -> None:
    if sum(weights) == 0:
        amount = 0
    amount = min(amount, sum(weights))
    parts = allocate(amount, weights)
    assert sum(parts) == amount
    assert all(0 <= part <= weight for part, weight in zip(parts, weights, strict=True))


def test_allocation_is_proportional_and_deterministic() -> None:
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(1000, [7500, 2500]) == [750, 250]
    assert allocate(0, [0, 0]) == [0, 0]


def test_weighed_gross_is_rounded_half_up() -> None:
    priced = price_cart([line(1, 12000, None, 1250, TaxClass.ZERO)])
    assert priced.lines[0].gross_cents == 15000
    # 99.99/kg x 0.333 kg = 33.29667 -> 33.30
    assert price_cart([line(1, 9999, None, 333)]).lines[0].gross_cents == 3330
    # 1.00/kg x 0.005 kg = half a cent -> 0.01
    assert price_cart([line(1, 100, None, 5)]).lines[0].gross_cents == 1


def test_line_discount_then_cart_discount() -> None:
    lines = [
        line(1, 10000, 1, discount=Discount(DiscountKind.PERCENT, 1000)),  # 100 -> 90
        line(2, 1000, 1, tax_class=TaxClass.EXEMPT),
    ]
    priced = price_cart(lines, Discount(DiscountKind.AMOUNT, 1000))  # 10.00 over 90 + 10
    first, second = priced.lines
    assert (first.line_discount_cents, first.cart_discount_cents) == (1000, 900)
    assert second.cart_discount_cents == 100
    assert priced.total_cents == 9000
    assert first.tax_cents == 1117  # 81.00 contains 11.17 VAT


def test_amount_discount_is_capped_at_the_price() -> None:
    priced = price_cart([line(1, 500, discount=Discount(DiscountKind.AMOUNT, 900))])
    assert priced.total_cents == 0
    assert priced.discount_cents == 500


def test_exclusive_prices_add_tax_on_top() -> None:
    priced = price_cart([line(1, 10000, 3)], None, TaxTable.kenya_default(inclusive=False))
    assert priced.subtotal_cents == 30000
    assert priced.tax_cents == 4800
    assert priced.total_cents == 34800


def test_invalid_lines_and_discounts_say_why() -> None:
    with pytest.raises(InvalidQuantity, match="not both"):
        line(1, 100, 1, 500)
    with pytest.raises(InvalidQuantity, match="more than zero"):
        line(1, 100, 0)
    with pytest.raises(InvalidAmount, match="100 %"):
        Discount(DiscountKind.PERCENT, 10_001)
    with pytest.raises(InvalidAmount, match="negative"):
        Discount(DiscountKind.AMOUNT, -1)
    assert Discount("percent", 500).kind is DiscountKind.PERCENT  # type: ignore[arg-type]
