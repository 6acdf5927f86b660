"""Receipts, refund slips and void slips as documents of their own: what is printed is kept, a
reprint is the original plus a COPY mark, and the store's name is the same before and after a
restart. ESC/POS bytes come from the real adapter (python-escpos), compared byte for byte."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from asiria_desktop.domain.receipt import ReceiptDocument
from asiria_desktop.hardware.escpos_receipt import ReceiptLayout, receipt_bytes
from asiria_desktop.local_db.sync_repos import SqlSyncStore
from asiria_desktop.ports.devices import DeviceStatus
from asiria_desktop.ports.sync_store import CatalogChange, StoreRecord

from .support import CASHIER_PIN, COKE, MANAGER_PIN, SODA_300, outbox, ring_up_and_pay_cash

GOLDEN = Path(__file__).with_name("golden")


class RecordingPrinter:
    """The printer port, keeping every document it was given (the queue hands over the same)."""

    def __init__(self) -> None:
        self.docs: list[ReceiptDocument] = []

    def print_receipt(self, doc: ReceiptDocument) -> None:
        self.docs.append(doc)

    def print_text(self, text: str) -> None:
        raise AssertionError("documents are printed as documents, not as text")

    def status(self) -> DeviceStatus:
        return DeviceStatus(True, "ready")


def escpos(doc: ReceiptDocument) -> bytes:
    return receipt_bytes(doc, ReceiptLayout())


def golden(name: str, data: bytes) -> bytes:
    """The reviewed bytes of ``name``; a missing file is written and the test fails, so new
    bytes are looked at before they count."""
    path = GOLDEN / name
    if not path.exists():
        path.write_bytes(data)
        pytest.fail(f"{path} written: review it, then run again")
    return path.read_bytes()


def open_till(make_till: Any, printer: RecordingPrinter) -> Any:
    till = make_till(printer=printer)
    till.services.auth.login(CASHIER_PIN)
    if till.services.shifts.current() is None:
        till.services.shifts.open(None, 10000)
    return till


def pull_store(till: Any, **details: str) -> None:
    """What a pull of head office's store details writes (the real sync store, one page)."""
    record = StoreRecord(id="store-1", code="S01", **details)  # type: ignore[arg-type]
    SqlSyncStore(till.database.engine).apply_page([CatalogChange("store", record.id, record)], "7")


def approve(till: Any, action: str) -> Any:
    return till.services.auth.approve(MANAGER_PIN, action)


def test_a_reprint_is_the_original_byte_for_byte_plus_copy_even_after_the_store_changed(
    make_till: Any,
) -> None:
    printer = RecordingPrinter()
    till = open_till(make_till, printer)
    sold = ring_up_and_pay_cash(till, COKE, SODA_300)
    original = escpos(printer.docs[-1])
    assert b"AsiriaPOS Demo Store" in original

    pull_store(till, name="Duka la Mama", address="Kenyatta Ave", receipt_footer="Karibu tena")
    till.close()
    again_printer = RecordingPrinter()
    again = open_till(make_till, again_printer)
    message = again.services.receipts.reprint(sold.receipt_no)

    copy = escpos(again_printer.docs[-1])
    assert message == f"Receipt {sold.receipt_no} reprinted."
    assert copy != original
    assert copy == original.replace(b"SALE\n", b"SALE - COPY\n", 1)
    assert b"Duka la Mama" not in copy and b"Karibu tena" not in copy


def test_the_store_name_pulled_from_head_office_is_on_the_next_receipt_without_a_restart(
    make_till: Any,
) -> None:
    printer = RecordingPrinter()
    till = open_till(make_till, printer)
    ring_up_and_pay_cash(till, COKE)
    assert printer.docs[-1].header_lines[0] == "AsiriaPOS Demo Store"
    pull_store(till, name="Demo store")
    ring_up_and_pay_cash(till, COKE)
    assert printer.docs[-1].header_lines[0] == "Demo store"
    till.close()
    again = open_till(make_till, RecordingPrinter())
    ring_up_and_pay_cash(again, COKE)
    assert again.services.receipts.last().text.splitlines()[0].strip() == "Demo store"


