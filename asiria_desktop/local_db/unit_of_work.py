"""The SQLAlchemy unit of work: one session, one transaction, every repository on it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from asiria_desktop.local_db.biometric_repos import SqlBiometricRepository
from asiria_desktop.local_db.catalog_repos import SqlProductRepository, SqlUserRepository
from asiria_desktop.local_db.customer_repos import SqlCustomerRepository
from asiria_desktop.local_db.document_repos import SqlDocumentRepository
from asiria_desktop.local_db.engine import light_writer, writer
from asiria_desktop.local_db.event_repos import (
    SqlAuditRepository,
    SqlOutboxRepository,
    SqlSequenceRepository,
    SqlSettingsRepository,
)
from asiria_desktop.local_db.sale_repos import SqlRefundRepository, SqlSaleRepository
from asiria_desktop.local_db.till_repos import (
    SqlCashMovementRepository,
    SqlOpenCartRepository,
    SqlParkedCartRepository,
    SqlShiftRepository,
    SqlStockRepository,
    SqlVoidRepository,
)
from asiria_desktop.ports.ids import IdFactory


class ReadOnlyError(RuntimeError):
    pass


class SqlUnitOfWork:
    def __init__(
        self,
        engine: Engine,
        ids: IdFactory,
        terminal_code: str,
        *,
        read_only: bool = False,
        write_engine: Engine | None = None,
    ) -> None:
        """``write_engine``: ``writer(engine)`` made once by the factory (else made here)."""
        if read_only:
            self._engine = engine
        else:
            self._engine = write_engine if write_engine is not None else writer(engine)
        self._ids = ids
        self._terminal = terminal_code
        self._read_only = read_only
        self._session: Session | None = None

    def __enter__(self) -> Self:
        # expire_on_commit=False: records are copied out of the ORM anyway; no lazy reloads.
        session = Session(self._engine, expire_on_commit=False, autoflush=True)
        session.begin()  # BEGIN IMMEDIATE for writers, see engine.py
        session.connection()  # take the lock now, not at the first statement
        self._session = session
        self.products = SqlProductRepository(session)
        self.users = SqlUserRepository(session)
        self.sales = SqlSaleRepository(session, self._terminal)
        self.refunds = SqlRefundRepository(session)
        self.voids = SqlVoidRepository(session)
        self.documents = SqlDocumentRepository(session)
        self.shifts = SqlShiftRepository(session, self._terminal)
        self.cash_movements = SqlCashMovementRepository(session)
        self.parked = SqlParkedCartRepository(session)
        self.open_cart = SqlOpenCartRepository(session)
        self.sequences = SqlSequenceRepository(session)
        self.outbox = SqlOutboxRepository(session, self._ids, self.sequences)
        self.audit = SqlAuditRepository(session, self._ids, self.outbox)
        self.biometrics = SqlBiometricRepository(session)
        self.stock = SqlStockRepository(session)
        self.settings = SqlSettingsRepository(session)
        self.customers = SqlCustomerRepository(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._require()
        try:
            if session.in_transaction():
                session.rollback()
        finally:
            session.close()
            self._session = None

    def commit(self) -> None:
        if self._read_only:
            raise ReadOnlyError("a read-only unit of work cannot commit")
        self._require().commit()

    def rollback(self) -> None:
        self._require().rollback()

    def _require(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work in a `with` block")
        return self._session


class SqlUnitOfWorkFactory:
    """``factory()`` for a write transaction, ``factory(read_only=True)`` for a snapshot read."""

    def __init__(self, engine: Engine, ids: IdFactory, terminal_code: str) -> None:
        self._engine = engine
        self._writer = writer(engine)  # once: ``execution_options`` copies the engine
        self._light_writer = light_writer(engine)
        self._ids = ids
        self._terminal = terminal_code

    def __call__(self, *, read_only: bool = False, durable: bool = True) -> SqlUnitOfWork:
        return SqlUnitOfWork(
            self._engine,
            self._ids,
            self._terminal,
            read_only=read_only,
            write_engine=self._writer if durable else self._light_writer,
        )
