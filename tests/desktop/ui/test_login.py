from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from asiria_desktop.ui.login_screen import LoginScreen
from asiria_desktop.ui.shift_dialogs import AmountDialog


def test_wrong_pin_shows_a_plain_message(cashier: Any) -> None:
    login: LoginScreen = cashier.window.login_screen
    cashier.type_into(login.pin_edit, "4321", enter=True)
    cashier.wait(lambda: login.error_label.text() not in ("", "Checking…"))
    message = login.error_label.text()
    assert "PIN" in message
    assert "Traceback" not in message and "Error" not in message
    assert cashier.window.stack.currentWidget() is login
    assert login.pin_edit.text() == ""


def test_login_with_keypad_shows_cashier_and_logout_returns(cashier: Any) -> None:
    login: LoginScreen = cashier.window.login_screen
    for digit in "1111":
        button = next(b for b in login.findChildren(type(login.login_button)) if b.text() == digit)
        button.click()
    login.login_button.click()
    cashier.wait(lambda: cashier.window.stack.currentWidget() is cashier.sale)
    assert "Cashier:" in cashier.window.status.cashier_label.text()
    cashier.dialog(AmountDialog, "Open shift").reject()  # not now
    cashier.idle()
    cashier.press(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    cashier.wait(lambda: cashier.window.stack.currentWidget() is login)
    assert cashier.window.status.cashier_label.text() == "Not logged in"
