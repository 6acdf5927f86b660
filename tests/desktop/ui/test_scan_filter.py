"""The application-wide scan filter on plain widgets, without a till behind it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget

from asiria_desktop.ui.scan_filter import ScanKeyFilter


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def form(qtbot: Any) -> Any:
    host = QWidget()
    host.edit = QLineEdit()
    host.button = QPushButton("OK")
    layout = QVBoxLayout(host)
    layout.addWidget(host.edit)
    layout.addWidget(host.button)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    host.clock = FakeClock()
    host.active = True
    host.filter = ScanKeyFilter(lambda: host.active, clock=host.clock)
    host.codes = []
    host.filter.scanned.connect(host.codes.append)
    QApplication.instance().installEventFilter(host.filter)
    yield host
    QApplication.instance().removeEventFilter(host.filter)


def _focus(qtbot: Any, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_fast_digits_and_enter_on_a_button_become_a_scan(qtbot: Any, form: Any) -> None:
    _focus(qtbot, form.button)
    QTest.keyClicks(form.button, "5901234123457")
    QTest.keyClick(form.button, Qt.Key.Key_Return)
    assert form.codes == ["5901234123457"]


def test_a_scan_typed_into_a_text_field_is_taken_back_out(qtbot: Any, form: Any) -> None:
    _focus(qtbot, form.edit)
    QTest.keyClicks(form.edit, "milk ")
    QTest.keyClicks(form.edit, "5901234123457")
    QTest.keyClick(form.edit, Qt.Key.Key_Return)
    assert form.codes == ["5901234123457"]
    assert form.edit.text() == "milk "


def test_slow_typing_is_not_a_scan(qtbot: Any, form: Any) -> None:
    _focus(qtbot, form.edit)
    for digit in "5901234123457":
        form.clock.now += 0.5  # a person, not a scanner
        QTest.keyClicks(form.edit, digit)
    QTest.keyClick(form.edit, Qt.Key.Key_Return)
    assert form.codes == []
    assert form.edit.text() == "5901234123457"


def test_short_bursts_and_inactive_screens_are_left_alone(qtbot: Any, form: Any) -> None:
    _focus(qtbot, form.edit)
    QTest.keyClicks(form.edit, "12")
    QTest.keyClick(form.edit, Qt.Key.Key_Return)
    form.active = False
    form.edit.clear()
    QTest.keyClicks(form.edit, "5901234123457")
    QTest.keyClick(form.edit, Qt.Key.Key_Return)
    assert form.codes == []
    assert form.edit.text() == "5901234123457"
