"""Customers met at this till, found again by phone with no network."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from asiria_desktop.local_db.models import CustomerRow
from asiria_desktop.ports.records import CustomerRecord


class SqlCustomerRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def by_phone(self, phone: str) -> CustomerRecord | None:
        row = self._s.scalars(select(CustomerRow).where(CustomerRow.phone == phone)).first()
        if row is None:
            return None
        return CustomerRecord(row.id, row.phone, row.name, row.whatsapp_consent, row.updated_at)

    def save(self, record: CustomerRecord) -> None:
        """Add, or update the customer with this phone (the phone is the key people use)."""
        row = self._s.scalars(select(CustomerRow).where(CustomerRow.phone == record.phone)).first()
        if row is None:
            self._s.add(
                CustomerRow(
                    id=record.id,
                    phone=record.phone,
                    name=record.name,
                    whatsapp_consent=record.whatsapp_consent,
                    updated_at=record.updated_at,
                )
            )
        else:
            row.name = record.name or row.name
            row.whatsapp_consent = record.whatsapp_consent
            row.updated_at = record.updated_at
        self._s.flush()
