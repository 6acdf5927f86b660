"""An ESC/POS receipt printer (python-escpos) behind the ReceiptPrinter port.

USB and serial connections stay open and are dropped on the first error, so a printer that was
switched off and on again is found by the next job; network printers get a connection per job.
Before each job the printer is asked for its paper and cover state (``DLE EOT``) where it
answers; a printer that never answers (many network and file-backed ones) is treated as ready
after a short wait, rather than blocking the till.
"""

from __future__ import annotations

import enum
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from asiria_desktop.domain.receipt import ReceiptDocument
from asiria_desktop.hardware.escpos_internals import EscposDevice
from asiria_desktop.hardware.escpos_receipt import (
    ReceiptLayout,
    drawer_pulse,
    receipt_bytes,
    text_bytes,
)
from asiria_desktop.hardware.escpos_text import escpos_printers
from asiria_desktop.hardware.settings import PrinterSettings
from asiria_desktop.ports.devices import DeviceStatus

log = logging.getLogger(__name__)

# Real-time status requests (DLE EOT n) and the bits of their one-byte answers.
STATUS_OFFLINE_CAUSE = b"\x10\x04\x02"
STATUS_PAPER = b"\x10\x04\x04"
_COVER_OPEN = 0x04  # in the offline-cause byte
_PAPER_STOP = 0x20  # printing stopped: paper end (offline-cause byte)
_PAPER_NEAR_END = 0x0C  # paper sensor byte
_PAPER_END = 0x60  # paper sensor byte


class PrinterState(enum.Enum):
    READY = "Printer ready"
    PAPER_LOW = "Printer paper is running low"
    PAPER_OUT = "Printer is out of paper"
    COVER_OPEN = "Printer cover is open"
    UNREACHABLE = "Printer is not connected or switched off"
    NO_STATUS = "Printer connected (it does not report paper status)"

    @property
    def can_print(self) -> bool:
        return self in (PrinterState.READY, PrinterState.PAPER_LOW, PrinterState.NO_STATUS)


class PrinterProblem(OSError):
    """A job did not print; ``state`` says why in words a cashier understands."""

    def __init__(self, state: PrinterState, detail: str = "") -> None:
        super().__init__(state.value)
        self.state = state
        self.detail = detail


def _valid_status_byte(value: int) -> bool:
    """Every DLE EOT answer has bit 1 and bit 4 set and bits 0 and 7 clear."""
    return value & 0x93 == 0x12


def parse_status(offline_cause: int | None, paper: int | None) -> PrinterState:
    """What the two status bytes say (None: the printer did not answer that request)."""
    if offline_cause is not None and _valid_status_byte(offline_cause):
        if offline_cause & _COVER_OPEN:
            return PrinterState.COVER_OPEN
        if offline_cause & _PAPER_STOP:
            return PrinterState.PAPER_OUT
    if paper is not None and _valid_status_byte(paper):
        if paper & _PAPER_END:
            return PrinterState.PAPER_OUT
        if paper & _PAPER_NEAR_END:
            return PrinterState.PAPER_LOW
        return PrinterState.READY
    if offline_cause is not None and _valid_status_byte(offline_cause):
        return PrinterState.READY
    return PrinterState.NO_STATUS


Connector = Callable[[], EscposDevice]  # returns an opened python-escpos printer


