"""What the till uses of an open pyserial port. pyserial ships no types: this is the part of
``serial.Serial`` the scanner, the drawer and the pole display call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class SerialPort(Protocol):
    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes, /) -> int | None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


PortOpener = Callable[[], SerialPort]  # returns an open port


def open_serial(url: str, **options: float | int) -> SerialPort:
    """``serial.serial_for_url``: a device path, ``COM3`` or a pyserial URL (``socket://``)."""
    import serial

    port: SerialPort = serial.serial_for_url(url, **options)
    return port
