"""Camera scanning: OpenCV captures frames, pyzbar (ZBar) decodes them, in a worker thread.

``decode_image`` is pure (an image in, the codes found out) and is what both the camera loop and
the tests use. ZBar is the main decoder because OpenCV's own barcode detector misses tightly
cropped codes; when a plain pass finds nothing, the image is retried through a short list of
clean-ups that each rescue a kind of bad photo: upscaling (small or far codes), sharpening
(blur), contrast stretching (faded print, dim light), adaptive and Otsu thresholds (uneven light,
noise) and rotations (a tilted code, which ZBar's straight scan lines cross badly).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from enum import IntEnum
from typing import TYPE_CHECKING, TypeAlias

import numpy as np

from asiria_desktop.ports.devices import DeviceStatus

if TYPE_CHECKING:
    import cv2
    from cv2.typing import MatLike as Image  # a picture as OpenCV gives it

log = logging.getLogger(__name__)


def _symbols() -> list[IntEnum]:
    from pyzbar.pyzbar import ZBarSymbol

    # Retail codes only: fewer decoders is faster and misreads less. Interleaved 2 of 5 (carton
    # codes) read short false codes off damaged EAN/Code 128 pictures; ZBar's DataBar decoder
    # prints assertion noise on some.
    names = ("EAN13", "EAN8", "UPCA", "UPCE", "CODE128", "CODE39", "QRCODE")
    return [getattr(ZBarSymbol, name) for name in names]


def _zbar_decode(gray: Image) -> list[str]:
    from pyzbar import pyzbar

    codes = []
    for symbol in pyzbar.decode(gray, symbols=_symbols()):
        text = symbol.data.decode("utf-8", errors="replace")
        if text and text not in codes:
            codes.append(text)
    return codes


def to_gray(image: Image) -> Image:
    import cv2

    if image.ndim == 2:
        gray = image
    elif image.shape[2] == 4:
        gray = cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    else:
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return np.ascontiguousarray(gray, dtype=np.uint8)


def _rotate(gray: Image, degrees: float) -> Image:
    import cv2

    h, w = gray.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(h * sin + w * cos), int(h * cos + w * sin)
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    return np.asarray(
        cv2.warpAffine(gray, matrix, (new_w, new_h), borderValue=255, flags=cv2.INTER_LINEAR)
    )


def _variants(gray: Image) -> Iterator[Image]:
    """Clean-ups to try, cheapest and most often useful first."""
    import cv2

    small = max(gray.shape[:2]) < 640
    base = cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC) if small else gray
    if small:
        yield base
    # Into a new array of the same shape (OpenCV's stubs accept no ``None`` destination).
    stretched = cv2.normalize(base, np.empty_like(base), 0, 255, cv2.NORM_MINMAX)
    yield stretched
    # Unsharp masking, then a stronger 3x3 sharpening kernel, for out-of-focus bars.
    yield cv2.addWeighted(stretched, 2.0, cv2.GaussianBlur(stretched, (0, 0), 2), -1.0, 0)
    kernel = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=np.float32)
    yield cv2.filter2D(stretched, -1, kernel)
    denoised = cv2.medianBlur(stretched, 3)
    yield cv2.threshold(denoised, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    yield cv2.adaptiveThreshold(
        denoised, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 10
    )
    for degrees in (15, -15, 30, -30, 45, -45):
        rotated = _rotate(stretched, degrees)
        yield rotated
        yield cv2.threshold(
            cv2.medianBlur(rotated, 3), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU
        )[1]


def decode_image(image: Image, *, thorough: bool = True) -> list[str]:
    """The codes in ``image`` (BGR, BGRA or grayscale), in the order found; [] when none.

    ``thorough=False`` is the quick pass for live video, where the next frame comes soon."""
    gray = to_gray(image)
    codes = _zbar_decode(gray)
    if codes or not thorough:
        return codes
    for variant in _variants(gray):
        codes = _zbar_decode(np.ascontiguousarray(variant))
        if codes:
            return codes
    return []


FrameListener: TypeAlias = "Callable[[Image, list[str]], None]"


def _open_camera(index: int) -> cv2.VideoCapture:
    import cv2

    return cv2.VideoCapture(index)


class CameraScanner:
    """Implements the BarcodeScanner and LiveCamera ports with a webcam.

    ``on_frame(frame, codes)`` (optional) receives every frame for a live preview; both callbacks
    run on the worker thread, so a Qt caller must hand them to the UI thread with a signal. The
    same code is reported once until it has been out of sight for ``repeat_after_s``."""

    def __init__(
        self,
        camera_index: int = 0,
        *,
        on_frame: FrameListener | None = None,
        repeat_after_s: float = 1.5,
        open_capture: Callable[[int], cv2.VideoCapture] | None = None,
    ) -> None:
        self.camera_index = camera_index
        self.on_frame = on_frame
        self.repeat_after_s = repeat_after_s
        self._open_capture = open_capture or _open_camera
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._status = DeviceStatus(False, "Camera not started")
        self._last_code = ""
        self._last_seen = 0.0

    def start(self, on_code: Callable[[str], None]) -> None:
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(on_code,), name="camera-scanner", daemon=True
        )
        self._thread.start()

    def start_preview(self, on_code: Callable[[str], None], on_frame: FrameListener) -> None:
        """The LiveCamera port: scanning plus every frame for the preview dialog."""
        self.on_frame = on_frame
        self.start(on_code)

    def stop(self, timeout_s: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def status(self) -> DeviceStatus:
        return self._status

    def _run(self, on_code: Callable[[str], None]) -> None:
        capture = self._open_capture(self.camera_index)
        try:
            if not capture.isOpened():
                self._status = DeviceStatus(False, f"Camera {self.camera_index} not found")
                return
            self._status = DeviceStatus(True, "Camera scanning")
            failures = frames = 0
            while not self._stop.is_set():
                ok, frame = capture.read()
                if not ok or frame is None:
                    failures += 1
                    if failures > 50:
                        self._status = DeviceStatus(False, "The camera stopped sending pictures")
                        return
                    time.sleep(0.02)
                    continue
                failures, frames = 0, frames + 1
                # The full clean-up list on every 5th frame only: it costs more than a frame.
                self.handle_frame(frame, on_code, thorough=frames % 5 == 0)
        finally:
            capture.release()

    def handle_frame(
        self, frame: Image, on_code: Callable[[str], None], *, thorough: bool = False
    ) -> list[str]:
        """Decode one frame and report new codes (public so a preview dialog or a test can drive
        it with its own frames)."""
        codes = decode_image(frame, thorough=thorough)
        now = time.monotonic()
        if self.on_frame is not None:
            self.on_frame(frame, codes)
        for code in codes:
            fresh = code != self._last_code or now - self._last_seen > self.repeat_after_s
            self._last_code, self._last_seen = code, now
            if fresh:
                try:
                    on_code(code)
                except Exception:
                    log.exception("scan handler failed for %r", code)
        return codes
