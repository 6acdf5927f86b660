"""Shifts: float, cash in/out, no-sale, X and Z reports, and their events."""

from __future__ import annotations

from typing import Any

import pytest

from asiria_desktop.domain.errors import ApprovalRequired, ShiftError

from .support import (
    COKE,
    MANAGER_PIN,
    audit,
    outbox,
    ring_up_and_pay_cash,
    user_id,
    validator,
)


def test_a_whole_shift_from_float_to_z_report(till: Any) -> None:
    shifts = till.services.shifts
    assert shifts.current() is None
    with pytest.raises(ShiftError, match="No shift is open"):
        shifts.x_report()
    opened = shifts.open(None, 50000)
    assert (opened.cashier_name, opened.opening_float_text) == ("Amina", "500.00")
    with pytest.raises(ShiftError, match="already open"):
        shifts.open(None, 100)

    ring_up_and_pay_cash(till, COKE, COKE)  # 160.00 cash
    assert shifts.cash_in(10000, "change from the bank") == "Cash in 100.00 recorded."
    with pytest.raises(ApprovalRequired) as asked:
        shifts.cash_out(20000, "paid the milk supplier")
    approval = till.services.auth.approve(MANAGER_PIN, asked.value.action)
    shifts.cash_out(20000, "paid the milk supplier", approval)

    x = shifts.x_report()
    assert (x.kind, x.sales_count, x.expected_cash_cents) == ("X", 1, 50000 + 16000 + 10000 - 20000)
    assert shifts.current() is not None  # X keeps the shift open

    z = shifts.close(55000)
    assert (z.kind, z.counted_cash_cents, z.difference_cents) == ("Z", 55000, -1000)
    assert "Z" in z.text and z.text == till.printer.last_text
    assert shifts.current() is None

    types = [e["type"] for e in outbox(till)]
    assert types == ["shift.opened", "sale.completed", "cash.moved", "cash.moved", "shift.closed"]
    for event in outbox(till):
        validator("Event").validate(event)
    closed = outbox(till)[-1]["payload"]
    assert closed["expected_cash_cents"] == 56000 and closed["counted_cash_cents"] == 55000
    moved = outbox(till)[3]["payload"]
    assert (moved["kind"], moved["approved_by"]) == ("out", user_id(till, "Wanjiru"))


def test_no_sale_needs_approval_opens_the_drawer_and_is_logged(till: Any) -> None:
    shifts = till.services.shifts
    shifts.open(None, 0)
    with pytest.raises(ApprovalRequired) as asked:
        shifts.no_sale()
    assert till.drawer.openings == 0
    approval = till.services.auth.approve(MANAGER_PIN, asked.value.action)
    assert shifts.no_sale(approval) == "Drawer opened."
    assert till.drawer.openings == 1
    event = outbox(till)[-1]
    assert event["type"] == "drawer.opened"
    assert event["payload"]["reason"] == "no_sale"
    assert event["payload"]["approved_by"] == user_id(till, "Wanjiru")
    assert ("no_sale", user_id(till, "Amina"), user_id(till, "Wanjiru")) in [
        a[:3] for a in audit(till)
    ]


def test_a_manager_needs_no_second_person(till: Any) -> None:
    till.services.auth.login(MANAGER_PIN)
    till.services.shifts.open(None, 0)
    assert till.services.shifts.no_sale() == "Drawer opened."
    manager = user_id(till, "Wanjiru")
    assert ("no_sale", manager, manager) in [a[:3] for a in audit(till)]


def test_every_shift_event_asks_for_a_push_at_once_like_a_sale(till: Any) -> None:
    """The unsent count must not sit at 1 until the next scheduled sync after a shift event."""
    asked: list[str] = []
    till.context.outbox_listener = lambda: asked.append(outbox(till)[-1]["type"])
    shifts = till.services.shifts
    shifts.open(None, 50000)
    shifts.cash_in(10000, "change from the bank")
    approval = till.services.auth.approve(MANAGER_PIN, "no_sale")
    shifts.no_sale(approval=approval)
    shifts.close(60000, approval=till.services.auth.approve(MANAGER_PIN, "close_shift"))
    assert asked == ["shift.opened", "cash.moved", "drawer.opened", "shift.closed"]
