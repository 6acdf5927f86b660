"""Goods received and stock adjustments: quantities in the product's unit, thousandths on the
wire (a piece is 1000, a weighed item counts in grams), repeated products merged, nothing of
zero, and the payloads docs/events.md promises."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiria_desktop.domain.errors import DomainError, InvalidQuantity
from asiria_desktop.domain.money import format_weight
from asiria_desktop.domain.stock import (
    MAX_STOCK_MILLI,
    AdjustmentReason,
    StockItem,
    StockQuantity,
    adjust_stock,
    adjust_stock_to_count,
    format_stock,
    parse_quantity,
    receive_goods,
)

from .support import NAIROBI

AT = datetime(2026, 11, 24, 10, 30, tzinfo=NAIROBI)
CASHIER = "5b0c4f0e-2d7a-4b8e-9a51-3c1f2e7d8a90"
MANAGER = "7d9e1a2b-3c4d-4e5f-8a6b-9c0d1e2f3a4b"
COKE = StockItem("8f14e45f-ceea-4672-a5b1-1b2c3d4e5f60", "Coca-Cola 500ml")
BREAD = StockItem("3c59dc04-8e7a-4f1b-9a2c-0d1e2f3a4b5c", "White bread 400g")
TOMATOES = StockItem("c9f0f895-fb98-4b91-9c2e-7a8b9c0d1e2f", "Tomatoes (kg)", sold_by_weight=True)
ITEMS = (COKE, BREAD, TOMATOES)


def pieces(item: StockItem, qty: int) -> StockQuantity:
    return StockQuantity(item, qty=qty)


def grams(item: StockItem, qty_milli: int) -> StockQuantity:
    return StockQuantity(item, qty_milli=qty_milli)


def in_unit(item: StockItem, amount: int) -> StockQuantity:
    """``amount`` pieces, or grams for a weighed item."""
    return grams(item, amount) if item.sold_by_weight else pieces(item, amount)


def milli_of(item: StockItem, amount: int) -> int:
    return amount if item.sold_by_weight else amount * 1000


# ----- quantities ---------------------------------------------------------------------------


def test_a_delivery_counts_pieces_in_thousands_and_weights_in_grams() -> None:
    receipt = receive_goods(
        "r1", CASHIER, AT, [pieces(COKE, 24), grams(TOMATOES, 5500)], supplier="Bidco"
    )
    assert [(line.product_id, line.qty_milli) for line in receipt.lines] == [
        (COKE.product_id, 24_000),
        (TOMATOES.product_id, 5_500),
    ]


def test_a_quantity_must_be_in_the_products_unit() -> None:
    with pytest.raises(InvalidQuantity, match=r"Tomatoes \(kg\) is weighed"):
        receive_goods("r1", CASHIER, AT, [pieces(TOMATOES, 2)])
    with pytest.raises(InvalidQuantity, match="counted in pieces"):
        receive_goods("r1", CASHIER, AT, [grams(COKE, 2500)])
    with pytest.raises(InvalidQuantity, match="one quantity"):
        receive_goods("r1", CASHIER, AT, [StockQuantity(COKE)])


@given(st.integers(min_value=0, max_value=MAX_STOCK_MILLI // 1000))
def test_typed_pieces_are_thousandths(count: int) -> None:
    assert parse_quantity(str(count), COKE).milli == count * 1000
    assert parse_quantity(f"{count:,}", COKE).milli == count * 1000  # "1,200" pieces
    assert parse_quantity(f"-{count}", COKE, signed=True).milli == -count * 1000
    assert parse_quantity(f"+{count}", COKE, signed=True).milli == count * 1000


@given(st.integers(min_value=0, max_value=MAX_STOCK_MILLI))
def test_typed_kilograms_are_grams(weight: int) -> None:
    assert parse_quantity(format_weight(weight), TOMATOES).milli == weight
    assert parse_quantity(f"{format_weight(weight)} kg", TOMATOES).milli == weight
    assert parse_quantity(f"-{format_weight(weight)}", TOMATOES, signed=True).milli == -weight


@pytest.mark.parametrize(
    ("text", "item", "message"),
    [
        ("2.5", COKE, "not a number of pieces for Coca-Cola 500ml"),
        ("1,5", COKE, "not a number of pieces"),  # never read as 15
        ("twelve", COKE, "type a whole number"),
        ("1.2345", TOMATOES, "not a weight for Tomatoes"),
        ("", COKE, "Enter the quantity of Coca-Cola 500ml"),
        ("-3", COKE, "can't be negative"),
    ],
)
def test_a_quantity_that_cant_be_read_says_why(text: str, item: StockItem, message: str) -> None:
    with pytest.raises(InvalidQuantity, match=message):
        parse_quantity(text, item)


def test_an_empty_change_asks_for_a_sign() -> None:
    with pytest.raises(InvalidQuantity, match=r"add \(e.g. 3\) or take away \(e.g. -3\)"):
        parse_quantity(" - ", COKE, signed=True)


def test_a_line_can_not_be_larger_than_the_limit() -> None:
    limit_pieces = MAX_STOCK_MILLI // 1000
    assert pieces(COKE, limit_pieces).milli == MAX_STOCK_MILLI
    with pytest.raises(InvalidQuantity, match="more than one line can hold"):
        receive_goods("r1", CASHIER, AT, [pieces(COKE, limit_pieces + 1)])
    with pytest.raises(InvalidQuantity, match="in all is more than one line can hold"):
        receive_goods("r1", CASHIER, AT, [pieces(COKE, limit_pieces), pieces(COKE, 1)])


def test_stock_reads_in_the_products_unit() -> None:
    assert format_stock(24_000, False) == "24"
    assert format_stock(-3_000, False) == "-3"
    assert format_stock(2_500, False) == "2.500"  # a part piece: only a correction makes it
    assert format_stock(1_250, True) == "1.250 kg"


# ----- goods received -----------------------------------------------------------------------

lines_strategy = st.lists(
    st.tuples(st.sampled_from(ITEMS), st.integers(min_value=1, max_value=100_000)),
    min_size=1,
    max_size=30,
)


@given(lines_strategy)
def test_a_delivery_adds_up_each_product_once_in_the_order_scanned(
    lines: list[tuple[StockItem, int]],
) -> None:
    receipt = receive_goods("r1", CASHIER, AT, [in_unit(item, n) for item, n in lines])
    expected: Counter[str] = Counter()
    for item, amount in lines:
        expected[item.product_id] += milli_of(item, amount)
    assert [line.product_id for line in receipt.lines] == list(
        dict.fromkeys(item.product_id for item, _ in lines)
    )
    assert {line.product_id: line.qty_milli for line in receipt.lines} == dict(expected)
    assert all(line.qty_milli > 0 for line in receipt.lines)


def test_nothing_received_and_nothing_negative() -> None:
    with pytest.raises(DomainError, match="Scan or search the products that arrived"):
        receive_goods("r1", CASHIER, AT, [])
    with pytest.raises(InvalidQuantity, match="more than zero for Coca-Cola"):
        receive_goods("r1", CASHIER, AT, [pieces(COKE, 0)])
    with pytest.raises(InvalidQuantity, match="use Adjust stock"):
        receive_goods("r1", CASHIER, AT, [pieces(COKE, -2)])


def test_the_goods_received_payload() -> None:
    receipt = receive_goods(
        "01936c50-0000-7000-8000-0000000000e1",
        CASHIER,
        AT,
        [pieces(COKE, 24), grams(TOMATOES, 5_500), pieces(COKE, 6)],
        supplier="  Bidco   Africa ",
        reference=" DN-4471 ",
    )
    assert receipt.to_payload() == {
        "id": "01936c50-0000-7000-8000-0000000000e1",
        "cashier_id": CASHIER,
        "received_at": "2026-11-24T10:30:00+03:00",
        "supplier": "Bidco Africa",
        "reference": "DN-4471",
        "lines": [
            {"product_id": COKE.product_id, "qty_milli": 30_000},
            {"product_id": TOMATOES.product_id, "qty_milli": 5_500},
        ],
    }
    blank = receive_goods("r2", CASHIER, AT, [pieces(COKE, 1)], supplier=" ", reference="")
    assert (blank.supplier, blank.reference) == (None, None)


def test_supplier_and_delivery_note_fit_the_contract() -> None:
    with pytest.raises(DomainError, match="supplier's name is too long: at most 120"):
        receive_goods("r1", CASHIER, AT, [pieces(COKE, 1)], supplier="x" * 121)
    with pytest.raises(DomainError, match="delivery note number is too long: at most 64"):
        receive_goods("r1", CASHIER, AT, [pieces(COKE, 1)], reference="7" * 65)


def test_a_delivery_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        receive_goods("r1", CASHIER, datetime(2026, 11, 24), [pieces(COKE, 1)])


# ----- adjustments --------------------------------------------------------------------------

changes_strategy = st.lists(
    st.tuples(
        st.sampled_from(ITEMS),
        st.integers(min_value=-5_000, max_value=5_000).filter(lambda n: n != 0),
    ),
    min_size=1,
    max_size=30,
)


@given(changes_strategy)
def test_changes_of_one_product_are_added_up_and_none_is_zero(
    changes: list[tuple[StockItem, int]],
) -> None:
    net: Counter[str] = Counter()
    for item, amount in changes:
        net[item.product_id] += milli_of(item, amount)
    quantities = [in_unit(item, amount) for item, amount in changes]
    if not any(net.values()):
        with pytest.raises(DomainError, match="add up to nothing"):
            adjust_stock("a1", CASHIER, AT, "damaged", quantities)
        return
    adjustment = adjust_stock("a1", CASHIER, AT, "damaged", quantities)
    assert {line.product_id: line.delta_milli for line in adjustment.lines} == {
        pid: milli for pid, milli in net.items() if milli
    }
    assert all(line.delta_milli != 0 for line in adjustment.lines)


def test_a_change_of_zero_is_refused() -> None:
    with pytest.raises(InvalidQuantity, match="A change of zero for Coca-Cola 500ml"):
        adjust_stock("a1", CASHIER, AT, "damaged", [pieces(COKE, 0)])
    with pytest.raises(DomainError, match="Scan or search the products to adjust"):
        adjust_stock("a1", CASHIER, AT, "damaged", [])


@given(
    st.lists(
        st.tuples(st.sampled_from(ITEMS), st.integers(min_value=0, max_value=2_000)),
        min_size=1,
        max_size=20,
    ),
    st.fixed_dictionaries({item.product_id: st.integers(-5_000_000, 5_000_000) for item in ITEMS}),
)
def test_a_count_changes_the_stock_to_what_was_counted(
    counts: list[tuple[StockItem, int]], on_hand: dict[str, int]
) -> None:
    counted: Counter[str] = Counter()
    for item, amount in counts:
        counted[item.product_id] += milli_of(item, amount)
    quantities = [in_unit(item, amount) for item, amount in counts]
    differs = {pid for pid, total in counted.items() if total != on_hand[pid]}
    if not differs:
        with pytest.raises(DomainError, match="counts match the stock on record"):
            adjust_stock_to_count("a1", CASHIER, AT, "count_correction", quantities, on_hand)
        return
    adjustment = adjust_stock_to_count("a1", CASHIER, AT, "count_correction", quantities, on_hand)
    assert {line.product_id for line in adjustment.lines} == differs
    for line in adjustment.lines:
        assert on_hand[line.product_id] + line.delta_milli == counted[line.product_id]


def test_a_count_needs_a_stock_figure_and_is_never_negative() -> None:
    with pytest.raises(DomainError, match="no stock figure for Coca-Cola 500ml yet"):
        adjust_stock_to_count(
            "a1", CASHIER, AT, "count_correction", [pieces(COKE, 3)], {COKE.product_id: None}
        )
    with pytest.raises(InvalidQuantity, match="A count can't be negative"):
        adjust_stock_to_count(
            "a1", CASHIER, AT, "count_correction", [pieces(COKE, -3)], {COKE.product_id: 0}
        )


def test_the_reason_and_its_note() -> None:
    adjustment = adjust_stock(
        "a1", CASHIER, AT, AdjustmentReason.DAMAGED, [pieces(COKE, -2)], note=" jar  dropped "
    )
    assert adjustment.reason_text == "Damaged: jar dropped"
    assert adjust_stock("a1", CASHIER, AT, "expired", [pieces(COKE, -2)]).reason_text == "Expired"
    with pytest.raises(DomainError, match="Say what happened in the note"):
        adjust_stock("a1", CASHIER, AT, "other", [pieces(COKE, -2)])
    with pytest.raises(DomainError, match="Choose why the stock changes"):
        adjust_stock("a1", CASHIER, AT, "fell off a lorry", [pieces(COKE, -2)])
    with pytest.raises(DomainError, match="The note is too long"):
        adjust_stock("a1", CASHIER, AT, "other", [pieces(COKE, -2)], note="x" * 250)


def test_the_stock_adjusted_payload() -> None:
    adjustment = adjust_stock(
        "01936c51-0000-7000-8000-0000000000f1",
        CASHIER,
        AT,
        "damaged",
        [pieces(COKE, -2), grams(TOMATOES, -750)],
        note="dropped",
        approved_by=MANAGER,
    )
    assert adjustment.to_payload() == {
        "id": "01936c51-0000-7000-8000-0000000000f1",
        "cashier_id": CASHIER,
        "approved_by": MANAGER,
        "adjusted_at": "2026-11-24T10:30:00+03:00",
        "reason": "Damaged: dropped",
        "reason_code": "damaged",
        "lines": [
            {"product_id": COKE.product_id, "delta_milli": -2_000},
            {"product_id": TOMATOES.product_id, "delta_milli": -750},
        ],
    }
