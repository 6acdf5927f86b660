"""Everything the UI needs, built once by ``bootstrap.build_till``."""

from __future__ import annotations

from dataclasses import dataclass, field

from asiria_desktop.domain.money import Currency
from asiria_desktop.domain.receipt import StoreInfo
from asiria_desktop.ports.camera import LiveCamera
from asiria_desktop.ports.customer_display import CustomerDisplay
from asiria_desktop.ports.device_setup import DeviceSetup
from asiria_desktop.ports.scanner import BarcodeScanner
from asiria_desktop.services.devices.device_admin import DeviceAdmin
from asiria_desktop.services.devices.receipts import ReceiptService
from asiria_desktop.services.returns.refunds import RefundService
from asiria_desktop.services.returns.voids import VoidService
from asiria_desktop.services.sale.catalog import CatalogService
from asiria_desktop.services.sale.customers import CustomerService
from asiria_desktop.services.sale.mpesa import MpesaService
from asiria_desktop.services.sale.mpesa_watch import PaidLaterWatch
from asiria_desktop.services.sale.sale_session import SaleSession
from asiria_desktop.services.sale.wedge import WedgeSettings
from asiria_desktop.services.shift.insights import InsightsService
from asiria_desktop.services.shift.notices import NoticeService
from asiria_desktop.services.shift.shifts import ShiftService
from asiria_desktop.services.signin.auth import AuthService
from asiria_desktop.services.signin.biometrics import BiometricService
from asiria_desktop.services.signin.security_risks import SecurityRisks
from asiria_desktop.services.stock.stock import StockService
from asiria_desktop.services.sync.status import StatusService
from asiria_desktop.services.sync.support_logs import SupportLogService
from asiria_desktop.services.sync.sync import SyncService


@dataclass(frozen=True)
class TillServices:
    auth: AuthService
    catalog: CatalogService
    sale: SaleSession
    refunds: RefundService
    voids: VoidService
    shifts: ShiftService
    receipts: ReceiptService
    status: StatusService
    store: StoreInfo
    currency: Currency
    sync: SyncService
    stock: StockService  # goods received and stock adjustments
    # Devices. The UI reaches them only through these ports.
    devices: DeviceAdmin | None = None  # the device settings screen, behind a manager approval
    device_setup: DeviceSetup | None = None  # the raw port (DeviceAdmin wraps it, on the record)
    scanners: tuple[BarcodeScanner, ...] = ()  # serial scanners: codes arrive on their threads
    camera: LiveCamera | None = None  # webcam scanning on demand; None when not configured
    display: CustomerDisplay | None = None  # the pole display; SaleSession feeds it
    wedge: WedgeSettings = field(default_factory=WedgeSettings)
    biometrics: BiometricService | None = None  # sign-in and approval by touch; PIN otherwise
    security: SecurityRisks | None = None  # risks of the set-up, for the manager's screen
    insights: InsightsService | None = None  # today's figures and the "often bought with" hint
    notices: NoticeService | None = None  # the managers' notices panel (pulled from the cloud)
    customers: CustomerService | None = None  # attaching a customer to the sale
    support_logs: SupportLogService | None = None  # a manager sends the logs for support
    mpesa: MpesaService | None = None  # prompts to the customer's phone, claims, via the cloud
    mpesa_watch: PaidLaterWatch | None = None  # prompts paid after the till stopped waiting
