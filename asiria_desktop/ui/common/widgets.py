"""Small widget makers the till's screens share, so the look of an error line or a primary
button is decided once (theme.py styles them by object name)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QWidget


def error_line() -> QLabel:
    """The red, wrapping line where a screen shows a plain-language problem."""
    label = QLabel()
    label.setObjectName("errorText")
    label.setWordWrap(True)
    return label


def primary_button(
    text: str, on_click: Callable[[], object], *, enabled: bool = True
) -> QPushButton:
    """The screen's main action. Not an auto-default: a scanner's Enter must never press it."""
    button = QPushButton(text)
    button.setObjectName("primaryButton")
    button.setAutoDefault(False)
    button.setEnabled(enabled)
    button.clicked.connect(on_click)
    return button


def dialog_buttons(dialog: QDialog, primary: QPushButton, *leading: QWidget) -> QHBoxLayout:
    """The bottom row of a task dialog: ``leading`` widgets on the left, then Close (Esc) and
    the primary action on the right. Close is no auto-default either (scanners send Enter)."""
    close = QPushButton("Close (Esc)")
    close.setAutoDefault(False)
    close.clicked.connect(dialog.reject)
    row = QHBoxLayout()
    for widget in leading:
        row.addWidget(widget)
    row.addStretch(1)
    row.addWidget(close)
    row.addWidget(primary)
    return row


def center_on_parent(dialog: QDialog) -> None:
    """Put a dialog over the middle of the window it belongs to (some window managers place a
    second-level dialog at the screen's corner)."""
    parent = dialog.parentWidget()
    if parent is None:
        return
    frame = dialog.frameGeometry()
    frame.moveCenter(parent.window().frameGeometry().center())
    dialog.move(frame.topLeft())
