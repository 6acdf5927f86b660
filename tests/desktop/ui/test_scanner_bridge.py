"""A serial scanner's codes reach the UI thread as a Qt signal."""

from __future__ import annotations

import threading
from typing import Any

import serial
from PySide6.QtCore import QThread

from asiria_desktop.hardware.serial_scanner import SerialScanner
from asiria_desktop.ui.devices.scanner_bridge import ScannerBridge


def test_codes_from_a_serial_scanner_arrive_on_the_ui_thread(qtbot: Any) -> None:
    port = serial.serial_for_url("loop://", timeout=0.05)
    scanner = SerialScanner(lambda: port, reconnect_s=0.05)
    bridge = ScannerBridge([scanner])
    threads: list[QThread] = []
    bridge.scanned.connect(lambda code: threads.append(QThread.currentThread()))
    bridge.start()
    qtbot.waitUntil(scanner.connected.is_set, timeout=5000)
    with qtbot.waitSignal(bridge.scanned, timeout=5000) as signal:
        port.write(b"5901234123457\r")
    assert signal.args == ["5901234123457"]
    assert threads == [QThread.currentThread()]  # the main thread, not the reader's
    assert threading.current_thread() is threading.main_thread()
    assert bridge.problems() == []
    bridge.stop()
    assert bridge.problems() == ["Serial scanner stopped"]
    port.close()
