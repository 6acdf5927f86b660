from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from asiria_desktop.ui.sale.parked_dialog import ParkDialog, RecallDialog
from asiria_desktop.ui.shift.shift_dialogs import AmountDialog, ShiftDialog
from asiria_desktop.ui.shift.text_report_dialog import TextReportDialog
from asiria_desktop.ui.signin.approval_dialog import ApprovalDialog


def test_park_and_recall(cashier: Any, products: Any) -> None:
    first, second = products["by_count"][:2]
    cashier.log_in()
    cashier.focus_cart()
    cashier.scan(first.barcode)
    cashier.wait_lines(1)
    cashier.focus_cart()
    cashier.scan(second.barcode)
    cashier.wait_lines(2)

    cashier.press(Qt.Key.Key_F6)
    park = cashier.dialog(ParkDialog)
    cashier.type_into(park.label_edit, "Mama Njeri", enter=True)
    cashier.wait_lines(0)
    assert "parked" in cashier.sale.banner.text.lower()

    cashier.press(Qt.Key.Key_F7)
    recall = cashier.dialog(RecallDialog)
    assert recall.list_widget.count() == 1
    assert "Mama Njeri" in recall.list_widget.item(0).text()
    recall.ok_button.click()
    cashier.wait_lines(2)
    assert [line.name for line in cashier.cart_lines()] == [first.name, second.name]


def test_shift_open_x_report_and_close_with_z_report(cashier: Any) -> None:
    cashier.log_in("1111", open_shift_with="2000")

    cashier.press(Qt.Key.Key_F9)
    menu = cashier.dialog(ShiftDialog)
    menu.buttons["x_report"].click()
    x_report = cashier.dialog(TextReportDialog, "X report")
    assert x_report.text.strip()
    x_report.accept()

    cashier.press(Qt.Key.Key_F9)
    menu = cashier.dialog(ShiftDialog)
    menu.buttons["close"].click()
    count = cashier.dialog(AmountDialog, "Close shift (Z report)")
    cashier.type_into(count.amount_edit, "2000", enter=True)
    # A cashier may need the manager to close the shift; the till asks when the service says so.
    cashier.wait(
        lambda: (
            cashier.window.findChild(ApprovalDialog) is not None
            or any(
                d.isVisible() and d.windowTitle() == "Z report"
                for d in cashier.window.findChildren(TextReportDialog)
            )
        )
    )
    approval = cashier.window.findChild(ApprovalDialog)
    if approval is not None and approval.isVisible():
        cashier.type_into(approval.pin_edit, "9999", enter=True)
    z_report = cashier.dialog(TextReportDialog, "Z report")
    assert "Z" in z_report.text
    assert cashier.window.status.shift_label.text() == "No shift open"
