"""Refunds against an original receipt: partial, never more than was sold, manager-approved."""

from __future__ import annotations

from asiria_desktop.domain.cart import PAYMENT_LABELS, PaymentMethod
from asiria_desktop.domain.errors import RefundError
from asiria_desktop.domain.events import EventType
from asiria_desktop.domain.permissions import Action
from asiria_desktop.domain.receipt import ReceiptDocument, render_text
from asiria_desktop.domain.refund import (
    Refund,
    RefundableLine,
    RefundLineRequest,
    build_refund,
    format_refund_no,
    refundable_lines,
)
from asiria_desktop.domain.sale import CompletedSale
from asiria_desktop.domain.slips import receipt_from_refund
from asiria_desktop.ports.drawer import CashDrawer
from asiria_desktop.ports.printer import ReceiptPrinter
from asiria_desktop.ports.records import DocumentRecord
from asiria_desktop.services.context import TillContext, storage_errors
from asiria_desktop.services.devices.devices import open_drawer, print_receipt
from asiria_desktop.services.devices.receipts import ReceiptNotFound, normalise_receipt_no
from asiria_desktop.services.devices.store_details import current_store
from asiria_desktop.services.formatting import money_text, qty_text, unit_price_text
from asiria_desktop.services.results import (
    Approval,
    PaymentView,
    RefundLinePreview,
    RefundPreview,
    RefundResult,
    SaleDetailView,
    SaleLineView,
)
from asiria_desktop.services.returns.returns import stock_returned
from asiria_desktop.services.signin.approvals import authorize, user_name

REFUND_SEQUENCE = "refund"


