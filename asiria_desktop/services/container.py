"""Everything the UI needs, built once by ``bootstrap.build_till``."""

from __future__ import annotations

from dataclasses import dataclass

from asiria_desktop.domain.money import Currency
from asiria_desktop.domain.receipt import StoreInfo
from asiria_desktop.services.auth import AuthService
from asiria_desktop.services.catalog import CatalogService
from asiria_desktop.services.receipts import ReceiptService
from asiria_desktop.services.refunds import RefundService
from asiria_desktop.services.sale_session import SaleSession
from asiria_desktop.services.shifts import ShiftService
from asiria_desktop.services.status import StatusService
from asiria_desktop.services.sync import SyncService
from asiria_desktop.services.voids import VoidService


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
