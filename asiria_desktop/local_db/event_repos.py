"""Repositories that record what happened: outbox, audit log, sequences and settings."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from sqlalchemy import func, literal_column, select, update
from sqlalchemy.orm import Session

from asiria_desktop.domain.json_types import JsonObject
from asiria_desktop.domain.times import rfc3339
from asiria_desktop.local_db.models import AuditLog, Outbox, Setting
from asiria_desktop.ports.ids import IdFactory
from asiria_desktop.ports.records import AuditRecord, OutboxEntry

OUTBOX_SEQUENCE = "outbox"

# ``UPDATE ... RETURNING`` (SQLite >= 3.35) makes each counter one statement.
HAS_RETURNING = sqlite3.sqlite_version_info >= (3, 35, 0)


def dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def dbapi_cursor(session: Session) -> Any:
    """A plain ``sqlite3`` cursor on the session's connection, inside its open transaction.

    The hot write path of a sale (and the scan lookup) issues its statements here: SQLAlchemy
    costs ~0.2-0.3 ms of CPU per statement, more than SQLite itself. The ORM must hold no
    pending change these statements depend on (callers only mix them with flushed work)."""
    return session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]


class SqlSequenceRepository:
    """Gap-free counters: the increment is part of the caller's transaction (BEGIN IMMEDIATE
    serialises writers), so a rolled-back sale gives its number back."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def next(self, name: str) -> int:
        # One statement on the transaction's connection (no ORM object, no flush). The ORM
        # never holds ``Sequence`` rows (``peek`` reads plainly too), so nothing goes stale.
        cursor = dbapi_cursor(self._s)
        if HAS_RETURNING:
            row = cursor.execute(
                "UPDATE sequences SET value = value + 1 WHERE name = ? RETURNING value", (name,)
            ).fetchone()
        else:  # SQLite older than 3.35 (tested by monkeypatching HAS_RETURNING)
            cursor.execute("UPDATE sequences SET value = value + 1 WHERE name = ?", (name,))
            row = None
            if cursor.rowcount == 1:
                row = cursor.execute(
                    "SELECT value FROM sequences WHERE name = ?", (name,)
                ).fetchone()
        if row is None:  # first number of this name
            cursor.execute("INSERT INTO sequences (name, value) VALUES (?, 1)", (name,))
            return 1
        return int(row[0])

    def peek(self, name: str) -> int:
        row = (
            dbapi_cursor(self._s)
            .execute("SELECT value FROM sequences WHERE name = ?", (name,))
            .fetchone()
        )
        return 0 if row is None else int(row[0])


class SqlOutboxRepository:
    def __init__(self, session: Session, ids: IdFactory, sequences: SqlSequenceRepository) -> None:
        self._s = session
        self._ids = ids
        self._seq = sequences

    def append(self, event_type: str, payload: JsonObject, recorded_at: datetime) -> OutboxEntry:
        entry = OutboxEntry(
            id=self._ids(),
            seq=self._seq.next(OUTBOX_SEQUENCE),
            type=event_type,
            recorded_at=rfc3339(recorded_at),
            payload=payload,
        )
        dbapi_cursor(self._s).execute(
            "INSERT INTO outbox (id, seq, type, payload, recorded_at, status, attempts) "
            "VALUES (?, ?, ?, ?, ?, 'pending', 0)",
            (entry.id, entry.seq, entry.type, dump_json(payload), entry.recorded_at),
        )
        return entry

    def pending(self, limit: int = 500, after_seq: int = 0) -> list[OutboxEntry]:
        rows = self._s.scalars(
            select(Outbox)
            .where(Outbox.status == "pending", Outbox.seq > after_seq)
            .order_by(Outbox.seq)
            .limit(limit)
        ).all()
        return [_entry(r) for r in rows]

    def all(self) -> list[OutboxEntry]:
        return [_entry(r) for r in self._s.scalars(select(Outbox).order_by(Outbox.seq)).all()]

    def count_unsent(self) -> int:
        query = select(func.count()).select_from(Outbox).where(Outbox.status != "sent")
        return int(self._s.scalar(query) or 0)

    def mark_sent(self, ids: list[str], at: datetime) -> None:
        if ids:
            self._s.execute(
                update(Outbox)
                .where(Outbox.id.in_(ids))
                .values(status="sent", sent_at=at, last_error=None)
            )

    def mark_rejected(self, event_id: str, error: str) -> None:
        self._s.execute(
            update(Outbox)
            .where(Outbox.id == event_id)
            .values(status="rejected", last_error=error, attempts=Outbox.attempts + 1)
        )

    def rejected(self, limit: int = 200) -> list[OutboxEntry]:
        rows = self._s.scalars(
            select(Outbox).where(Outbox.status == "rejected").order_by(Outbox.seq).limit(limit)
        ).all()
        return [_entry(r) for r in rows]

    def count_rejected(self) -> int:
        query = select(func.count()).select_from(Outbox).where(Outbox.status == "rejected")
        return int(self._s.scalar(query) or 0)

    def retry(self, ids: list[str] | None = None) -> int:
        query = update(Outbox).where(Outbox.status == "rejected")
        if ids is not None:
            query = query.where(Outbox.id.in_(ids))
        result = self._s.execute(query.values(status="pending"))
        return int(getattr(result, "rowcount", 0) or 0)


