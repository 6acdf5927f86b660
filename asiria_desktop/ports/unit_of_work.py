"""The unit of work port: one transaction around the repositories of one use case."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from asiria_desktop.ports.repositories import (
    AuditRepository,
    BiometricRepository,
    CashMovementRepository,
    CustomerRepository,
    DocumentRepository,
    OpenCartRepository,
    OutboxRepository,
    ParkedCartRepository,
    ProductRepository,
    RefundRepository,
    SaleRepository,
    SequenceRepository,
    SettingsRepository,
    ShiftRepository,
    StockRepository,
    UserRepository,
    VoidRepository,
)


class UnitOfWork(Protocol):
    """``with uow_factory() as uow: ...; uow.commit()``.

    A writing unit of work takes SQLite's write lock at the start (``BEGIN IMMEDIATE``); a
    read-only one (``uow_factory(read_only=True)``) takes none and can run on any thread.
    Leaving the block without ``commit()`` rolls everything back.
    """

    @property
    def products(self) -> ProductRepository: ...

    @property
    def users(self) -> UserRepository: ...

    @property
    def sales(self) -> SaleRepository: ...

    @property
    def refunds(self) -> RefundRepository: ...

    @property
    def voids(self) -> VoidRepository: ...

    @property
    def documents(self) -> DocumentRepository: ...

    @property
    def shifts(self) -> ShiftRepository: ...

    @property
    def cash_movements(self) -> CashMovementRepository: ...

    @property
    def parked(self) -> ParkedCartRepository: ...

    @property
    def open_cart(self) -> OpenCartRepository: ...

    @property
    def audit(self) -> AuditRepository: ...

    @property
    def biometrics(self) -> BiometricRepository: ...

    @property
    def outbox(self) -> OutboxRepository: ...

    @property
    def sequences(self) -> SequenceRepository: ...

    @property
    def stock(self) -> StockRepository: ...

    @property
    def settings(self) -> SettingsRepository: ...

    @property
    def customers(self) -> CustomerRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, read_only: bool = False, durable: bool = True) -> UnitOfWork:
        """``durable=False``: the commit survives a crash of the till's process but maybe not a
        power cut (no flush to disk); for frequent small writes such as the open cart."""
        ...
