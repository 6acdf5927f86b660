"""Camera scanning with the live preview: real decoding (CameraScanner + ZBar) on frames that
stand in for a webcam, a beep per code, the preview updating."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest
import qrcode
from PySide6.QtWidgets import QApplication

from asiria_desktop.hardware.camera_scanner import CameraScanner
from asiria_desktop.ui.devices.camera_scan_dialog import CameraScanDialog, frame_to_image

WAIT_MS = 10_000


def qr_frame(text: str) -> np.ndarray:
    image = qrcode.make(text, box_size=6, border=4).get_image().convert("RGB")
    return np.ascontiguousarray(np.asarray(image)[:, :, ::-1])  # RGB -> BGR, like OpenCV


class LoopingCapture:
    """A webcam pointed at a QR code: the same frame again and again until released."""

    def __init__(self, frame: np.ndarray) -> None:
        self.frame = frame
        self.released = threading.Event()

    def isOpened(self) -> bool:
        return True

    def read(self) -> tuple[bool, np.ndarray]:
        self.released.wait(0.02)  # about 50 frames a second
        return True, self.frame.copy()

    def release(self) -> None:
        self.released.set()


@pytest.fixture
def beeps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: calls.append(1)))
    return calls


def test_a_code_held_to_the_camera_is_scanned_once_with_a_beep(qtbot: Any, beeps: list[int]):
    capture = LoopingCapture(qr_frame("S01-T01-000017"))
    camera = CameraScanner(0, open_capture=lambda index: capture)
    dialog = CameraScanDialog(camera)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.scanned, timeout=WAIT_MS) as signal:
        dialog.show()
    assert signal.args == ["S01-T01-000017"]
    qtbot.waitUntil(lambda: dialog.frames_shown >= 3, timeout=WAIT_MS)
    assert dialog.codes == ["S01-T01-000017"]  # still in view: not scanned again
    assert beeps == [1]
    assert dialog.message.text() == "Scanned S01-T01-000017"
    assert not dialog.preview.pixmap().isNull()
    dialog.reject()
    qtbot.waitUntil(capture.released.is_set, timeout=WAIT_MS)


def test_close_on_scan_returns_the_code(qtbot: Any, beeps: list[int]):
    capture = LoopingCapture(qr_frame("5901234123457"))
    dialog = CameraScanDialog(
        CameraScanner(0, open_capture=lambda index: capture), close_on_scan=True, beep=False
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.codes == ["5901234123457"]
    assert beeps == []


def test_frames_convert_to_images():
    gray = np.zeros((4, 6), dtype=np.uint8)
    assert frame_to_image(gray).size().toTuple() == (6, 4)
    bgr = np.zeros((4, 6, 3), dtype=np.uint8)
    bgr[:, :, 2] = 255  # red in BGR
    image = frame_to_image(bgr)
    assert image.pixelColor(0, 0).red() == 255 and image.pixelColor(0, 0).blue() == 0
