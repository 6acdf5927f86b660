"""Camera decoding (pyzbar + OpenCV clean-ups) on pictures from independent generators
(python-barcode, qrcode): every clean code must read, and nearly every damaged one."""

from __future__ import annotations

import threading
from collections import Counter

import cv2
import numpy as np
import pytest

from asiria_desktop.hardware.camera_scanner import CameraScanner, decode_image

from .barcode_samples import CODES, full_code, matches, render_clean, samples
from .support import wait_for

MIN_OVERALL_RATE = 0.9


@pytest.fixture(scope="module")
def results() -> list[tuple[str, str, bool]]:
    return [(s.kind, s.variant, matches(s.expected, decode_image(s.image))) for s in samples()]


def test_every_clean_code_decodes(results):
    failed = [(kind, variant) for kind, variant, ok in results if variant == "clean" and not ok]
    assert not failed, f"clean codes not decoded: {failed}"
    kinds = {kind for kind, _, _ in results}
    assert kinds == {"ean13", "ean8", "upca", "code128", "qr"}


def test_decode_rate_over_damaged_pictures(results):
    total, ok = Counter[str](), Counter[str]()
    for _, variant, decoded in results:
        total[variant] += 1
        ok[variant] += decoded
    rate = sum(ok.values()) / sum(total.values())
    per_variant = ", ".join(f"{v} {ok[v]}/{total[v]}" for v in total)
    print(f"\ncamera decode rate: {rate:.1%} of {sum(total.values())} pictures ({per_variant})")
    assert rate >= MIN_OVERALL_RATE, per_variant
    assert ok["photo"] >= total["photo"] - 1, "photo-like pictures should nearly all decode"


def test_colour_frames_and_codes_in_a_bigger_scene():
    code = render_clean("ean13", "590123412345")
    scene = np.full((720, 1280, 3), (60, 90, 120), dtype=np.uint8)  # a counter top, in BGR
    picture = cv2.cvtColor(np.asarray(code), cv2.COLOR_GRAY2BGR)
    h, w = picture.shape[:2]
    scene[200 : 200 + h, 300 : 300 + w] = picture
    assert decode_image(scene) == ["5901234123457"]


def test_a_blank_picture_has_no_code():
    assert decode_image(np.full((480, 640), 255, dtype=np.uint8)) == []
    assert decode_image(np.zeros((480, 640, 3), dtype=np.uint8)) == []


class FakeCapture:
    """Stands in for cv2.VideoCapture: plays the given frames, then nothing."""

    def __init__(self, frames: list[np.ndarray]) -> None:
        self.frames = list(frames)
        self.released = threading.Event()

    def isOpened(self) -> bool:
        return True

    def read(self) -> tuple[bool, np.ndarray | None]:
        if self.frames:
            return True, self.frames.pop(0)
        return False, None

    def release(self) -> None:
        self.released.set()


def test_the_camera_loop_reports_a_code_once_while_it_stays_in_view():
    frame = cv2.cvtColor(np.asarray(render_clean("qr", "S01-T01-000017")), cv2.COLOR_GRAY2BGR)
    blank = np.full_like(frame, 255)
    capture = FakeCapture([frame, frame, frame, blank])
    seen_frames: list[list[str]] = []
    codes: list[str] = []
    scanner = CameraScanner(
        0, open_capture=lambda index: capture, on_frame=lambda f, c: seen_frames.append(c)
    )
    scanner.start(codes.append)
    wait_for(capture.released.is_set, "the camera loop to finish the frames")
    scanner.stop()
    assert codes == ["S01-T01-000017"]
    assert seen_frames[:3] == [["S01-T01-000017"]] * 3  # the preview sees every frame


def test_a_missing_camera_is_reported():
    class NoCamera(FakeCapture):
        def isOpened(self) -> bool:
            return False

    scanner = CameraScanner(3, open_capture=lambda index: NoCamera([]))
    scanner.start(lambda code: None)
    wait_for(lambda: scanner.status().message == "Camera 3 not found", "the camera status")
    scanner.stop()


def test_sample_codes_are_what_the_generators_print():
    assert full_code("ean13", "590123412345") == "5901234123457"
    assert len(CODES) >= 10
