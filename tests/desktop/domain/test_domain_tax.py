"""Tax per line: VAT 16 % inclusive by default, exclusive supported, zero-rated and exempt."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.tax import TaxClass, TaxRule, TaxTable, line_total, tax_for_line


def test_inclusive_vat_is_contained_in_the_price() -> None:
    assert tax_for_line(16000, TaxRule(1600)) == 2207  # 160.00 contains 22.07 VAT
    assert tax_for_line(11600, TaxRule(1600)) == 1600


def test_exclusive_vat_is_added_to_the_price() -> None:
    rule = TaxRule(1600, inclusive=False)
    assert tax_for_line(10000, rule) == 1600
    assert line_total(10000, 1600, rule) == 11600


def test_kenya_default_table() -> None:
    table = TaxTable.kenya_default()
    assert table.rule(TaxClass.STANDARD) == TaxRule(1600, True)
    assert tax_for_line(15000, table.rule(TaxClass.ZERO)) == 0
    assert tax_for_line(6000, table.rule(TaxClass.EXEMPT)) == 0
    assert TaxTable.kenya_default(inclusive=False).rule(TaxClass.STANDARD).inclusive is False


def test_missing_tax_rule_says_what_to_do() -> None:
    with pytest.raises(DomainError, match="Ask the manager"):
        TaxTable({}).rule(TaxClass.STANDARD)


@given(st.integers(0, 10**10))
def test_inclusive_tax_never_exceeds_the_price(net: int) -> None:
    tax = tax_for_line(net, TaxRule(1600))
    assert 0 <= tax <= net
    # The pre-tax amount times 16 % gives back the tax to within a cent.
    assert abs((net - tax) * 1600 - tax * 10000) <= 10000 + 1600
