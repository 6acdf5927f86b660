"""The state one till window's sale session is built on: the cart in progress, approvals still
to audit, and keeping the cart on disk (``open_cart.OpenCartStore``) so a crash does not lose it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from asiria_desktop.domain.cart import Cart
from asiria_desktop.domain.customer import SaleCustomer
from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.json_types import JsonObject
from asiria_desktop.domain.permissions import Action
from asiria_desktop.domain.pricing import Discount, DiscountKind
from asiria_desktop.ports.customer_display import CustomerDisplay
from asiria_desktop.ports.drawer import CashDrawer
from asiria_desktop.ports.printer import ReceiptPrinter
from asiria_desktop.ports.unit_of_work import UnitOfWork
from asiria_desktop.services.context import TillContext
from asiria_desktop.services.results import Approval, CartView
from asiria_desktop.services.sale.cart_view import cart_view
from asiria_desktop.services.sale.catalog import CatalogService
from asiria_desktop.services.sale.open_cart import KeptSale, OpenCartStore, PendingAudit
from asiria_desktop.services.signin.approvals import authorize

log = logging.getLogger(__name__)


class SessionCore:
    """What every part of the sale session shares: the cart in progress, its approvals still
    to audit, the lock that orders changes, and keeping the cart on disk after each change."""

    def __init__(
        self,
        ctx: TillContext,
        catalog: CatalogService,
        printer: ReceiptPrinter,
        drawer: CashDrawer,
        monotonic: Callable[[], float] = time.monotonic,
        *,
        display: CustomerDisplay | None = None,
    ) -> None:
        self._ctx = ctx
        self._catalog = catalog
        self._printer = printer
        self._drawer = drawer
        self._monotonic = monotonic
        self._display = display  # optional pole display; see _show_line
        self._lock = threading.RLock()
        self._customer: SaleCustomer | None = None
        self._cart = self._new_cart()
        self._audits: list[PendingAudit] = []
        self._last_scan: tuple[str, float] | None = None
        self._store = OpenCartStore(ctx)
        # The sale a crash cut off, read once on first use; None once restored or discarded.
        self._kept: KeptSale | None = None
        self._kept_read = False

    def view(self) -> CartView:
        with self._lock:
            return cart_view(self._cart, self._ctx.settings.currency)

    def _leftover(self) -> KeptSale | None:
        with self._lock:
            if not self._kept_read:
                self._kept = self._store.load()
                self._kept_read = True
            return self._kept

    def _refuse_over_leftover(self) -> None:
        """Nothing is added while a cut-off sale waits: the first save would overwrite it."""
        if self._leftover() is not None:
            raise DomainError(
                "A sale from before the till stopped is waiting: restore it or discard it first."
            )

    # ----- internals -----------------------------------------------------------------------------

    def _keep(self) -> None:
        """Write the sale in progress to disk (called with the lock held, after each change)."""
        if self._leftover() is not None:
            return  # the row on disk is still the cut-off sale: never overwrite it unanswered
        cashier = self._ctx.cashier
        self._store.save(self._cart, self._audits, cashier.user_id if cashier else None)

    def _new_cart(self) -> Cart:
        self._customer = None  # a customer belongs to one sale
        settings = self._ctx.settings
        return Cart(
            self._ctx.ids,
            tax_table=settings.tax_table,
            cash_rounding_step_cents=settings.cash_rounding_cents,
            currency=settings.currency,
        )

    def _cart_from(self, snapshot: JsonObject) -> Cart:
        settings = self._ctx.settings
        return Cart.from_snapshot(
            snapshot, self._ctx.ids, tax_table=settings.tax_table, currency=settings.currency
        )

    def _show_line(self, line_id: str) -> None:
        """The item just added and the running total on the customer display (if any)."""
        if self._display is None:
            return
        try:
            with self._lock:
                priced = self._cart.priced()
                line = priced.line(line_id)
            price = line.total_cents if line.qty_milli is not None else line.unit_price_cents
            self._display.show_item(line.name, price, priced.total_cents)
        except Exception:  # the display is optional: it never disturbs the sale
            log.warning("customer display: item not shown", exc_info=True)

    def _show_total(self, total_cents: int, change_cents: int) -> None:
        if self._display is None:
            return
        try:
            self._display.show_total(total_cents, change_cents)
        except Exception:
            log.warning("customer display: total not shown", exc_info=True)

    def _discount_approver(
        self, discount: Discount, base_cents: int, approval: Approval | None
    ) -> str | None:
        if self._ctx.settings.policy.discount_over_limit(discount, base_cents):
            return authorize(self._ctx, Action.DISCOUNT_ABOVE_LIMIT, approval)
        return None

    def _remember(
        self, action: str, actor_id: str, approver_id: str | None, details: JsonObject
    ) -> None:
        self._audits.append(PendingAudit(action, actor_id, approver_id, details))

    def _flush_audits(self, uow: UnitOfWork, extra: JsonObject) -> None:
        now = self._ctx.clock.now()
        for audit in self._audits:
            uow.audit.record(
                audit.action, audit.actor_id, audit.approver_id, {**audit.details, **extra}, now
            )


def discount_kind(kind: DiscountKind | str) -> DiscountKind:
    """The kind, checked: a caller may hand in the plain word ("percent"), as the screens do."""
    try:
        return DiscountKind(kind)
    except ValueError:
        raise DomainError(f'"{kind}" is not a discount type (percent or amount).') from None
