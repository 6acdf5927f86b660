"""Refunds against a receipt and voids of whole sales: approvals, limits, events."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asiria_desktop.domain.errors import ApprovalRequired, DomainError, RefundError

from .support import (
    CASHIER_PIN,
    COKE,
    MANAGER_PIN,
    SODA_300,
    TOMATO_LABEL,
    audit,
    outbox,
    ring_up_and_pay_cash,
    rows,
    stock_deltas,
    user_id,
)


def signed_in_with_a_shift(till: Any) -> Any:
    till.services.auth.login(CASHIER_PIN)
    till.services.shifts.open(None, 10000)
    return till


@pytest.fixture
def till(fake_till: Any) -> Any:
    """The use cases on in-memory storage; the first test runs on a real SQLite till too."""
    return signed_in_with_a_shift(fake_till)


@pytest.fixture(params=["in memory", "sqlite"])
def either_till(request: pytest.FixtureRequest) -> Any:
    if request.param == "sqlite":
        return signed_in_with_a_shift(request.getfixturevalue("make_till")())
    return signed_in_with_a_shift(request.getfixturevalue("fake_till"))


def approve(till: Any, action: str) -> Any:
    return till.services.auth.approve(MANAGER_PIN, action)


def test_partial_refund_needs_approval_and_is_recorded(either_till: Any) -> None:
    till = either_till
    sold = ring_up_and_pay_cash(till, COKE, COKE, COKE, TOMATO_LABEL)
    detail = till.services.refunds.find(sold.receipt_no.lower())
    coke = detail.lines[0]
    assert (coke.name, coke.refundable_qty) == ("Coca-Cola 500ml", 3)
    with pytest.raises(ApprovalRequired) as asked:
        till.services.refunds.refund(sold.receipt_no, {coke.line_id: 2})
    result = till.services.refunds.refund(
        sold.receipt_no, {coke.line_id: 2}, "cash", approve(till, asked.value.action), "flat"
    )
    assert result.amount_cents == 16000 and result.opened_drawer
    assert "Refund of 160.00 by Cash" in result.message
    assert till.services.refunds.find(sold.receipt_no).lines[0].refundable_qty == 1

    event = outbox(till)[-1]
    assert event["type"] == "refund.created"
    assert event["payload"]["approved_by"] == user_id(till, "Wanjiru")
    assert event["payload"]["lines"][0]["qty"] == 2
    assert ("refund", user_id(till, "Amina"), user_id(till, "Wanjiru")) in [
        a[:3] for a in audit(till)
    ]
    refund_movements = (
        stock_deltas(till, "refund")
        if hasattr(till, "storage")
        else [
            d
            for (d,) in rows(
                till, "SELECT delta_milli FROM stock_movements WHERE reason = 'refund'"
            )
        ]
    )
    assert refund_movements == [2000]
    assert "REFUND" in till.printer.last_text.upper()


def test_a_scale_label_line_is_refunded_by_weight(till: Any) -> None:
    sold = ring_up_and_pay_cash(till, TOMATO_LABEL)  # KES 90.00 of tomatoes: 0.750 kg
    (tomatoes,) = till.services.refunds.find(sold.receipt_no).lines
    assert (tomatoes.qty_text, tomatoes.refundable_qty_milli) == ("0.750 kg", 750)
    result = till.services.refunds.refund(
        sold.receipt_no, {tomatoes.line_id: 250}, "cash", approve(till, "refund")
    )
    assert result.amount_cents == 3000  # a third of the weight, a third of the label's price
    event = outbox(till)[-1]
    assert [(line["qty"], line["qty_milli"]) for line in event["payload"]["lines"]] == [(None, 250)]
    assert stock_deltas(till, "refund") == [250]
    assert "  0.250 kg x 120.00/kg" in till.printer.last_text.splitlines()
    assert till.services.refunds.find(sold.receipt_no).lines[0].refundable_qty_milli == 500


def test_refund_never_exceeds_what_was_sold(till: Any) -> None:
    sold = ring_up_and_pay_cash(till, COKE, COKE)
    line = till.services.refunds.find(sold.receipt_no).lines[0].line_id
    approval = approve(till, "refund")
    with pytest.raises(RefundError, match="Only 2"):
        till.services.refunds.refund(sold.receipt_no, {line: 3}, "cash", approval)
    till.services.refunds.refund(sold.receipt_no, {line: 2}, "cash", approval)
    with pytest.raises(RefundError, match="already been refunded in full"):
        till.services.refunds.refund(sold.receipt_no, {line: 1}, "cash", approval)
    assert till.services.refunds.find(sold.receipt_no).fully_refunded


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=5))
def test_any_sequence_of_refunds_stays_within_the_sale(till: Any, steps: list[int]) -> None:
    sold = ring_up_and_pay_cash(till, SODA_300, SODA_300, SODA_300, SODA_300)
    line = till.services.refunds.find(sold.receipt_no).lines[0]
    approval = approve(till, "refund")
    refunded = 0
    for qty in steps:
        try:
            result = till.services.refunds.refund(
                sold.receipt_no, {line.line_id: qty}, "cash", approval
            )
        except RefundError:
            assert refunded + qty > 4
            continue
        refunded += qty
        assert result.amount_cents > 0
    total = sum(r.total_cents for r in till.storage.state.refunds if r.sale_id == sold.sale_id)
    assert refunded <= 4 and total <= line.total_cents
    if refunded == 4:
        assert total == line.total_cents


def test_void_needs_approval_and_only_for_the_open_shift(till: Any) -> None:
    sold = ring_up_and_pay_cash(till, COKE)
    with pytest.raises(ApprovalRequired) as asked:
        till.services.voids.void_sale(sold.receipt_no, "customer changed mind")
    result = till.services.voids.void_sale(
        sold.receipt_no, "customer changed mind", approve(till, asked.value.action)
    )
    assert result.amount_cents == 8000 and "voided" in result.message
    assert outbox(till)[-1]["type"] == "sale.voided"
    assert ("void_sale", user_id(till, "Amina"), user_id(till, "Wanjiru")) in [
        a[:3] for a in audit(till)
    ]
    with pytest.raises(DomainError, match="already voided"):
        till.services.voids.void_sale(sold.receipt_no, "again", approve(till, "void_sale"))
    with pytest.raises(RefundError, match="voided"):
        till.services.refunds.refund(
            sold.receipt_no,
            {till.services.refunds.find(sold.receipt_no).lines[0].line_id: 1},
            "cash",
            approve(till, "refund"),
        )

    earlier = ring_up_and_pay_cash(till, COKE)
    till.services.shifts.close(20000)
    till.services.shifts.open(None, 0)
    with pytest.raises(DomainError, match="earlier shift"):
        till.services.voids.void_sale(earlier.receipt_no, "late", approve(till, "void_sale"))


def test_unknown_receipt_is_a_plain_message(till: Any) -> None:
    with pytest.raises(DomainError, match="S01-T01-000099 was not found"):
        till.services.refunds.find("S01-T01-99")
    with pytest.raises(DomainError, match="not a receipt number"):
        till.services.receipts.text("hello")
