"""What the cashier and the approving manager see of refunds and voids: prices, amounts and a
live refund total before the PIN; the refund or void slip in the last-document pane."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from asiria_desktop.demo import demo_ean13
from asiria_desktop.ui.returns.refund_dialog import BACK, PAID, PRICE, SOLD, RefundDialog
from asiria_desktop.ui.returns.void_sale_dialog import VoidSaleDialog
from asiria_desktop.ui.shift.shift_dialogs import ShiftDialog
from asiria_desktop.ui.signin.approval_dialog import ApprovalDialog

COKE = "5449000000996"  # KES 80.00
SODA_300 = demo_ean13(1)  # Jambo Soda 300ml, KES 60.00


def sell(till: Any, *lines: tuple[str, int]) -> Any:
    """Ring up ``(barcode, quantity)`` lines and take cash (through the services)."""
    sale = till.services.sale
    for code, qty in lines:
        scanned = sale.scan(code)
        assert scanned.added, scanned
        if qty != 1:
            sale.set_qty(scanned.line_id, qty)
    sale.add_payment("cash", sale.view().balance_due_cents)
    return sale.complete()


def approve(cashier: Any) -> None:
    approval = cashier.dialog(ApprovalDialog)
    cashier.type_into(approval.pin_edit, "9999", enter=True)
    cashier.wait(lambda: not approval.isVisible())


def test_the_refund_window_shows_prices_amounts_and_a_live_total_before_approval(
    cashier: Any, till: Any
) -> None:
    cashier.log_in()
    sold = sell(till, (COKE, 3), (SODA_300, 1))
    cashier.press(Qt.Key.Key_F10)
    refund = cashier.dialog(RefundDialog)
    cashier.type_into(refund.receipt_edit, sold.receipt_no, enter=True)
    cashier.wait(lambda: refund.table.rowCount() == 2)
    assert [refund.table.item(0, c).text() for c in (PRICE, PAID)] == ["80.00", "240.00"]
    assert refund.table.item(1, PRICE).text() == "60.00"
    assert refund.total_label.text() == "Refund total: 0.00"

    refund.set_refund_qty(0, 2)
    cashier.wait(lambda: refund.total_label.text() == "Refund total: 160.00")
    assert refund.table.item(0, BACK).text() == "160.00"
    refund.set_refund_qty(1, 1)
    cashier.wait(lambda: refund.total_label.text() == "Refund total: 220.00")
    assert refund.refund_button.text() == "Refund 220.00"

    refund.refund_button.click()
    approval = cashier.dialog(ApprovalDialog)
    assert refund.total_label.text() == "Refund total: 220.00"  # in view while the PIN is asked
    cashier.type_into(approval.pin_edit, "9999", enter=True)
    cashier.wait(lambda: not refund.isVisible())

    preview = cashier.sale.preview
    cashier.wait(lambda: "REFUND" in preview.text)
    assert preview.title.text() == "Last refund slip"
    assert "S01-T01-R000001" in preview.text and "Approved by: Wanjiru" in preview.text
    assert f"Of receipt {sold.receipt_no}" in preview.text
    assert "KES 220.00" in preview.text
    assert preview.reprint_button.isEnabled()

    cashier.press(Qt.Key.Key_F10)  # the same receipt again: what already came back shows
    again = cashier.dialog(RefundDialog)
    cashier.type_into(again.receipt_edit, sold.receipt_no, enter=True)
    cashier.wait(lambda: again.table.rowCount() == 2)
    assert again.table.item(0, SOLD).text() == "3\n2 refunded"
    again.close()


def test_a_void_prints_its_slip_and_the_pane_shows_it(cashier: Any, till: Any) -> None:
    cashier.log_in()
    sold = sell(till, (COKE, 1))
    cashier.press(Qt.Key.Key_F9)
    cashier.dialog(ShiftDialog).buttons["void_sale"].click()
    dialog = cashier.dialog(VoidSaleDialog)
    cashier.type_into(dialog.receipt_edit, sold.receipt_no, enter=True)
    cashier.wait(lambda: sold.receipt_no in dialog.sale_label.text())
    cashier.type_into(dialog.reason_edit, "wrong item")
    dialog.void_button.click()
    approve(cashier)
    cashier.wait(lambda: not dialog.isVisible())

    preview = cashier.sale.preview
    cashier.wait(lambda: "VOID" in preview.text)
    assert preview.title.text() == "Last void slip"
    assert "This sale is void. Reason: wrong item" in preview.text
    assert "Approved by: Wanjiru" in preview.text and "KES 80.00" in preview.text
    assert "VOID" in (till.printer.last_text or "")
    preview.reprint_button.click()
    cashier.wait(lambda: "VOID - COPY" in (till.printer.last_text or ""))
    cashier.wait(lambda: "void slip" in cashier.sale.banner.text.lower())
