"""Helpers of the sync tests: ringing up sales, queuing events, reading the outbox on disk."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from typing import Any

from asiria_desktop.demo import demo_ean13

SODA_300 = demo_ean13(1)
CASHIER_PIN, MANAGER_PIN = "1111", "9999"
NAIROBI = timezone(timedelta(hours=3))


def rows(till: Any, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(str(till.config.database_path))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def outbox_states(till: Any) -> dict[str, tuple[str, str | None]]:
    """event id -> (status, last_error) of the business events (not the audit log's
    ``audit.recorded`` events), as committed on disk."""
    return {
        i: (status, error)
        for i, status, error in rows(
            till, "SELECT id, status, last_error FROM outbox WHERE type != 'audit.recorded'"
        )
    }


def sell(till: Any, *codes: str) -> Any:
    """Log in (if nobody is), ring up and pay cash: one sale.completed event."""
    if till.services.auth.current is None:
        till.services.auth.login(CASHIER_PIN)
    sale = till.services.sale
    for code in codes or (SODA_300,):
        outcome = sale.scan(code)
        assert outcome.added, outcome.message
    sale.add_payment("cash", sale.view().balance_due_cents)
    return sale.complete()


def queue_drawer_events(
    till: Any,
    count: int,
    *,
    payload: dict[str, Any] | None = None,
    event_type: str = "drawer.opened",
) -> list[str]:
    """``count`` valid ``drawer.opened`` events (cheap to make in bulk), their ids in seq order."""
    ids = []
    at = datetime(2026, 11, 24, 10, 0, tzinfo=NAIROBI)
    with till.context.uow() as uow:
        for n in range(count):
            body = payload or {
                "id": till.context.ids(),
                "reason": "no_sale",
                "cashier_id": "5b0c4f0e-2d7a-4b8e-9a51-3c1f2e7d8a90",
                "approved_by": None,
                "opened_at": "2026-11-24T13:06:10+03:00",
                "shift_id": None,
            }
            ids.append(uow.outbox.append(event_type, body, at + timedelta(seconds=n)).id)
        uow.commit()
    return ids
