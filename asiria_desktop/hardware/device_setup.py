"""The DeviceSetup port for the settings screen: saved settings, discovery and device tests."""

from __future__ import annotations

import queue
from datetime import UTC, datetime
from pathlib import Path

from asiria_desktop.domain.money import KES
from asiria_desktop.domain.receipt import (
    ReceiptDocument,
    ReceiptItem,
    ReceiptPayment,
    ReceiptTaxRow,
)
from asiria_desktop.hardware import discovery
from asiria_desktop.hardware.drawer import PrinterDrawer, SerialDrawer
from asiria_desktop.hardware.escpos_printer import PrinterProblem, build_escpos_printer
from asiria_desktop.hardware.escpos_text import use_capabilities_cache
from asiria_desktop.hardware.serial_scanner import SerialScanner
from asiria_desktop.hardware.settings import (
    load_device_settings,
    save_device_settings,
    settings_from_dict,
    settings_to_dict,
)
from asiria_desktop.ports.device_setup import (
    DeviceChoice,
    FoundDevices,
    SectionsIn,
    SettingsSections,
)
from asiria_desktop.ports.devices import DeviceStatus


def printer_test_page(width: int, code_page: str) -> ReceiptDocument:
    """A receipt that shows the layout, the code page and the ruler of the configured width."""
    ruler = ("1234567890" * 7)[:width]
    return ReceiptDocument(
        title="TEST PAGE",
        header_lines=("AsiriaPOS printer test", f"{width} columns, code page {code_page}", ruler),
        receipt_no="TEST-0001",
        printed_for=datetime.now(UTC),
        cashier_name="Setup",
        items=(
            ReceiptItem("Crème brûlée", "2 x 250.00", 50000, 0, "", "A"),
            ReceiptItem("Café au lait", None, 15000, 0, "", "A"),
            ReceiptItem("Maziwa ya Ng'ombe 500ml", None, 6500, 0, "", "Z"),
        ),
        subtotal_cents=71500,
        discount_cents=0,
        total_cents=71500,
        tax_rows=(ReceiptTaxRow("A VAT 16%", 55603, 8897, "A 16%"),),
        payments=(ReceiptPayment("Cash", 71500),),
        change_cents=0,
        footer_lines=("If you can read this, the printer works.",),
        currency=KES,
    )


class HardwareDeviceSetup:
    """Implements ports.device_setup.DeviceSetup over a per-till settings file."""

    def __init__(self, settings_path: Path, data_dir: Path) -> None:
        self.settings_path = settings_path
        use_capabilities_cache(data_dir / "escpos-cache")

    def load(self) -> SettingsSections:
        return settings_to_dict(load_device_settings(self.settings_path))

    def save(self, sections: SectionsIn) -> None:
        save_device_settings(self.settings_path, settings_from_dict(_plain(sections)))

    def discover(self) -> FoundDevices:
        found = discovery.discover()
        return FoundDevices(
            serial_ports=tuple(DeviceChoice(p.device, p.label) for p in found.serial_ports),
            usb_printers=tuple(
                DeviceChoice(f"{p.vendor_id:04x}:{p.product_id:04x}", p.label)
                for p in found.usb_printers
            ),
            note=found.note,
        )

    def test_print(self, sections: SectionsIn) -> DeviceStatus:
        p = settings_from_dict(_plain(sections)).printer
        if p.kind in ("simulated", "none"):
            return DeviceStatus(True, "No real printer is set up (simulated printer).")
        printer = build_escpos_printer(p)
        try:
            printer.print_receipt(printer_test_page(p.width, p.code_page))
        except PrinterProblem as problem:
            return DeviceStatus(
                False, f"{problem} ({problem.detail})" if problem.detail else str(problem)
            )
        finally:
            printer.close()
        return DeviceStatus(True, "Test page sent. Check the paper.")

    def test_drawer(self, sections: SectionsIn) -> DeviceStatus:
        settings = settings_from_dict(_plain(sections))
        d = settings.drawer
        try:
            if d.kind == "printer" and settings.printer.kind not in ("simulated", "none"):
                printer = build_escpos_printer(settings.printer)
                try:
                    PrinterDrawer(printer, d.pin, d.on_ms, d.off_ms).open()
                finally:
                    printer.close()
            elif d.kind == "serial":
                SerialDrawer.from_settings(d).open()
            else:
                return DeviceStatus(True, "No real cash drawer is set up (simulated drawer).")
        except (OSError, ValueError) as exc:
            return DeviceStatus(False, str(exc))
        return DeviceStatus(True, "Drawer kick sent. Did the drawer open?")

    def test_scan(self, sections: SectionsIn, timeout_s: float) -> DeviceStatus:
        s = settings_from_dict(_plain(sections)).scanner
        if not s.serial_port:
            return DeviceStatus(
                False,
                "No serial scanner is set up. A USB keyboard-mode scanner: scan into the box.",
            )
        codes: queue.Queue[str] = queue.Queue()
        scanner = SerialScanner.from_settings(s)
        scanner.start(codes.put)
        try:
            code = codes.get(timeout=timeout_s)
        except queue.Empty:
            message = scanner.status().message
            return DeviceStatus(False, f"No scan within {timeout_s:g} seconds ({message}).")
        finally:
            scanner.stop()
        return DeviceStatus(True, f"Scanner works: read {code}")


def _plain(sections: SectionsIn) -> SettingsSections:
    return {name: dict(values) for name, values in sections.items()}
