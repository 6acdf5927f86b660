"""The barcode scanner port: serial, keyboard-wedge or camera scanners all call back with a code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from asiria_desktop.ports.devices import DeviceStatus


class BarcodeScanner(Protocol):
    def start(self, on_code: Callable[[str], None]) -> None: ...

    def stop(self) -> None: ...

    def status(self) -> DeviceStatus: ...
