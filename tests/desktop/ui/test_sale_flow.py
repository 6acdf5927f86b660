"""A whole sale at the till, driven by keys and clicks: scan, quantity, discount with manager
approval, split tender, change, receipt, and the sale with its outbox event in the database."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from PySide6.QtCore import Qt

from asiria_desktop.domain.money import format_amount
from asiria_desktop.ui.payment.payment_dialog import PaymentDialog
from asiria_desktop.ui.sale.discount_dialog import DiscountDialog
from asiria_desktop.ui.sale.quantity_dialog import QuantityDialog
from asiria_desktop.ui.signin.approval_dialog import ApprovalDialog


def test_full_sale_with_approval_and_split_tender(cashier: Any, products: Any) -> None:
    first, second = products["by_count"][:2]
    cashier.log_in("1111")

    # A scanner types into whatever has the focus: here the cart table, not the search box.
    cashier.focus_cart()
    cashier.scan(first.barcode)
    cashier.wait_lines(1)
    cashier.focus_cart()
    cashier.scan(second.barcode)
    cashier.wait_lines(2)
    assert cashier.sale.search_edit.text() == ""
    assert [line.name for line in cashier.cart_lines()] == [first.name, second.name]

    # F4 on the selected (last scanned) line: quantity 3.
    cashier.press(Qt.Key.Key_F4)
    quantity = cashier.dialog(QuantityDialog)
    cashier.type_into(quantity.value_edit, "3", enter=True)
    cashier.wait(lambda: cashier.cart_lines()[-1].qty == 3)

    # F5: 20 % off the whole sale is above the cashier's 10 % limit -> manager approval.
    cashier.press(Qt.Key.Key_F5)
    discount = cashier.dialog(DiscountDialog)
    discount.sale_radio.setChecked(True)
    cashier.type_into(discount.value_edit, "20", enter=True)
    approval = cashier.dialog(ApprovalDialog)
    cashier.type_into(approval.pin_edit, "9999", enter=True)
    cashier.wait(lambda: cashier.sale.view.discount_cents > 0)
    view = cashier.sale.view
    assert cashier.sale.cart.total_value.text() == view.total_text

    # F12: part M-Pesa with its code, the rest in cash with more than is due.
    cashier.press(Qt.Key.Key_F12)
    pay = cashier.dialog(PaymentDialog)
    cashier.press(Qt.Key.Key_F3)
    assert pay.reference_edit.isVisible()
    cashier.type_into(pay.amount_edit, "100")
    cashier.type_into(pay.reference_edit, "QK12AB34CD", enter=True)
    cashier.wait(lambda: pay.payments_list.count() == 1)
    due_cents = pay._view.balance_due_cents
    assert due_cents == view.total_cents - 10000
    tendered = due_cents + 50000
    cashier.press(Qt.Key.Key_F1)
    cashier.type_into(pay.amount_edit, format_amount(tendered), enter=True)
    cashier.wait(lambda: pay.payments_list.count() == 2)
    assert pay.change_value.text() == format_amount(50000)
    assert pay.complete_button.isEnabled()

    cashier.press(Qt.Key.Key_F12)
    cashier.wait(lambda: pay.result_of_sale is not None)
    result = pay.result_of_sale
    assert pay.change_value.text() == result.change_text
    assert result.change_cents == 50000
    cashier.wait(lambda: result.receipt_no in cashier.sale.preview.text)
    assert first.name[:10] in cashier.sale.preview.text

    cashier.press(Qt.Key.Key_Return)  # "Next sale"
    cashier.wait(lambda: not pay.isVisible())
    cashier.wait_lines(0)
    cashier.wait(lambda: cashier.window.status.unsent_label.text() != "Unsent: 0")

    # The sale and its sale.completed event are in the till's database.
    db = sqlite3.connect(cashier.till.config.database_path)
    try:
        (count,) = db.execute(
            "SELECT COUNT(*) FROM sales WHERE receipt_no = ?", (result.receipt_no,)
        ).fetchone()
        events = [
            json.loads(payload)
            for (payload,) in db.execute(
                "SELECT payload FROM outbox WHERE type = 'sale.completed'"
            ).fetchall()
        ]
    finally:
        db.close()
    assert count == 1
    (event,) = events
    assert event["receipt_no"] == result.receipt_no
    assert event["total_cents"] == view.total_cents
    assert sorted(p["method"] for p in event["payments"]) == ["cash", "mpesa"]
    assert event["change_cents"] == 50000


def test_a_scan_while_paying_never_becomes_a_payment(cashier: Any, products: Any) -> None:
    cashier.log_in()
    cashier.focus_cart()
    cashier.scan(products["by_count"][0].barcode)
    cashier.wait_lines(1)
    cashier.press(Qt.Key.Key_F12)
    pay = cashier.dialog(PaymentDialog)
    amount_before = pay.amount_edit.text()
    cashier.scan(products["by_count"][1].barcode)  # lands in the focused amount field
    cashier.wait(lambda: "not added" in cashier.sale.banner.text)
    assert pay.amount_edit.text() == amount_before
    assert pay.payments_list.count() == 0
    assert len(cashier.cart_lines()) == 1
    pay.reject()
