"""Simulated devices, shipped in the package: the demo, training mode and a missing device use them.

The printer appends each receipt's text to a file (``<data dir>/receipts.txt``) and keeps the last
one; the drawer counts its openings. Both can be told to fail, so tests and training can show
what a cashier sees when paper runs out.
"""

from __future__ import annotations

import threading
from pathlib import Path

from asiria_desktop.domain.receipt import ReceiptDocument, render_text
from asiria_desktop.ports.devices import DeviceStatus

SEPARATOR = "\n" + "=" * 42 + "\n"


class SimulatedPrinter:
    def __init__(self, path: Path | None = None, width: int = 42) -> None:
        self.path = path
        self.width = width
        self.last_text: str | None = None
        self.printed: list[str] = []
        self.fail_with: str | None = None  # set to a message to simulate "paper out"
        self._lock = threading.Lock()

    def print_receipt(self, doc: ReceiptDocument) -> None:
        self.print_text(render_text(doc, width=self.width))

    def print_text(self, text: str) -> None:
        if self.fail_with:
            raise OSError(self.fail_with)
        with self._lock:
            self.last_text = text
            self.printed.append(text)
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as out:
                    out.write(text.rstrip("\n") + SEPARATOR)

    def status(self) -> DeviceStatus:
        if self.fail_with:
            return DeviceStatus(False, f"Simulated printer: {self.fail_with}")
        return DeviceStatus(True, "Simulated printer ready")


class SimulatedDrawer:
    def __init__(self) -> None:
        self.openings = 0
        self.fail_with: str | None = None

    def open(self) -> None:
        if self.fail_with:
            raise OSError(self.fail_with)
        self.openings += 1

    def status(self) -> DeviceStatus:
        if self.fail_with:
            return DeviceStatus(False, f"Simulated drawer: {self.fail_with}")
        return DeviceStatus(True, "Simulated drawer ready")
