"""What every device port reports about itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DeviceStatus:
    ok: bool
    message: str
