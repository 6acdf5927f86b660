"""The one composition root: config -> database and devices -> services for the UI."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import uuid6

from asiria_desktop.config import TillConfig
from asiria_desktop.domain.barcodes import VariableMeasureLayout
from asiria_desktop.domain.money import Currency
from asiria_desktop.domain.permissions import Policy
from asiria_desktop.domain.receipt import TRAINING_RECEIPT_MARK, StoreInfo
from asiria_desktop.domain.tax import TaxClass, TaxRule, TaxTable
from asiria_desktop.hardware.biometric_readers import platform_readers
from asiria_desktop.hardware.device_setup import HardwareDeviceSetup
from asiria_desktop.hardware.factory import TillDevices, build_devices
from asiria_desktop.hardware.print_queue import PrintQueue
from asiria_desktop.hardware.settings import (
    DeviceSettings,
    device_settings_path,
    load_device_settings,
)
from asiria_desktop.hardware.simulated import SimulatedPrinter
from asiria_desktop.local_db.backup_timer import DailyBackupTimer
from asiria_desktop.local_db.database import TillDatabase
from asiria_desktop.local_db.insights_repos import SqlInsightsReader
from asiria_desktop.local_db.mpesa_repos import SqlMpesaPromptStore
from asiria_desktop.local_db.notice_repos import SqlNoticeStore
from asiria_desktop.local_db.sync_repos import SqlSyncStore
from asiria_desktop.local_db.unit_of_work import SqlUnitOfWorkFactory
from asiria_desktop.ports.biometrics import BiometricVerifier
from asiria_desktop.ports.clock import Clock
from asiria_desktop.ports.cloud import Enroller
from asiria_desktop.ports.devices import DeviceStatus
from asiria_desktop.ports.drawer import CashDrawer
from asiria_desktop.ports.ids import IdFactory
from asiria_desktop.ports.printer import PrintQueueControl, ReceiptPrinter
from asiria_desktop.services.container import TillServices
from asiria_desktop.services.context import TillContext, TillSettings
from asiria_desktop.services.devices.device_admin import DeviceAdmin
from asiria_desktop.services.devices.display_feed import DisplayFeed
from asiria_desktop.services.devices.receipts import ReceiptService
from asiria_desktop.services.returns.refunds import RefundService
from asiria_desktop.services.returns.voids import VoidService
from asiria_desktop.services.sale.catalog import CatalogService
from asiria_desktop.services.sale.customers import CustomerService
from asiria_desktop.services.sale.mpesa import MpesaService
from asiria_desktop.services.sale.mpesa_watch import PaidLaterWatch, mpesa_receipts
from asiria_desktop.services.sale.sale_session import SaleSession
from asiria_desktop.services.sale.wedge import WedgeSettings
from asiria_desktop.services.shift.insights import InsightsService
from asiria_desktop.services.shift.notices import NoticeService
from asiria_desktop.services.shift.shifts import ShiftService
from asiria_desktop.services.signin.auth import AuthService
from asiria_desktop.services.signin.biometrics import BiometricService
from asiria_desktop.services.signin.security_risks import SecurityRisks
from asiria_desktop.services.stock.stock import StockService
from asiria_desktop.services.sync.cloud_settings import with_cloud_settings
from asiria_desktop.services.sync.status import DirectPrinter, StatusService
from asiria_desktop.services.sync.support_logs import SupportLogService
from asiria_desktop.services.sync.sync import SyncService
from asiria_desktop.sync.credentials import SecretStore
from asiria_desktop.sync.engine import ApiFactory, SyncEngine
from asiria_desktop.sync.lock import SyncLock
from asiria_desktop.sync.mpesa_client import CloudMpesaGateway
from asiria_desktop.sync.scheduler import SyncScheduler
from asiria_desktop.till_logging import FileLogSource, log_dir

log = logging.getLogger(__name__)


class SystemClock:
    """The machine's local time, with its UTC offset."""

    def now(self) -> datetime:
        return datetime.now().astimezone()


def uuid7_ids() -> str:
    return str(uuid6.uuid7())


def till_settings(
    config: TillConfig, receipt_width: int = 42, *, receipt_mark: str = ""
) -> TillSettings:
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
            mark=receipt_mark,
        ),
        cash_rounding_cents=max(1, config.cash_rounding_cents),
        scan_debounce_ms=config.scan_debounce_ms,
        lockout_failures=config.lockout_failures,
        lockout_minutes=config.lockout_minutes,
        receipt_width=receipt_width,  # the paper of the receipt printer (device settings)
    )


