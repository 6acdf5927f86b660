"""The device settings screen, driven like an owner would: fields, buttons, and a keyboard-mode
scanner (key events carry realistic timestamps: a scanner types a key every ~10 ms, a person
every 100-200 ms)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from asiria_desktop.ports.device_setup import DeviceChoice, FoundDevices, SettingsSections
from asiria_desktop.ports.devices import DeviceStatus
from asiria_desktop.ui.devices.device_settings_dialog import DeviceSettingsDialog

WAIT_MS = 5000


class FakeSetup:
    """Stands in for the hardware adapter: remembers what the screen asked for."""

    def __init__(self) -> None:
        self.saved: SettingsSections | None = None
        self.printed_with: Mapping[str, Any] | None = None
        self.drawer_opened = False
        self.stored: SettingsSections = {
            "printer": {"kind": "network", "host": "192.168.1.50", "port": 9100, "paper_mm": 80},
            "drawer": {"kind": "printer", "pin": 2, "on_ms": 100},
            "scanner": {"serial_port": "", "suffix": "\r"},
            "display": {"enabled": False},
        }

    def load(self) -> SettingsSections:
        return {k: dict(v) for k, v in self.stored.items()}

    def save(self, sections: Mapping[str, Mapping[str, Any]]) -> None:
        self.saved = {k: dict(v) for k, v in sections.items()}

    def discover(self) -> FoundDevices:
        return FoundDevices(
            serial_ports=(DeviceChoice("/dev/ttyACM0", "/dev/ttyACM0 - Honeywell scanner"),),
            usb_printers=(DeviceChoice("04b8:0e15", "TM-T20II [04b8:0e15]"),),
            note="",
        )

    def test_print(self, sections: Mapping[str, Mapping[str, Any]]) -> DeviceStatus:
        self.printed_with = sections["printer"]
        if sections["printer"]["host"] == "10.0.0.99":
            return DeviceStatus(False, "Printer is not connected or switched off")
        return DeviceStatus(True, "Test page sent. Check the paper.")

    def test_drawer(self, sections: Mapping[str, Mapping[str, Any]]) -> DeviceStatus:
        self.drawer_opened = True
        return DeviceStatus(True, "Drawer kick sent. Did the drawer open?")

    def test_scan(
        self, sections: Mapping[str, Mapping[str, Any]], timeout_s: float
    ) -> DeviceStatus:
        return DeviceStatus(True, "Scanner works: read 96385074")


@pytest.fixture
def dialog(qtbot: Any) -> Any:
    setup = FakeSetup()
    screen = DeviceSettingsDialog(setup)
    screen.fake = setup
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    yield screen
    screen.runner.shutdown()


def focus(qtbot: Any, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def press(widget: QWidget, key: Qt.Key, text: str, t_ms: int) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
        event.setTimestamp(t_ms)
        QApplication.sendEvent(widget, event)


def type_text(widget: QWidget, text: str, start_ms: int, gap_ms: int) -> int:
    t = start_ms
    for char in text:
        key = Qt.Key(ord(char.upper())) if char.isalnum() else Qt.Key.Key_unknown
        press(widget, key, char, t)
        t += gap_ms
    return t


def test_saved_settings_are_shown_and_saved_back(qtbot: Any, dialog: Any) -> None:
    assert dialog.host.text() == "192.168.1.50"
    dialog.paper.setCurrentIndex(dialog.paper.findData(58))
    dialog.pin.setCurrentIndex(dialog.pin.findData(5))
    dialog.pulse.setValue(200)
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    saved = dialog.fake.saved
    assert saved["printer"]["paper_mm"] == 58 and saved["printer"]["host"] == "192.168.1.50"
    assert saved["drawer"] == {
        "kind": "printer", "pin": 5, "on_ms": 200, "off_ms": 200, "serial_port": ""
    }  # fmt: skip


def test_find_devices_fills_the_lists(qtbot: Any, dialog: Any) -> None:
    qtbot.mouseClick(dialog.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Found"), timeout=WAIT_MS)
    assert dialog.status.text() == "Found 1 serial port(s), 1 USB printer(s)."
    assert dialog.usb_printer.itemText(0) == "TM-T20II [04b8:0e15]"
    labels = [dialog.scanner_serial.itemText(i) for i in range(dialog.scanner_serial.count())]
    assert "/dev/ttyACM0 - Honeywell scanner" in labels
    dialog.printer_kind.setCurrentIndex(dialog.printer_kind.findData("usb"))
    dialog.usb_printer.setCurrentIndex(0)
    assert dialog.sections()["printer"]["usb_vendor_id"] == 0x04B8


def test_test_print_uses_what_is_on_screen_and_shows_the_problem(qtbot: Any, dialog: Any) -> None:
    dialog.host.setText("10.0.0.99")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "switched off" in dialog.status.text(), timeout=WAIT_MS)
    assert dialog.fake.printed_with["host"] == "10.0.0.99"
    assert dialog.status.property("ok") is False


def test_open_drawer_button(qtbot: Any, dialog: Any) -> None:
    qtbot.mouseClick(dialog.drawer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Drawer kick sent" in dialog.status.text(), timeout=WAIT_MS)
    assert dialog.fake.drawer_opened


def test_a_keyboard_scanner_in_the_scan_box_is_recognised(qtbot: Any, dialog: Any) -> None:
    focus(qtbot, dialog.scan_box)
    end = type_text(dialog.scan_box, "5901234123457", 1000, 9)
    press(dialog.scan_box, Qt.Key.Key_Return, "\r", end)
    assert dialog.last_scan == "5901234123457"
    assert dialog.status.text() == "Scanner works (keyboard mode): read 5901234123457"
    assert dialog.isVisible()  # the scanner's Enter did not press Save
    assert dialog.fake.saved is None


def test_typing_by_hand_is_not_taken_for_a_scan(qtbot: Any, dialog: Any) -> None:
    focus(qtbot, dialog.scan_box)
    end = type_text(dialog.scan_box, "5901234123457", 1000, 140)
    press(dialog.scan_box, Qt.Key.Key_Return, "\r", end + 150)
    assert dialog.last_scan == ""
    assert dialog.status.text() == "That was typed by hand, not scanned."


def test_a_scan_while_another_field_has_the_focus(qtbot: Any, dialog: Any) -> None:
    focus(qtbot, dialog.host)
    dialog.host.setText("192.168.1.50")
    dialog.host.end(False)
    end = type_text(dialog.host, "96385074", 5000, 8)
    press(dialog.host, Qt.Key.Key_Return, "\r", end)
    assert dialog.last_scan == "96385074"
    assert dialog.host.text() == "192.168.1.50"  # the code was taken back out of the field
    assert dialog.isVisible() and dialog.fake.saved is None
