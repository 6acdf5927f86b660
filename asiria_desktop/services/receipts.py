"""Receipts after the fact: the last one, any by number, reprints (marked as a copy)."""

from __future__ import annotations

from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.receipt import receipt_from_sale, render_text
from asiria_desktop.domain.sale import CompletedSale, parse_receipt_no
from asiria_desktop.ports.printer import ReceiptPrinter
from asiria_desktop.services.context import TillContext
from asiria_desktop.services.devices import print_receipt
from asiria_desktop.services.views import LastReceiptView


class ReceiptNotFound(DomainError):
    pass


def normalise_receipt_no(receipt_no: str) -> str:
    """``" s01-t01-17 "`` -> ``"S01-T01-000017"`` (the form receipts are stored under)."""
    store, terminal, seq = parse_receipt_no(receipt_no)
    return f"{store}-{terminal}-{seq:06d}"


class ReceiptService:
    def __init__(self, ctx: TillContext, printer: ReceiptPrinter) -> None:
        self._ctx = ctx
        self._printer = printer

    def last(self) -> LastReceiptView | None:
        """This till's last receipt, number and text (None before the first sale): the preview
        shows it after a restart, with Reprint."""
        with self._ctx.uow(read_only=True) as uow:
            sale = uow.sales.last_for_terminal()
        if sale is None:
            return None
        return LastReceiptView(sale.receipt_no, self._render(sale, copy=False))

    def text(self, receipt_no: str) -> str:
        return self._render(self.sale(receipt_no), copy=False)

    def reprint(self, receipt_no: str | None = None) -> str:
        """Print a copy (the last receipt when no number is given); returns a message."""
        if receipt_no is None:
            with self._ctx.uow(read_only=True) as uow:
                sale = uow.sales.last_for_terminal()
            if sale is None:
                raise ReceiptNotFound("There is no receipt to reprint yet.")
        else:
            sale = self.sale(receipt_no)
        outcome = print_receipt(
            self._printer, receipt_from_sale(sale, self._ctx.settings.store, copy=True)
        )
        return f"Receipt {sale.receipt_no} reprinted." if outcome.ok else outcome.message

    def sale(self, receipt_no: str) -> CompletedSale:
        number = normalise_receipt_no(receipt_no)
        with self._ctx.uow(read_only=True) as uow:
            sale = uow.sales.by_receipt_no(number)
        if sale is None:
            raise ReceiptNotFound(f"Receipt {number} was not found on this till.")
        return sale

    def _render(self, sale: CompletedSale, *, copy: bool) -> str:
        doc = receipt_from_sale(sale, self._ctx.settings.store, copy=copy)
        return render_text(doc, width=self._ctx.settings.receipt_width)
