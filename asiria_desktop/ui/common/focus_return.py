"""The keyboard goes back to the till window whenever a dialog closes.

On a desktop the window manager hands the keyboard back to the main window when a dialog goes
away. Without one (a kiosk, or ``make demo`` under ``xvfb-run``) nobody does: the X server drops
the focus to the root window, Qt sees no window as active, and the window-wide F-keys and the
scanner's keystrokes go nowhere. This application-wide filter watches for a dialog window being
hidden and, once the event loop has settled (another dialog may be opening in its place), asks
for the keyboard itself: Qt then sets the X input focus directly when no window manager runs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget


class DialogFocusReturn(QObject):
    def __init__(self, window: QWidget, focus_target: Callable[[], QWidget | None]) -> None:
        """``focus_target`` names the widget that should have the keyboard on the screen now
        shown (the sale screen's search box, the login screen's PIN field)."""
        super().__init__(window)
        self._window = window
        self._focus_target = focus_target

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide and isinstance(watched, QDialog) and watched.isWindow():
            QTimer.singleShot(0, self.give_back)
        return False

    def give_back(self) -> None:
        if not self._window.isVisible():
            return  # the till is closing
        modal = QApplication.activeModalWidget()
        if modal is not None and modal.isVisible():
            modal.activateWindow()  # the next dialog in a chain (e.g. the manager's PIN)
            return
        if any(isinstance(w, QDialog) and w.isVisible() for w in QApplication.topLevelWidgets()):
            return  # a dialog that is not modal keeps the keyboard it has
        self._window.activateWindow()
        self._window.raise_()
        target = self._focus_target()
        if target is not None:
            target.setFocus()
