"""Documents after the fact: the last one printed (receipt, refund or void slip), any by its
number, and reprints: the stored original plus a COPY mark, whatever changed since."""

from __future__ import annotations

from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.receipt import ReceiptDocument, as_copy, receipt_from_sale, render_text
from asiria_desktop.domain.sale import CompletedSale, parse_receipt_no
from asiria_desktop.ports.printer import ReceiptPrinter
from asiria_desktop.ports.unit_of_work import UnitOfWork
from asiria_desktop.services.context import TillContext
from asiria_desktop.services.devices.devices import print_receipt
from asiria_desktop.services.results import LastReceiptView

#: A void slip is filed under its receipt number with this prefix ("VOID S01-T01-000017"), so the
#: receipt number alone still finds the sale's own receipt.
VOID_PREFIX = "VOID "


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
        """The last document this till printed, of any kind (None before the first sale): the
        pane shows it after a restart, with Reprint."""
        with self._ctx.uow(read_only=True) as uow:
            record = uow.documents.last()
            if record is not None:
                return LastReceiptView(record.number, self.render(record.document), record.kind)
            sale = uow.sales.last_for_terminal()  # sold before documents were kept
        if sale is None:
            return None
        return LastReceiptView(sale.receipt_no, self.render(self._rebuilt(sale)), "sale")

    def text(self, receipt_no: str) -> str:
        return self.render(self.document(receipt_no))

    def reprint(self, number: str | None = None) -> str:
        """Print a copy of a document (the last one when no number is given): the original as
        printed, marked COPY. Returns a message."""
        if number is None:
            with self._ctx.uow(read_only=True) as uow:
                record = uow.documents.last()
                doc = record.document if record is not None else None
                if doc is None:
                    sale = uow.sales.last_for_terminal()
                    doc = self._rebuilt(sale) if sale is not None else None
            if doc is None:
                raise ReceiptNotFound("There is no receipt to reprint yet.")
        else:
            doc = self.document(number)
        outcome = print_receipt(self._printer, as_copy(doc))
        what = f"{doc.number_label} {doc.receipt_no}"
        if doc.title == "VOID":
            what = f"The void slip of receipt {doc.receipt_no}"
        return f"{what} reprinted." if outcome.ok else outcome.message

    def document(self, number: str) -> ReceiptDocument:
        """The document printed under ``number`` (a receipt or refund number)."""
        typed = " ".join(number.split()).upper()
        with self._ctx.uow(read_only=True) as uow:
            record = uow.documents.by_number(typed)
            if record is not None:
                return record.document
            sale = self._sale(uow, number)
            record = uow.documents.for_sale(sale.id)
        return record.document if record is not None else self._rebuilt(sale)

    def sale(self, receipt_no: str) -> CompletedSale:
        with self._ctx.uow(read_only=True) as uow:
            return self._sale(uow, receipt_no)

    def render(self, doc: ReceiptDocument) -> str:
        return render_text(doc, width=self._ctx.settings.receipt_width)

    def _sale(self, uow: UnitOfWork, receipt_no: str) -> CompletedSale:
        number = normalise_receipt_no(receipt_no)
        sale = uow.sales.by_receipt_no(number)
        if sale is None:
            raise ReceiptNotFound(f"Receipt {number} was not found on this till.")
        return sale

    def _rebuilt(self, sale: CompletedSale) -> ReceiptDocument:
        """A receipt for a sale made before this till kept its documents: today's details."""
        return receipt_from_sale(sale, self._ctx.settings.store)