class RefundService:
    def __init__(self, ctx: TillContext, printer: ReceiptPrinter, drawer: CashDrawer) -> None:
        self._ctx = ctx
        self._printer = printer
        self._drawer = drawer

    def find(self, receipt_no: str) -> SaleDetailView:
        """The sale on a receipt, with what can still be refunded per line."""
        number = normalise_receipt_no(receipt_no)
        with self._ctx.uow(read_only=True) as uow:
            sale = uow.sales.by_receipt_no(number)
            if sale is None:
                raise ReceiptNotFound(f"Receipt {number} was not found on this till.")
            previous = uow.refunds.for_sale(sale.id)
            voided = uow.voids.for_sale(sale.id) is not None
        return self._detail(sale, previous, voided)

    def preview(self, receipt_no: str, lines: dict[str, int]) -> RefundPreview:
        """What ``refund`` would give back for these quantities, to the cent, without saving
        anything or asking for approval: the refund screen shows it before the manager's PIN."""
        number = normalise_receipt_no(receipt_no)
        chosen = {line_id: units for line_id, units in lines.items() if units > 0}
        with self._ctx.uow(read_only=True) as uow:
            sale = uow.sales.by_receipt_no(number)
            if sale is None:
                raise ReceiptNotFound(f"Receipt {number} was not found on this till.")
            previous = uow.refunds.for_sale(sale.id)
        currency = sale.currency
        if not chosen:
            return RefundPreview((), 0, money_text(0, currency))
        refund = build_refund(
            sale,
            [_request(sale, line_id, units) for line_id, units in chosen.items()],
            previous,
            "preview",
            lambda: "preview",
            PaymentMethod.CASH,  # the amount is the same by any method; limits come at refund
            self._ctx.clock.now(),
            None,
        )
        return RefundPreview(
            tuple(
                RefundLinePreview(
                    line.sale_line_id, line.total_cents, money_text(line.total_cents, currency)
                )
                for line in refund.lines
            ),
            refund.total_cents,
            money_text(refund.total_cents, currency),
        )

    def refund(
        self,
        receipt_no: str,
        lines: dict[str, int],
        method: str = "cash",
        approval: Approval | None = None,
        reason: str = "",
    ) -> RefundResult:
        """``lines`` maps a sale line id to the quantity to refund (pieces, or thousandths for a
        weighed line). Sale, refund, stock movements, outbox event and audit row commit together."""
        approver = authorize(self._ctx, Action.REFUND, approval)
        cashier = self._ctx.require_cashier()
        number = normalise_receipt_no(receipt_no)
        refund_method = PaymentMethod(method)
        now = self._ctx.clock.now()
        with storage_errors("The refund was not saved"), self._ctx.uow() as uow:
            sale = uow.sales.by_receipt_no(number)
            if sale is None:
                raise ReceiptNotFound(f"Receipt {number} was not found on this till.")
            if uow.voids.for_sale(sale.id) is not None:
                raise RefundError(f"Receipt {number} was voided: there is nothing to refund.")
            previous = uow.refunds.for_sale(sale.id)
            shift = uow.shifts.open_for_terminal()
            settings = self._ctx.settings
            refund_no = format_refund_no(
                settings.store_code, settings.terminal_code, uow.sequences.next(REFUND_SEQUENCE)
            )
            requests = [_request(sale, line_id, units) for line_id, units in lines.items()]
            refund = build_refund(
                sale,
                requests,
                previous,
                self._ctx.ids(),
                self._ctx.ids,
                refund_method,
                now,
                approver,
                cashier_id=cashier.user_id,
                shift_id=shift.id if shift is not None else None,
                reason=" ".join(reason.split())[:200],
                refund_no=refund_no,
            )
            uow.refunds.add(refund)
            doc = receipt_from_refund(
                refund,
                sale,
                current_store(uow, settings.store),
                cashier_name=cashier.name,
                approver_name=user_name(uow, approver),
            )
            uow.documents.add(
                DocumentRecord(self._ctx.ids(), "refund", refund_no, sale.id, now, doc)
            )
            stock_returned(
                uow,
                self._ctx.ids,
                refund.lines,
                reason="refund",
                ref_id=refund.id,
                event=EventType.REFUND_CREATED,
                payload=refund.to_payload(),
                action=Action.REFUND,
                actor_id=cashier.user_id,
                approver_id=approver,
                details={
                    "refund_id": refund.id,
                    "refund_no": refund_no,
                    "receipt_no": number,
                    "total_cents": refund.total_cents,
                },
                at=now,
            )
            uow.commit()
        self._ctx.events_committed()
        return self._after_commit(refund, sale, doc)

    def _after_commit(
        self, refund: Refund, sale: CompletedSale, doc: ReceiptDocument
    ) -> RefundResult:
        currency = self._ctx.settings.currency
        printed = print_receipt(self._printer, doc)
        drawer = open_drawer(self._drawer) if refund.method is PaymentMethod.CASH else None
        amount = money_text(refund.total_cents, currency)
        label = PAYMENT_LABELS[refund.method]
        message = f"Refund of {amount} by {label} recorded (refund {refund.refund_no})."
        for outcome in (printed, drawer):
            if outcome is not None and not outcome.ok:
                message += " " + outcome.message
        return RefundResult(
            refund_id=refund.id,
            refund_no=refund.refund_no,
            slip_text=render_text(doc, width=self._ctx.settings.receipt_width),
            receipt_no=sale.receipt_no,
            amount_cents=refund.total_cents,
            amount_text=amount,
            method=str(refund.method),
            opened_drawer=drawer is not None and drawer.ok,
            message=message,
        )

    def _detail(self, sale: CompletedSale, previous: list[Refund], voided: bool) -> SaleDetailView:
        currency = sale.currency
        refundable = refundable_lines(sale, previous)
        lines = tuple(
            SaleLineView(
                line_id=r.sale_line.id,
                name=r.sale_line.name,
                qty=r.sale_line.qty,
                qty_milli=r.sale_line.qty_milli,
                qty_text=qty_text(r.sale_line.qty, r.sale_line.qty_milli),
                total_cents=r.sale_line.total_cents,
                total_text=money_text(r.sale_line.total_cents, currency),
                unit_price_text=unit_price_text(
                    r.sale_line.unit_price_cents, r.sale_line.qty_milli, currency
                ),
                refunded_text=_refunded_text(r),
                refundable_qty=0 if voided and r.remaining_qty is not None else r.remaining_qty,
                refundable_qty_milli=(
                    0 if voided and r.remaining_qty_milli is not None else r.remaining_qty_milli
                ),
            )
            for r in refundable
        )
        payments = tuple(
            PaymentView(
                p.id,
                str(p.method),
                PAYMENT_LABELS[p.method],
                p.amount_cents,
                money_text(p.amount_cents, currency),
                p.reference,
            )
            for p in sale.payments
        )
        return SaleDetailView(
            sale_id=sale.id,
            receipt_no=sale.receipt_no,
            completed_at=sale.completed_at,
            cashier_name=sale.cashier_name,
            total_cents=sale.total_cents,
            total_text=money_text(sale.total_cents, currency),
            lines=lines,
            payments=payments,
            voided=voided,
            fully_refunded=all(r.remaining_units == 0 for r in refundable),
        )


def _request(sale: CompletedSale, line_id: str, units: int) -> RefundLineRequest:
    try:
        line = sale.line(line_id)
    except KeyError:
        raise RefundError(f"That item is not on receipt {sale.receipt_no}.") from None
    if line.qty is not None:
        return RefundLineRequest(line_id, qty=units)
    return RefundLineRequest(line_id, qty_milli=units)


def _refunded_text(line: RefundableLine) -> str:
    """What earlier refunds gave back of a line: "", "1 refunded" or "0.250 kg refunded"."""
    if not line.refunded_units:
        return ""
    if line.sale_line.qty is not None:
        return f"{qty_text(line.refunded_units, None)} refunded"
    return f"{qty_text(None, line.refunded_units)} refunded"
