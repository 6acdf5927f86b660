"""The smaller adapters: pole display, serial drawer, discovery, device settings, the factory."""

from __future__ import annotations

import json
import sys
import types

import pytest
import serial

from asiria_desktop.hardware import discovery
from asiria_desktop.hardware.customer_display import CustomerDisplay, display_bytes
from asiria_desktop.hardware.drawer import PrinterDrawer, SerialDrawer
from asiria_desktop.hardware.escpos_printer import EscposPrinter
from asiria_desktop.hardware.factory import build_devices
from asiria_desktop.hardware.print_queue import PrintQueue
from asiria_desktop.hardware.serial_scanner import SerialScanner
from asiria_desktop.hardware.settings import (
    DeviceSettings,
    DisplaySettings,
    DrawerSettings,
    PrinterSettings,
    ScannerSettings,
    device_settings_path,
    load_device_settings,
    save_device_settings,
)
from asiria_desktop.hardware.simulated import SimulatedDrawer, SimulatedPrinter

from .support import sample_doc

# -- customer display -------------------------------------------------------------------------


def read_all(port: serial.Serial) -> bytes:
    return port.read(port.in_waiting)


def test_the_pole_display_shows_the_last_item_and_the_total():
    port = serial.serial_for_url("loop://", timeout=0.1)
    display = CustomerDisplay(lambda: port)
    display.show_item("Crème brûlée", 25000, 51500)
    assert read_all(port) == (
        b"\x1b@\x0c\x1f\x01"
        + b"\x1f$\x01\x01"
        + b"Creme brulee  250.00"
        + b"\x1f$\x01\x02"
        + b"TOTAL         515.00"
    )
    assert display.status().ok


def test_the_cd5220_command_set_and_the_change_line():
    assert display_bytes("TOTAL 515.00", "CHANGE 485.00", "cd5220") == (
        b"\x1b@\x1bQATOTAL 515.00        \r\x1bQBCHANGE 485.00       \r"
    )
    port = serial.serial_for_url("loop://", timeout=0.1)
    CustomerDisplay(lambda: port).show_total(51500, change_cents=48500)
    assert b"CHANGE        485.00" in read_all(port)
    with pytest.raises(ValueError, match="Unknown pole display protocol"):
        CustomerDisplay(lambda: port, protocol="vfd-magic")


def test_an_unplugged_display_never_interrupts_a_sale():
    def unplugged() -> serial.Serial:
        raise serial.SerialException("could not open port /dev/ttyUSB1")

    display = CustomerDisplay(unplugged)
    display.show_item("Sukari 1kg", 18000, 18000)  # no exception
    assert not display.status().ok
    assert "Customer display not reachable" in display.status().message


# -- drawers ----------------------------------------------------------------------------------


def test_a_serial_drawer_gets_the_kick_sequence():
    port = serial.serial_for_url("loop://", timeout=0.1)
    port.close = lambda: None  # keep the loop readable after the drawer "closes" it
    drawer = SerialDrawer(lambda: port)
    drawer.open()
    assert read_all(port) == b"\x1bp\x00\x32\x32"
    assert drawer.status().ok


def test_a_serial_drawer_that_is_not_there_says_so():
    drawer = SerialDrawer.from_settings(DrawerSettings(kind="serial", serial_port="/dev/nothing"))
    with pytest.raises(OSError, match="Cash drawer not reachable"):
        drawer.open()
    assert not drawer.status().ok


def test_a_printer_drawer_refuses_a_bad_pin_at_setup():
    with pytest.raises(ValueError):
        PrinterDrawer(EscposPrinter(lambda: None), pin=7)


# -- discovery --------------------------------------------------------------------------------


def test_serial_ports_are_listed_with_their_description(monkeypatch):
    fake = types.SimpleNamespace(
        device="/dev/ttyUSB0", description="CP2102", vid=0x10C4, pid=0xEA60
    )
    monkeypatch.setattr("serial.tools.list_ports.comports", lambda: [fake])
    ports = discovery.serial_ports()
    assert [p.label for p in ports] == ["/dev/ttyUSB0 - CP2102 [10c4:ea60]"]


