"""The sale being rung up on one till window: scan, quantities, discounts, tenders, park, complete.

The cart lives in memory (a domain ``Cart``) and is kept on disk after every change
(``open_cart.OpenCartStore``), so a crash does not lose it: the next login is offered the
leftover sale to restore or discard. Approved actions (discounts above the limit, price
overrides, voids after payment) are remembered and written to the audit log in the same
transaction that completes, parks or cancels the sale.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from asiria_desktop.domain.cart import Cart, PaymentMethod
from asiria_desktop.domain.customer import SaleCustomer
from asiria_desktop.domain.errors import DomainError, PaymentError
from asiria_desktop.domain.events import EventType
from asiria_desktop.domain.permissions import Action
from asiria_desktop.domain.pricing import Discount, DiscountKind
from asiria_desktop.domain.receipt import receipt_from_sale, render_text
from asiria_desktop.domain.sale import (
    CashierRef,
    complete_sale,
    format_receipt_no,
    stock_milli,
)
from asiria_desktop.ports.customer_display import CustomerDisplay
from asiria_desktop.ports.drawer import CashDrawer
from asiria_desktop.ports.printer import ReceiptPrinter
from asiria_desktop.ports.records import DocumentRecord, ParkedCartRecord, StockMovementRecord
from asiria_desktop.ports.unit_of_work import UnitOfWork
from asiria_desktop.services.context import TillContext, storage_errors
from asiria_desktop.services.devices.devices import (
    DeviceOutcome,
    open_drawer,
    print_receipt,
)
from asiria_desktop.services.devices.store_details import current_store
from asiria_desktop.services.formatting import money_text
from asiria_desktop.services.results import (
    Approval,
    CartView,
    ParkedView,
    SaleResult,
    ScanOutcome,
)
from asiria_desktop.services.sale.cart_view import cart_view
from asiria_desktop.services.sale.catalog import CatalogService, product_ref
from asiria_desktop.services.sale.open_cart import (
    KeptSale,
    LeftoverSale,
    OpenCartStore,
    PendingAudit,
)
from asiria_desktop.services.signin.approvals import authorize

RECEIPT_SEQUENCE = "receipt"
log = logging.getLogger(__name__)


class SaleSession:
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
        self._cart = self._new_cart()
        self._audits: list[PendingAudit] = []
        self._last_scan: tuple[str, float] | None = None
        self._store = OpenCartStore(ctx)
        # The sale a crash cut off, read once on first use; None once restored or discarded.
        self._kept: KeptSale | None = None
        self._kept_read = False

    # ----- ringing up ----------------------------------------------------------------------------

    def scan(self, raw_code: str) -> ScanOutcome:
        """Add the scanned product. A repeat of the same code within the scanner's trailing-Enter
        window (``scan_debounce_ms``) is ignored, so one scan never rings up twice."""
        self._ctx.require_cashier()
        code = raw_code.strip()
        now = self._monotonic()
        with self._lock:
            last = self._last_scan
            self._last_scan = (code, now)
            window = self._ctx.settings.scan_debounce_ms / 1000
            if last is not None and last[0] == code and code and now - last[1] < window:
                return ScanOutcome(False, None, "", ignored=True)
        self._refuse_over_leftover()
        lookup, record = self._catalog.lookup_record(raw_code)  # one read, no second lookup
        if not lookup.found or lookup.product is None or record is None:
            return ScanOutcome(False, None, lookup.message)
        product = lookup.product
        if product.sold_by_weight and lookup.qty_milli is None and lookup.label_price_cents is None:
            return ScanOutcome(
                False, None, lookup.message, product_id=product.id, needs_weight=True
            )
        with self._lock:
            line = self._cart.add_product(
                product_ref(record),
                qty=lookup.qty or 1,
                qty_milli=lookup.qty_milli,
                label_price_cents=lookup.label_price_cents,
            )
            self._keep()
        self._show_line(line.id)
        return ScanOutcome(True, line.id, f"Added {product.name}.", product_id=product.id)

    def add_product(
        self, product_id: str, qty: int = 1, qty_milli: int | None = None
    ) -> ScanOutcome:
        """Add a product picked from search or a category (``qty_milli`` for weighed items)."""
        self._ctx.require_cashier()
        self._refuse_over_leftover()
        record = self._catalog.record(product_id)
        with self._lock:
            line = self._cart.add_product(product_ref(record), qty=qty, qty_milli=qty_milli)
            self._keep()
        self._show_line(line.id)
        return ScanOutcome(True, line.id, f"Added {record.name}.", product_id=record.id)

    def set_qty(self, line_id: str, qty: int) -> CartView:
        with self._lock:
            self._cart.set_qty(line_id, qty)
            self._keep()
            return self.view()

    def set_weight(self, line_id: str, qty_milli: int) -> CartView:
        with self._lock:
            self._cart.set_qty_milli(line_id, qty_milli)
            self._keep()
            return self.view()

    def void_line(self, line_id: str, approval: Approval | None = None) -> CartView:
        """Remove a line; once money was taken this needs a manager."""
        cashier = self._ctx.require_cashier()
        with self._lock:
            line = self._cart.line(line_id)
            approver = None
            if self._cart.has_payments:
                approver = authorize(self._ctx, Action.VOID_LINE_AFTER_PAYMENT, approval)
            total = self._cart.priced().line(line_id).total_cents
            self._cart.void_line(line_id)
            self._remember(
                "void_line",
                cashier.user_id,
                approver,
                {"product_id": line.product.id, "name": line.product.name, "total_cents": total},
            )
            self._keep()
            return self.view()

    def discount_line(
        self,
        line_id: str,
        kind: DiscountKind,
        value: int,
        approval: Approval | None = None,
        reason: str = "",
    ) -> CartView:
        """``kind`` percent (``value`` in basis points, 1000 = 10 %) or amount (cents);
        a value of 0 removes the discount. Above the cashier's limit a manager must approve."""
        cashier = self._ctx.require_cashier()
        with self._lock:
            line = self._cart.line(line_id)
            if value == 0:
                self._cart.set_line_discount(line_id, None)
                self._keep()
                return self.view()
            base = line.to_input().gross_cents
            approver = self._discount_approver(Discount(_kind(kind), value, reason), base, approval)
            self._cart.set_line_discount(line_id, Discount(_kind(kind), value, reason, approver))
            self._remember(
                "discount_line",
                cashier.user_id,
                approver,
                {"product_id": line.product.id, "kind": kind, "value": value, "reason": reason},
            )
            self._keep()
            return self.view()

    def discount_cart(
        self, kind: DiscountKind, value: int, approval: Approval | None = None, reason: str = ""
    ) -> CartView:
        cashier = self._ctx.require_cashier()
        with self._lock:
            if value == 0:
                self._cart.set_cart_discount(None)
                self._keep()
                return self.view()
            priced = self._cart.priced()
            base = priced.total_cents + priced.cart_discount_cents
            approver = self._discount_approver(Discount(_kind(kind), value, reason), base, approval)
            self._cart.set_cart_discount(Discount(_kind(kind), value, reason, approver))
            self._remember(
                "discount_cart",
                cashier.user_id,
                approver,
                {"kind": kind, "value": value, "reason": reason, "base_cents": base},
            )
            self._keep()
            return self.view()

    def override_price(
        self, line_id: str, unit_price_cents: int, approval: Approval | None = None
    ) -> CartView:
        cashier = self._ctx.require_cashier()
        with self._lock:
            line = self._cart.line(line_id)
            approver = authorize(self._ctx, Action.PRICE_OVERRIDE, approval) or cashier.user_id
            self._cart.override_price(line_id, unit_price_cents, approver)
            self._remember(
                str(Action.PRICE_OVERRIDE),
                cashier.user_id,
                approver,
                {
                    "product_id": line.product.id,
                    "name": line.product.name,
                    "from_cents": line.unit_price_cents,
                    "to_cents": unit_price_cents,
                },
            )
            self._keep()
            return self.view()

    # ----- tenders -------------------------------------------------------------------------------

    def add_payment(self, method: str, amount_cents: int, reference: str | None = None) -> CartView:
        self._ctx.require_cashier()
        with self._lock:
            self._cart.add_payment(PaymentMethod(method), amount_cents, reference)
            self._keep()
            self._show_total(self._cart.total_cents, self._cart.change_cents)
            return self.view()

    def remove_payment(self, payment_id: str) -> CartView:
        with self._lock:
            self._cart.remove_payment(payment_id)
            self._keep()
            return self.view()

    def view(self) -> CartView:
        with self._lock:
            return cart_view(self._cart, self._ctx.settings.currency)

    # ----- the customer ---------------------------------------------------------------------------

    def attach_customer(self, customer: SaleCustomer | None) -> None:
        """The customer this sale is for (``None``: nobody); sent with ``sale.completed``."""
        with self._lock:
            self._customer = customer

    @property
    def customer(self) -> SaleCustomer | None:
        return self._customer

    # ----- completing ----------------------------------------------------------------------------

    def complete(self) -> SaleResult:
        """Commit sale + stock movements + outbox event + audit rows in one ``BEGIN IMMEDIATE``
        transaction; only then print the receipt and (cash tender) kick the drawer."""
        cashier = self._ctx.require_cashier()
        settings = self._ctx.settings
        with self._lock:
            cart = self._cart
            if cart.is_empty:
                raise DomainError("There is nothing to sell: scan an item first.")
            if not cart.is_paid:
                due = money_text(cart.balance_due_cents, settings.currency)
                raise PaymentError(f"{due} is still due. Take payment first.")
            now = self._ctx.clock.now()
            with storage_errors("The sale was not saved"), self._ctx.uow() as uow:
                shift = uow.shifts.open_for_terminal()
                seq = uow.sequences.next(RECEIPT_SEQUENCE)
                sale = complete_sale(
                    cart,
                    self._ctx.ids(),
                    format_receipt_no(settings.store_code, settings.terminal_code, seq),
                    CashierRef(cashier.user_id, cashier.name),
                    shift.id if shift is not None else None,
                    now,
                    settings.currency,
                    customer=self._customer,
                )
                uow.sales.add(sale)
                doc = receipt_from_sale(sale, current_store(uow, settings.store))
                uow.documents.add(
                    DocumentRecord(self._ctx.ids(), "sale", sale.receipt_no, sale.id, now, doc)
                )
                uow.stock.add_many(
                    [
                        StockMovementRecord(
                            self._ctx.ids(),
                            line.product_id,
                            -stock_milli(line.qty, line.qty_milli),
                            "sale",
                            sale.id,
                            now,
                        )
                        for line in sale.lines
                    ]
                )
                uow.outbox.append(str(EventType.SALE_COMPLETED), sale.to_payload(), now)
                self._flush_audits(uow, {"sale_id": sale.id, "receipt_no": sale.receipt_no})
                uow.open_cart.clear()
                uow.commit()
            self._audits = []
            self._cart = self._new_cart()
        # The sale is safe on disk: devices may fail from here on without undoing anything.
        self._ctx.events_committed()  # push it to the cloud soon, in the background
        self._show_total(sale.total_cents, sale.change_cents)
        try:
            text = render_text(doc, width=settings.receipt_width)
            printed = print_receipt(self._printer, doc)
        except Exception as exc:  # even a rendering bug must not look like a failed sale
            log.exception("receipt of %s could not be made", sale.receipt_no)
            text = ""
            printed = DeviceOutcome(False, f"The receipt could not be made ({exc}). Reprint it.")
        wants_drawer = any(p.method is PaymentMethod.CASH for p in sale.payments)
        drawer = open_drawer(self._drawer) if wants_drawer else None
        problems = [o.message for o in (printed, drawer) if o is not None and not o.ok]
        message = f"Sale {sale.receipt_no} done."
        if sale.change_cents:
            message += f" Change {money_text(sale.change_cents, settings.currency)}."
        if problems:
            message += " " + " ".join(problems)
        return SaleResult(
            sale_id=sale.id,
            receipt_no=sale.receipt_no,
            total_cents=sale.total_cents,
            change_cents=sale.change_cents,
            change_text=money_text(sale.change_cents, settings.currency),
            receipt_text=text,
            opened_drawer=drawer is not None and drawer.ok,
            printed=printed.ok,
            message=message,
        )

    def cancel(self) -> CartView:
        """Abandon the current sale (refused while payments are on it: give them back first)."""
        cashier = self._ctx.require_cashier()
        with self._lock:
            if self._cart.has_payments:
                raise PaymentError("Remove the payments (give the money back) before cancelling.")
            if not self._cart.is_empty or self._audits:
                total = self._cart.priced().total_cents
                with storage_errors("The sale was not cancelled"), self._ctx.uow() as uow:
                    uow.audit.record(
                        "sale_cancelled",
                        cashier.user_id,
                        None,
                        {"lines": len(self._cart.lines), "total_cents": total},
                        self._ctx.clock.now(),
                    )
                    self._flush_audits(uow, {"cancelled": True})
                    uow.open_cart.clear()
                    uow.commit()
                self._audits = []
            self._cart = self._new_cart()
            return self.view()

    # ----- park and recall -----------------------------------------------------------------------

    def park(self, label: str = "") -> str:
        """Put the sale aside (stored in the database, so it survives a restart)."""
        cashier = self._ctx.require_cashier()
        with self._lock:
            if self._cart.is_empty:
                raise DomainError("There is nothing to park.")
            if self._cart.has_payments:
                raise PaymentError("This sale has payments. Finish it, or remove them to park it.")
            now = self._ctx.clock.now()
            parked_id = self._ctx.ids()
            label = " ".join(label.split())[:100] or f"Parked {now:%H:%M}"
            with storage_errors("The sale was not parked"), self._ctx.uow() as uow:
                uow.parked.add(
                    ParkedCartRecord(
                        parked_id, label, cashier.user_id, now, self._cart.to_snapshot()
                    )
                )
                uow.audit.record("park", cashier.user_id, None, {"parked_id": parked_id}, now)
                self._flush_audits(uow, {"parked_id": parked_id})
                uow.open_cart.clear()
                uow.commit()
            self._audits = []
            self._cart = self._new_cart()
            return parked_id

    def parked(self) -> list[ParkedView]:
        with self._ctx.uow(read_only=True) as uow:
            records = uow.parked.all()
        views = []
        for record in records:
            cart = self._cart_from(record.snapshot)
            priced = cart.priced()
            views.append(
                ParkedView(
                    id=record.id,
                    label=record.label,
                    parked_at=record.parked_at,
                    item_count=len(cart.lines),
                    total_cents=priced.total_cents,
                    total_text=money_text(priced.total_cents, self._ctx.settings.currency),
                )
            )
        return views

    def recall(self, parked_id: str) -> CartView:
        cashier = self._ctx.require_cashier()
        self._refuse_over_leftover()
        with self._lock:
            if not self._cart.is_empty:
                raise DomainError("Finish or park the current sale before recalling another.")
            with storage_errors("The sale was not recalled"), self._ctx.uow() as uow:
                record = uow.parked.get(parked_id)
                if record is None:
                    raise DomainError("That parked sale is gone (already recalled?).")
                cart = self._cart_from(record.snapshot)
                uow.parked.remove(parked_id)
                uow.audit.record(
                    "recall", cashier.user_id, None, {"parked_id": parked_id}, self._ctx.clock.now()
                )
                uow.commit()
            # Recalled, the sale is the one in progress: kept like any other.
            self._cart = cart
            self._keep()
            return self.view()

    # ----- a sale cut off by a crash -------------------------------------------------------------

    def leftover_sale(self) -> LeftoverSale | None:
        """The sale that was being rung up when the till last stopped, if it was neither
        completed, parked nor cancelled; None once it is restored or discarded."""
        kept = self._leftover()
        return None if kept is None else self._store.leftover(kept)

    def restore_leftover(self) -> CartView:
        """Carry on with the sale that was cut off, its approvals (still to audit) included."""
        cashier = self._ctx.require_cashier()
        with self._lock:
            kept = self._leftover()
            if kept is None:
                raise DomainError("There is no sale from before the restart to restore.")
            if not self._cart.is_empty:
                raise DomainError("Finish or park the current sale before restoring another.")
            with storage_errors("The sale was not restored"), self._ctx.uow() as uow:
                uow.audit.record(
                    "open_cart_restored",
                    cashier.user_id,
                    None,
                    self._leftover_details(kept),
                    self._ctx.clock.now(),
                )
                uow.commit()
            self._cart = kept.cart
            self._audits = list(kept.audits)
            self._kept = None
            self._keep()
            return self.view()

    def discard_leftover(self) -> CartView:
        """Throw away the sale that was cut off, as cancelling it would (audited). Refused while
        it holds payments: money was taken, so restore it and give the money back first."""
        cashier = self._ctx.require_cashier()
        with self._lock:
            kept = self._leftover()
            if kept is None:
                return self.view()
            if kept.cart.has_payments:
                raise PaymentError(
                    "This sale has payments. Restore it, then finish it or give the money back."
                )
            pending, self._audits = self._audits, list(kept.audits)
            try:
                with storage_errors("The sale was not discarded"), self._ctx.uow() as uow:
                    uow.audit.record(
                        "open_cart_discarded",
                        cashier.user_id,
                        None,
                        self._leftover_details(kept),
                        self._ctx.clock.now(),
                    )
                    self._flush_audits(uow, {"discarded": True})
                    uow.open_cart.clear()
                    uow.commit()
            finally:
                self._audits = pending
            self._kept = None
            return self.view()

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

    def _leftover_details(self, kept: KeptSale) -> dict[str, Any]:
        return {
            "lines": len(kept.cart.lines),
            "total_cents": kept.cart.priced().total_cents,
            "payments": len(kept.cart.payments),
            "saved_by": kept.record.cashier_id,
            "saved_at": kept.record.saved_at.isoformat(),
        }

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

    def _cart_from(self, snapshot: dict[str, Any]) -> Cart:
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
        self, action: str, actor_id: str, approver_id: str | None, details: dict[str, Any]
    ) -> None:
        self._audits.append(PendingAudit(action, actor_id, approver_id, details))

    def _flush_audits(self, uow: UnitOfWork, extra: dict[str, Any]) -> None:
        now = self._ctx.clock.now()
        for audit in self._audits:
            uow.audit.record(
                audit.action, audit.actor_id, audit.approver_id, {**audit.details, **extra}, now
            )


def _kind(kind: DiscountKind | str) -> DiscountKind:
    """The kind, checked: a caller may hand in the plain word ("percent"), as the screens do."""
    try:
        return DiscountKind(kind)
    except ValueError:
        raise DomainError(f'"{kind}" is not a discount type (percent or amount).') from None
