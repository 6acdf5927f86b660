"""Finding devices for the settings screen: serial ports, and USB receipt printers.

Discovery only lists what it sees; it never opens or writes to a device. Without pyusb or a
libusb backend (a Windows till without the driver, a locked-down Linux) the USB list is empty
and ``note`` says why, instead of failing the settings screen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)


class UsbInterface(Protocol):
    bInterfaceClass: int


class UsbDevice(Protocol):
    """What is read of a ``usb.core.Device`` (pyusb ships no types): its ids, and its
    configurations, each a sequence of interfaces."""

    idVendor: int
    idProduct: int

    def __iter__(self) -> Iterator[Iterable[UsbInterface]]: ...


#: USB vendor ids of common receipt printer makers (some clones reuse chip makers' ids).
PRINTER_VENDORS: dict[int, str] = {
    0x04B8: "Epson",
    0x0519: "Star Micronics",
    0x1504: "Bixolon",
    0x1D90: "Citizen",
    0x154F: "SNBC",
    0x0DD4: "Custom",
    0x0FE6: "ICS Advent (Xprinter, Rongta and other clones)",
    0x0416: "Winbond (many 58 mm printers)",
    0x0483: "STMicroelectronics (Xprinter, HOIN and other clones)",
    0x1FC9: "NXP (POS-80 clones)",
    0x28E9: "GD32 (POS-58 clones)",
    0x20D1: "Rongta",
}
USB_CLASS_PRINTER = 7


@dataclass(frozen=True)
class SerialPortInfo:
    device: str  # what to put in the settings: /dev/ttyUSB0, COM3
    description: str
    vendor_id: int | None = None
    product_id: int | None = None

    @property
    def label(self) -> str:
        ids = f" [{self.vendor_id:04x}:{self.product_id:04x}]" if self.vendor_id else ""
        return f"{self.device} - {self.description}{ids}"


@dataclass(frozen=True)
class UsbPrinterInfo:
    vendor_id: int
    product_id: int
    maker: str
    product: str = ""

    @property
    def label(self) -> str:
        name = self.product or self.maker
        return f"{name} [{self.vendor_id:04x}:{self.product_id:04x}]"


@dataclass(frozen=True)
class Found:
    serial_ports: tuple[SerialPortInfo, ...]
    usb_printers: tuple[UsbPrinterInfo, ...]
    note: str = ""  # why a list may be incomplete


def serial_ports() -> list[SerialPortInfo]:
    from serial.tools import list_ports

    return [
        SerialPortInfo(
            device=port.device,
            description=port.description if port.description != "n/a" else "serial port",
            vendor_id=port.vid,
            product_id=port.pid,
        )
        for port in sorted(list_ports.comports(), key=lambda p: p.device)
    ]


def _is_printer(device: UsbDevice) -> bool:
    if device.idVendor in PRINTER_VENDORS and getattr(device, "bDeviceClass", 0) == 7:
        return True
    try:
        return any(
            interface.bInterfaceClass == USB_CLASS_PRINTER
            for config in device
            for interface in config
        )
    except Exception:  # reading descriptors can need permissions we lack
        return device.idVendor in PRINTER_VENDORS


def _string(device: UsbDevice, attribute: str) -> str:
    try:
        return str(getattr(device, attribute) or "")
    except Exception:  # the string descriptors need access rights; the ids do not
        return ""


def usb_printers() -> tuple[list[UsbPrinterInfo], str]:
    """USB printers seen, and a note when USB could not be searched."""
    try:
        import usb.core
    except ImportError:
        return [], "USB search needs the pyusb package."
    try:
        devices: list[UsbDevice] = list(usb.core.find(find_all=True))
    except usb.core.NoBackendError:
        return [], "USB search needs libusb (Linux: libusb-1.0-0; Windows: a WinUSB driver)."
    except Exception as exc:
        log.warning("USB search failed: %s", exc)
        return [], f"USB search failed ({exc})."
    found = [
        UsbPrinterInfo(
            vendor_id=device.idVendor,
            product_id=device.idProduct,
            maker=PRINTER_VENDORS.get(device.idVendor, _string(device, "manufacturer")),
            product=_string(device, "product"),
        )
        for device in devices
        if _is_printer(device)
    ]
    return found, ""


def discover() -> Found:
    notes = []
    try:
        ports = serial_ports()
    except Exception as exc:
        log.warning("serial port search failed: %s", exc)
        ports, notes = [], [f"Serial port search failed ({exc})."]
    printers, note = usb_printers()
    if note:
        notes.append(note)
    return Found(tuple(ports), tuple(printers), " ".join(notes))
