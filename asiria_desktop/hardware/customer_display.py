"""A customer pole display on a serial port: two lines of 20 characters facing the customer.

Two command sets cover nearly every pole display sold: Epson's ESC/POS display commands
(DM-D series and most clones in "ESC/POS" mode) and the CD5220 set (the other common DIP-switch
setting). The display is optional: every failure is logged and reported in ``status()``, never
raised into a sale.
"""

from __future__ import annotations

import logging
import threading

from asiria_desktop.domain.money import KES, Currency, format_amount
from asiria_desktop.hardware.escpos_text import ascii_text
from asiria_desktop.hardware.serial_port import PortOpener, SerialPort, open_serial
from asiria_desktop.ports.devices import DeviceStatus

log = logging.getLogger(__name__)

PROTOCOLS = ("escpos", "cd5220")


def display_lines(top: str, bottom: str, columns: int = 20) -> tuple[str, str]:
    """Both lines cut or padded to the display's width, in plain ASCII."""
    return (
        ascii_text(top)[:columns].ljust(columns),
        ascii_text(bottom)[:columns].ljust(columns),
    )


def amount_line(label: str, amount: str, columns: int = 20) -> str:
    room = columns - len(amount) - 1
    return f"{label[:room]:<{room}} {amount}"


def display_bytes(top: str, bottom: str, protocol: str = "escpos", columns: int = 20) -> bytes:
    line1, line2 = display_lines(top, bottom, columns)
    if protocol == "escpos":
        # ESC @ init, FF clear, US MD1 overwrite mode, then US $ x y cursor moves per line.
        return (
            b"\x1b@\x0c\x1f\x01"
            + b"\x1f$\x01\x01"
            + line1.encode("ascii")
            + b"\x1f$\x01\x02"
            + line2.encode("ascii")
        )
    if protocol == "cd5220":
        # ESC @ init, ESC Q A <text> CR upper line, ESC Q B <text> CR lower line.
        return (
            b"\x1b@"
            + b"\x1bQA"
            + line1.encode("ascii")
            + b"\r"
            + b"\x1bQB"
            + line2.encode("ascii")
            + b"\r"
        )
    raise ValueError(f"Unknown pole display protocol {protocol!r}; use one of {PROTOCOLS}")


class CustomerDisplay:
    def __init__(
        self,
        open_port: PortOpener,
        *,
        protocol: str = "escpos",
        columns: int = 20,
        currency: Currency = KES,
    ) -> None:
        display_bytes("", "", protocol, columns)  # refuse an unknown protocol now
        self._open_port = open_port
        self.protocol = protocol
        self.columns = columns
        self.currency = currency
        self._port: SerialPort | None = None
        self._lock = threading.Lock()
        self._status = DeviceStatus(True, "Customer display ready")

    @classmethod
    def on_serial(
        cls,
        url: str,
        baudrate: int = 9600,
        *,
        protocol: str = "escpos",
        columns: int = 20,
        currency: Currency = KES,
    ) -> CustomerDisplay:
        def open_port() -> SerialPort:
            return open_serial(url, baudrate=baudrate, timeout=1, write_timeout=1)

        return cls(open_port, protocol=protocol, columns=columns, currency=currency)

    def show_item(self, name: str, price_cents: int, total_cents: int) -> None:
        """The item just scanned on top, the running total below."""
        self.show(
            amount_line(name, format_amount(price_cents, self.currency), self.columns),
            amount_line("TOTAL", format_amount(total_cents, self.currency), self.columns),
        )

    def show_total(self, total_cents: int, change_cents: int = 0) -> None:
        top = amount_line("TOTAL", format_amount(total_cents, self.currency), self.columns)
        bottom = (
            amount_line("CHANGE", format_amount(change_cents, self.currency), self.columns)
            if change_cents
            else ""
        )
        self.show(top, bottom)

    def show_welcome(self, shop_name: str) -> None:
        self.show("Karibu! Welcome", shop_name)

    def show(self, top: str, bottom: str) -> None:
        data = display_bytes(top, bottom, self.protocol, self.columns)
        with self._lock:
            try:
                if self._port is None:
                    self._port = self._open_port()
                self._port.write(data)
                self._port.flush()
            except Exception as exc:
                self._close()
                log.warning("customer display failed: %s", exc)
                self._status = DeviceStatus(False, f"Customer display not reachable ({exc})")
                return
            self._status = DeviceStatus(True, "Customer display ready")

    def status(self) -> DeviceStatus:
        return self._status

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except Exception:
                log.debug("closing the display port failed", exc_info=True)
