"""Printing and drawer kicks after a commit: a device failure is reported, never raised.

The sale (or refund, or report) is already safe in the database when these run, so a jammed
printer must not make the cashier think it failed: the result says what to do instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from asiria_desktop.domain.receipt import ReceiptDocument
from asiria_desktop.ports.drawer import CashDrawer
from asiria_desktop.ports.printer import ReceiptPrinter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeviceOutcome:
    ok: bool
    message: str  # empty when ok


def print_receipt(printer: ReceiptPrinter, doc: ReceiptDocument) -> DeviceOutcome:
    try:
        printer.print_receipt(doc)
    except Exception as exc:  # any driver error: the sale stands, the receipt can be reprinted
        log.warning("receipt printer failed: %s", exc)
        return DeviceOutcome(
            False, f"The receipt did not print ({exc}). Fix the printer, then reprint it."
        )
    return DeviceOutcome(True, "")


def print_text(printer: ReceiptPrinter, text: str) -> DeviceOutcome:
    try:
        printer.print_text(text)
    except Exception as exc:
        log.warning("printer failed: %s", exc)
        return DeviceOutcome(False, f"The printer did not print ({exc}). Try again later.")
    return DeviceOutcome(True, "")


def open_drawer(drawer: CashDrawer) -> DeviceOutcome:
    try:
        drawer.open()
    except Exception as exc:
        log.warning("cash drawer failed: %s", exc)
        return DeviceOutcome(False, f"The cash drawer did not open ({exc}). Open it by key.")
    return DeviceOutcome(True, "")
