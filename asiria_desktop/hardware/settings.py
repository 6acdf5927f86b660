"""Device settings of one till, saved as JSON in the till's data dir (one file per terminal).

JSON rather than TOML because the settings screen writes this file and the standard library can
write JSON; the till's own TOML config stays hand-edited. Unknown keys are ignored and a value
of the wrong type falls back to its default, so a hand-edited file can never stop the till.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TypeVar

from asiria_desktop.ports.device_setup import SettingsSections

log = logging.getLogger(__name__)

PRINTER_KINDS = ("simulated", "network", "serial", "usb", "file", "none")
DRAWER_KINDS = ("printer", "serial", "simulated", "none")


@dataclass(frozen=True)
class PrinterSettings:
    kind: str = "simulated"  # one of PRINTER_KINDS
    host: str = ""  # network
    port: int = 9100
    serial_port: str = ""  # serial: /dev/ttyUSB0, COM3
    baudrate: int = 19200
    usb_vendor_id: int = 0  # usb: e.g. 0x04B8 (Epson)
    usb_product_id: int = 0
    file_path: str = ""  # file: /dev/usb/lp0, or a plain file to capture the bytes
    paper_mm: int = 80  # 58 or 80
    columns: int = 0  # 0: 32 on 58 mm, 42 on 80 mm; 48 for 80 mm printers with 576 dots
    code_page: str = "CP858"  # Western European with the euro sign; see escpos_text.CODE_PAGES
    receipt_code: str = "qr"  # "qr", "code128" or "none": the receipt number as a code
    logo_path: str = ""
    cut: str = "partial"  # "full", "partial" or "none"
    read_status: bool = True  # ask the printer for paper/cover status before each job
    timeout_s: float = 5.0  # connecting and writing
    status_timeout_s: float = 0.5  # waiting for a status byte; many printers never answer

    @property
    def width(self) -> int:
        if self.columns:
            return self.columns
        return 32 if self.paper_mm <= 58 else 42


@dataclass(frozen=True)
class DrawerSettings:
    kind: str = "printer"  # one of DRAWER_KINDS; "printer" kicks through the receipt printer
    pin: int = 2  # drawer kick connector pin 2 or 5
    on_ms: int = 100  # pulse length; some drawers need 200
    off_ms: int = 100
    serial_port: str = ""  # a drawer on its own serial port
    baudrate: int = 9600


@dataclass(frozen=True)
class ScannerSettings:
    wedge_enabled: bool = True  # USB scanners that type like a keyboard
    wedge_max_interval_ms: int = 35
    wedge_min_length: int = 4
    serial_port: str = ""  # "" = no serial scanner
    baudrate: int = 9600
    prefix: str = ""
    suffix: str = "\r"
    camera_index: int = -1  # -1 = no camera scanning
    beep: bool = True


@dataclass(frozen=True)
class DisplaySettings:
    enabled: bool = False
    serial_port: str = ""
    baudrate: int = 9600
    columns: int = 20
    protocol: str = "escpos"  # "escpos" (Epson DM-D and clones) or "cd5220"


@dataclass(frozen=True)
class DeviceSettings:
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    drawer: DrawerSettings = field(default_factory=DrawerSettings)
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)

    @classmethod
    def simulated(cls) -> DeviceSettings:
        """What the demo and training mode use: nothing real is touched."""
        return cls(
            printer=PrinterSettings(kind="simulated"),
            drawer=DrawerSettings(kind="simulated"),
            scanner=ScannerSettings(serial_port="", camera_index=-1),
            display=DisplaySettings(enabled=False),
        )


def device_settings_path(data_dir: Path, terminal_code: str) -> Path:
    return data_dir / f"devices-{terminal_code}.json"


def settings_to_dict(settings: DeviceSettings) -> SettingsSections:
    return asdict(settings)


_T = TypeVar("_T")


def _section(cls: type[_T], raw: object) -> _T:
    default = cls()
    if not isinstance(raw, dict):
        return default
    values: dict[str, object] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in raw:
            continue
        value, wanted = raw[f.name], type(getattr(default, f.name))
        if wanted is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is wanted:
            values[f.name] = value
        else:
            log.warning("device setting %s.%s=%r ignored: not a %s", cls, f.name, value, wanted)
    return replace(default, **values)  # type: ignore[type-var]


def settings_from_dict(raw: object) -> DeviceSettings:
    data = raw if isinstance(raw, dict) else {}
    return DeviceSettings(
        printer=_section(PrinterSettings, data.get("printer")),
        drawer=_section(DrawerSettings, data.get("drawer")),
        scanner=_section(ScannerSettings, data.get("scanner")),
        display=_section(DisplaySettings, data.get("display")),
    )


def load_device_settings(path: Path, default: DeviceSettings | None = None) -> DeviceSettings:
    """The saved settings, or ``default`` (simulated devices) when there is no readable file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default or DeviceSettings.simulated()
    except (OSError, ValueError) as exc:
        log.warning("device settings %s unreadable (%s); using defaults", path, exc)
        return default or DeviceSettings.simulated()
    return settings_from_dict(raw)


def save_device_settings(path: Path, settings: DeviceSettings) -> None:
    """Write atomically: a power cut while saving leaves the old file, never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(settings_to_dict(settings), indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