def test_usb_printers_found_by_class_or_maker(monkeypatch):
    class Dev:
        def __init__(self, vid: int, pid: int, cls: int) -> None:
            self.idVendor, self.idProduct, self.bDeviceClass = vid, pid, 0
            self.product, self.manufacturer, self._cls = "TM-T20II", "EPSON", cls

        def __iter__(self):
            return iter([[types.SimpleNamespace(bInterfaceClass=self._cls)]])

    core = types.ModuleType("usb.core")
    core.NoBackendError = type("NoBackendError", (Exception,), {})  # type: ignore[attr-defined]
    core.find = lambda find_all: [Dev(0x04B8, 0x0E15, 7), Dev(0x046D, 0xC52B, 3)]  # type: ignore[attr-defined]
    usb = types.ModuleType("usb")
    usb.core = core  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "usb", usb)
    monkeypatch.setitem(sys.modules, "usb.core", core)
    printers, note = discovery.usb_printers()
    assert note == ""
    assert [p.label for p in printers] == ["TM-T20II [04b8:0e15]"]  # not the mouse
    assert printers[0].maker == "Epson"


def test_discovery_without_libusb_degrades_to_a_note(monkeypatch):
    core = types.ModuleType("usb.core")

    class NoBackendError(Exception):
        pass

    def find(find_all: bool) -> list[object]:
        raise NoBackendError("No backend available")

    core.NoBackendError = NoBackendError  # type: ignore[attr-defined]
    core.find = find  # type: ignore[attr-defined]
    usb = types.ModuleType("usb")
    usb.core = core  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "usb", usb)
    monkeypatch.setitem(sys.modules, "usb.core", core)
    monkeypatch.setattr("serial.tools.list_ports.comports", lambda: [])
    found = discovery.discover()
    assert found.usb_printers == ()
    assert "libusb" in found.note


# -- settings ---------------------------------------------------------------------------------


def test_device_settings_round_trip_per_till(tmp_path):
    path = device_settings_path(tmp_path, "T02")
    assert path.name == "devices-T02.json"
    settings = DeviceSettings(
        printer=PrinterSettings(kind="network", host="192.168.1.50", paper_mm=58),
        drawer=DrawerSettings(pin=5, on_ms=200),
        scanner=ScannerSettings(serial_port="/dev/ttyACM0", prefix="]E0"),
        display=DisplaySettings(enabled=True, serial_port="COM4", protocol="cd5220"),
    )
    save_device_settings(path, settings)
    assert load_device_settings(path) == settings


def test_missing_or_damaged_settings_fall_back_to_simulated_devices(tmp_path):
    assert load_device_settings(tmp_path / "none.json") == DeviceSettings.simulated()
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert load_device_settings(broken).printer.kind == "simulated"


def test_a_wrong_value_falls_back_to_its_default_and_the_rest_is_kept(tmp_path):
    path = tmp_path / "devices-T01.json"
    raw = {"printer": {"kind": "usb", "port": "ninety", "timeout_s": 3, "usb_vendor_id": 1208}}
    path.write_text(json.dumps({**raw, "unknown": 1}), encoding="utf-8")
    printer = load_device_settings(path).printer
    assert (printer.kind, printer.port, printer.timeout_s) == ("usb", 9100, 3.0)
    assert printer.usb_vendor_id == 0x04B8


# -- the factory ------------------------------------------------------------------------------


def test_demo_and_training_use_simulated_devices(tmp_path):
    real = DeviceSettings(printer=PrinterSettings(kind="network", host="10.0.0.9"))
    devices = build_devices(real, data_dir=tmp_path, training=True)
    assert isinstance(devices.printer, PrintQueue)
    assert isinstance(devices.raw_printer, SimulatedPrinter)
    assert isinstance(devices.drawer, SimulatedDrawer)
    devices.printer.print_receipt(sample_doc())
    assert devices.printer.wait_until_idle(5)
    devices.close()


def test_a_network_printer_with_its_drawer_and_a_serial_scanner(tmp_path):
    settings = DeviceSettings(
        printer=PrinterSettings(kind="network", host="127.0.0.1", port=9),
        drawer=DrawerSettings(kind="printer", pin=5),
        scanner=ScannerSettings(serial_port="loop://"),
    )
    devices = build_devices(settings, data_dir=tmp_path)
    assert isinstance(devices.raw_printer, EscposPrinter)
    assert isinstance(devices.drawer, PrinterDrawer) and devices.drawer.pin == 5
    assert isinstance(devices.scanners[0], SerialScanner)
    assert (tmp_path / "escpos-cache").is_dir()
    devices.close()


def test_a_camera_without_opencv_leaves_the_till_starting(tmp_path, monkeypatch, caplog):
    """A package built without camera scanning (no OpenCV, no NumPy) still starts the till."""
    monkeypatch.setitem(sys.modules, "asiria_desktop.hardware.camera_scanner", None)
    settings = DeviceSettings(scanner=ScannerSettings(camera_index=0))
    devices = build_devices(settings, data_dir=tmp_path)
    assert devices.camera is None
    assert "cannot scan with it" in caplog.text
    devices.close()
