"""The device settings screen's port: load/save a till's device settings, find devices, and try
them (test print, open the drawer, wait for a scan).

Settings travel as plain sections (``{"printer": {"kind": "network", "host": ...}, "drawer":
{...}, "scanner": {...}, "display": {...}}``) so the UI never imports an adapter; the hardware
adapter validates and stores them. The test calls may take seconds (a network printer that is
off): the UI runs them in the background.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from asiria_desktop.ports.devices import DeviceStatus

# Every device setting is a plain value (DeviceSettings' fields): a name, a number or a switch.
SettingValue = str | int | float | bool
SettingsSections = dict[str, dict[str, SettingValue]]
SectionsIn = Mapping[str, Mapping[str, SettingValue]]


@dataclass(frozen=True)
class DeviceChoice:
    value: str  # what goes into the settings: "/dev/ttyUSB0", "04b8:0e15"
    label: str  # what the owner reads: "/dev/ttyUSB0 - CP2102", "TM-T20II [04b8:0e15]"


@dataclass(frozen=True)
class FoundDevices:
    serial_ports: tuple[DeviceChoice, ...]
    usb_printers: tuple[DeviceChoice, ...]
    note: str = ""  # why a list may be incomplete ("USB search needs libusb ...")


class DeviceSetup(Protocol):
    def load(self) -> SettingsSections: ...

    def save(self, sections: SectionsIn) -> None:
        """Store the settings for this till; they apply the next time the till starts."""
        ...

    def discover(self) -> FoundDevices: ...

    def test_print(self, sections: SectionsIn) -> DeviceStatus: ...

    def test_drawer(self, sections: SectionsIn) -> DeviceStatus: ...

    def test_scan(self, sections: SectionsIn, timeout_s: float) -> DeviceStatus:
        """Wait up to ``timeout_s`` for one code from the configured serial scanner."""
        ...
