"""The customer-facing pole display (optional): what the customer sees during a sale."""

from __future__ import annotations

from typing import Protocol

from asiria_desktop.ports.devices import DeviceStatus


class CustomerDisplay(Protocol):
    def show_item(self, name: str, price_cents: int, total_cents: int) -> None:
        """The item just added and the running total; never raises (a display is optional)."""
        ...

    def show_total(self, total_cents: int, change_cents: int = 0) -> None: ...

    def show_welcome(self, shop_name: str) -> None: ...

    def status(self) -> DeviceStatus: ...
