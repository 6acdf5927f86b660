"""The audit log is append-only (SQLite refuses UPDATE and DELETE of its rows, whoever asks),
and its rows are queued for head office as ``audit.recorded`` events exactly once each."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy.exc import IntegrityError

from asiria_desktop.local_db.database import TillDatabase

SCHEMA = Path(__file__).resolve().parents[2] / "contract" / "sync-v1.schema.json"
AT = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)
MANAGER = "0193a000-0000-7000-8000-0000000000a1"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[TillDatabase]:
    counter = itertools.count(1)
    database = TillDatabase.open(
        tmp_path / "till.sqlite3",
        backup_dir=tmp_path / "backups",
        ids=lambda: f"00000000-0000-7000-8000-{next(counter):012d}",
        terminal_code="T01",
        today=date(2026, 12, 5),
    )
    yield database
    database.close()


def record(db: TillDatabase, action: str, **details: object) -> str:
    with db.uow() as uow:
        row = uow.audit.record(action, MANAGER, None, dict(details), AT)
        uow.commit()
    return row.id


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET action = 'nothing_happened'",
        "UPDATE audit_log SET details = '{}' WHERE action = 'login'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE action = 'login'",
    ],
)
def test_no_statement_can_rewrite_or_remove_an_audit_row(db: TillDatabase, statement: str) -> None:
    record(db, "login", method="fingerprint")
    path = db.engine.url.database
    assert path is not None
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(statement)
    conn.rollback()
    assert conn.execute("SELECT action, details FROM audit_log").fetchall() == [
        ("login", '{"method":"fingerprint"}')
    ]
    conn.close()


def test_the_orm_can_not_change_a_row_either(db: TillDatabase) -> None:
    from sqlalchemy import update

    from asiria_desktop.local_db.models import AuditLog

    record(db, "login")
    with db.uow() as uow, pytest.raises(IntegrityError, match="append-only"):
        uow._require().execute(update(AuditLog).values(action="x"))


def test_rows_are_queued_once_each_in_order_as_valid_events(db: TillDatabase) -> None:
    first = record(db, "login", method="security_key")
    second = record(db, "approval_by_touch", approved_action="refund")
    with db.uow() as uow:
        assert uow.audit.queue_for_head_office(limit=1) == 1
        assert uow.audit.queue_for_head_office() == 1
        assert uow.audit.queue_for_head_office() == 0  # nothing twice
        uow.commit()
    third = record(db, "logout")
    with db.uow() as uow:
        assert uow.audit.queue_for_head_office() == 1
        uow.commit()
        events = uow.outbox.pending()
    assert [e.type for e in events] == ["audit.recorded"] * 3
    assert [e.payload["id"] for e in events] == [first, second, third]
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].payload == {
        "id": second,
        "action": "approval_by_touch",
        "actor_id": MANAGER,
        "approver_id": None,
        "details": {"approved_action": "refund"},
        "at": "2026-12-05T09:30:00+00:00",
    }
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = Draft202012Validator(
        {"$defs": schema["$defs"], "$ref": "#/$defs/Event"},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    for event in events:
        validator.validate(event.envelope())


def test_a_queue_rolled_back_queues_again(db: TillDatabase) -> None:
    record(db, "login")
    with db.uow() as uow:
        assert uow.audit.queue_for_head_office() == 1  # not committed
    with db.uow() as uow:
        assert uow.audit.queue_for_head_office() == 1
        uow.commit()
        assert uow.outbox.count_unsent() == 1
