"""The till window with its devices wired in: a printer problem in plain words with Retry and
Discard, a serial scanner and the camera feeding the same slot as the keyboard scanner."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from asiria_desktop.hardware.print_queue import PrintQueue
from asiria_desktop.hardware.simulated import SimulatedPrinter
from asiria_desktop.ports.devices import DeviceStatus
from asiria_desktop.ui.devices.camera_scan_dialog import CameraScanDialog

from .conftest import WAIT_MS

COKE = "5449000000996"
OUT_OF_PAPER = "Printer is out of paper"


@pytest.fixture
def paper(tmp_path: Any) -> SimulatedPrinter:
    printer = SimulatedPrinter(tmp_path / "receipts.txt")
    printer.fail_with = OUT_OF_PAPER
    return printer


@pytest.fixture
def till(tmp_path: Any, paper: SimulatedPrinter) -> Iterator[Any]:
    """A till whose receipts go through the real print queue to a printer out of paper."""
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import TillConfig
    from asiria_desktop.demo import seed_demo

    built: Any = None

    def relay(status: DeviceStatus) -> None:
        if built is not None:
            built.services.status.printer_changed(status)

    queue = PrintQueue(paper, on_status=relay, retry_delays_s=(60.0,))
    config = TillConfig(data_dir=tmp_path / "till", scan_debounce_ms=0)
    built = build_till(config, printer=queue)
    seed_demo(built)
    yield built
    queue.stop(1)
    built.close()


class FakeScanner:
    """A serial scanner: its codes come from another thread."""

    def __init__(self) -> None:
        self.on_code: Callable[[str], None] | None = None

    def start(self, on_code: Callable[[str], None]) -> None:
        self.on_code = on_code

    def stop(self) -> None:
        self.on_code = None

    def status(self) -> DeviceStatus:
        return DeviceStatus(False, "Scanner on /dev/ttyACM0 unplugged")

    def scan_from_thread(self, code: str) -> None:
        assert self.on_code is not None
        worker = threading.Thread(target=self.on_code, args=(code,))
        worker.start()
        worker.join()


class FakeCamera:
    """A webcam that sees one barcode as soon as the preview starts."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.stopped = False

    def start_preview(self, on_code: Callable[[str], None], on_frame: Any) -> None:
        threading.Thread(target=on_code, args=(self.code,)).start()

    def stop(self) -> None:
        self.stopped = True

    def status(self) -> DeviceStatus:
        return DeviceStatus(True, "Camera scanning")


def test_a_printer_problem_shows_in_plain_words_with_retry_and_discard(
    cashier: Any, till: Any, paper: SimulatedPrinter
) -> None:
    cashier.log_in("1111")
    sale = till.services.sale
    assert sale.scan(COKE).added
    sale.add_payment("cash", 10000)
    first = sale.complete()  # never waits for the printer
    assert first.receipt_no == "S01-T01-000001"

    strip = cashier.sale.printer_banner
    cashier.wait(lambda: "1 receipt waiting" in strip.text)
    assert OUT_OF_PAPER in strip.text and "Retry prints them now" in strip.text
    assert OUT_OF_PAPER in cashier.window.status.printer_label.text()
    assert strip.discard_button.isVisible()

    # Paper in, Retry: the receipt prints now (not after the long pause), the strip goes.
    paper.fail_with = None
    strip.retry_button.click()
    cashier.wait(lambda: not strip.isVisible())
    cashier.wait(lambda: "Printer ready" in cashier.window.status.printer_label.text())
    assert first.receipt_no in paper.last_text

    # Out of paper again, and this time the cashier gives up on the waiting receipt.
    paper.fail_with = OUT_OF_PAPER
    assert sale.scan(COKE).added
    sale.add_payment("cash", 10000)
    second = sale.complete()
    cashier.wait(lambda: "1 receipt waiting" in strip.text)
    strip.discard_button.click()
    cashier.wait(lambda: second.receipt_no in cashier.sale.banner.text)
    assert "reprinted" in cashier.sale.banner.text
    assert till.services.status.snapshot().printer_waiting == 0


def test_a_serial_scanner_adds_items_like_the_keyboard_scanner(qtbot: Any, till: Any) -> None:
    from asiria_desktop.services.sync.status import StatusService
    from asiria_desktop.ui.app import MainWindow

    from .conftest import Cashier

    scanner = FakeScanner()
    status = StatusService(till.context, till.sync_engine, scanners=(scanner,))
    services = dataclasses.replace(till.services, scanners=(scanner,), status=status)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    cashier = Cashier(qtbot, window, till)
    cashier.log_in("1111")

    scanner.scan_from_thread(COKE)
    cashier.wait_lines(1)
    assert cashier.cart_lines()[0].name == "Coca-Cola 500ml"
    cashier.wait(lambda: "unplugged" in window.status.devices_label.text())
    qtbot.waitUntil(lambda: window.runner.idle, timeout=WAIT_MS)
    window.close()
    assert scanner.on_code is None  # stopped with the window


def test_the_camera_button_scans_with_the_camera(qtbot: Any, till: Any) -> None:
    from asiria_desktop.ui.app import MainWindow

    from .conftest import Cashier

    camera = FakeCamera(COKE)
    services = dataclasses.replace(till.services, camera=camera)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    cashier = Cashier(qtbot, window, till)
    cashier.log_in("1111")

    button = cashier.sale.camera_button
    assert button.isVisible()
    button.click()
    cashier.dialog(CameraScanDialog)
    cashier.wait_lines(1)  # the dialog closed on the scan and the item is in the cart
    assert camera.stopped
    assert not cashier.sale.camera_dialog.isVisible()
    qtbot.waitUntil(lambda: window.runner.idle, timeout=WAIT_MS)
    window.close()


def test_no_camera_no_camera_button(cashier: Any) -> None:
    cashier.log_in("1111")
    assert not cashier.sale.camera_button.isVisible()
