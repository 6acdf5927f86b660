"""The customer dialog at the payment step, driven by keys and clicks: a new customer with
consent and a WhatsApp receipt goes with the sale; the next sale finds them by phone; a wrong
number is explained and the sale is kept."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from PySide6.QtCore import Qt

from asiria_desktop.ui.payment.customer_dialog import CustomerDialog
from asiria_desktop.ui.payment.payment_dialog import PaymentDialog


def start_payment(cashier: Any, products: Any, which: int = 0) -> PaymentDialog:
    cashier.focus_cart()
    cashier.scan(products["by_count"][which].barcode)
    cashier.wait_lines(1)
    cashier.press(Qt.Key.Key_F12)
    return cashier.dialog(PaymentDialog)


def pay_cash_and_finish(cashier: Any, pay: PaymentDialog) -> Any:
    cashier.press(Qt.Key.Key_F1)
    cashier.wait(lambda: pay.complete_button.isEnabled() or pay.amount_edit.text() != "")
    cashier.type_into(pay.amount_edit, pay.amount_edit.text() or "1000", enter=True)
    cashier.wait(lambda: pay.complete_button.isEnabled())
    cashier.press(Qt.Key.Key_F12)
    cashier.wait(lambda: pay.result_of_sale is not None)
    result = pay.result_of_sale
    cashier.press(Qt.Key.Key_Return)  # next sale
    cashier.wait(lambda: not pay.isVisible())
    cashier.wait_lines(0)
    cashier.idle()
    return result


def sale_events(till: Any) -> list[dict[str, Any]]:
    db = sqlite3.connect(till.config.database_path)
    try:
        rows = db.execute("SELECT payload FROM outbox WHERE type = 'sale.completed'").fetchall()
    finally:
        db.close()
    return [json.loads(payload) for (payload,) in rows]


def test_a_new_customer_with_a_whatsapp_receipt_goes_with_the_sale(
    cashier: Any, products: Any
) -> None:
    cashier.log_in()
    pay = start_payment(cashier, products)

    cashier.press(Qt.Key.Key_F7)
    dialog = cashier.dialog(CustomerDialog)
    assert not dialog.receipt_box.isEnabled()  # no receipt without consent
    cashier.type_into(dialog.phone_edit, "0722 000 111", enter=True)
    cashier.wait(lambda: "New customer" in dialog.found_label.text())
    assert dialog.phone_edit.text() == "0722 000 111"
    cashier.type_into(dialog.name_edit, "Akinyi Otieno")
    dialog.consent_box.click()
    assert dialog.receipt_box.isEnabled()
    dialog.receipt_box.click()
    dialog.ok_button.click()
    cashier.wait(lambda: not dialog.isVisible())
    assert pay.customer_row.label.text() == (
        "Customer: Akinyi Otieno, 0722 000 111 - receipt on WhatsApp"
    )

    pay_cash_and_finish(cashier, pay)

    [event] = sale_events(cashier.till)
    assert event["customer"]["phone"] == "+254722000111"
    assert event["customer"]["name"] == "Akinyi Otieno"
    assert event["customer"]["whatsapp_consent"] is True
    assert event["customer"]["digital_receipt"] is True

    # The next sale starts with nobody, and finds her by phone.
    pay = start_payment(cashier, products, 1)
    assert pay.customer_row.label.text() == "No customer on this sale."
    cashier.press(Qt.Key.Key_F7)
    dialog = cashier.dialog(CustomerDialog)
    cashier.type_into(dialog.phone_edit, "254722000111", enter=True)
    cashier.wait(lambda: "Akinyi Otieno (agrees to WhatsApp)" in dialog.found_label.text())
    assert dialog.name_edit.text() == "Akinyi Otieno"
    assert dialog.consent_box.isChecked() and dialog.receipt_box.isChecked()
    dialog.reject()
    pay.reject()


def test_a_wrong_number_is_explained_and_the_sale_is_kept(cashier: Any, products: Any) -> None:
    cashier.log_in()
    pay = start_payment(cashier, products)
    cashier.press(Qt.Key.Key_F7)
    dialog = cashier.dialog(CustomerDialog)

    cashier.type_into(dialog.phone_edit, "12345", enter=True)
    cashier.wait(lambda: "0712 345 678" in dialog.error_label.text())
    dialog.ok_button.click()
    cashier.wait(lambda: dialog.ok_button.isEnabled() and dialog.isVisible())
    assert "0712 345 678" in dialog.error_label.text()

    dialog.reject()
    assert pay.customer_row.label.text() == "No customer on this sale."
    assert len(cashier.cart_lines()) == 1 and pay.isVisible()
    pay.reject()
