"""What every service shares on one till: settings, ports and who is logged in."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from asiria_desktop.domain.barcodes import VariableMeasureLayout
from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.money import Currency
from asiria_desktop.domain.permissions import Policy
from asiria_desktop.domain.receipt import StoreInfo
from asiria_desktop.domain.tax import TaxTable
from asiria_desktop.ports.clock import Clock
from asiria_desktop.ports.ids import IdFactory
from asiria_desktop.ports.unit_of_work import UnitOfWorkFactory
from asiria_desktop.services.results import CashierSession

log = logging.getLogger(__name__)


class StorageError(DomainError):
    """The database refused a write (disk full, locked too long...); nothing was saved."""


@contextmanager
def storage_errors(what: str) -> Iterator[None]:
    """Turn unexpected storage failures into a plain-language ``StorageError``."""
    try:
        yield
    except DomainError:
        raise
    except Exception as exc:
        log.exception("%s", what)
        raise StorageError(
            f"{what}: the till's database did not accept it ({exc}). "
            "Try again; if it keeps failing, call for support."
        ) from exc


class NotLoggedIn(DomainError):
    def __init__(self) -> None:
        super().__init__("Nobody is logged in. Enter your PIN first.")


@dataclass(frozen=True)
class TillSettings:
    store_code: str
    terminal_code: str
    currency: Currency
    tax_table: TaxTable
    barcode_layout: VariableMeasureLayout
    policy: Policy
    store: StoreInfo
    cash_rounding_cents: int = 1
    scan_debounce_ms: int = 300
    lockout_failures: int = 5
    lockout_minutes: int = 5
    receipt_width: int = 42


@dataclass
class TillContext:
    """Built once by bootstrap and shared by all services of one till window."""

    settings: TillSettings
    uow: UnitOfWorkFactory
    ids: IdFactory
    clock: Clock
    _cashier: CashierSession | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # Called after a sale, refund or void is committed: bootstrap points it at the sync
    # engine's non-blocking "push soon". It must never block or raise into a sale.
    outbox_listener: Callable[[], None] | None = None

    def events_committed(self) -> None:
        listener = self.outbox_listener
        if listener is None:
            return
        try:
            listener()
        except Exception:
            log.exception("the outbox listener failed (the sale itself is saved)")

    @property
    def cashier(self) -> CashierSession | None:
        return self._cashier

    def set_cashier(self, session: CashierSession | None) -> None:
        with self._lock:
            self._cashier = session

    def require_cashier(self) -> CashierSession:
        cashier = self._cashier
        if cashier is None:
            raise NotLoggedIn()
        return cashier