class EscposPrinter:
    """Implements ReceiptPrinter; thread-safe (the print queue and the drawer share it)."""

    def __init__(
        self,
        connect: Connector,
        layout: ReceiptLayout | None = None,
        *,
        read_status: bool = True,
        status_timeout_s: float = 0.5,
        keep_open: bool = True,
        name: str = "Receipt printer",
    ) -> None:
        self._connect = connect
        self.layout = layout or ReceiptLayout()
        self.read_status = read_status
        self.status_timeout_s = status_timeout_s
        self.keep_open = keep_open
        self.name = name
        self._device: EscposDevice | None = None
        self._lock = threading.RLock()

    # -- the ReceiptPrinter port -------------------------------------------------------------

    def print_receipt(self, doc: ReceiptDocument) -> None:
        self.send(receipt_bytes(doc, self.layout))

    def print_text(self, text: str) -> None:
        self.send(text_bytes(text, self.layout))

    def status(self) -> DeviceStatus:
        state = self.state()
        return DeviceStatus(state.can_print, state.value)

    # -- beyond the port ---------------------------------------------------------------------

    def send(self, data: bytes, *, check_status: bool = True) -> None:
        """Write one whole job; raises PrinterProblem when it cannot be printed now."""
        with self._lock:
            device = self._open()
            if check_status and self.read_status:
                state = self._query_state(device)
                if not state.can_print:
                    raise PrinterProblem(state)
            try:
                device._raw(data)
            except Exception as exc:  # pyusb, pyserial and socket errors all land here
                self._drop()
                raise PrinterProblem(PrinterState.UNREACHABLE, str(exc)) from exc
            if not self.keep_open:
                self._drop()

    def kick_drawer(self, pin: int = 2, on_ms: int = 100, off_ms: int = 100) -> None:
        # No status check: a drawer must open even when the paper has run out.
        self.send(drawer_pulse(pin, on_ms, off_ms), check_status=False)

    def state(self) -> PrinterState:
        with self._lock:
            try:
                device = self._open()
            except PrinterProblem as problem:
                return problem.state
            try:
                return self._query_state(device) if self.read_status else PrinterState.NO_STATUS
            except PrinterProblem as problem:
                return problem.state
            finally:
                if not self.keep_open:
                    self._drop()

    def close(self) -> None:
        with self._lock:
            self._drop()

    # -- internals ---------------------------------------------------------------------------

    def _open(self) -> EscposDevice:
        if self._device is None:
            try:
                self._device = self._connect()
            except Exception as exc:
                raise PrinterProblem(PrinterState.UNREACHABLE, str(exc)) from exc
        return self._device

    def _drop(self) -> None:
        device, self._device = self._device, None
        if device is not None:
            try:
                _drain(getattr(device, "_device", None))
                device.close()
            except Exception:  # closing a dead connection may fail too; nothing to do
                log.debug("closing the printer failed", exc_info=True)

    def _query_state(self, device: EscposDevice) -> PrinterState:
        try:
            cause = self._query(device, STATUS_OFFLINE_CAUSE)
            paper = self._query(device, STATUS_PAPER) if cause is not None else None
        except OSError as exc:
            self._drop()
            raise PrinterProblem(PrinterState.UNREACHABLE, str(exc)) from exc
        return parse_status(cause, paper)

    def _query(self, device: EscposDevice, request: bytes) -> int | None:
        """One status byte, or None when the printer does not answer within the short wait."""
        try:
            with _short_wait(device, self.status_timeout_s):
                device._raw(request)
                answer = device._read()
        except (NotImplementedError, TimeoutError, AttributeError):
            return None
        except OSError as exc:
            if type(exc).__name__ == "USBTimeoutError":  # pyusb's timeout is an OSError too
                return None
            raise
        except Exception:  # any other driver complaint about reading: treat as "no answer"
            log.debug("printer status read failed", exc_info=True)
            return None
        if not answer:
            return None
        return int(answer[-1])


@contextmanager
def _short_wait(device: EscposDevice, seconds: float) -> Iterator[None]:
    """Status reads wait ``seconds``, not the connection's timeout: python-escpos would wait
    60 s on a network printer that never answers, and the USB write timeout on USB."""
    sock = getattr(device, "_device", None)
    if isinstance(sock, socket.socket):
        old = sock.gettimeout()
        sock.settimeout(seconds)
        try:
            yield
        finally:
            sock.settimeout(old)
    elif type(device).__name__ == "Usb" and hasattr(device, "timeout"):
        old_ms = device.timeout
        device.timeout = max(1, int(seconds * 1000))
        try:
            yield
        finally:
            device.timeout = old_ms
    else:
        yield


def _drain(sock: object) -> None:
    """Read what the printer still has to say before closing: closing a socket with unread
    data makes the kernel reset the connection, which can throw away the end of a receipt."""
    if not isinstance(sock, socket.socket):
        return
    sock.setblocking(False)
    try:
        while sock.recv(64):
            pass
    except OSError:  # BlockingIOError when empty; anything else: closing anyway
        pass


def connector_for(settings: PrinterSettings) -> Connector:
    """How to open the configured printer with python-escpos (each call opens a connection)."""
    kind = settings.kind

    def connect() -> EscposDevice:
        printers = escpos_printers()
        if kind == "network":
            printer = printers.Network(
                settings.host, port=settings.port, timeout=settings.timeout_s
            )
        elif kind == "serial":
            printer = printers.Serial(
                devfile=settings.serial_port,
                baudrate=settings.baudrate,
                timeout=settings.status_timeout_s,
            )
        elif kind == "usb":
            printer = printers.Usb(
                settings.usb_vendor_id,
                settings.usb_product_id,
                timeout=int(settings.timeout_s * 1000),
            )
        elif kind == "file":
            printer = printers.File(settings.file_path)
        else:
            raise ValueError(f"No ESC/POS connection for printer kind {kind!r}")
        printer.open()  # raises DeviceNotFoundError (an escpos Error) when it is not there
        opened: EscposDevice = printer
        return opened

    return connect


def build_escpos_printer(settings: PrinterSettings) -> EscposPrinter:
    return EscposPrinter(
        connector_for(settings),
        ReceiptLayout.from_settings(settings),
        read_status=settings.read_status and settings.kind != "file",
        status_timeout_s=settings.status_timeout_s,
        # A network printer may drop an idle connection unseen (and serves one client at a
        # time): connect per job. USB and serial stay open.
        keep_open=settings.kind != "network",
        name=f"{settings.kind} printer",
    )