@dataclass
class Till:
    config: TillConfig
    services: TillServices
    database: TillDatabase
    context: TillContext
    printer: ReceiptPrinter
    drawer: CashDrawer
    sync_engine: SyncEngine | None = None
    devices: TillDevices | None = None  # print queue, scanners, display, camera
    _closed: bool = field(default=False, repr=False)
    _backup_timer: DailyBackupTimer | None = field(default=None, repr=False)
    _sync_scheduler: SyncScheduler | None = field(default=None, repr=False)

    def start_sync(self) -> SyncScheduler | None:
        """Sync in the background: after each sale, and on an interval with backoff."""
        if self._sync_scheduler is None and self.sync_engine is not None:
            engine = self.sync_engine
            scheduler = SyncScheduler(
                engine.sync_now,
                interval_s=self.config.sync.interval_seconds,
                max_backoff_s=self.config.sync.max_backoff_seconds,
                retry_after=lambda: engine.retry_after,
            )
            engine.on_sync_requested = scheduler.trigger
            scheduler.start()
            self._sync_scheduler = scheduler
        return self._sync_scheduler

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
            if self._sync_scheduler is not None:
                self._sync_scheduler.stop()
            display = self.services.display
            if isinstance(display, DisplayFeed):
                display.stop()
            if self.devices is not None:
                self.devices.close()  # logs the receipts still waiting to print
            self.database.close()


