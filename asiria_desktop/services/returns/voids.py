"""Voiding a whole completed sale of the open shift (manager-approved, stock goes back)."""

from __future__ import annotations

from asiria_desktop.domain.cart import PaymentMethod
from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.events import EventType
from asiria_desktop.domain.permissions import Action
from asiria_desktop.domain.receipt import render_text
from asiria_desktop.domain.slips import receipt_from_void
from asiria_desktop.domain.voids import void_sale
from asiria_desktop.ports.drawer import CashDrawer
from asiria_desktop.ports.printer import ReceiptPrinter
from asiria_desktop.ports.records import DocumentRecord
from asiria_desktop.services.context import TillContext, storage_errors
from asiria_desktop.services.devices.devices import open_drawer, print_receipt
from asiria_desktop.services.devices.receipts import (
    VOID_PREFIX,
    ReceiptNotFound,
    normalise_receipt_no,
)
from asiria_desktop.services.devices.store_details import current_store
from asiria_desktop.services.formatting import money_text
from asiria_desktop.services.results import Approval, VoidResult
from asiria_desktop.services.returns.returns import stock_returned
from asiria_desktop.services.signin.approvals import authorize, user_name


class VoidService:
    def __init__(self, ctx: TillContext, drawer: CashDrawer, printer: ReceiptPrinter) -> None:
        self._ctx = ctx
        self._drawer = drawer
        self._printer = printer

    def void_sale(
        self, receipt_no: str, reason: str, approval: Approval | None = None
    ) -> VoidResult:
        approver = authorize(self._ctx, Action.VOID_SALE, approval)
        cashier = self._ctx.require_cashier()
        number = normalise_receipt_no(receipt_no)
        now = self._ctx.clock.now()
        with storage_errors("The void was not saved"), self._ctx.uow() as uow:
            sale = uow.sales.by_receipt_no(number)
            if sale is None:
                raise ReceiptNotFound(f"Receipt {number} was not found on this till.")
            shift = uow.shifts.open_for_terminal()
            if shift is None or sale.shift_id != shift.id:
                raise DomainError(
                    f"Receipt {number} is from an earlier shift, so it can't be voided. "
                    "Refund it instead."
                )
            if uow.voids.for_sale(sale.id) is not None:
                raise DomainError(f"Receipt {number} is already voided.")
            refunded = sum(r.total_cents for r in uow.refunds.for_sale(sale.id))
            void = void_sale(
                sale,
                self._ctx.ids(),
                reason,
                cashier.user_id,
                approver,
                now,
                shift_id=shift.id,
                already_refunded_cents=refunded,
            )
            uow.voids.add(void)
            doc = receipt_from_void(
                void,
                sale,
                current_store(uow, self._ctx.settings.store),
                cashier_name=cashier.name,
                approver_name=user_name(uow, approver),
            )
            slip_no = VOID_PREFIX + number
            uow.documents.add(DocumentRecord(self._ctx.ids(), "void", slip_no, sale.id, now, doc))
            stock_returned(
                uow,
                self._ctx.ids,
                sale.lines,
                reason="void",
                ref_id=void.id,
                event=EventType.SALE_VOIDED,
                payload=void.to_payload(),
                action=Action.VOID_SALE,
                actor_id=cashier.user_id,
                approver_id=approver,
                details={
                    "receipt_no": number,
                    "reason": void.reason,
                    "total_cents": sale.total_cents,
                },
                at=now,
            )
            uow.commit()
        self._ctx.events_committed()
        amount = money_text(sale.total_cents, sale.currency)
        message = f"Receipt {number} voided ({amount})."
        printed = print_receipt(self._printer, doc)
        if not printed.ok:
            message += " " + printed.message
        if any(p.method is PaymentMethod.CASH for p in sale.payments):
            opened = open_drawer(self._drawer)
            message += " Give the cash back." if opened.ok else " " + opened.message
        text = render_text(doc, width=self._ctx.settings.receipt_width)
        return VoidResult(void.id, number, sale.total_cents, amount, message, text, slip_no)
