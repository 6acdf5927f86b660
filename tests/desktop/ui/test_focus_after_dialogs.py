"""The keyboard comes back to the sale screen after every dialog, with or without a window
manager. The offscreen platform, like X with no window manager (a kiosk, ``xvfb-run``), hands
the activation back to nobody when a dialog closes, so these tests never call
``Cashier.ensure_active``: only the till itself may give the keyboard back. Keys go to the till
window as the window system delivers them (``QTest`` on the window handle), not to a widget."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from asiria_desktop.ui.payment.payment_dialog import PaymentDialog
from asiria_desktop.ui.sale.discount_dialog import DiscountDialog
from asiria_desktop.ui.shift.shift_dialogs import AmountDialog


def _keyboard_is_home(window: Any) -> bool:
    return window.isActiveWindow() and QApplication.focusWidget() is window.sale_screen.search_edit


def _window_key(window: Any, key: Qt.Key) -> None:
    QTest.keyClick(window.windowHandle(), key)


def _window_scan(window: Any, code: str) -> None:
    for digit in code:  # QTest stamps its keys 1 ms apart: as fast as a scanner
        QTest.keyClick(window.windowHandle(), Qt.Key(ord(digit)))
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Return)


def test_f_keys_and_scans_work_after_dialogs_close(
    qtbot: Any, window: Any, cashier: Any, products: Any
) -> None:
    first, second = products["by_count"][:2]
    cashier.type_into(window.login_screen.pin_edit, "1111", enter=True)
    shift = cashier.dialog(AmountDialog, "Open shift")
    cashier.type_into(shift.amount_edit, "5000", enter=True)
    qtbot.waitUntil(lambda: not shift.isVisible())
    cashier.wait(lambda: _keyboard_is_home(window))

    _window_scan(window, first.barcode)
    cashier.wait_lines(1)

    _window_key(window, Qt.Key.Key_F5)
    discount = cashier.dialog(DiscountDialog)
    QTest.keyClick(discount.windowHandle(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not discount.isVisible())
    cashier.wait(lambda: _keyboard_is_home(window))

    _window_scan(window, second.barcode)
    cashier.wait_lines(2)

    _window_key(window, Qt.Key.Key_F12)
    payment = cashier.dialog(PaymentDialog)
    assert payment.isVisible()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # setActiveWindow: the only way
def test_a_scan_reaches_the_sale_even_when_no_window_is_active(
    qtbot: Any, window: Any, cashier: Any
) -> None:
    """Should no window of the till be active while the window system still delivers the keys
    to it, a scan is still added to the sale (it is not dropped unseen)."""
    cashier.log_in()
    window.sale_screen.search_edit.clearFocus()
    QApplication.setActiveWindow(None)  # type: ignore[arg-type]
    assert QApplication.activeWindow() is None and QApplication.focusWidget() is None
    _window_scan(window, "5449000000996")
    cashier.wait_lines(1)
