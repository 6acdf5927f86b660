"""On real devices only (``ASIRIA_HARDWARE_TESTS=1``): see docs/hardware.md for the variables."""

from __future__ import annotations

import os
import queue

import pytest

from asiria_desktop.hardware.drawer import PrinterDrawer
from asiria_desktop.hardware.escpos_printer import build_escpos_printer
from asiria_desktop.hardware.serial_scanner import SerialScanner, serial_opener
from asiria_desktop.hardware.settings import PrinterSettings

from .support import sample_doc

pytestmark = pytest.mark.hardware


def printer_settings(spec: str) -> PrinterSettings:
    kind, _, rest = spec.partition(":")
    parts = rest.split(":")
    if kind == "network":
        return PrinterSettings(kind=kind, host=parts[0], port=int(parts[1]) if parts[1:] else 9100)
    if kind == "usb":
        return PrinterSettings(
            kind=kind, usb_vendor_id=int(parts[0], 16), usb_product_id=int(parts[1], 16)
        )
    if kind == "serial":
        baud = int(parts[1]) if parts[1:] else 19200
        return PrinterSettings(kind=kind, serial_port=parts[0], baudrate=baud)
    return PrinterSettings(kind="file", file_path=rest)


def test_print_a_receipt_and_kick_the_drawer():
    spec = os.environ.get("ASIRIA_TEST_PRINTER")
    if not spec:
        pytest.skip("set ASIRIA_TEST_PRINTER, e.g. network:192.168.1.50")
    printer = build_escpos_printer(printer_settings(spec))
    print(f"\nprinter says: {printer.status().message}")
    printer.print_receipt(sample_doc())
    PrinterDrawer(printer).open()
    printer.close()


def test_scan_a_code_on_a_serial_scanner():
    port = os.environ.get("ASIRIA_TEST_SCANNER")
    if not port:
        pytest.skip("set ASIRIA_TEST_SCANNER, e.g. /dev/ttyACM0")
    codes: queue.Queue[str] = queue.Queue()
    scanner = SerialScanner(serial_opener(port))
    scanner.start(codes.put)
    print("\nscan any barcode within 20 seconds...")
    try:
        code = codes.get(timeout=20)
    except queue.Empty:
        pytest.fail("no scan within 20 s")
    finally:
        scanner.stop()
    print(f"scanned: {code}")
    assert code
