"""Camera scanning with a live preview: the cashier holds the item up to the webcam, sees what
the camera sees, and hears a beep when a code is read.

Frames and codes arrive on the camera's worker thread; they are handed to the UI thread through
queued signals. A frame that arrives while the previous one is still waiting to be drawn is
dropped, so a slow screen never builds a backlog of pictures.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from asiria_desktop.ports.camera import LiveCamera

PREVIEW_WIDTH = 480


def frame_to_image(frame: Any) -> QImage:
    """A numpy camera frame (BGR or grayscale, uint8) as a QImage that owns its pixels."""
    height, width = frame.shape[:2]
    if frame.ndim == 2:
        image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_Grayscale8)
    else:
        image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_BGR888)
    return image.copy()  # the numpy buffer is reused by the camera


class CameraScanDialog(QDialog):
    scanned = Signal(str)  # each new code, on the UI thread
    _frame_ready = Signal(QImage)
    _code_ready = Signal(str)

    def __init__(
        self,
        camera: LiveCamera,
        *,
        beep: bool = True,
        close_on_scan: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Scan with the camera")
        self.camera = camera
        self.beep = beep
        self.close_on_scan = close_on_scan
        self.codes: list[str] = []
        self.frames_shown = 0
        self._drawing = threading.Event()  # set while a frame waits for the UI thread

        self.preview = QLabel("Starting the camera...")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(PREVIEW_WIDTH, PREVIEW_WIDTH * 3 // 4)
        self.message = QLabel("Hold the barcode in front of the camera.")
        self.message.setWordWrap(True)
        close = QPushButton("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview)
        layout.addWidget(self.message)
        layout.addWidget(close)

        self._frame_ready.connect(self._show_frame, Qt.ConnectionType.QueuedConnection)
        self._code_ready.connect(self._on_code, Qt.ConnectionType.QueuedConnection)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.camera.start_preview(self._code_from_camera, self._frame_from_camera)

    def done(self, result: int) -> None:
        self.camera.stop()
        super().done(result)

    # -- on the camera's thread ---------------------------------------------------------------

    def _frame_from_camera(self, frame: Any, codes: list[str]) -> None:
        if self._drawing.is_set():
            return  # the UI is still drawing the last one
        self._drawing.set()
        self._frame_ready.emit(frame_to_image(frame))

    def _code_from_camera(self, code: str) -> None:
        self._code_ready.emit(code)

    # -- on the UI thread ---------------------------------------------------------------------

    def _show_frame(self, image: QImage) -> None:
        self._drawing.clear()
        self.frames_shown += 1
        pixmap = QPixmap.fromImage(image).scaledToWidth(
            PREVIEW_WIDTH, Qt.TransformationMode.SmoothTransformation
        )
        self.preview.setPixmap(pixmap)
        status = self.camera.status()
        if not status.ok:
            self.message.setText(status.message)

    def _on_code(self, code: str) -> None:
        self.codes.append(code)
        if self.beep:
            QApplication.beep()
        self.message.setText(f"Scanned {code}")
        self.scanned.emit(code)
        if self.close_on_scan:
            self.accept()
