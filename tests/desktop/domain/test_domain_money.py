"""Money: formatting, parsing and rounding as a cashier sees them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiria_desktop.domain.errors import InvalidAmount
from asiria_desktop.domain.money import (
    KES,
    MAX_CENTS,
    Currency,
    div_round_half_up,
    format_amount,
    format_money,
    format_weight,
    parse_money,
    parse_weight,
    percent_of,
    round_cash,
)

JPY = Currency("JPY", 0)


@pytest.mark.parametrize(
    ("cents", "text"),
    [(0, "0.00"), (5, "0.05"), (123450, "1,234.50"), (100000000, "1,000,000.00"), (-250, "-2.50")],
)
def test_format_amount(cents: int, text: str) -> None:
    assert format_amount(cents) == text


def test_format_money_shows_the_currency() -> None:
    assert format_money(123450) == "KES 1,234.50"
    assert format_money(1500, JPY) == "JPY 1,500"


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12", 1200),
        ("12.5", 1250),
        ("12.50", 1250),
        ("1,234.50", 123450),
        ("KES 10", 1000),
        ("kes10", 1000),
        ("  7.05\n", 705),
        (".5", 50),
        ("12.", 1200),
        ("-3.20", -320),
    ],
)
def test_parse_money_reads_what_people_type(text: str, cents: int) -> None:
    assert parse_money(text) == cents


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("", "Enter an amount"),
        ("abc", "not an amount"),
        ("12.345", "at most 2 decimals"),
        ("1,23", "commas"),
        ("1.2.3", "not an amount"),
        (".", "not an amount"),
        ("١٢", "not an amount"),  # Arabic-Indic digits are not accepted silently
        ("99999999999", "largest amount"),
    ],
)
def test_parse_money_rejects_with_a_plain_message(text: str, hint: str) -> None:
    with pytest.raises(InvalidAmount) as error:
        parse_money(text)
    assert hint in error.value.message


def test_zero_decimal_currency_has_no_fraction() -> None:
    assert parse_money("1,500", JPY) == 1500
    with pytest.raises(InvalidAmount, match="no decimals"):
        parse_money("15.5", JPY)


@given(st.integers(min_value=-MAX_CENTS, max_value=MAX_CENTS))
def test_format_then_parse_round_trips(cents: int) -> None:
    assert parse_money(format_amount(cents)) == cents
    assert parse_money(format_money(cents)) == cents
    assert parse_money(format_amount(cents, JPY), JPY) == cents


@given(st.integers(-(10**12), 10**12), st.integers(1, 10**6) | st.integers(-(10**6), -1))
def test_div_round_half_up_matches_decimal(numerator: int, denominator: int) -> None:
    expected = (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    assert div_round_half_up(numerator, denominator) == int(expected)


def test_half_cents_round_away_from_zero() -> None:
    assert div_round_half_up(5, 10) == 1
    assert div_round_half_up(15, 10) == 2
    assert div_round_half_up(-5, 10) == -1
    assert div_round_half_up(14, 10) == 1


def test_percent_of_is_half_up() -> None:
    assert percent_of(16000, 1000) == 1600
    assert percent_of(1005, 5000) == 503  # 502.5 -> 503
    assert percent_of(999, 1600) == 160  # 159.84


@pytest.mark.parametrize(
    ("cents", "step", "rounded"),
    [
        (37003, 5, 37005),
        (37002, 5, 37000),
        (37025, 50, 37050),
        (37024, 50, 37000),
        (37049, 1, 37049),
    ],
)
def test_round_cash_to_the_smallest_coin(cents: int, step: int, rounded: int) -> None:
    assert round_cash(cents, step) == rounded


@given(st.integers(0, 10**9), st.sampled_from([5, 10, 50, 100, 500]))
def test_round_cash_is_within_half_a_coin(cents: int, step: int) -> None:
    rounded = round_cash(cents, step)
    assert rounded % step == 0
    assert abs(rounded - cents) * 2 <= step


def test_weights_format_and_parse() -> None:
    assert format_weight(1250) == "1.250"
    assert format_weight(5) == "0.005"
    assert parse_weight("1.25") == 1250
    assert parse_weight("0.5 kg") == 500
    assert parse_weight("2") == 2000
    with pytest.raises(InvalidAmount, match="not a weight"):
        parse_weight("1.2345")


@given(st.integers(0, 10**7))
def test_weight_round_trips(qty_milli: int) -> None:
    assert parse_weight(format_weight(qty_milli)) == qty_milli


def test_currency_codes_are_checked() -> None:
    assert KES.unit == 100
    with pytest.raises(ValueError, match="3 capital letters"):
        Currency("shilling", 2)
