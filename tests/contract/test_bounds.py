"""One set of bounds: the contract states them, the cloud's REST serializers and push check
use them, and the till never builds a value the cloud would refuse."""

from __future__ import annotations

import json
from pathlib import Path

from asiria_desktop.domain import cart, money, stock
from cloud_api.core import bounds

CONTRACTS = [
    Path(__file__).resolve().parent / "sync-v1.schema.json",
    bounds.CONTRACT / "sync-v1.schema.json",
]


def test_both_copies_of_the_contract_state_the_same_line_bounds() -> None:
    for path in CONTRACTS:
        line = json.loads(path.read_text(encoding="utf-8"))["$defs"]["SaleLine"]["properties"]
        assert line["qty"]["maximum"] == bounds.QTY_MAX == 1_000_000
        assert line["qty_milli"]["maximum"] == bounds.QTY_MILLI_MAX == 1_000_000_000


def test_the_rest_serializers_use_the_contracts_bounds() -> None:
    from cloud_api.inventory.serializers import AdjustmentIn
    from cloud_api.purchases.serializers import OrderLineIn, ReceiveLineIn
    from cloud_api.sales.serializers import RefundLineIn, SaleIn, SaleLineIn

    line = SaleLineIn().fields
    assert line["qty"].max_value == bounds.QTY_MAX
    assert line["qty_milli"].max_value == bounds.QTY_MILLI_MAX
    for name in ("unit_price_cents", "discount_cents", "tax_cents", "total_cents"):
        assert line[name].max_value == bounds.CENTS_MAX
    refund = RefundLineIn().fields
    assert (refund["qty"].max_value, refund["qty_milli"].max_value) == (
        bounds.QTY_MAX,
        bounds.QTY_MILLI_MAX,
    )
    assert SaleIn().fields["rounding_cents"].max_value == bounds.ROUNDING_MAX
    assert AdjustmentIn().fields["delta_milli"].max_value == bounds.STOCK_DELTA_MILLI_MAX
    for serializer in (OrderLineIn(), ReceiveLineIn()):
        assert serializer.fields["quantity_milli"].max_value == bounds.QTY_MILLI_MAX


def test_the_tills_limits_are_within_the_clouds() -> None:
    assert 1 <= cart.MAX_QTY <= bounds.QTY_MAX
    assert 1 <= cart.MAX_QTY_MILLI <= bounds.QTY_MILLI_MAX
    assert money.MAX_CENTS <= bounds.CENTS_MAX
    assert stock.MAX_STOCK_MILLI <= bounds.STOCK_DELTA_MILLI_MAX
    # A till's largest line, at its largest price, is still an amount the cloud takes.
    assert cart.MAX_QTY * 1000 <= bounds.QTY_MILLI_MAX


def test_a_stock_level_can_take_any_movement_without_overflowing() -> None:
    biggest_run = 1000 * 500 * max(bounds.QTY_MILLI_MAX, bounds.STOCK_DELTA_MILLI_MAX)
    assert bounds.STOCK_LEVEL_MAX_MILLI + biggest_run < 2**63
