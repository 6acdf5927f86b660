"""A barcode scanner on a serial port (RS-232, or USB in "USB-COM"/CDC mode) via pyserial.

A reader thread opens the port, splits what arrives into codes at the suffix (CR by default)
and strips the prefix, if the scanner is set to send one. When the scanner is unplugged the
read fails; the thread closes the port, reports it, and tries to open it again every
``reconnect_s`` until the scanner is back, so a cashier only has to plug it in again.
Works with any pyserial URL: ``/dev/ttyACM0``, ``COM3``, ``loop://``, a pty.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from asiria_desktop.hardware.serial_port import PortOpener, SerialPort, open_serial
from asiria_desktop.hardware.settings import ScannerSettings
from asiria_desktop.ports.devices import DeviceStatus

log = logging.getLogger(__name__)

MAX_CODE_LENGTH = 128  # a stuck or noisy line never grows the buffer without end


def serial_opener(url: str, baudrate: int = 9600, read_timeout_s: float = 0.1) -> PortOpener:
    def open_port() -> SerialPort:  # with a read timeout: the reader thread checks for stop
        return open_serial(url, baudrate=baudrate, timeout=read_timeout_s)

    return open_port


class SerialScanner:
    """Implements the BarcodeScanner port."""

    def __init__(
        self,
        open_port: PortOpener,
        *,
        prefix: str = "",
        suffix: str = "\r",
        reconnect_s: float = 1.0,
        name: str = "Serial scanner",
        on_status: Callable[[DeviceStatus], None] | None = None,
    ) -> None:
        if not suffix:
            raise ValueError("A serial scanner needs a suffix (usually CR) to end each code")
        self._open_port = open_port
        self.prefix = prefix.encode("latin-1")
        self.suffix = suffix.encode("latin-1")
        self.reconnect_s = reconnect_s
        self.name = name
        self.on_status = on_status
        self.port: SerialPort | None = None  # the open port, while connected
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._status = DeviceStatus(False, f"{name} not started")
        self.connected = threading.Event()

    @classmethod
    def from_settings(cls, settings: ScannerSettings) -> SerialScanner:
        return cls(
            serial_opener(settings.serial_port, settings.baudrate),
            prefix=settings.prefix,
            suffix=settings.suffix,
            name=f"Scanner on {settings.serial_port}",
        )

    def start(self, on_code: Callable[[str], None]) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("scanner already started")
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(on_code,), name="serial-scanner", daemon=True
        )
        self._thread.start()

    def stop(self, timeout_s: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
        self._close()
        self._set_status(DeviceStatus(False, f"{self.name} stopped"))

    def status(self) -> DeviceStatus:
        return self._status

    # -- the reader thread -------------------------------------------------------------------

    def _run(self, on_code: Callable[[str], None]) -> None:
        while not self._stop.is_set():
            try:
                port = self.port = self._open_port()
            except Exception as exc:
                self._set_status(DeviceStatus(False, f"{self.name} not found ({exc}); retrying"))
                self._stop.wait(self.reconnect_s)
                continue
            self.connected.set()
            self._set_status(DeviceStatus(True, f"{self.name} ready"))
            try:
                self._read_codes(port, on_code)
            except Exception as exc:  # SerialException, OSError(EIO) when unplugged
                log.info("%s disconnected: %s", self.name, exc)
                self._set_status(DeviceStatus(False, f"{self.name} unplugged; reconnecting"))
            finally:
                self.connected.clear()
                self._close()
            self._stop.wait(self.reconnect_s)

    def _read_codes(self, port: SerialPort, on_code: Callable[[str], None]) -> None:
        buffer = b""
        while not self._stop.is_set():
            chunk = port.read(port.in_waiting or 1)
            if not chunk:
                continue
            buffer += chunk
            while self.suffix in buffer:
                raw, buffer = buffer.split(self.suffix, 1)
                code = self._clean(raw)
                if code:
                    self._deliver(on_code, code)
            if len(buffer) > MAX_CODE_LENGTH:
                log.warning("%s: %d bytes without a suffix discarded", self.name, len(buffer))
                buffer = b""

    def _clean(self, raw: bytes) -> str:
        if self.prefix and raw.startswith(self.prefix):
            raw = raw[len(self.prefix) :]
        # CR/LF pairs leave the other half behind; the code never contains control characters.
        return raw.decode("latin-1").strip("\r\n\t\x00 ")

    def _deliver(self, on_code: Callable[[str], None], code: str) -> None:
        try:
            on_code(code)
        except Exception:  # the scanner keeps reading whatever the listener does
            log.exception("scan handler failed for %r", code)

    def _close(self) -> None:
        port, self.port = self.port, None
        if port is not None:
            try:
                port.close()
            except Exception:
                log.debug("closing the scanner port failed", exc_info=True)

    def _set_status(self, status: DeviceStatus) -> None:
        changed = status != self._status
        self._status = status
        if changed and self.on_status is not None:
            try:
                self.on_status(status)
            except Exception:
                log.exception("scanner status callback failed")
