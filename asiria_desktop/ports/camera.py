"""A camera that scans barcodes and shows what it sees (the live preview of camera scanning)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from asiria_desktop.ports.devices import DeviceStatus

#: ``on_frame(frame, codes)``: ``frame`` is a numpy array, BGR (height, width, 3) or grayscale
#: (height, width), uint8; ``codes`` are the codes found in it. Called on the camera's thread.
FrameListener = Callable[[Any, list[str]], None]


class LiveCamera(Protocol):
    def start_preview(self, on_code: Callable[[str], None], on_frame: FrameListener) -> None:
        """Start capturing; ``on_code`` gets each new code (once while it stays in view)."""
        ...

    def stop(self) -> None: ...

    def status(self) -> DeviceStatus: ...
