"""Completing a sale (committed first, then printed and the drawer kicked) or cancelling it."""

from __future__ import annotations

import logging

from asiria_desktop.domain.cart import PaymentMethod
from asiria_desktop.domain.errors import DomainError, PaymentError
from asiria_desktop.domain.events import EventType
from asiria_desktop.domain.receipt import receipt_from_sale, render_text
from asiria_desktop.domain.sale import CashierRef, complete_sale, format_receipt_no, stock_milli
from asiria_desktop.ports.records import DocumentRecord, StockMovementRecord
from asiria_desktop.services.context import storage_errors
from asiria_desktop.services.devices.devices import DeviceOutcome, open_drawer, print_receipt
from asiria_desktop.services.devices.store_details import current_store
from asiria_desktop.services.formatting import money_text
from asiria_desktop.services.results import CartView, SaleResult
from asiria_desktop.services.sale.session_core import SessionCore

RECEIPT_SEQUENCE = "receipt"
log = logging.getLogger(__name__)


class CompletionActions(SessionCore):
    """Ending the sale in progress: completed (then printed) or cancelled."""

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
