"""Printed documents (receipts, refund and void slips) exactly as they went to the printer."""

from __future__ import annotations

import json

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from asiria_desktop.domain.receipt_record import document_from_record, document_to_record
from asiria_desktop.local_db.event_repos import dbapi_cursor, dump_json
from asiria_desktop.local_db.models import PrintedDocument, aware_iso
from asiria_desktop.local_db.sale_repos import INSERTION_ORDER
from asiria_desktop.ports.records import DocumentRecord


class SqlDocumentRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, record: DocumentRecord) -> None:
        # One plain INSERT on the transaction's connection: it rides along with a sale commit.
        dbapi_cursor(self._s).execute(
            "INSERT INTO documents (id, kind, number, sale_id, created_at, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                record.id,
                record.kind,
                record.number,
                record.sale_id,
                aware_iso(record.created_at),
                dump_json(document_to_record(record.document)),
            ),
        )

    def last(self) -> DocumentRecord | None:
        return self._first(select(PrintedDocument).order_by(INSERTION_ORDER.desc()).limit(1))

    def for_sale(self, sale_id: str, kind: str = "sale") -> DocumentRecord | None:
        return self._first(
            select(PrintedDocument)
            .where(PrintedDocument.sale_id == sale_id, PrintedDocument.kind == kind)
            .order_by(INSERTION_ORDER.desc())
            .limit(1)
        )

    def by_number(self, number: str) -> DocumentRecord | None:
        return self._first(
            select(PrintedDocument)
            .where(PrintedDocument.number == number)
            .order_by(INSERTION_ORDER.desc())
            .limit(1)
        )

    def _first(self, query: Select[PrintedDocument]) -> DocumentRecord | None:
        row = self._s.scalars(query).first()
        if row is None:
            return None
        return DocumentRecord(
            id=row.id,
            kind=row.kind,
            number=row.number,
            sale_id=row.sale_id,
            created_at=row.created_at,
            document=document_from_record(json.loads(row.data)),
        )
