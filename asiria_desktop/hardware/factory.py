"""From device settings to device objects: the one place bootstrap asks for the till's devices.

A device that is configured but missing never stops the till from starting: the printer sits
behind the print queue (its jobs wait until it is back), scanners reconnect by themselves, and
"none" or "simulated" give the shipped simulated devices.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from asiria_desktop.domain.money import KES, Currency
from asiria_desktop.hardware.customer_display import CustomerDisplay
from asiria_desktop.hardware.drawer import PrinterDrawer, SerialDrawer
from asiria_desktop.hardware.escpos_printer import EscposPrinter, build_escpos_printer
from asiria_desktop.hardware.escpos_text import use_capabilities_cache
from asiria_desktop.hardware.print_queue import PrintQueue
from asiria_desktop.hardware.serial_scanner import SerialScanner
from asiria_desktop.hardware.settings import DeviceSettings
from asiria_desktop.hardware.simulated import SimulatedDrawer, SimulatedPrinter
from asiria_desktop.ports.devices import DeviceStatus
from asiria_desktop.ports.drawer import CashDrawer
from asiria_desktop.ports.printer import ReceiptPrinter
from asiria_desktop.ports.scanner import BarcodeScanner

if TYPE_CHECKING:  # numpy and OpenCV load only on tills that scan with a camera
    from asiria_desktop.hardware.camera_scanner import CameraScanner

log = logging.getLogger(__name__)


@dataclass
class TillDevices:
    printer: PrintQueue  # what the services print to
    drawer: CashDrawer
    scanners: list[BarcodeScanner] = field(default_factory=list)  # serial: always listening
    display: CustomerDisplay | None = None
    raw_printer: ReceiptPrinter | None = None  # behind the queue, for the settings screen's test
    #: The webcam, used on demand by the camera scan window (a camera always scanning would add
    #: whatever passes in front of it, and keeps the webcam light on all day).
    camera: CameraScanner | None = None

    def close(self) -> None:
        self.printer.stop()
        for scanner in self.scanners:
            scanner.stop()
        if self.camera is not None:
            self.camera.stop()
        if self.display is not None:
            self.display.close()
        if isinstance(self.raw_printer, EscposPrinter):
            self.raw_printer.close()


def build_devices(
    settings: DeviceSettings,
    *,
    data_dir: Path,
    receipts_path: Path | None = None,
    on_printer_status: Callable[[DeviceStatus], None] | None = None,
    currency: Currency = KES,
    training: bool = False,
) -> TillDevices:
    """The till's devices; ``training=True`` (and the demo) forces the simulated ones."""
    if training:
        settings = DeviceSettings.simulated()
    use_capabilities_cache(data_dir / "escpos-cache")
    p = settings.printer
    raw: ReceiptPrinter
    if p.kind in ("simulated", "none"):
        raw = SimulatedPrinter(receipts_path if p.kind == "simulated" else None, width=p.width)
    else:
        raw = build_escpos_printer(p)
    queue = PrintQueue(raw, on_status=on_printer_status)

    d = settings.drawer
    drawer: CashDrawer
    if d.kind == "printer" and isinstance(raw, EscposPrinter):
        drawer = PrinterDrawer(raw, d.pin, d.on_ms, d.off_ms)
    elif d.kind == "serial" and d.serial_port:
        drawer = SerialDrawer.from_settings(d)
    else:
        drawer = SimulatedDrawer()

    s = settings.scanner
    scanners: list[BarcodeScanner] = []
    if s.serial_port:
        scanners.append(SerialScanner.from_settings(s))
    camera = None
    if s.camera_index >= 0:
        camera = _camera_scanner(s.camera_index)

    display = None
    if settings.display.enabled and settings.display.serial_port:
        display = CustomerDisplay.on_serial(
            settings.display.serial_port,
            settings.display.baudrate,
            protocol=settings.display.protocol,
            columns=settings.display.columns,
            currency=currency,
        )
    return TillDevices(queue, drawer, scanners, display, raw, camera)


def _camera_scanner(index: int) -> CameraScanner | None:
    """The webcam scanner; None on an installation packaged without OpenCV (the sale screen
    then shows no camera button and the till starts as usual)."""
    try:
        from asiria_desktop.hardware.camera_scanner import CameraScanner
    except ImportError as exc:
        log.warning("camera %d is set up but this installation cannot scan with it: %s", index, exc)
        return None
    return CameraScanner(index)