def build_till(
    config: TillConfig,
    *,
    printer: ReceiptPrinter | None = None,
    drawer: CashDrawer | None = None,
    clock: Clock | None = None,
    ids: IdFactory | None = None,
    cloud_api: ApiFactory | None = None,
    enroller: Enroller | None = None,
    monotonic: Callable[[], float] | None = None,
    biometric_readers: Sequence[BiometricVerifier] | None = None,
    offline_training: bool = False,
) -> Till:
    """Open (check, migrate, back up) the database and wire every service.

    Raises ``local_db.health.DatabaseDamaged`` (with a plain ``.message``) when the file is bad.
    Devices come from this till's device settings file (``<data dir>/devices-<terminal>.json``,
    written by the device settings screen); without one, or in training mode
    (``config.training``, the demo), they are the simulated ones (receipts go to
    ``<data dir>/receipts.txt``). A ``printer`` or ``drawer`` passed in replaces that device.
    ``biometric_readers`` replaces the platform's fingerprint / security key readers.
    ``offline_training`` (the first-run wizard's training mode): nothing is ever synced.
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
    sync_store = SqlSyncStore(database.engine)
    devices_path = device_settings_path(config.data_dir, config.terminal_code)
    device_settings = load_device_settings(devices_path)
    settings = with_cloud_settings(
        till_settings(
            config,
            device_settings.printer.width,
            receipt_mark=TRAINING_RECEIPT_MARK if offline_training else "",
        ),
        database.uow,
        sync_store,
    )
    if settings.terminal_code != config.terminal_code:  # enrolment gave this till its code
        database.uow = SqlUnitOfWorkFactory(database.engine, ids, settings.terminal_code)
    printer_news = PrinterNews()
    devices, printer, drawer, printer_control = _devices(
        config, device_settings, settings.currency, printer, drawer, printer_news
    )
    ctx = TillContext(settings=settings, uow=database.uow, ids=ids, clock=clock)
    engine_options: dict[str, Any] = {"page_size": config.sync.page_size}
    if cloud_api is not None:
        engine_options["api_factory"] = cloud_api
    if enroller is not None:
        engine_options["enroller"] = enroller
    if monotonic is not None:  # tests: how long the cloud has been silent
        engine_options["monotonic"] = monotonic
    sync_engine = SyncEngine(
        uow=database.uow,
        store=sync_store,
        secrets=SecretStore(config.data_dir),
        lock=SyncLock(config.sync_lock_path),
        clock=clock,
        layout=settings.barcode_layout,
        **engine_options,
    )
    ctx.outbox_listener = sync_engine.request_sync
    catalog = CatalogService(ctx)
    display = DisplayFeed(devices.display) if devices.display is not None else None
    status = StatusService(
        ctx,
        sync_engine,
        printer=printer_control,
        scanners=devices.scanners,
        display=display,
        training=offline_training,
    )
    printer_news.connect(status.printer_changed)
    device_setup = HardwareDeviceSetup(devices_path, config.data_dir)
    scanner = device_settings.scanner
    if biometric_readers is None:
        biometric_readers = platform_readers()
    sale = SaleSession(ctx, catalog, printer, drawer, display=display)
    mpesa = _mpesa(config, ctx, sync_engine, database)
    watch = PaidLaterWatch(mpesa, lambda: mpesa_receipts(sale.view()))
    services = TillServices(
        auth=AuthService(ctx),
        catalog=catalog,
        sale=sale,
        refunds=RefundService(ctx, printer, drawer),
        voids=VoidService(ctx, drawer, printer),
        shifts=ShiftService(ctx, printer, drawer),
        receipts=ReceiptService(ctx, printer),
        status=status,
        store=settings.store,
        currency=settings.currency,
        sync=SyncService(
            ctx,
            sync_engine,
            default_server_url=config.sync.server_url,
            default_name=config.sync.terminal_name,
            training=offline_training,
        ),
        stock=StockService(ctx, catalog),
        devices=DeviceAdmin(ctx, device_setup),
        device_setup=device_setup,
        scanners=tuple(devices.scanners),
        camera=devices.camera,
        display=display,
        wedge=WedgeSettings(
            scanner.wedge_enabled, scanner.wedge_max_interval_ms, scanner.wedge_min_length
        ),
        biometrics=BiometricService(ctx, biometric_readers),
        security=SecurityRisks(sync_engine, str(SecretStore(config.data_dir).file_path)),
        insights=InsightsService(ctx, SqlInsightsReader(database.engine)),
        notices=NoticeService(ctx, SqlNoticeStore(database.engine, ids)),
        customers=CustomerService(ctx, sale),
        support_logs=SupportLogService(ctx, FileLogSource(log_dir(config.data_dir)), sync_engine),
        mpesa=mpesa,
        mpesa_watch=watch,
    )
    sync_engine.follow_ups.add(watch.check)  # each sync also asks about unresolved prompts
    log.info(
        "till ready: %s (%s-%s)", config.database_path, config.store_code, config.terminal_code
    )
    return Till(config, services, database, ctx, printer, drawer, sync_engine, devices)


class PrinterNews:
    """Where the print queue reports the printer's state. The devices are built before the
    status service that shows it, so the queue gets this hook and the service is connected to
    it once it exists; news before that are dropped (the service asks the printer itself when
    it starts)."""

    def __init__(self) -> None:
        self._listener: Callable[[DeviceStatus], None] | None = None

    def connect(self, listener: Callable[[DeviceStatus], None]) -> None:
        self._listener = listener

    def __call__(self, status: DeviceStatus) -> None:
        if self._listener is not None:
            self._listener(status)


def _mpesa(
    config: TillConfig, ctx: TillContext, engine: SyncEngine, database: TillDatabase
) -> MpesaService:
    """M-Pesa goes through this till's cloud connection; the prompts it sends are kept in its
    database."""
    return MpesaService(
        ctx,
        CloudMpesaGateway(engine),
        SqlMpesaPromptStore(database.engine),
        max_prompt_cents=config.mpesa.max_prompt_kes * 100,
        wait_seconds=config.mpesa.wait_seconds,
        poll_seconds=config.mpesa.poll_seconds,
    )


def _devices(
    config: TillConfig,
    device_settings: DeviceSettings,
    currency: Currency,
    printer: ReceiptPrinter | None,
    drawer: CashDrawer | None,
    printer_news: PrinterNews,
) -> tuple[TillDevices, ReceiptPrinter, CashDrawer, PrintQueueControl]:
    """The till's devices from its device settings (simulated ones in training mode).

    Receipts go through the print queue, which never blocks a sale; the simulated printer (demo,
    training, no printer set up) only appends to ``receipts.txt`` and is used directly, so its
    file is complete as soon as a sale returns."""
    devices = build_devices(
        device_settings,
        data_dir=config.data_dir,
        receipts_path=config.receipts_path,
        on_printer_status=printer_news,
        currency=currency,
        training=config.training,
    )
    if printer is None:
        direct = isinstance(devices.raw_printer, SimulatedPrinter)
        printer = devices.raw_printer if direct else devices.printer
    assert printer is not None
    control: PrintQueueControl = (
        printer if isinstance(printer, PrintQueue) else DirectPrinter(printer)
    )
    if drawer is None:
        drawer = devices.drawer
    return devices, printer, drawer, control
