"""Route a keyboard-wedge scan to the cart, whatever widget has the focus.

A keyboard-wedge scanner "types" a code much faster than a person and ends it with Enter (or
Tab). This application-wide filter feeds every typed character, with the time the window system
stamped on its key event, to ``services.wedge.WedgeDetector``: at least ``min_length``
characters, each within ``max_interval_ms`` of the last and closed by the terminator within that
time, is a scan; anything slower is a person typing and is left alone. On a scan the filter puts
back a text field that received the characters as it was, swallows the Enter (so it presses no
button) and emits ``scanned(code)``. The fast characters of a burst typed where no text field
has the focus are kept from the widget (they mean nothing to a button or a table). Auto-repeated
keys (a key held down) and keys typed into a PIN field (one that hides what is typed) are never
a scan.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from asiria_desktop.services.sale.wedge import WedgeDetector, WedgeSettings

_TERMINATORS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
_TEXT_INPUTS = (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit)
# Keys a scanner sends around characters (Shift for capitals) that do not end a burst.
_MODIFIER_KEYS = (
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock,
    Qt.Key.Key_NumLock,
)


class ScanKeyFilter(QObject):
    scanned = Signal(str)

    def __init__(
        self,
        is_active: Callable[[], bool],
        settings: WedgeSettings | None = None,
        *,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        settings = settings or WedgeSettings()
        self.enabled = settings.enabled
        self._is_active = is_active
        self.detector = WedgeDetector(settings.max_interval_ms, settings.min_length)
        self._target: object = None
        self._before: str | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        # Every widget up the parent chain sees the same event; look at it only once: at the
        # focus widget, or, when no widget has the focus, at the window the keys were sent to.
        focus = QApplication.focusWidget()
        if focus is not None and watched is not focus:
            return False
        if focus is None and not (isinstance(watched, QWidget) and watched.isWindow()):
            return False
        if not self.enabled or not self._is_active() or _is_secret(focus):
            self.detector.reset()
            return False
        if event.isAutoRepeat():  # a held key repeats every ~30 ms: never a scan
            self.detector.reset()
            return False
        t_ms = float(event.timestamp())
        target = focus if focus is not None else watched
        if event.key() in _TERMINATORS:
            code = self.detector.feed_terminator(t_ms) if target is self._target else None
            self.detector.reset()
            if code is None:
                return False
            self._take_back()
            self.scanned.emit(code)
            return True
        text = event.text()
        if len(text) == 1 and text.isprintable() and not _has_command_modifier(event):
            if target is not self._target:  # a scan is one burst into one widget
                self.detector.reset()
                self._target = target
            self.detector.feed(text, t_ms)
            if len(self.detector.pending) == 1:  # this key starts a burst: keep the field as
                self._before = target.text() if isinstance(target, QLineEdit) else None  # was
            # Mid-burst, keep the characters from a button or a table (a scanner's space must
            # not press a button); a single key, e.g. Space on a check box, goes through.
            return self.detector.in_burst and not _is_text_input(target)
        if event.key() not in _MODIFIER_KEYS:
            self.detector.reset()
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


def _is_secret(widget: object) -> bool:
    """A field that hides what is typed (a PIN) is never a scan: a manager typing 1111 quickly
    must log in or approve, not be told "Scan of 1111 not added"."""
    return isinstance(widget, QLineEdit) and widget.echoMode() != QLineEdit.EchoMode.Normal


def _is_text_input(widget: object) -> bool:
    return isinstance(widget, _TEXT_INPUTS)
