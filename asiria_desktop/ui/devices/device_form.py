"""The choices and small form controls of the device settings screen: what each kind of
printer and drawer is called on screen, and combo boxes that hand back the stored value (or
the typed text, for a port name the list does not know)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QSpinBox

PRINTER_KINDS = [
    ("Simulated (demo, training)", "simulated"),
    ("Network (port 9100)", "network"),
    ("USB", "usb"),
    ("Serial / COM port", "serial"),
    ("Printer device file", "file"),
    ("No printer", "none"),
]
DRAWER_KINDS = [
    ("Through the receipt printer", "printer"),
    ("Own serial port", "serial"),
    ("Simulated", "simulated"),
    ("No drawer", "none"),
]
SUFFIXES = [("Enter (CR)", "\r"), ("CR LF", "\r\n"), ("Tab", "\t")]
TERMINATORS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)


def choice_box(choices: list[tuple[str, Any]], editable: bool = False) -> QComboBox:
    box = QComboBox()
    box.setEditable(editable)
    for label, value in choices:
        box.addItem(label, value)
    return box


def select_choice(box: QComboBox, value: Any) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)
    elif box.isEditable():
        box.setEditText(str(value))


def chosen(box: QComboBox) -> Any:
    if box.isEditable():
        text = box.currentText().strip()
        index = box.findText(text)
        return box.itemData(index) if index >= 0 and box.itemData(index) is not None else text
    return box.currentData()


def number_box(low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    return spin
