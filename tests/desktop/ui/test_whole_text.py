"""Text a cashier reads is whole: product names in the cart once the Discount column shows, and
the shift on the status bar before anyone logs in."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

LONG_NAME = "6160000003761"  # "Savanna Chocolate party pack", the demo's longest name
COKE = "5449000000996"


def test_names_wrap_instead_of_being_cut_when_the_discount_column_shows(
    cashier: Any, till: Any
) -> None:
    cashier.window.resize(1366, 768)
    cashier.log_in()
    session = till.services.sale
    long_line = session.scan(LONG_NAME).line_id
    session.scan(COKE)
    session.discount_line(long_line, "percent", 500)
    cashier.sale.refresh()
    table = cashier.sale.cart.table
    cashier.wait(lambda: not table.isColumnHidden(3))
    cashier.wait(lambda: cashier.sale.cart.model.rowCount() == 2)

    name = cashier.sale.cart.model.rows[0].name
    column = table.columnWidth(0) - 16  # the item's padding
    needed = table.fontMetrics().boundingRect(
        0, 0, column, 10_000, int(Qt.TextFlag.TextWordWrap), name
    )
    assert table.fontMetrics().horizontalAdvance(name) > column  # it would not fit on one line
    assert table.wordWrap()  # so it goes on two lines instead of ending in "..."
    cashier.wait(lambda: table.rowHeight(0) >= needed.height())  # and the row holds all of it


def test_the_login_screen_shows_the_shift_that_is_open(qtbot: Any, till: Any) -> None:
    from asiria_desktop.ui.app import MainWindow

    till.services.auth.login("1111")
    till.services.shifts.open(None, 500000)
    till.services.auth.logout()
    window = MainWindow(till.services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.status.shift_label.text() == "Shift of Amina", timeout=10_000)
    assert window.stack.currentWidget() is window.login_screen
    qtbot.waitUntil(lambda: window.runner.idle, timeout=10_000)
    window.close()
