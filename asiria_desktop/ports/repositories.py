"""Repository ports: what the services need from storage, in domain terms.

Every repository is reached through a ``UnitOfWork`` (see ``unit_of_work.py``), so all writes of
one use case land in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from asiria_desktop.domain.json_types import JsonObject
from asiria_desktop.domain.refund import Refund
from asiria_desktop.domain.sale import CompletedSale
from asiria_desktop.domain.shift import CashMovement
from asiria_desktop.domain.voids import SaleVoid
from asiria_desktop.ports.biometrics import StoredCredential
from asiria_desktop.ports.records import (
    AuditRecord,
    CategoryRecord,
    CustomerRecord,
    DocumentRecord,
    LocalStockLevel,
    OpenCartRecord,
    OutboxEntry,
    ParkedCartRecord,
    ProductRecord,
    ShiftRecord,
    StockMovementRecord,
    UserRecord,
)


class ProductRepository(Protocol):
    def by_lookup_code(self, code: str) -> ProductRecord | None:
        """An active product whose barcode (or SKU) is exactly ``code``."""
        ...

    def get(self, product_id: str) -> ProductRecord | None: ...

    def search(self, text: str, limit: int = 20) -> list[ProductRecord]:
        """Type-ahead: every word of ``text`` as a name prefix (FTS5), plus exact barcode/SKU."""
        ...

    def in_category(self, category_id: str, limit: int = 200) -> list[ProductRecord]: ...

    def categories(self) -> list[CategoryRecord]: ...

    def add(self, record: ProductRecord) -> None: ...

    def add_many(self, records: list[ProductRecord]) -> None: ...

    def add_category(self, record: CategoryRecord) -> None: ...

    def count(self) -> int: ...


class UserRepository(Protocol):
    def get(self, user_id: str) -> UserRecord | None: ...

    def active(self) -> list[UserRecord]: ...

    def add(self, record: UserRecord) -> None: ...

    def set_failures(
        self, user_id: str, failed_attempts: int, locked_until: datetime | None
    ) -> None: ...

    def set_pin_hash(self, user_id: str, pin_hash: str) -> None: ...


class SaleRepository(Protocol):
    def add(self, sale: CompletedSale) -> None: ...

    def get(self, sale_id: str) -> CompletedSale | None: ...

    def by_receipt_no(self, receipt_no: str) -> CompletedSale | None: ...

    def for_shift(self, shift_id: str) -> list[CompletedSale]: ...

    def last_for_terminal(self) -> CompletedSale | None: ...


class RefundRepository(Protocol):
    def add(self, refund: Refund) -> None: ...

    def for_sale(self, sale_id: str) -> list[Refund]: ...

    def for_shift(self, shift_id: str) -> list[Refund]: ...


class DocumentRepository(Protocol):
    def add(self, record: DocumentRecord) -> None: ...

    def last(self) -> DocumentRecord | None:
        """The document printed last on this till, whatever its kind."""
        ...

    def for_sale(self, sale_id: str, kind: str = "sale") -> DocumentRecord | None:
        """The latest document of ``kind`` about a sale (its receipt, its void slip...)."""
        ...

    def by_number(self, number: str) -> DocumentRecord | None: ...


class VoidRepository(Protocol):
    def add(self, void: SaleVoid) -> None: ...

    def for_sale(self, sale_id: str) -> SaleVoid | None: ...

    def for_shift(self, shift_id: str) -> list[SaleVoid]: ...


class ShiftRepository(Protocol):
    def open_for_terminal(self) -> ShiftRecord | None: ...

    def get(self, shift_id: str) -> ShiftRecord | None: ...

    def add(self, record: ShiftRecord) -> None: ...

    def close(
        self, shift_id: str, closed_at: datetime, closed_by: str, counted_cash_cents: int
    ) -> None: ...


class CashMovementRepository(Protocol):
    def add(self, movement: CashMovement) -> None: ...

    def for_shift(self, shift_id: str) -> list[CashMovement]: ...


class ParkedCartRepository(Protocol):
    def add(self, record: ParkedCartRecord) -> None: ...

    def get(self, parked_id: str) -> ParkedCartRecord | None: ...

    def all(self) -> list[ParkedCartRecord]: ...

    def remove(self, parked_id: str) -> None: ...


class OpenCartRepository(Protocol):
    """The one sale in progress, kept on disk so it survives a crash of the till."""

    def get(self) -> OpenCartRecord | None: ...

    def save(self, record: OpenCartRecord) -> None: ...

    def clear(self) -> None: ...


class CustomerRepository(Protocol):
    """Customers attached to sales at this till, for looking them up by phone offline."""

    def by_phone(self, phone: str) -> CustomerRecord | None: ...

    def save(self, record: CustomerRecord) -> None: ...


class AuditRepository(Protocol):
    def record(
        self,
        action: str,
        actor_id: str | None,
        approver_id: str | None,
        details: JsonObject,
        at: datetime,
    ) -> AuditRecord: ...

    def recent(self, limit: int = 100) -> list[AuditRecord]: ...

    def queue_for_head_office(self, limit: int = 500) -> int:
        """Queue the rows not yet queued as ``audit.recorded`` outbox events, oldest first
        (at most ``limit``); returns how many."""
        ...


class BiometricRepository(Protocol):
    """Fingers and keys enrolled at this till. Revoked ones stay, for the audit trail."""

    def add(self, credential: StoredCredential) -> None: ...

    def get(self, credential_id: str) -> StoredCredential | None: ...

    def active(self, kind: str | None = None) -> list[StoredCredential]:
        """Credentials not revoked (of one kind), oldest first."""
        ...

    def for_user(self, user_id: str) -> list[StoredCredential]:
        """A person's credentials not revoked."""
        ...

    def mark_used(self, credential_id: str, sign_count: int, at: datetime) -> None: ...

    def revoke(self, credential_id: str, at: datetime) -> None: ...


class OutboxRepository(Protocol):
    def append(self, event_type: str, payload: JsonObject, recorded_at: datetime) -> OutboxEntry:
        """Queue one event; its ``seq`` is the next of this terminal's gap-free sequence."""
        ...

    def pending(self, limit: int = 500, after_seq: int = 0) -> list[OutboxEntry]:
        """Pending events in ``seq`` order, only those after ``after_seq``."""
        ...

    def count_unsent(self) -> int: ...

    def mark_sent(self, ids: list[str], at: datetime) -> None: ...

    def mark_rejected(self, event_id: str, error: str) -> None: ...

    def rejected(self, limit: int = 200) -> list[OutboxEntry]:
        """Events the cloud refused, oldest first: kept for the manager, never dropped."""
        ...

    def count_rejected(self) -> int: ...

    def retry(self, ids: list[str] | None = None) -> int:
        """Put rejected events (all, or these) back to pending; returns how many."""
        ...


class SequenceRepository(Protocol):
    def next(self, name: str) -> int:
        """1, 2, 3... per name; gap-free because it rolls back with the transaction."""
        ...

    def peek(self, name: str) -> int:
        """The last number handed out (0 if none)."""
        ...


class StockRepository(Protocol):
    def add(self, record: StockMovementRecord) -> None: ...

    def add_many(self, records: Sequence[StockMovementRecord]) -> None:
        """Several movements in one statement (a sale's lines)."""
        ...

    def on_hand_milli(self, product_id: str) -> int:
        """The sum of every movement this till recorded for the product."""
        ...

    def levels(self, product_ids: Sequence[str]) -> dict[str, LocalStockLevel]:
        """The local stock level of each product (every id asked for is in the answer)."""
        ...


class SettingsRepository(Protocol):
    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...