def _entry(row: Outbox) -> OutboxEntry:
    return OutboxEntry(
        id=row.id,
        seq=row.seq,
        type=row.type,
        recorded_at=row.recorded_at,
        payload=json.loads(row.payload),
        status=row.status,
        attempts=row.attempts,
        last_error=row.last_error,
    )


AUDIT_EVENT = "audit.recorded"
AUDIT_CURSOR = "audit.queued_rowid"  # settings key: the last audit row queued for head office


class SqlAuditRepository:
    """The append-only audit log (SQLite triggers refuse UPDATE and DELETE).

    Rows reach head office as ``audit.recorded`` events: the pusher calls
    ``queue_for_head_office`` before each push, which copies the rows written since the last
    call into the outbox, in one transaction with its cursor (the rowid, which only grows in a
    table nobody may delete from). A sale's own commit stays as short as it was."""

    def __init__(self, session: Session, ids: IdFactory, outbox: SqlOutboxRepository) -> None:
        self._s = session
        self._ids = ids
        self._outbox = outbox

    def record(
        self,
        action: str,
        actor_id: str | None,
        approver_id: str | None,
        details: JsonObject,
        at: datetime,
    ) -> AuditRecord:
        record = AuditRecord(self._ids(), action, actor_id, approver_id, details, at)
        self._s.add(
            AuditLog(
                id=record.id,
                action=action,
                actor_id=actor_id,
                approver_id=approver_id,
                details=dump_json(details),
                at=at,
            )
        )
        self._s.flush()
        return record

    def queue_for_head_office(self, limit: int = 500) -> int:
        cursor = dbapi_cursor(self._s)
        row = cursor.execute("SELECT value FROM settings WHERE key = ?", (AUDIT_CURSOR,)).fetchone()
        after = int(row[0]) if row else 0
        rows = cursor.execute(
            "SELECT rowid, id, action, actor_id, approver_id, details, at FROM audit_log "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after, limit),
        ).fetchall()
        for _rowid, record_id, action, actor, approver, details, at in rows:
            moment = datetime.fromisoformat(at)
            record = AuditRecord(record_id, action, actor, approver, json.loads(details), moment)
            self._outbox.append(AUDIT_EVENT, audit_payload(record), moment)
        if rows:
            cursor.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (AUDIT_CURSOR, str(rows[-1][0])),
            )
        return len(rows)

    def recent(self, limit: int = 100) -> list[AuditRecord]:
        rows = self._s.scalars(
            select(AuditLog).order_by(literal_column("rowid").desc()).limit(limit)
        ).all()
        return [
            AuditRecord(r.id, r.action, r.actor_id, r.approver_id, json.loads(r.details), r.at)
            for r in rows
        ]


def audit_payload(record: AuditRecord) -> JsonObject:
    """The ``audit.recorded`` payload (docs/events.md)."""
    return {
        "id": record.id,
        "action": record.action,
        "actor_id": record.actor_id,
        "approver_id": record.approver_id,
        "details": record.details,
        "at": rfc3339(record.at),
    }


class SqlSettingsRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, key: str) -> str | None:
        row = self._s.get(Setting, key)
        return None if row is None else row.value

    def set(self, key: str, value: str) -> None:
        row = self._s.get(Setting, key)
        if row is None:
            self._s.add(Setting(key=key, value=value))
        else:
            row.value = value
        self._s.flush()
