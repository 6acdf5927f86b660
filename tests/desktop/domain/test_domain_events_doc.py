"""docs/events.md and the payload builders describe the same fields."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from asiria_desktop.domain.cart import PaymentMethod
from asiria_desktop.domain.events import (
    drawer_opened_payload,
    shift_closed_payload,
    shift_opened_payload,
)
from asiria_desktop.domain.refund import RefundLineRequest, build_refund
from asiria_desktop.domain.shift import CashMovement, Shift, build_shift_report
from asiria_desktop.domain.stock import StockItem, StockQuantity, adjust_stock, receive_goods
from asiria_desktop.domain.voids import void_sale

from .support import NAIROBI, make_id_factory
from .test_domain_shift import CASHIER, sale

DOC = Path(__file__).resolve().parents[3] / "docs" / "events.md"
AT = datetime(2026, 11, 24, 15, 0, tzinfo=NAIROBI)


def documented_examples() -> dict[str, dict[str, Any]]:
    if not DOC.exists():
        pytest.skip(f"{DOC} is missing")
    sections = re.split(r"^## `([a-z.]+)`\n", DOC.read_text(encoding="utf-8"), flags=re.M)
    examples = {}
    for name, body in zip(sections[1::2], sections[2::2], strict=True):
        blocks = re.findall(r"```json\n(.*?)```", body, flags=re.S)
        if blocks:
            examples[name] = json.loads(blocks[0])
    return examples


def built_payloads() -> dict[str, dict[str, Any]]:
    ids = make_id_factory()
    sold = sale(40, (PaymentMethod.CASH, 22500))
    refund = build_refund(
        sold,
        [RefundLineRequest(sold.lines[0].id, qty=1)],
        [],
        ids(),
        ids,
        PaymentMethod.CASH,
        AT,
        "mgr",
        refund_no="S01-T01-R000001",
    )
    soda = StockItem(sold.lines[0].product_id, sold.lines[0].name)
    shift = Shift("shift-1", CASHIER.id, AT, 500000)
    report = build_shift_report("Z", shift, [sold], [refund], [], [], 530000)
    movement = CashMovement(
        "out",
        1000,
        "banking",
        id=ids(),
        shift_id="shift-1",
        cashier_id=CASHIER.id,
        approved_by="mgr",
        moved_at=AT,
    )
    return {
        "sale.voided": void_sale(sold, ids(), "oops", CASHIER.id, "mgr", AT).to_payload(),
        "refund.created": refund.to_payload(),
        "shift.opened": shift_opened_payload("shift-1", CASHIER.id, 500000, AT, "T01"),
        "shift.closed": shift_closed_payload(report, CASHIER.id, AT),
        "cash.moved": movement.to_payload(),
        "drawer.opened": drawer_opened_payload(ids(), "no_sale", CASHIER.id, AT, "mgr"),
        "stock.adjusted": adjust_stock(
            ids(), CASHIER.id, AT, "damaged", [StockQuantity(soda, qty=-2)], approved_by="mgr"
        ).to_payload(),
        "goods.received": receive_goods(
            ids(), CASHIER.id, AT, [StockQuantity(soda, qty=24)], supplier="Bidco"
        ).to_payload(),
    }


def keys(value: Any) -> Any:
    """The shape of a payload: its keys, recursively (list items by their first element)."""
    if isinstance(value, dict):
        return {k: keys(v) for k, v in value.items()}
    if isinstance(value, list) and value:
        return [keys(value[0])]
    return None


@pytest.mark.parametrize("event_type", list(built_payloads()))
def test_documented_example_has_the_fields_the_till_sends(event_type: str) -> None:
    examples = documented_examples()
    assert event_type in examples, f"docs/events.md has no example for {event_type}"
    assert keys(examples[event_type]) == keys(built_payloads()[event_type])


def test_documented_refund_example_is_what_the_till_computes() -> None:
    # The doc's example: one of two Coca-Colas (160.00 with 22.07 VAT) back in cash.
    example = documented_examples()["refund.created"]
    assert example["lines"][0]["total_cents"] == 8000
    assert example["lines"][0]["tax_cents"] == (2207 + 1) // 2
