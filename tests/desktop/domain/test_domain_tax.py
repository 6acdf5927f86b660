"""Tax: VAT 16 % inclusive by default, exclusive supported, zero-rated and exempt; the tax of a
sale is worked out per eTIMS band on the band's total, then shared over the band's lines."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.pricing import Discount, DiscountKind, LineInput, price_cart
from asiria_desktop.domain.tax import (
    ETIMS_BANDS,
    TaxClass,
    TaxRule,
    TaxTable,
    band_line_taxes,
    line_total,
    tax_for_amount,
)


def test_inclusive_vat_is_contained_in_the_price() -> None:
    assert tax_for_amount(16000, TaxRule(1600)) == 2207  # 160.00 contains 22.07 VAT
    assert tax_for_amount(11600, TaxRule(1600)) == 1600


def test_exclusive_vat_is_added_to_the_price() -> None:
    rule = TaxRule(1600, inclusive=False)
    assert tax_for_amount(10000, rule) == 1600
    assert line_total(10000, 1600, rule) == 11600


def test_kenya_default_table() -> None:
    table = TaxTable.kenya_default()
    assert table.rule(TaxClass.STANDARD) == TaxRule(1600, True)
    assert tax_for_amount(15000, table.rule(TaxClass.ZERO)) == 0
    assert tax_for_amount(6000, table.rule(TaxClass.EXEMPT)) == 0
    assert TaxTable.kenya_default(inclusive=False).rule(TaxClass.STANDARD).inclusive is False


def test_missing_tax_rule_says_what_to_do() -> None:
    with pytest.raises(DomainError, match="Ask the manager"):
        TaxTable({}).rule(TaxClass.STANDARD)


@given(st.integers(0, 10**10))
def test_inclusive_tax_never_exceeds_the_price(net: int) -> None:
    tax = tax_for_amount(net, TaxRule(1600))
    assert 0 <= tax <= net
    # The pre-tax amount times 16 % gives back the tax to within a cent.
    assert abs((net - tax) * 1600 - tax * 10000) <= 10000 + 1600


def test_the_bands_carry_kras_etims_letters() -> None:
    assert ETIMS_BANDS == {TaxClass.EXEMPT: "A", TaxClass.STANDARD: "B", TaxClass.ZERO: "C"}


def _soda(
    n: int, qty: int, tax_class: TaxClass = TaxClass.STANDARD, price: int = 8000
) -> LineInput:
    return LineInput(f"l{n}", "soda", "Soda", None, tax_class, price, qty=qty)


def test_two_lines_of_80_and_one_line_of_2_x_80_give_the_same_vat() -> None:
    split = price_cart([_soda(1, 1), _soda(2, 1)])
    merged = price_cart([_soda(1, 2)])
    assert split.tax_cents == merged.tax_cents == 2207  # 160.00 x 16/116 = 22.069 -> 22.07
    assert [line.tax_cents for line in split.lines] == [1104, 1103]  # shares of the band's 22.07
    assert split.tax_summary == merged.tax_summary


def test_a_bands_tax_is_shared_over_its_lines_in_proportion() -> None:
    assert band_line_taxes([8000, 8000], TaxRule(1600)) == [1104, 1103]
    assert band_line_taxes([11600, 0, 5800], TaxRule(1600)) == [1600, 0, 800]
    assert band_line_taxes([1234, 5678], TaxRule(0)) == [0, 0]
    assert band_line_taxes([], TaxRule(1600)) == []


# A basket: (price, quantity, tax class) of each kind of goods, and how to cut each quantity
# into lines (a cashier scanning twice, or typing 2 x).
basket = st.lists(
    st.tuples(st.integers(0, 500_000), st.integers(1, 12), st.sampled_from(list(TaxClass))),
    min_size=1,
    max_size=6,
)


def _lines(goods: list[tuple[int, int, TaxClass]], cuts: list[list[int]]) -> list[LineInput]:
    lines: list[LineInput] = []
    for kind, ((price, _qty, tax_class), parts) in enumerate(zip(goods, cuts, strict=True)):
        for qty in parts:
            lines.append(
                LineInput(
                    f"l{len(lines)}", f"p{kind}", f"Item {kind}", None, tax_class, price, qty=qty
                )
            )
    return lines


@st.composite
def a_basket_cut_two_ways(
    draw: st.DrawFn,
) -> tuple[list[LineInput], list[LineInput]]:
    goods = draw(basket)

    def cut(qty: int) -> list[int]:
        parts, left = [], qty
        while left:
            part = draw(st.integers(1, left))
            parts.append(part)
            left -= part
        return parts

    first = _lines(goods, [cut(qty) for _, qty, _ in goods])
    second = _lines(goods, [cut(qty) for _, qty, _ in goods])
    return first, draw(st.permutations(second))


@given(
    a_basket_cut_two_ways(),
    st.one_of(
        st.none(),
        st.builds(Discount, st.just(DiscountKind.PERCENT), st.integers(0, 10_000)),
        st.builds(Discount, st.just(DiscountKind.AMOUNT), st.integers(0, 300_000)),
    ),
    st.booleans(),
)
def test_any_split_of_the_same_goods_gives_the_same_vat_per_band(
    baskets: tuple[list[LineInput], list[LineInput]],
    cart_discount: Discount | None,
    inclusive: bool,
) -> None:
    table = TaxTable.kenya_default(inclusive=inclusive)
    one, other = (price_cart(lines, cart_discount, table) for lines in baskets)
    assert one.tax_summary == other.tax_summary
    assert (one.total_cents, one.tax_cents) == (other.total_cents, other.tax_cents)
    for priced in (one, other):
        # The summary is still the sum of the line taxes, band by band.
        per_band: Counter[TaxClass] = Counter()
        for line in priced.lines:
            per_band[line.tax_class] += line.tax_cents
        assert {row.tax_class: row.tax_cents for row in priced.tax_summary} == {
            tax_class: tax for tax_class, tax in per_band.items()
        }
        # Each band's tax is the rate applied once to the band's total, half-up.
        for row in priced.tax_summary:
            base = row.gross_cents if inclusive else row.taxable_cents
            assert row.tax_cents == tax_for_amount(base, table.rule(row.tax_class))
