"""The one composition root: config -> database and devices -> services for the UI."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

import uuid6

from asiria_desktop.config import TillConfig
from asiria_desktop.domain.barcodes import VariableMeasureLayout
from asiria_desktop.domain.money import Currency
from asiria_desktop.domain.permissions import Policy
from asiria_desktop.domain.receipt import StoreInfo
from asiria_desktop.domain.tax import TaxClass, TaxRule, TaxTable
from asiria_desktop.hardware.simulated import SimulatedDrawer, SimulatedPrinter
from asiria_desktop.local_db.backup_timer import DailyBackupTimer
from asiria_desktop.local_db.database import TillDatabase
from asiria_desktop.ports.clock import Clock
from asiria_desktop.ports.drawer import CashDrawer
from asiria_desktop.ports.ids import IdFactory
from asiria_desktop.ports.printer import ReceiptPrinter
from asiria_desktop.services.auth import AuthService
from asiria_desktop.services.catalog import CatalogService
from asiria_desktop.services.container import TillServices
from asiria_desktop.services.context import TillContext, TillSettings
from asiria_desktop.services.receipts import ReceiptService
from asiria_desktop.services.refunds import RefundService
from asiria_desktop.services.sale_session import SaleSession
from asiria_desktop.services.shifts import ShiftService
from asiria_desktop.services.status import StatusService
from asiria_desktop.services.voids import VoidService

log = logging.getLogger(__name__)


class SystemClock:
    """The machine's local time, with its UTC offset."""

    def now(self) -> datetime:
        return datetime.now().astimezone()


def uuid7_ids() -> str:
    return str(uuid6.uuid7())


def till_settings(config: TillConfig) -> TillSettings:
    tax = config.tax
    return TillSettings(
        store_code=config.store_code,
        terminal_code=config.terminal_code,
        currency=Currency(config.currency, config.currency_decimals),
        tax_table=TaxTable(
            {
                TaxClass.STANDARD: TaxRule(tax.standard_bp, tax.inclusive),
                TaxClass.ZERO: TaxRule(0, tax.inclusive),
                TaxClass.EXEMPT: TaxRule(0, tax.inclusive),
            }
        ),
        barcode_layout=VariableMeasureLayout(
            prefixes=config.barcode.prefixes,
            item_digits=config.barcode.item_digits,
            value_digits=config.barcode.value_digits,
            value_kind="weight" if config.barcode.value_kind == "weight" else "price",
            price_unit_cents=config.barcode.price_unit_cents,
        ),
        policy=Policy(discount_limit_bp=config.discount_limit_bp),
        store=StoreInfo(
            name=config.store.name,
            address=config.store.address,
            tax_pin=config.store.tax_pin,
            phone=config.store.phone,
            footer=config.store.footer,
        ),
        cash_rounding_cents=max(1, config.cash_rounding_cents),
        scan_debounce_ms=config.scan_debounce_ms,
        lockout_failures=config.lockout_failures,
        lockout_minutes=config.lockout_minutes,
        receipt_width=config.devices.receipt_width,
    )


@dataclass
class Till:
    config: TillConfig
    services: TillServices
    database: TillDatabase
    context: TillContext
    printer: ReceiptPrinter
    drawer: CashDrawer
    _closed: bool = field(default=False, repr=False)
    _backup_timer: DailyBackupTimer | None = field(default=None, repr=False)

    def start_daily_backups(self, interval_seconds: float = 3600) -> None:
        """Check every hour whether today's backup exists (the till may run for days)."""
        if self._backup_timer is None:
            clock = self.context.clock
            self._backup_timer = DailyBackupTimer(
                self.database.backup_if_due, lambda: clock.now().date(), interval_seconds
            )
            self._backup_timer.start()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            if self._backup_timer is not None:
                self._backup_timer.stop()
            self.database.close()


def build_till(
    config: TillConfig,
    *,
    printer: ReceiptPrinter | None = None,
    drawer: CashDrawer | None = None,
    clock: Clock | None = None,
    ids: IdFactory | None = None,
) -> Till:
    """Open (check, migrate, back up) the database and wire every service.

    Raises ``local_db.health.DatabaseDamaged`` (with a plain ``.message``) when the file is bad.
    Devices default to the simulated ones (receipts go to ``<data dir>/receipts.txt``).
    """
    clock = clock or SystemClock()
    ids = ids or uuid7_ids
    config.data_dir.mkdir(parents=True, exist_ok=True)
    database = TillDatabase.open(
        config.database_path,
        backup_dir=config.backup_dir,
        ids=ids,
        terminal_code=config.terminal_code,
        today=clock.now().date(),
        backup_keep=config.backup_keep,
    )
    settings = till_settings(config)
    if printer is None:
        printer = SimulatedPrinter(config.receipts_path, width=settings.receipt_width)
    if drawer is None:
        drawer = SimulatedDrawer()
    ctx = TillContext(settings=settings, uow=database.uow, ids=ids, clock=clock)
    catalog = CatalogService(ctx)
    services = TillServices(
        auth=AuthService(ctx),
        catalog=catalog,
        sale=SaleSession(ctx, catalog, printer, drawer),
        refunds=RefundService(ctx, printer, drawer),
        voids=VoidService(ctx, drawer),
        shifts=ShiftService(ctx, printer, drawer),
        receipts=ReceiptService(ctx, printer),
        status=StatusService(ctx),
        store=settings.store,
        currency=settings.currency,
    )
    log.info(
        "till ready: %s (%s-%s)", config.database_path, config.store_code, config.terminal_code
    )
    return Till(config, services, database, ctx, printer, drawer)
