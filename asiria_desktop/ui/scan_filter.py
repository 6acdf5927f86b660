"""Route a keyboard-wedge scan to the cart, whatever widget has the focus.

A keyboard-wedge scanner "types" the code's digits much faster than a person and ends with Enter.
This application-wide filter keeps the last burst of digits; when Enter arrives right after a burst
of at least `min_length` digits, it takes the code (putting back a text field that received the
digits as it was) and emits `scanned(code)`. Digits typed where no text field has the focus are
kept from the widget (they mean nothing to a button or a table). The full timing-based detector,
configurable per scanner, comes with the hardware issue.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QTextEdit

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_TEXT_INPUTS = (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit)


class ScanKeyFilter(QObject):
    scanned = Signal(str)

    def __init__(
        self,
        is_active: Callable[[], bool],
        *,
        max_gap_s: float = 0.08,
        min_length: int = 6,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._is_active = is_active
        self._max_gap_s = max_gap_s
        self._min_length = min_length
        self._clock = clock
        self._digits: list[str] = []
        self._last_at = 0.0
        self._target: object = None
        self._before: str | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        # Every widget up the parent chain sees the same event; look at it only once.
        if watched is not QApplication.focusWidget() and QApplication.focusWidget() is not None:
            return False
        if not self._is_active():
            self._digits.clear()
            return False
        now = self._clock()
        text = event.text()
        if len(text) == 1 and text.isdigit() and not _has_command_modifier(event):
            target = QApplication.focusWidget()
            # A scan is one burst into one widget: a pause or a focus change starts afresh.
            if self._digits and (
                now - self._last_at > self._max_gap_s or target is not self._target
            ):
                self._digits.clear()
            if not self._digits:  # the field as it was before the burst, to put back after a scan
                self._before = target.text() if isinstance(target, QLineEdit) else None
            self._target = target
            self._digits.append(text)
            self._last_at = now
            return not _is_text_input(QApplication.focusWidget())
        if event.key() in _ENTER_KEYS:
            code = "".join(self._digits)
            fresh = bool(self._digits) and now - self._last_at <= self._max_gap_s
            self._digits.clear()
            if fresh and len(code) >= self._min_length:
                self._take_back()
                self.scanned.emit(code)
                return True
            return False
        if not event.isAutoRepeat() and event.key() not in (Qt.Key.Key_Shift,):
            self._digits.clear()
        return False

    def _take_back(self) -> None:
        """A scan that landed in a text field is not text: put the field back as it was."""
        target = self._target
        if isinstance(target, QLineEdit) and self._before is not None:
            target.setText(self._before)


def _has_command_modifier(event: QKeyEvent) -> bool:
    mods = event.modifiers()
    return bool(
        mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        or mods & Qt.KeyboardModifier.MetaModifier
    )


def _is_text_input(widget: object) -> bool:
    return isinstance(widget, _TEXT_INPUTS)