def test_the_refund_slip_has_its_own_number_the_receipt_the_amounts_and_the_approver(
    make_till: Any,
) -> None:
    printer = RecordingPrinter()
    till = open_till(make_till, printer)
    sold = ring_up_and_pay_cash(till, COKE, COKE, SODA_300)
    detail = till.services.refunds.find(sold.receipt_no)
    coke = detail.lines[0]
    result = till.services.refunds.refund(
        sold.receipt_no, {coke.line_id: 1}, "cash", approve(till, "refund"), "flat"
    )
    second = till.services.refunds.refund(
        sold.receipt_no, {coke.line_id: 1}, "cash", approve(till, "refund")
    )

    assert (result.refund_no, second.refund_no) == ("S01-T01-R000001", "S01-T01-R000002")
    slip = escpos(printer.docs[-2])
    assert slip == golden("refund_slip.bin", slip)
    text = result.slip_text.splitlines()
    assert "REFUND" in [line.strip() for line in text]
    assert "Refund                     S01-T01-R000001" in text
    assert "Approved by: Wanjiru" in text
    assert f"Of receipt {sold.receipt_no} Reason: flat" in text
    assert "Coca-Cola 500ml                    80.00 B" in text
    assert "  1 x 80.00" in text
    assert "TOTAL                            KES 80.00" in text
    assert "Refunded by Cash                     80.00" in text
    assert outbox(till)[-2]["payload"]["refund_no"] == "S01-T01-R000001"


def test_the_void_slip_names_the_receipt_the_amount_and_the_approver_and_is_printed(
    make_till: Any,
) -> None:
    printer = RecordingPrinter()
    till = open_till(make_till, printer)
    sold = ring_up_and_pay_cash(till, COKE, SODA_300)
    result = till.services.voids.void_sale(
        sold.receipt_no, "wrong customer", approve(till, "void_sale")
    )

    assert printer.docs[-1].title == "VOID"
    slip = escpos(printer.docs[-1])
    assert slip == golden("void_slip.bin", slip)
    text = result.slip_text.splitlines()
    assert f"Receipt                     {sold.receipt_no}" in text
    assert "Approved by: Wanjiru" in text
    assert "This sale is void. Reason: wrong customer" in text
    assert "TOTAL                           KES 140.00" in text
    assert "Given back by Cash                  140.00" in text


def test_the_last_document_is_shown_whatever_its_kind_and_reprints_as_a_copy(
    make_till: Any,
) -> None:
    printer = RecordingPrinter()
    till = open_till(make_till, printer)
    sold = ring_up_and_pay_cash(till, COKE, COKE)
    receipts = till.services.receipts
    assert (receipts.last().receipt_no, receipts.last().kind) == (sold.receipt_no, "sale")

    line = till.services.refunds.find(sold.receipt_no).lines[0].line_id
    refund = till.services.refunds.refund(
        sold.receipt_no, {line: 1}, "cash", approve(till, "refund")
    )
    last = receipts.last()
    assert (last.receipt_no, last.kind, last.text) == (refund.refund_no, "refund", refund.slip_text)
    refund_slip = escpos(printer.docs[-1])
    assert receipts.reprint(last.receipt_no) == f"Refund {refund.refund_no} reprinted."
    assert escpos(printer.docs[-1]) == refund_slip.replace(b"REFUND\n", b"REFUND - COPY\n", 1)

    other = ring_up_and_pay_cash(till, SODA_300)
    void = till.services.voids.void_sale(other.receipt_no, "mistake", approve(till, "void_sale"))
    last = receipts.last()
    assert (last.receipt_no, last.kind, last.text) == (void.slip_no, "void", void.slip_text)
    assert receipts.reprint(last.receipt_no).startswith("The void slip of receipt")
    assert printer.docs[-1].title == "VOID - COPY"
    # The receipt number alone still reprints the sale's own receipt.
    receipts.reprint(other.receipt_no)
    assert printer.docs[-1].title == "SALE - COPY"


@pytest.mark.parametrize("units", [1, 2, 3])
def test_the_refund_preview_is_what_the_refund_gives_back(make_till: Any, units: int) -> None:
    till = open_till(make_till, RecordingPrinter())
    sold = ring_up_and_pay_cash(till, COKE, COKE, COKE)
    line = till.services.refunds.find(sold.receipt_no).lines[0]
    assert line.unit_price_text == "80.00"
    preview = till.services.refunds.preview(sold.receipt_no, {line.line_id: units})
    result = till.services.refunds.refund(
        sold.receipt_no, {line.line_id: units}, "cash", approve(till, "refund")
    )
    assert preview.total_cents == result.amount_cents == 8000 * units
    assert preview.lines[0].amount_text == preview.total_text == f"{80 * units}.00"
    assert till.services.refunds.preview(sold.receipt_no, {line.line_id: 0}).total_cents == 0
