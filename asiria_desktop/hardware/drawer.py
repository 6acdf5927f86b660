"""Cash drawers behind the CashDrawer port: kicked through the receipt printer, or on their own
serial port.

Most drawers hang off the printer's RJ11 "DK" socket and open on ``ESC p m t1 t2``; pin 2 is the
usual one, pin 5 a second drawer. Some drawers need a longer pulse (200 ms) to release.
"""

from __future__ import annotations

import threading

from asiria_desktop.hardware.escpos_printer import EscposPrinter, PrinterProblem, PrinterState
from asiria_desktop.hardware.escpos_receipt import drawer_pulse
from asiria_desktop.hardware.serial_port import PortOpener, SerialPort, open_serial
from asiria_desktop.hardware.settings import DrawerSettings
from asiria_desktop.ports.devices import DeviceStatus


class PrinterDrawer:
    """A drawer on the printer's drawer-kick socket."""

    def __init__(self, printer: EscposPrinter, pin: int = 2, on_ms: int = 100, off_ms: int = 100):
        drawer_pulse(pin, on_ms, off_ms)  # refuse a bad pin now, not at the first sale
        self.printer = printer
        self.pin, self.on_ms, self.off_ms = pin, on_ms, off_ms

    def open(self) -> None:
        try:
            self.printer.kick_drawer(self.pin, self.on_ms, self.off_ms)
        except PrinterProblem as problem:
            raise OSError(f"The drawer opens through the printer: {problem}") from problem

    def status(self) -> DeviceStatus:
        state = self.printer.state()
        if state is not PrinterState.UNREACHABLE:  # paper out or cover open: the kick still works
            return DeviceStatus(True, "Cash drawer ready (through the printer)")
        return DeviceStatus(False, f"Cash drawer unavailable: {state.value}")


class SerialDrawer:
    """A drawer with its own serial interface; it opens on the kick sequence it receives.

    The port is opened per kick and closed again, so unplugging the drawer between sales does
    no harm and the next kick finds it again."""

    def __init__(self, open_port: PortOpener, pulse: bytes | None = None) -> None:
        self._open_port = open_port
        self.pulse = pulse if pulse is not None else drawer_pulse()
        self._lock = threading.Lock()
        self._last_error = ""

    @classmethod
    def from_settings(cls, settings: DrawerSettings) -> SerialDrawer:
        def open_port() -> SerialPort:
            return open_serial(settings.serial_port, baudrate=settings.baudrate, timeout=1)

        return cls(open_port, drawer_pulse(settings.pin, settings.on_ms, settings.off_ms))

    def open(self) -> None:
        with self._lock:
            try:
                port = self._open_port()
                try:
                    port.write(self.pulse)
                    port.flush()
                finally:
                    port.close()
            except Exception as exc:
                self._last_error = f"Cash drawer not reachable on its serial port ({exc})"
                raise OSError(self._last_error) from exc
            self._last_error = ""

    def status(self) -> DeviceStatus:
        if self._last_error:
            return DeviceStatus(False, self._last_error)
        return DeviceStatus(True, "Cash drawer ready (serial)")
