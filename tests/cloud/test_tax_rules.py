"""The cloud's VAT rule, per eTIMS band, on the pure checker (no database): every cart the till
prices passes it, and a tax that is not the products' tax classes' is caught."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from asiria_desktop.domain.pricing import Discount, DiscountKind, LineInput, price_cart
from asiria_desktop.domain.tax import TaxClass, TaxTable
from cloud_api.sales.money import charged_gross_cents, sale_money_problems
from cloud_api.sales.tax import (
    ETIMS_BANDS,
    band_line_taxes,
    sale_tax_inconsistencies,
    sale_tax_problems,
    tax_due_cents,
    tax_of_amount,
)


@dataclass(frozen=True)
class Klass:
    code: str
    rate_basis_points: int
    prices_include_tax: bool = True


def classes(inclusive: bool) -> dict[TaxClass, Klass]:
    return {
        TaxClass.STANDARD: Klass("standard", 1600, inclusive),
        TaxClass.ZERO: Klass("zero", 0, inclusive),
        TaxClass.EXEMPT: Klass("exempt", 0, inclusive),
    }


def wire_lines(priced) -> list[dict]:
    return [
        {
            "name": line.name,
            "qty": line.qty,
            "qty_milli": line.qty_milli,
            "unit_price_cents": line.unit_price_cents,
            "discount_cents": line.discount_cents,
            "tax_cents": line.tax_cents,
            "total_cents": line.total_cents,
        }
        for line in priced.lines
    ]


def soda(n: int, qty: int, price: int = 8000, tax: TaxClass = TaxClass.STANDARD) -> LineInput:
    return LineInput(f"l{n}", "soda", "Soda", None, tax, price, qty=qty)


def test_the_band_letters_are_the_tills() -> None:
    from asiria_desktop.domain.tax import ETIMS_BANDS as TILL_BANDS

    till = {tax_class.value: band for tax_class, band in TILL_BANDS.items()}
    assert till == ETIMS_BANDS


def test_160_as_two_lines_or_one_is_the_same_vat_and_per_line_rounding_is_refused() -> None:
    standard = Klass("standard", 1600)
    assert tax_of_amount(16000, rate_bp=1600, inclusive=True) == 2207
    assert band_line_taxes([8000, 8000], rate_bp=1600, inclusive=True) == [1104, 1103]
    two = [
        {"name": "Soda", "qty": 1, "qty_milli": None, "unit_price_cents": 8000,
         "discount_cents": 0, "tax_cents": tax, "total_cents": 8000}
        for tax in (1104, 1103)
    ]  # fmt: skip
    assert sale_tax_problems(lines=two, tax_classes=[standard, standard]) == {}
    # Rounded line by line (11.03 + 11.03 = 22.06): one cent short of the band's 22.07.
    per_line = [{**line, "tax_cents": 1103} for line in two]
    problems = sale_tax_problems(lines=per_line, tax_classes=[standard, standard])
    assert list(problems) == ["tax_cents"]
    assert "carry 22.06 of tax, but their 160.00 makes 22.07" in problems["tax_cents"][0]
    assert "standard (B, 16%)" in problems["tax_cents"][0]


# Carts as the till rings them up: count and weighed lines, scale labels, discounts.
till_lines = st.lists(
    st.tuples(
        st.integers(1, 500_000),
        st.one_of(
            st.tuples(st.integers(1, 50), st.none(), st.none()),
            st.tuples(st.none(), st.integers(1, 20_000), st.none()),
            st.tuples(st.none(), st.none(), st.integers(1, 2_000_000)),  # a label's price
        ),
        st.sampled_from(list(TaxClass)),
        st.one_of(st.none(), st.builds(Discount, st.just("percent"), st.integers(0, 10_000))),
    ),
    min_size=1,
    max_size=10,
)


def _inputs(rows) -> list[LineInput]:
    from asiria_desktop.domain.pricing import label_weight_milli

    lines = []
    for i, (price, (qty, milli, label), tax_class, discount) in enumerate(rows):
        if label is not None:
            milli = label_weight_milli(label, price)
            if not 1 <= milli <= 1_000_000:
                milli, label = 1000, None
        lines.append(
            LineInput(f"l{i}", f"p{i}", f"Item {i}", None, tax_class, price, qty, milli,
                      discount, label)
        )  # fmt: skip
    return lines


@given(
    till_lines,
    st.one_of(st.none(), st.builds(Discount, st.just(DiscountKind.AMOUNT), st.integers(0, 10**6))),
    st.booleans(),
)
def test_every_cart_the_till_prices_passes_the_clouds_money_and_tax_rules(
    rows, cart_discount, inclusive
) -> None:
    priced = price_cart(_inputs(rows), cart_discount, TaxTable.kenya_default(inclusive=inclusive))
    lines = wire_lines(priced)
    sale = {
        "subtotal_cents": priced.subtotal_cents,
        "discount_cents": priced.discount_cents,
        "tax_cents": priced.tax_cents,
        "total_cents": priced.total_cents,
        "change_cents": 0,
    }
    payments = [{"method": "card", "amount_cents": priced.total_cents}]
    flags = [inclusive] * len(lines)
    assert sale_money_problems(sale=sale, lines=lines, payments=payments, inclusive=flags) == {}
    assert [charged_gross_cents(line, inclusive) for line in lines] == [
        p.gross_cents for p in priced.lines
    ]
    by_class = classes(inclusive)
    tax_classes = [by_class[line.tax_class] for line in priced.lines]
    assert sale_tax_problems(lines=lines, tax_classes=tax_classes) == {}


@given(till_lines, st.data())
def test_a_tax_moved_off_its_band_or_a_wrong_class_is_caught(rows, data) -> None:
    priced = price_cart(_inputs(rows))
    lines = wire_lines(priced)
    by_class = classes(True)
    tax_classes = [by_class[line.tax_class] for line in priced.lines]
    index = data.draw(st.integers(0, len(lines) - 1))
    delta = data.draw(st.sampled_from([-1, 1, 100]))
    if lines[index]["tax_cents"] + delta < 0:
        delta = 1
    lines[index]["tax_cents"] += delta  # a cent more or less in one band never adds up
    assert "tax_cents" in sale_tax_problems(lines=lines, tax_classes=tax_classes)

    # A standard-rated line that claims no tax (and so pays none) is refused.
    clean = wire_lines(priced)
    standard = Klass("standard", 1600)
    wrong = [standard for _ in clean]
    if any(
        line.tax_class is not TaxClass.STANDARD and line.net_cents >= 11 for line in priced.lines
    ):
        assert sale_tax_problems(lines=clean, tax_classes=wrong) != {}


def test_a_line_total_that_ignores_the_classes_inclusive_flag_is_caught() -> None:
    exclusive = Klass("standard", 1600, prices_include_tax=False)
    line = {"name": "Soda", "qty": 1, "qty_milli": None, "unit_price_cents": 10000,
            "discount_cents": 0, "tax_cents": 1379, "total_cents": 10000}  # fmt: skip
    problems = sale_tax_problems(lines=[line], tax_classes=[exclusive])
    assert "lines[0].total_cents" in problems
    assert "do not include the tax" in problems["lines[0].total_cents"][0]


def test_a_scale_labels_price_is_its_lines_gross() -> None:
    # 100.00 of tomatoes at 120.00/kg: the till sells 0.833 kg at exactly 100.00, although
    # 0.833 kg x 120.00 is 99.96.
    line = {"name": "Tomatoes", "qty": None, "qty_milli": 833, "unit_price_cents": 12000,
            "discount_cents": 0, "tax_cents": 0, "total_cents": 10000}  # fmt: skip
    assert charged_gross_cents(line) == 10000
    sale = {"subtotal_cents": 10000, "discount_cents": 0, "tax_cents": 0,
            "total_cents": 10000, "change_cents": 0}  # fmt: skip
    payments = [{"method": "cash", "amount_cents": 10000}]
    assert sale_money_problems(sale=sale, lines=[line], payments=payments) == {}
    # A price whose weight is another gram is not this line's label.
    assert "lines[0].total_cents" in sale_money_problems(
        sale={**sale, "subtotal_cents": 10010, "total_cents": 10010},
        lines=[{**line, "total_cents": 10010}],
        payments=[{"method": "cash", "amount_cents": 10010}],
    )


# What head office may have changed while a till was offline: any class, any rate, either way
# of quoting prices.
current_classes = st.builds(
    Klass,
    st.sampled_from(["standard", "zero", "exempt", "reduced"]),
    st.integers(0, 10_000),
    st.booleans(),
)


@given(till_lines, st.booleans(), st.data())
def test_a_till_sale_stays_consistent_in_itself_whatever_its_tax_classes_became(
    rows, inclusive, data
) -> None:
    priced = price_cart(_inputs(rows), None, TaxTable.kenya_default(inclusive=inclusive))
    lines = wire_lines(priced)
    sale = {"tax_cents": priced.tax_cents}
    now = {tax_class: data.draw(current_classes) for tax_class in TaxClass}

    tax_classes = [now[line.tax_class] for line in priced.lines]

    assert sale_tax_inconsistencies(sale=sale, lines=lines, tax_classes=tax_classes) == {}


def test_a_band_taxed_more_than_its_gross_or_a_negative_tax_is_inconsistent() -> None:
    exclusive = Klass("standard", 1600, prices_include_tax=False)
    line = {"name": "Soda", "qty": 1, "qty_milli": None, "unit_price_cents": 8000,
            "discount_cents": 0, "tax_cents": 9000, "total_cents": 17000}  # fmt: skip

    too_much = sale_tax_inconsistencies(
        sale={"tax_cents": 9000}, lines=[line], tax_classes=[exclusive]
    )
    negative = sale_tax_inconsistencies(
        sale={"tax_cents": -5}, lines=[{**line, "tax_cents": -5}], tax_classes=[exclusive]
    )

    assert too_much == {
        "tax_cents": [
            "The lines of tax class standard (B, 16%) carry 90.00 of tax, more than their "
            "80.00 of goods."
        ]
    }
    assert set(negative) == {"tax_cents", "lines[0].tax_cents"}


def test_the_tax_due_is_worked_out_band_by_band() -> None:
    standard, exempt = Klass("standard", 1600), Klass("exempt", 0)
    lines = [
        {"name": name, "qty": 1, "qty_milli": None, "unit_price_cents": price,
         "discount_cents": 0, "tax_cents": 0, "total_cents": price}
        for name, price in [("Soda", 8000), ("Soda", 8000), ("Bread", 6500)]
    ]  # fmt: skip

    assert tax_due_cents(lines, [standard, standard, exempt]) == 2207  # not 2 x 11.03
    assert tax_due_cents(lines, [exempt, exempt, exempt]) == 0
