"""The cash drawer port (kicked through the printer or its own interface)."""

from __future__ import annotations

from typing import Protocol

from asiria_desktop.ports.devices import DeviceStatus


class CashDrawer(Protocol):
    def open(self) -> None:
        """Kick the drawer open; raises an exception when the device cannot be reached."""
        ...

    def status(self) -> DeviceStatus: ...
