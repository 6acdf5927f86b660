"""pytest-qt fixtures: a real till (real database, demo data, simulated devices) behind a real
window, and a `Cashier` who drives it with keys and clicks the way a person at the counter does.

Key events carry timestamps the way a window system stamps them, because the till tells a
keyboard-wedge scanner from a person by keystroke timing: `type_into` types like a person (a key
every 120 ms), `scan` like a scanner (a key every 5 ms, then Enter).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget

WAIT_MS = 10_000
PERSON_GAP_MS = 120
SCANNER_GAP_MS = 5
_clock_ms = [1_000_000]  # one timeline for every key event the tests send


def send_key(widget: QWidget, key: Qt.Key, text: str, gap_ms: int) -> None:
    """One key press and release, ``gap_ms`` after the last key sent."""
    _clock_ms[0] += gap_ms
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
        event.setTimestamp(_clock_ms[0])
        QApplication.sendEvent(widget, event)


def send_text(widget: QWidget, text: str, gap_ms: int) -> None:
    for char in text:
        if char == " ":
            key = Qt.Key.Key_Space
        elif char.isascii() and char.isalnum():
            key = Qt.Key(ord(char.upper()))
        else:
            key = Qt.Key.Key_unknown
        send_key(widget, key, char, gap_ms)


@pytest.fixture
def till(tmp_path: Any) -> Iterator[Any]:
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import TillConfig
    from asiria_desktop.demo import seed_demo

    built = build_till(TillConfig(data_dir=tmp_path / "till"))
    seed_demo(built)
    yield built
    built.close()


def shown_window(qtbot: Any, services: Any) -> Iterator[Any]:
    """The till window on these services, shown and active; closed once its work is done."""
    from asiria_desktop.ui.app import MainWindow

    main = MainWindow(services)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow, timeout=WAIT_MS)
    yield main
    # Let background work finish before the database closes under it.
    qtbot.waitUntil(lambda: main.runner.idle, timeout=WAIT_MS)
    main.close()


@pytest.fixture
def window(qtbot: Any, till: Any) -> Iterator[Any]:
    yield from shown_window(qtbot, till.services)


class Cashier:
    """Drives the till window as a cashier would; every wait is on something visible."""

    def __init__(self, qtbot: Any, window: Any, till: Any) -> None:
        self.qtbot = qtbot
        self.window = window
        self.till = till
        self.sale = window.sale_screen

    # -- waiting -----------------------------------------------------------------------------

    def wait(self, condition: Any, timeout: int = WAIT_MS) -> None:
        try:
            self.qtbot.waitUntil(condition, timeout=timeout)
        except Exception as exc:  # say what the cashier would be reading on screen
            banner = self.sale.banner.label.text() if self.sale.banner.isVisible() else ""
            raise AssertionError(f"waited in vain; banner says: {banner!r}") from exc

    def idle(self) -> None:
        self.wait(lambda: self.window.runner.idle)

    def dialog(self, kind: type[QDialog], title: str | None = None) -> Any:
        """The visible dialog of that kind (and window title), once it shows."""
        found: list[QDialog] = []

        def shown() -> bool:
            found[:] = [
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, kind)
                and w.isVisible()
                and (title is None or w.windowTitle() == title)
            ]
            return bool(found)

        self.wait(shown)
        return found[-1]

    # -- typing ------------------------------------------------------------------------------

    def type_into(self, widget: QLineEdit, text: str, *, enter: bool = False) -> None:
        if not isinstance(widget.window(), QDialog):
            self.ensure_active()
        widget.setFocus()
        widget.selectAll()
        send_text(widget, text, PERSON_GAP_MS)
        if enter:
            send_key(widget, Qt.Key.Key_Return, "\r", PERSON_GAP_MS)

    def ensure_active(self) -> None:
        """A desktop's window manager gives the activation back to the till window when a
        dialog closes; the offscreen platform has none, so do it here."""
        if QApplication.activeModalWidget() is None and not self.window.isActiveWindow():
            self.window.activateWindow()
            self.wait(self.window.isActiveWindow)

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        """A key press on whatever has the focus (shortcuts included)."""
        self.ensure_active()
        target = QApplication.focusWidget() or self.window
        QTest.keyClick(target, key, modifier)

    def scan(self, code: str) -> None:
        """A keyboard-wedge scan: digits then Enter, fast, into whatever has the focus."""
        self.ensure_active()
        target = QApplication.focusWidget() or self.window
        send_text(target, code, SCANNER_GAP_MS)
        send_key(QApplication.focusWidget() or self.window, Qt.Key.Key_Return, "\r", 5)

    # -- flows -------------------------------------------------------------------------------

    def log_in(self, pin: str = "1111", *, open_shift_with: str | None = "5000") -> None:
        self.type_into(self.window.login_screen.pin_edit, pin, enter=True)
        self.wait(lambda: self.window.stack.currentWidget() is self.sale)
        if open_shift_with is not None:
            from asiria_desktop.ui.shift.shift_dialogs import AmountDialog

            dialog = self.dialog(AmountDialog, "Open shift")
            self.type_into(dialog.amount_edit, open_shift_with)
            dialog.ok_button.click()
            self.wait(lambda: "Shift of" in self.window.status.shift_label.text())
        self.idle()

    def cart_lines(self) -> list[Any]:
        return self.sale.cart.model.rows

    def wait_lines(self, count: int) -> None:
        self.wait(lambda: len(self.cart_lines()) == count)

    def focus(self, widget: QWidget) -> QWidget:
        self.ensure_active()
        widget.setFocus()
        self.wait(lambda: QApplication.focusWidget() is widget)
        return widget

    def focus_cart(self) -> QWidget:
        return self.focus(self.sale.cart.table)


@pytest.fixture
def cashier(qtbot: Any, window: Any, till: Any) -> Cashier:
    return Cashier(qtbot, window, till)


@pytest.fixture
def products(till: Any) -> dict[str, Any]:
    """A few demo products by kind, taken from the catalog the till really has."""
    catalog = till.services.catalog
    by_count = []
    weighed = []
    for category in catalog.categories():
        for product in catalog.in_category(category.id):
            if product.sold_by_weight:
                weighed.append(product)
            elif product.barcode and len(product.barcode) == 13:
                by_count.append(product)
    assert len(by_count) >= 3, "the demo catalog should have EAN-13 products"
    return {"by_count": by_count, "weighed": weighed}
