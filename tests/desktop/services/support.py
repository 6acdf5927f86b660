"""Helpers for the service tests: demo codes, logging in, reading rows, the sync schema."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from asiria_desktop.demo import demo_ean13

SODA_300 = demo_ean13(1)  # "Jambo Soda 300ml", KES 60.00, VAT 16 %
SODA_500 = demo_ean13(2)  # "Jambo Soda 500ml", KES 120.00
COKE = "5449000000996"  # KES 80.00
TOMATO_LABEL = "2100101090004"  # scale label: tomatoes, KES 90.00
CASHIER_PIN, CASHIER2_PIN, MANAGER_PIN, OWNER_PIN = "1111", "2222", "9999", "0000"

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "contract" / "sync-v1.schema.json"


def validator(definition: str) -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    wrapper = {"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(wrapper, format_checker=Draft202012Validator.FORMAT_CHECKER)


def rows(till: Any, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Read the file with a plain sqlite3 connection: what is really committed on disk."""
    conn = sqlite3.connect(str(till.config.database_path))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def outbox(till: Any) -> list[dict[str, Any]]:
    """The committed outbox, oldest first, from a fake till's storage or a real till's file."""
    if hasattr(till, "storage"):
        return [
            {
                "id": e.id,
                "seq": e.seq,
                "type": e.type,
                "recorded_at": e.recorded_at,
                "payload": e.payload,
            }
            for e in till.storage.events()
        ]
    return [
        {"id": i, "seq": seq, "type": t, "recorded_at": at, "payload": json.loads(p)}
        for i, seq, t, at, p in rows(
            till, "SELECT id, seq, type, recorded_at, payload FROM outbox ORDER BY seq"
        )
    ]


def audit(till: Any) -> list[tuple[str, str | None, str | None, dict[str, Any]]]:
    if hasattr(till, "storage"):
        return [(r.action, r.actor_id, r.approver_id, r.details) for r in till.storage.state.audit]
    return [
        (action, actor, approver, json.loads(details))
        for action, actor, approver, details in rows(
            till, "SELECT action, actor_id, approver_id, details FROM audit_log ORDER BY rowid"
        )
    ]


def user_id(till: Any, name: str) -> str:
    if hasattr(till, "storage"):
        return str(till.user_id(name))
    return str(rows(till, "SELECT id FROM users WHERE name = ?", name)[0][0])


def stock_deltas(till: Any, reason: str | None = None) -> list[int]:
    """The stock movements a fake till committed (their ``delta_milli``), oldest first."""
    return [m.delta_milli for m in till.storage.state.stock if reason in (None, m.reason)]


def ring_up_and_pay_cash(till: Any, *codes: str) -> Any:
    sale = till.services.sale
    for code in codes:
        outcome = sale.scan(code)
        assert outcome.added, outcome.message
    view = sale.view()
    sale.add_payment("cash", view.balance_due_cents)
    return sale.complete()
