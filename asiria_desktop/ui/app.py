"""Entry point of the till's user interface: `run(services)` shows the window and runs Qt."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication, QLabel

from asiria_desktop.services.container import TillServices
from asiria_desktop.ui.main_window import MainWindow

__all__ = ["MainWindow", "run"]

TRAINING_MARK = "TRAINING MODE"

log = logging.getLogger(__name__)


def run(
    services: TillServices, *, title: str = "AsiriaPOS", training_note: str | None = None
) -> int:
    """Create the QApplication if needed, show the login screen and run the event loop.

    ``training_note`` marks every screen of a training till (title and a banner)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(title)
    _log_uncaught_exceptions()
    window = MainWindow(services)
    window.setWindowTitle(f"{title} - {services.store.name}")
    if training_note:
        mark_training(window, training_note)
    window.showMaximized()
    window.offer_enrolment()
    code = int(app.exec())
    window.close()  # waits for a sale being saved, then lets go of the event filter
    return code


def _log_uncaught_exceptions() -> None:
    """An exception escaping a Qt slot is logged (never shown as a traceback) and the till goes on.

    PySide6 hands such exceptions to sys.excepthook; the default one only prints them.
    """
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, exc, tb)
            return
        log.error("Uncaught exception in the till UI", exc_info=(kind, exc, tb))

    sys.excepthook = hook


def mark_training(window: MainWindow, note: str) -> QLabel:
    """An orange TRAINING MODE mark in the status bar (the full sentence as its tooltip) and in
    the title: nobody takes practice for real. The status bar, because the sale screen already
    uses the whole height of a 1366x768 screen."""
    banner = QLabel(TRAINING_MARK)
    banner.setObjectName("trainingBanner")
    banner.setToolTip(note)
    banner.setAccessibleName(note)
    banner.setStyleSheet("background: #b45309; color: white; font-weight: bold; padding: 6px 12px;")
    window.statusBar().addPermanentWidget(banner)
    window.setWindowTitle(f"{window.windowTitle()} - {note}")
    return banner
