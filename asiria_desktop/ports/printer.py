"""The receipt printer port: POS verbs; adapters turn them into bytes (ESC/POS) or text."""

from __future__ import annotations

from typing import Protocol

from asiria_desktop.domain.receipt import ReceiptDocument
from asiria_desktop.ports.devices import DeviceStatus


class ReceiptPrinter(Protocol):
    def print_receipt(self, doc: ReceiptDocument) -> None:
        """Print one receipt; raises an exception when the printer fails (paper out, offline)."""
        ...

    def print_text(self, text: str) -> None:
        """Print a plain-text slip (X/Z reports, reprints of stored text)."""
        ...

    def status(self) -> DeviceStatus: ...


class PrintQueueControl(Protocol):
    """What the cashier's screen may do with the print queue in front of the printer."""

    def status(self) -> DeviceStatus:
        """The last known state, without touching the printer (never blocks)."""
        ...

    def check_printer(self) -> DeviceStatus:
        """Ask the printer itself; may take seconds (run it in the background)."""
        ...

    def pending(self) -> list[str]: ...

    def retry_now(self) -> None: ...

    def discard_pending(self) -> list[str]: ...
