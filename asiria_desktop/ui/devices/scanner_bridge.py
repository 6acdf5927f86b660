"""Serial and camera scanners call back on their own threads; this bridge starts them and hands
each code to the UI thread as a ``scanned`` signal, the same signal the keyboard-wedge filter
gives, so the sale screen treats every scanner alike."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Qt, Signal

from asiria_desktop.ports.scanner import BarcodeScanner


class ScannerBridge(QObject):
    scanned = Signal(str)  # on the UI thread
    _from_device = Signal(str)

    def __init__(self, scanners: Iterable[BarcodeScanner], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scanners = list(scanners)
        self._from_device.connect(self.scanned, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        for scanner in self.scanners:
            scanner.start(self._from_device.emit)

    def stop(self) -> None:
        for scanner in self.scanners:
            scanner.stop()

    def problems(self) -> list[str]:
        """What to show in the status bar: the scanners that are not working, in words."""
        return [s.status().message for s in self.scanners if not s.status().ok]
