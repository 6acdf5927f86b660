"""Outbox payloads: the shapes docs/events.md promises the cloud."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from asiria_desktop.domain.cart import PaymentMethod
from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.events import (
    EventType,
    cash_moved_payload,
    drawer_opened_payload,
    rfc3339,
    sale_voided_payload,
    shift_closed_payload,
    shift_opened_payload,
)
from asiria_desktop.domain.shift import CashMovement, Shift, build_shift_report
from asiria_desktop.domain.times import parse_rfc3339

from .support import NAIROBI
from .test_domain_shift import CASHIER, sale

AT = datetime(2026, 11, 24, 13, 6, 10, tzinfo=NAIROBI)


def test_event_type_names_are_the_contract_names() -> None:
    assert [str(t) for t in EventType] == [
        "sale.completed",
        "sale.voided",
        "refund.created",
        "shift.opened",
        "shift.closed",
        "cash.moved",
        "drawer.opened",
        "stock.adjusted",
        "goods.received",
    ]


def test_rfc3339_keeps_the_offset() -> None:
    assert rfc3339(AT) == "2026-11-24T13:06:10+03:00"
    assert rfc3339(datetime(2026, 1, 2, 3, 4, 5, 678900, tzinfo=UTC)) == (
        "2026-01-02T03:04:05.678+00:00"
    )
    assert parse_rfc3339("2026-01-02T03:04:05Z") == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        rfc3339(datetime(2026, 1, 1))


def test_drawer_opened_matches_the_contract_example() -> None:
    payload = drawer_opened_payload(
        "01936c1f-0000-7000-8a11-0000000000d1",
        "no_sale",
        "5b0c4f0e-2d7a-4b8e-9a51-3c1f2e7d8a90",
        AT,
        approved_by="7d9e1a2b-3c4d-4e5f-8a6b-9c0d1e2f3a4b",
    )
    assert payload == {
        "id": "01936c1f-0000-7000-8a11-0000000000d1",
        "reason": "no_sale",
        "cashier_id": "5b0c4f0e-2d7a-4b8e-9a51-3c1f2e7d8a90",
        "approved_by": "7d9e1a2b-3c4d-4e5f-8a6b-9c0d1e2f3a4b",
        "opened_at": "2026-11-24T13:06:10+03:00",
        "shift_id": None,
    }


def test_shift_payloads() -> None:
    opened = shift_opened_payload("shift-9", "c-1", 500000, AT, terminal_code="T01")
    assert opened == {
        "id": "shift-9",
        "terminal_code": "T01",
        "cashier_id": "c-1",
        "opened_at": "2026-11-24T13:06:10+03:00",
        "opening_float_cents": 500000,
    }
    shift = Shift("shift-9", "c-1", AT, 500000)
    report = build_shift_report("Z", shift, [], [], [], [], 499000)
    closed = shift_closed_payload(report, "c-1", AT + timedelta(hours=8), approved_by="mgr")
    assert closed["id"] == "shift-9"
    assert closed["closed_at"] == "2026-11-24T21:06:10+03:00"
    assert closed["expected_cash_cents"] == 500000
    assert closed["difference_cents"] == -1000
    assert closed["payments_by_method"] == {"cash": 0, "card": 0, "mpesa": 0}
    x_report = build_shift_report("X", shift, [], [], [], [])
    with pytest.raises(ValueError, match="Z report"):
        shift_closed_payload(x_report, "c-1", AT)


def test_cash_moved_and_sale_voided_payloads() -> None:
    moved = CashMovement(
        "out",
        200000,
        "banking",
        id="m-1",
        shift_id="shift-1",
        cashier_id="c-1",
        approved_by="mgr",
        moved_at=AT,
    )
    assert cash_moved_payload(moved) == {
        "id": "m-1",
        "shift_id": "shift-1",
        "kind": "out",
        "amount_cents": 200000,
        "reason": "banking",
        "cashier_id": "c-1",
        "approved_by": "mgr",
        "moved_at": "2026-11-24T13:06:10+03:00",
    }
    from asiria_desktop.domain.voids import void_sale

    sold = sale(7, (PaymentMethod.CASH, 22500))
    void = void_sale(sold, "v-1", " wrong customer ", CASHIER.id, "mgr", AT)
    payload = sale_voided_payload(void)
    assert payload["sale_id"] == sold.id
    assert payload["receipt_no"] == sold.receipt_no
    assert payload["reason"] == "wrong customer"
    assert payload["total_cents"] == sold.total_cents
    assert payload["shift_id"] == "shift-1"
    with pytest.raises(DomainError, match="reason"):
        void_sale(sold, "v-2", "  ", CASHIER.id, "mgr", AT)
    with pytest.raises(DomainError, match="already has a refund"):
        void_sale(sold, "v-2", "oops", CASHIER.id, "mgr", AT, already_refunded_cents=100)
