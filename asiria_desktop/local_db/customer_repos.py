"""Customers met at this till or pulled from the store's other tills, found again by phone
with no network."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from asiria_desktop.local_db.models import CustomerRow
from asiria_desktop.ports.records import CustomerRecord
from asiria_desktop.ports.sync_store import CatalogChange


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


def apply_customers(session: Session, changes: list[CatalogChange]) -> None:
    """Pulled customers of this store, in page order (the last change of an id wins). The
    cloud's record wins: a customer this till added under its own id (the same phone) takes
    the cloud's id, name and consent (the till pushed its sale before pulling)."""
    latest: dict[str, CustomerRecord | None] = {}
    for change in changes:
        latest[change.id] = change.record if isinstance(change.record, CustomerRecord) else None
    gone = [customer_id for customer_id, record in latest.items() if record is None]
    if gone:
        session.execute(delete(CustomerRow).where(CustomerRow.id.in_(gone)))
    records = [record for record in latest.values() if record is not None]
    if not records:
        return
    by_phone = {record.phone: record.id for record in records}
    session.execute(
        delete(CustomerRow).where(
            CustomerRow.phone.in_(list(by_phone)), CustomerRow.id.not_in(list(by_phone.values()))
        )
    )
    stmt = insert(CustomerRow)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[CustomerRow.id],
            set_={
                "phone": stmt.excluded.phone,
                "name": stmt.excluded.name,
                "whatsapp_consent": stmt.excluded.whatsapp_consent,
                "updated_at": stmt.excluded.updated_at,
            },
        ),
        [
            {
                "id": r.id,
                "phone": r.phone,
                "name": r.name,
                "whatsapp_consent": r.whatsapp_consent,
                "updated_at": r.updated_at,
            }
            for r in records
        ],
    )
