"""Repositories that record what happened: outbox, audit log, sequences and settings."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, literal_column, select, update
from sqlalchemy.orm import Session

from asiria_desktop.domain.times import rfc3339
from asiria_desktop.local_db.models import AuditLog, Outbox, Sequence, Setting
from asiria_desktop.ports.ids import IdFactory
from asiria_desktop.ports.records import AuditRecord, OutboxEntry

OUTBOX_SEQUENCE = "outbox"


def dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class SqlSequenceRepository:
    """Gap-free counters: the increment is part of the caller's transaction (BEGIN IMMEDIATE
    serialises writers), so a rolled-back sale gives its number back."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def next(self, name: str) -> int:
        row = self._s.get(Sequence, name)
        if row is None:
            row = Sequence(name=name, value=0)
            self._s.add(row)
        row.value += 1
        self._s.flush()
        return row.value

    def peek(self, name: str) -> int:
        row = self._s.get(Sequence, name)
        return 0 if row is None else row.value


class SqlOutboxRepository:
    def __init__(self, session: Session, ids: IdFactory, sequences: SqlSequenceRepository) -> None:
        self._s = session
        self._ids = ids
        self._seq = sequences

    def append(
        self, event_type: str, payload: dict[str, Any], recorded_at: datetime
    ) -> OutboxEntry:
        entry = OutboxEntry(
            id=self._ids(),
            seq=self._seq.next(OUTBOX_SEQUENCE),
            type=event_type,
            recorded_at=rfc3339(recorded_at),
            payload=payload,
        )
        self._s.add(
            Outbox(
                id=entry.id,
                seq=entry.seq,
                type=entry.type,
                payload=dump_json(payload),
                recorded_at=entry.recorded_at,
                status="pending",
                attempts=0,
            )
        )
        self._s.flush()
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


class SqlAuditRepository:
    def __init__(self, session: Session, ids: IdFactory) -> None:
        self._s = session
        self._ids = ids

    def record(
        self,
        action: str,
        actor_id: str | None,
        approver_id: str | None,
        details: dict[str, Any],
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

    def recent(self, limit: int = 100) -> list[AuditRecord]:
        rows = self._s.scalars(
            select(AuditLog).order_by(literal_column("rowid").desc()).limit(limit)
        ).all()
        return [
            AuditRecord(r.id, r.action, r.actor_id, r.approver_id, json.loads(r.details), r.at)
            for r in rows
        ]


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
