"""In-memory fakes of the till's storage ports: a ``FakeUnitOfWork`` over plain Python
repositories, so use-case tests run without SQLite and assert on what the use case recorded
(the outbox, the repositories), not on the schema.

A unit of work works on a copy of the committed state and publishes it on ``commit()``;
leaving the block without committing drops the copy. That is the all-or-nothing a SQLite
transaction gives, which the use cases rely on (a refused sale leaves nothing behind).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace, TracebackType
from typing import Any, Self, cast
from unittest.mock import patch

from argon2 import PasswordHasher

from asiria_desktop.bootstrap import till_settings, uuid7_ids
from asiria_desktop.config import TillConfig
from asiria_desktop.demo import seed_demo
from asiria_desktop.domain.refund import Refund
from asiria_desktop.domain.sale import CompletedSale
from asiria_desktop.domain.shift import CashMovement
from asiria_desktop.domain.times import rfc3339
from asiria_desktop.domain.voids import SaleVoid
from asiria_desktop.hardware.simulated import SimulatedDrawer, SimulatedPrinter
from asiria_desktop.ports.biometrics import StoredCredential
from asiria_desktop.ports.clock import Clock
from asiria_desktop.ports.ids import IdFactory
from asiria_desktop.ports.records import (
    AuditRecord,
    CategoryRecord,
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
from asiria_desktop.services.container import TillServices
from asiria_desktop.services.context import TillContext
from asiria_desktop.services.devices.receipts import ReceiptService
from asiria_desktop.services.returns.refunds import RefundService
from asiria_desktop.services.returns.voids import VoidService
from asiria_desktop.services.sale.catalog import CatalogService
from asiria_desktop.services.sale.sale_session import SaleSession
from asiria_desktop.services.shift.shifts import ShiftService
from asiria_desktop.services.signin.auth import AuthService
from asiria_desktop.services.stock.stock import StockService

OUTBOX_SEQUENCE = "outbox"
AUDIT_EVENT = "audit.recorded"


@dataclass
class StoredState:
    """Everything the till keeps, as plain Python values."""

    products: dict[str, ProductRecord] = field(default_factory=dict)
    categories: dict[str, CategoryRecord] = field(default_factory=dict)
    users: dict[str, UserRecord] = field(default_factory=dict)
    sales: dict[str, CompletedSale] = field(default_factory=dict)  # in insertion order
    refunds: list[Refund] = field(default_factory=list)
    voids: dict[str, SaleVoid] = field(default_factory=dict)
    documents: list[DocumentRecord] = field(default_factory=list)
    shifts: dict[str, ShiftRecord] = field(default_factory=dict)
    cash_movements: list[CashMovement] = field(default_factory=list)
    parked: dict[str, ParkedCartRecord] = field(default_factory=dict)
    open_cart: OpenCartRecord | None = None
    audit: list[AuditRecord] = field(default_factory=list)
    audit_queued: int = 0
    credentials: dict[str, StoredCredential] = field(default_factory=dict)
    revoked_credentials: dict[str, datetime] = field(default_factory=dict)
    outbox: list[OutboxEntry] = field(default_factory=list)
    sequences: dict[str, int] = field(default_factory=dict)
    stock: list[StockMovementRecord] = field(default_factory=list)
    head_office_stock: dict[str, int] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)

    def copy(self) -> StoredState:
        """A copy a unit of work may change freely: new containers around the same records,
        which are frozen dataclasses and are replaced, never changed in place."""
        values = {f.name: copy.copy(getattr(self, f.name)) for f in dataclasses.fields(StoredState)}
        return StoredState(**values)


class FakeProducts:
    def __init__(self, state: StoredState) -> None:
        self._s = state

    def by_lookup_code(self, code: str) -> ProductRecord | None:
        for product in self._s.products.values():
            if product.active and code in (product.barcode, product.sku):
                return product
        return None

    def get(self, product_id: str) -> ProductRecord | None:
        return self._s.products.get(product_id)

    def search(self, text: str, limit: int = 20) -> list[ProductRecord]:
        words = [w for w in re.split(r"\W+", text.lower()) if w]
        if not words:
            return []

        def matches(product: ProductRecord) -> bool:
            if text.strip() in (product.barcode, product.sku):
                return True
            name_words = re.split(r"\W+", product.name.lower())
            return all(any(n.startswith(w) for n in name_words) for w in words)

        found = [p for p in self._s.products.values() if p.active and matches(p)]
        return sorted(found, key=lambda p: p.name.lower())[:limit]

    def in_category(self, category_id: str, limit: int = 200) -> list[ProductRecord]:
        found = [p for p in self._s.products.values() if p.active and p.category_id == category_id]
        return sorted(found, key=lambda p: p.name.lower())[:limit]

    def categories(self) -> list[CategoryRecord]:
        return sorted(self._s.categories.values(), key=lambda c: (c.sort_order, c.name))

    def add(self, record: ProductRecord) -> None:
        self._s.products[record.id] = record

    def add_many(self, records: list[ProductRecord]) -> None:
        for record in records:
            self.add(record)

    def add_category(self, record: CategoryRecord) -> None:
        self._s.categories[record.id] = record

    def count(self) -> int:
        return len(self._s.products)


class FakeUsers:
    def __init__(self, state: StoredState) -> None:
        self._s = state

    def get(self, user_id: str) -> UserRecord | None:
        return self._s.users.get(user_id)

    def active(self) -> list[UserRecord]:
        return sorted((u for u in self._s.users.values() if u.active), key=lambda u: u.name)

    def add(self, record: UserRecord) -> None:
        self._s.users[record.id] = record

    def set_failures(
        self, user_id: str, failed_attempts: int, locked_until: datetime | None
    ) -> None:
        user = self._s.users[user_id]
        self._s.users[user_id] = dataclasses.replace(
            user, failed_attempts=failed_attempts, locked_until=locked_until
        )

    def set_pin_hash(self, user_id: str, pin_hash: str) -> None:
        self._s.users[user_id] = dataclasses.replace(self._s.users[user_id], pin_hash=pin_hash)


class FakeSales:
    def __init__(self, state: StoredState) -> None:
        self._s = state

    def add(self, sale: CompletedSale) -> None:
        if sale.id in self._s.sales:
            raise ValueError(f"sale {sale.id} is already stored")
        self._s.sales[sale.id] = sale

    def get(self, sale_id: str) -> CompletedSale | None:
        return self._s.sales.get(sale_id)

    def by_receipt_no(self, receipt_no: str) -> CompletedSale | None:
        return next((s for s in self._s.sales.values() if s.receipt_no == receipt_no), None)

    def for_shift(self, shift_id: str) -> list[CompletedSale]:
        return [s for s in self._s.sales.values() if s.shift_id == shift_id]

    def last_for_terminal(self) -> CompletedSale | None:
        return next(reversed(self._s.sales.values()), None)


class FakeRefunds:
    def __init__(self, state: StoredState) -> None:
        self._s = state

    def add(self, refund: Refund) -> None:
        self._s.refunds.append(refund)

    def for_sale(self, sale_id: str) -> list[Refund]:
        return [r for r in self._s.refunds if r.sale_id == sale_id]

    def for_shift(self, shift_id: str) -> list[Refund]:
        return [r for r in self._s.refunds if r.shift_id == shift_id]


class FakeDocuments:
    def __init__(self, state: StoredState) -> None:
        self._s = state

    def add(self, record: DocumentRecord) -> None:
        self._s.documents.append(record)

    def last(self) -> DocumentRecord | None:
        return self._s.documents[-1] if self._s.documents else None

    def for_sale(self, sale_id: str, kind: str = "sale") -> DocumentRecord | None:
        found = [d for d in self._s.documents if d.sale_id == sale_id and d.kind == kind]
        return found[-1] if found else None

    def by_number(self, number: str) -> DocumentRecord | None:
        found = [d for d in self._s.documents if d.number == number]
        return found[-1] if found else None


class FakeVoids:
    def __init__(self, state: StoredState) -> None:
        self._s = state

    def add(self, void: SaleVoid) -> None:
        self._s.voids[void.sale_id] = void

    def for_sale(self, sale_id: str) -> SaleVoid | None:
        return self._s.voids.get(sale_id)

    def for_shift(self, shift_id: str) -> list[SaleVoid]:
        return [v for v in self._s.voids.values() if v.shift_id == shift_id]


class FakeShifts:
    def __init__(self, state: StoredState, terminal_code: str) -> None:
        self._s = state
        self._terminal = terminal_code

    def open_for_terminal(self) -> ShiftRecord | None:
        open_ = [
            s
            for s in self._s.shifts.values()
            if s.terminal_code == self._terminal and s.closed_at is None
        ]
        return max(open_, key=lambda s: s.opened_at, default=None)

    def get(self, shift_id: str) -> ShiftRecord | None:
        return self._s.shifts.get(shift_id)

    def add(self, record: ShiftRecord) -> None:
        self._s.shifts[record.id] = record

    def close(
        self, shift_id: str, closed_at: datetime, closed_by: str, counted_cash_cents: int
    ) -> None:
        self._s.shifts[shift_id] = dataclasses.replace(
            self._s.shifts[shift_id],
            closed_at=closed_at,
            closed_by=closed_by,
            counted_cash_cents=counted_cash_cents,
        )


class FakeCashMovements:
    def __init__(self, state: StoredState) -> None:
        self._s = state

    def add(self, movement: CashMovement) -> None:
        self._s.cash_movements.append(movement)

    def for_shift(self, shift_id: str) -> list[CashMovement]:
        return [m for m in self._s.cash_movements if m.shift_id == shift_id]


class FakeParked:
    def __init__(self, state: StoredState) -> None:
        self._s = state

    def add(self, record: ParkedCartRecord) -> None:
        self._s.parked[record.id] = record

    def get(self, parked_id: str) -> ParkedCartRecord | None:
        return self._s.parked.get(parked_id)

    def all(self) -> list[ParkedCartRecord]:
        return sorted(self._s.parked.values(), key=lambda p: p.parked_at)

    def remove(self, parked_id: str) -> None:
        self._s.parked.pop(parked_id, None)


class FakeOpenCart:
    def __init__(self, state: StoredState) -> None:
        self._s = state

    def get(self) -> OpenCartRecord | None:
        return self._s.open_cart

    def save(self, record: OpenCartRecord) -> None:
        self._s.open_cart = record

    def clear(self) -> None:
        self._s.open_cart = None


class FakeSequences:
    def __init__(self, state: StoredState) -> None:
        self._s = state

    def next(self, name: str) -> int:
        self._s.sequences[name] = self._s.sequences.get(name, 0) + 1
        return self._s.sequences[name]

    def peek(self, name: str) -> int:
        return self._s.sequences.get(name, 0)


class FakeOutbox:
    def __init__(self, state: StoredState, ids: IdFactory, sequences: FakeSequences) -> None:
        self._s = state
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
        self._s.outbox.append(entry)
        return entry

    def pending(self, limit: int = 500, after_seq: int = 0) -> list[OutboxEntry]:
        found = [e for e in self._s.outbox if e.status == "pending" and e.seq > after_seq]
        return found[:limit]

    def count_unsent(self) -> int:
        return sum(1 for e in self._s.outbox if e.status == "pending")

    def _set(self, event_id: str, **changes: Any) -> None:
        self._s.outbox = [
            dataclasses.replace(e, **changes) if e.id == event_id else e for e in self._s.outbox
        ]

    def mark_sent(self, ids: list[str], at: datetime) -> None:
        for event_id in ids:
            self._set(event_id, status="sent")

    def mark_rejected(self, event_id: str, error: str) -> None:
        entry = next(e for e in self._s.outbox if e.id == event_id)
        self._set(event_id, status="rejected", last_error=error, attempts=entry.attempts + 1)

    def rejected(self, limit: int = 200) -> list[OutboxEntry]:
        return [e for e in self._s.outbox if e.status == "rejected"][:limit]

    def count_rejected(self) -> int:
        return len(self.rejected(limit=len(self._s.outbox)))

    def retry(self, ids: list[str] | None = None) -> int:
        chosen = [e.id for e in self.rejected(len(self._s.outbox)) if ids is None or e.id in ids]
        for event_id in chosen:
            self._set(event_id, status="pending")
        return len(chosen)


class FakeAudit:
    def __init__(self, state: StoredState, ids: IdFactory, outbox: FakeOutbox) -> None:
        self._s = state
        self._ids = ids
        self._outbox = outbox

    def record(
        self,
        action: str,
        actor_id: str | None,
        approver_id: str | None,
        details: dict[str, Any],
        at: datetime,
    ) -> AuditRecord:
        record = AuditRecord(self._ids(), action, actor_id, approver_id, details, at)
        self._s.audit.append(record)
        return record

    def recent(self, limit: int = 100) -> list[AuditRecord]:
        return list(reversed(self._s.audit))[:limit]

    def queue_for_head_office(self, limit: int = 500) -> int:
        batch = self._s.audit[self._s.audit_queued : self._s.audit_queued + limit]
        for record in batch:
            payload = {
                "id": record.id,
                "action": record.action,
                "actor_id": record.actor_id,
                "approver_id": record.approver_id,
                "details": record.details,
                "at": rfc3339(record.at),
            }
            self._outbox.append(AUDIT_EVENT, payload, record.at)
        self._s.audit_queued += len(batch)
        return len(batch)


class FakeBiometrics:
    def __init__(self, state: StoredState) -> None:
        self._s = state

    def add(self, credential: StoredCredential) -> None:
        self._s.credentials[credential.id] = credential

    def get(self, credential_id: str) -> StoredCredential | None:
        return self._s.credentials.get(credential_id)

    def active(self, kind: str | None = None) -> list[StoredCredential]:
        return [
            c
            for c in self._s.credentials.values()
            if c.id not in self._s.revoked_credentials and (kind is None or c.kind == kind)
        ]

    def for_user(self, user_id: str) -> list[StoredCredential]:
        return [c for c in self.active() if c.user_id == user_id]

    def mark_used(self, credential_id: str, sign_count: int, at: datetime) -> None:
        self._s.credentials[credential_id] = dataclasses.replace(
            self._s.credentials[credential_id], sign_count=sign_count, last_used_at=at
        )

    def revoke(self, credential_id: str, at: datetime) -> None:
        self._s.revoked_credentials[credential_id] = at


class FakeStock:
    def __init__(self, state: StoredState) -> None:
        self._s = state

    def add(self, record: StockMovementRecord) -> None:
        self._s.stock.append(record)

    def add_many(self, records: Sequence[StockMovementRecord]) -> None:
        self._s.stock.extend(records)

    def on_hand_milli(self, product_id: str) -> int:
        return sum(m.delta_milli for m in self._s.stock if m.product_id == product_id)

    def levels(self, product_ids: Sequence[str]) -> dict[str, LocalStockLevel]:
        """Head office's figure plus this till's movements whose events are not sent yet."""
        unsent = {
            e.payload.get("id") for e in self._s.outbox if e.status in ("pending", "rejected")
        }
        levels = {}
        for product_id in dict.fromkeys(product_ids):
            own = sum(
                m.delta_milli
                for m in self._s.stock
                if m.product_id == product_id and m.ref_id in unsent
            )
            head = self._s.head_office_stock.get(product_id)
            levels[product_id] = LocalStockLevel(product_id, head, own)
        return levels


class FakeSettings:
    def __init__(self, state: StoredState) -> None:
        self._s = state

    def get(self, key: str) -> str | None:
        return self._s.settings.get(key)

    def set(self, key: str, value: str) -> None:
        self._s.settings[key] = value


class FakeUnitOfWork:
    """One use case's transaction over the in-memory state (see the module's docstring)."""

    def __init__(
        self, store: FakeStorage, *, read_only: bool, ids: IdFactory, terminal_code: str
    ) -> None:
        self._store = store
        self._read_only = read_only
        self._ids = ids
        self._terminal = terminal_code
        self.committed = False

    def __enter__(self) -> Self:
        work = self._store.state if self._read_only else self._store.state.copy()
        self._work = work
        self.products = FakeProducts(work)
        self.users = FakeUsers(work)
        self.sales = FakeSales(work)
        self.refunds = FakeRefunds(work)
        self.voids = FakeVoids(work)
        self.documents = FakeDocuments(work)
        self.shifts = FakeShifts(work, self._terminal)
        self.cash_movements = FakeCashMovements(work)
        self.parked = FakeParked(work)
        self.open_cart = FakeOpenCart(work)
        self.sequences = FakeSequences(work)
        self.outbox = FakeOutbox(work, self._ids, self.sequences)
        self.audit = FakeAudit(work, self._ids, self.outbox)
        self.biometrics = FakeBiometrics(work)
        self.stock = FakeStock(work)
        self.settings = FakeSettings(work)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._work = None  # anything not committed is dropped with the copy

    def commit(self) -> None:
        if self._read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        if self._work is None:
            raise RuntimeError("commit() outside the unit of work's block")
        self._store.state = self._work
        self._store.commits += 1
        self.committed = True

    def rollback(self) -> None:
        if not self._read_only:
            self._work = self._store.state.copy()


class FakeStorage:
    """The ``UnitOfWorkFactory`` port in memory: ``storage(read_only=...)`` opens a unit of
    work; ``storage.state`` is what has been committed, for tests to read."""

    def __init__(self, ids: IdFactory, terminal_code: str = "T01") -> None:
        self.state = StoredState()
        self.commits = 0
        self._ids = ids
        self._terminal = terminal_code

    def __call__(self, *, read_only: bool = False, durable: bool = True) -> FakeUnitOfWork:
        return FakeUnitOfWork(
            self, read_only=read_only, ids=self._ids, terminal_code=self._terminal
        )

    def events(self, event_type: str | None = None) -> list[OutboxEntry]:
        """The outbox as committed, in sequence order (of one type, when given)."""
        return [e for e in self.state.outbox if event_type is None or e.type == event_type]


@dataclass
class FakeTill:
    """The use cases of one till over ``FakeStorage`` and simulated devices: what
    ``bootstrap.build_till`` wires, without SQLite, files, sync or Qt."""

    storage: FakeStorage
    context: TillContext
    services: TillServices
    printer: SimulatedPrinter
    drawer: SimulatedDrawer

    def events(self, event_type: str | None = None) -> list[dict[str, Any]]:
        """Committed outbox events as the pusher would send them (envelopes)."""
        return [entry.envelope() for entry in self.storage.events(event_type)]

    def user_id(self, name: str) -> str:
        return next(u.id for u in self.storage.state.users.values() if u.name == name)


# argon2 at its cheapest: PIN checks stay real (hash, verify, rehash) but cost microseconds, not
# the ~20 ms per person per check the till spends on purpose. PIN security is tested on the
# real till (test_auth.py).
CHEAP_PIN_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def build_fake_till(clock: Clock, **config: Any) -> FakeTill:
    """A demo till (the demo catalog and accounts) on in-memory storage. Use it with
    ``patch("asiria_desktop.services.signin.pins._HASHER", CHEAP_PIN_HASHER)`` active (the
    ``fake_till`` fixture does), so that PIN checks are cheap."""
    settings_config = {"scan_debounce_ms": 0, **config}
    till_config = TillConfig(data_dir=Path("/nonexistent/fake-till"), **settings_config)
    settings = till_settings(till_config)
    ids = uuid7_ids
    storage = FakeStorage(ids, settings.terminal_code)
    ctx = TillContext(settings=settings, uow=storage, ids=ids, clock=clock)
    printer, drawer = SimulatedPrinter(), SimulatedDrawer()
    catalog = CatalogService(ctx)
    services = TillServices(
        auth=AuthService(ctx),
        catalog=catalog,
        sale=SaleSession(ctx, catalog, printer, drawer),
        refunds=RefundService(ctx, printer, drawer),
        voids=VoidService(ctx, drawer, printer),
        shifts=ShiftService(ctx, printer, drawer),
        receipts=ReceiptService(ctx, printer),
        status=cast(Any, None),  # the status bar reads the sync engine: not a use case here
        store=settings.store,
        currency=settings.currency,
        sync=cast(Any, None),
        stock=StockService(ctx, catalog),
    )
    with patch("asiria_desktop.services.signin.pins._HASHER", CHEAP_PIN_HASHER):
        seed_demo(cast(Any, SimpleNamespace(context=ctx)))
    return FakeTill(storage, ctx, services, printer, drawer)
