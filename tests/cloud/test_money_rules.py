"""The money rules of ARCHITECTURE 4, property-tested on the pure checker (no database)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cloud_api.sales.money import line_gross_cents, round_half_up_div, sale_money_problems

unit_prices = st.integers(min_value=0, max_value=5_000_000)


@st.composite
def lines(draw):
    price = draw(unit_prices)
    if draw(st.booleans()):
        qty, qty_milli = draw(st.integers(min_value=1, max_value=500)), None
    else:
        qty, qty_milli = None, draw(st.integers(min_value=1, max_value=50_000))
    gross = line_gross_cents(unit_price_cents=price, qty=qty, qty_milli=qty_milli)
    discount = draw(st.integers(min_value=0, max_value=gross))
    total = gross - discount
    tax = draw(st.integers(min_value=0, max_value=total))
    return {
        "qty": qty,
        "qty_milli": qty_milli,
        "unit_price_cents": price,
        "discount_cents": discount,
        "tax_cents": tax,
        "total_cents": total,
    }


@st.composite
def sales(draw):
    sale_lines = draw(st.lists(lines(), min_size=1, max_size=8))
    total = sum(line["total_cents"] for line in sale_lines)
    non_cash = draw(st.integers(min_value=0, max_value=total))
    change = draw(st.integers(min_value=0, max_value=100_000))
    payments = [{"method": "cash", "amount_cents": total - non_cash + change}]
    if non_cash:
        payments.append(
            {"method": draw(st.sampled_from(["card", "mpesa"])), "amount_cents": non_cash}
        )
    sale = {
        "subtotal_cents": sum(
            line_gross_cents(
                unit_price_cents=line["unit_price_cents"],
                qty=line["qty"],
                qty_milli=line["qty_milli"],
            )
            for line in sale_lines
        ),
        "discount_cents": sum(line["discount_cents"] for line in sale_lines),
        "tax_cents": sum(line["tax_cents"] for line in sale_lines),
        "total_cents": total,
        "change_cents": change,
    }
    return sale, sale_lines, payments


@given(sales())
def test_a_sale_whose_amounts_add_up_is_accepted(case):
    sale, sale_lines, payments = case
    assert sale_money_problems(sale=sale, lines=sale_lines, payments=payments) == {}


@given(
    sales(),
    st.sampled_from(["subtotal_cents", "discount_cents", "tax_cents", "total_cents"]),
    st.integers(min_value=1, max_value=10_000),
)
def test_any_header_amount_off_by_any_cent_is_caught(case, field, delta):
    sale, sale_lines, payments = case
    sale[field] += delta
    problems = sale_money_problems(sale=sale, lines=sale_lines, payments=payments)
    assert field in problems


@given(sales(), st.integers(min_value=1, max_value=10_000))
def test_payments_that_do_not_cover_the_total_are_caught(case, short):
    sale, sale_lines, payments = case
    payments[0]["amount_cents"] -= short
    if payments[0]["amount_cents"] < 0:
        return
    assert "payments" in sale_money_problems(sale=sale, lines=sale_lines, payments=payments)


@settings(max_examples=50)
@given(lines(), st.integers(min_value=1, max_value=1000))
def test_a_line_total_that_is_not_price_times_quantity_is_caught(line, delta):
    sale = {
        "subtotal_cents": 0,
        "discount_cents": 0,
        "tax_cents": 0,
        "total_cents": 0,
        "change_cents": 0,
    }
    if line["qty_milli"] is not None:
        # Off by more than half a gram's worth, so it is not a scale label's price either.
        delta += line["unit_price_cents"] // 2000 + 1
    line["total_cents"] += delta
    line["tax_cents"] = 0
    problems = sale_money_problems(sale=sale, lines=[line], payments=[])
    assert "lines[0].total_cents" in problems


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=10**6))
def test_rounding_is_half_up(numerator, denominator):
    result = round_half_up_div(numerator, denominator)
    # result is the nearest integer, and exact halves go up
    assert abs(2 * (numerator - result * denominator)) <= denominator
    if 2 * (numerator % denominator) == denominator:
        assert result == numerator // denominator + 1


def test_weighed_line_rounds_to_the_nearest_cent():
    # 1.255 kg at 99.99/kg = 125.48745 -> 12549 cents
    assert line_gross_cents(unit_price_cents=9999, qty=None, qty_milli=1255) == 12549
    # exactly half a cent rounds up: 0.5 kg at 0.01/kg... 1 * 500 / 1000 = 0.5 -> 1
    assert line_gross_cents(unit_price_cents=1, qty=None, qty_milli=500) == 1
