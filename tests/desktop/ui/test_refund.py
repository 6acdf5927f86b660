from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from asiria_desktop.ui.returns.refund_dialog import RefundDialog
from asiria_desktop.ui.signin.approval_dialog import ApprovalDialog


def test_refund_finds_the_receipt_and_refunds_chosen_quantities(
    cashier: Any, products: Any
) -> None:
    cashier.log_in()
    # The original sale is made through the services: this test is about the refund screen.
    session = cashier.till.services.sale
    product = products["by_count"][0]
    session.add_product(product.id, qty=3)
    session.add_payment("cash", session.view().total_cents)
    sale = session.complete()

    cashier.press(Qt.Key.Key_F10)
    refund = cashier.dialog(RefundDialog)
    cashier.type_into(refund.receipt_edit, sale.receipt_no, enter=True)
    cashier.wait(lambda: refund.table.rowCount() == 1)
    assert refund.table.item(0, 0).text() == product.name
    refund.set_refund_qty(0, 2)
    assert list(refund.chosen_lines().values()) == [2]
    refund.refund_button.click()

    approval = cashier.dialog(ApprovalDialog)
    cashier.type_into(approval.pin_edit, "1111", enter=True)  # a cashier can't approve
    cashier.wait(lambda: approval.error_label.text() != "")
    assert approval.isVisible()
    cashier.type_into(approval.pin_edit, "9999", enter=True)
    cashier.wait(lambda: not refund.isVisible())
    cashier.wait(lambda: "refund" in cashier.sale.banner.text.lower())

    detail = cashier.till.services.refunds.find(sale.receipt_no)
    assert detail.lines[0].refundable_qty == 1
