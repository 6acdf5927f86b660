"""The application-wide scan filter on plain widgets, without a till behind it. Key events carry
the timestamps a window system gives them: the filter tells a scanner from a person by timing
(services.wedge.WedgeDetector), with the scanner settings of the till."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget

from asiria_desktop.services.sale.wedge import WedgeSettings
from asiria_desktop.ui.devices.scan_filter import ScanKeyFilter


class Keys:
    """Sends key events with timestamps on one timeline."""

    def __init__(self) -> None:
        self.t_ms = 50_000

    def press(
        self, widget: QWidget, key: Qt.Key, text: str, gap_ms: int, *, repeat: bool = False
    ) -> None:
        self.t_ms += gap_ms
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text, repeat)
            event.setTimestamp(self.t_ms)
            QApplication.sendEvent(widget, event)

    def type(self, widget: QWidget, text: str, gap_ms: int) -> None:
        for char in text:
            key = Qt.Key(ord(char.upper())) if char.isalnum() else Qt.Key.Key_unknown
            self.press(widget, key, char, gap_ms)

    def enter(self, widget: QWidget, gap_ms: int) -> None:
        self.press(widget, Qt.Key.Key_Return, "\r", gap_ms)


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
    host.keys = Keys()
    host.active = True
    host.filter = ScanKeyFilter(lambda: host.active, WedgeSettings(True, 35, 4))
    host.codes = []
    host.filter.scanned.connect(host.codes.append)
    QApplication.instance().installEventFilter(host.filter)
    yield host
    QApplication.instance().removeEventFilter(host.filter)


def _focus(qtbot: Any, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_a_fast_burst_and_enter_on_a_button_become_a_scan(qtbot: Any, form: Any) -> None:
    _focus(qtbot, form.button)
    form.keys.type(form.button, "5901234123457", 8)
    form.keys.enter(form.button, 8)
    assert form.codes == ["5901234123457"]


def test_a_scan_typed_into_a_text_field_is_taken_back_out(qtbot: Any, form: Any) -> None:
    _focus(qtbot, form.edit)
    form.keys.type(form.edit, "milk ", 150)  # a person
    form.keys.t_ms += 700  # ...who then picks up the scanner
    form.keys.type(form.edit, "S01-T01-000017", 6)  # a Code 128 receipt number, scanned
    form.keys.enter(form.edit, 6)
    assert form.codes == ["S01-T01-000017"]
    assert form.edit.text() == "milk "


def test_typing_is_not_a_scan_however_long(qtbot: Any, form: Any) -> None:
    _focus(qtbot, form.edit)
    form.keys.type(form.edit, "5901234123457", 90)  # a fast typist
    form.keys.enter(form.edit, 90)
    assert form.codes == []
    assert form.edit.text() == "5901234123457"


def test_a_held_key_is_never_a_scan(qtbot: Any, form: Any) -> None:
    _focus(qtbot, form.edit)
    form.keys.press(form.edit, Qt.Key.Key_1, "1", 200)
    for _ in range(8):  # auto-repeat: a key every 30 ms
        form.keys.press(form.edit, Qt.Key.Key_1, "1", 30, repeat=True)
    form.keys.enter(form.edit, 20)
    assert form.codes == []


def test_the_terminator_must_follow_at_once(qtbot: Any, form: Any) -> None:
    _focus(qtbot, form.edit)
    form.keys.type(form.edit, "5901234123457", 8)
    form.keys.enter(form.edit, 300)  # a person pressing Enter after a pasted/typed code
    assert form.codes == []


def test_short_bursts_and_inactive_screens_are_left_alone(qtbot: Any, form: Any) -> None:
    _focus(qtbot, form.edit)
    form.keys.type(form.edit, "123", 5)  # shorter than min_length
    form.keys.enter(form.edit, 5)
    form.active = False
    form.edit.clear()
    form.keys.type(form.edit, "5901234123457", 5)
    form.keys.enter(form.edit, 5)
    assert form.codes == []
    assert form.edit.text() == "5901234123457"


def test_a_disabled_wedge_detects_nothing(qtbot: Any, form: Any) -> None:
    form.filter.enabled = False
    _focus(qtbot, form.edit)
    form.keys.type(form.edit, "5901234123457", 5)
    form.keys.enter(form.edit, 5)
    assert form.codes == []


def test_a_single_key_on_a_button_still_works(qtbot: Any, form: Any) -> None:
    clicks: list[bool] = []
    form.button.clicked.connect(lambda: clicks.append(True))
    _focus(qtbot, form.button)
    form.keys.press(form.button, Qt.Key.Key_Space, " ", 500)  # Space presses the button
    assert clicks == [True]


@pytest.fixture
def pin_form(form: Any) -> Any:
    form.pin = QLineEdit()
    form.pin.setEchoMode(QLineEdit.EchoMode.Password)
    form.layout().addWidget(form.pin)
    form.entered = []
    form.pin.returnPressed.connect(lambda: form.entered.append(form.pin.text()))
    return form


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    pin=st.text(alphabet="0123456789", min_size=4, max_size=12),
    gap_ms=st.integers(min_value=1, max_value=35),
)
def test_a_pin_typed_at_any_speed_is_never_a_scan(
    qtbot: Any, pin_form: Any, pin: str, gap_ms: int
) -> None:
    """A PIN field hides what is typed: however fast the keys come (as fast as a scanner), they
    stay in the field and Enter submits it."""
    pin_form.pin.clear()
    pin_form.entered.clear()
    _focus(qtbot, pin_form.pin)
    pin_form.keys.t_ms += 1000
    pin_form.keys.type(pin_form.pin, pin, gap_ms)
    pin_form.keys.enter(pin_form.pin, gap_ms)
    assert pin_form.codes == []
    assert pin_form.entered == [pin]
    assert pin_form.filter.detector.pending == ""
