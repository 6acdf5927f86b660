"""Serial scanners through pyserial: loop://, a pty pair, a scanner unplugged and plugged back."""

from __future__ import annotations

import os
import queue
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial

from asiria_desktop.hardware.serial_scanner import SerialScanner, serial_opener
from asiria_desktop.hardware.settings import ScannerSettings

from .support import wait_for

pty_only = pytest.mark.skipif(sys.platform == "win32", reason="pty pairs are POSIX only")


class Codes:
    """Collects scanned codes from the scanner thread."""

    def __init__(self) -> None:
        self.q: queue.Queue[str] = queue.Queue()

    def __call__(self, code: str) -> None:
        self.q.put(code)

    def next(self, timeout_s: float = 5.0) -> str:
        try:
            return self.q.get(timeout=timeout_s)
        except queue.Empty:
            pytest.fail(f"no code scanned within {timeout_s} s")


@pytest.fixture
def loop_port() -> Iterator[serial.Serial]:
    port = serial.serial_for_url("loop://", timeout=0.05)
    yield port
    port.close()


def test_codes_from_a_loop_port_with_prefix_and_suffix(loop_port):
    codes = Codes()
    scanner = SerialScanner(lambda: loop_port, prefix="]E0", suffix="\r\n", reconnect_s=0.05)
    scanner.start(codes)
    wait_for(scanner.connected.is_set, "the scanner to open its port")
    loop_port.write(b"]E05901234123457\r\n]E096385074\r\n")
    assert codes.next() == "5901234123457"
    assert codes.next() == "96385074"
    assert scanner.status().ok and scanner.status().message == "Serial scanner ready"
    scanner.stop()


def test_a_code_split_over_several_reads_arrives_whole(loop_port):
    codes = Codes()
    scanner = SerialScanner(lambda: loop_port, reconnect_s=0.05)
    scanner.start(codes)
    wait_for(scanner.connected.is_set, "the scanner to open its port")
    for piece in (b"59012", b"34123", b"457\r", b"\n6161002500401\r"):
        loop_port.write(piece)
        loop_port.flush()
    assert codes.next() == "5901234123457"
    assert codes.next() == "6161002500401"  # the LF of a CR LF pair is not part of a code
    scanner.stop()


def test_a_failing_scan_handler_does_not_stop_the_scanner(loop_port):
    got: list[str] = []

    def handler(code: str) -> None:
        got.append(code)
        if len(got) == 1:
            raise RuntimeError("UI busy")

    scanner = SerialScanner(lambda: loop_port, reconnect_s=0.05)
    scanner.start(handler)
    wait_for(scanner.connected.is_set, "the scanner to open its port")
    loop_port.write(b"11111111\r22222222\r")
    wait_for(lambda: got == ["11111111", "22222222"], "both codes despite the failure")
    scanner.stop()


def _new_pty(link: Path) -> int:
    """A pty pair; the scanner's side is reached through ``link``, like /dev/serial/by-id/..."""
    master, slave = os.openpty()
    name = os.ttyname(slave)
    os.close(slave)  # pyserial opens it by name, as it would a real port
    tmp = link.with_suffix(".new")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(name)
    os.replace(tmp, link)
    return master


@pty_only
def test_a_scanner_on_a_pty(tmp_path):
    link = tmp_path / "scanner"
    master = _new_pty(link)
    codes = Codes()
    scanner = SerialScanner(serial_opener(str(link), 9600), reconnect_s=0.05)
    scanner.start(codes)
    try:
        wait_for(scanner.connected.is_set, "the scanner to open the pty")
        os.write(master, b"5449000000996\r")
        assert codes.next() == "5449000000996"
    finally:
        scanner.stop()
        os.close(master)


@pty_only
def test_a_scanner_unplugged_and_plugged_back_keeps_scanning(tmp_path):
    link = tmp_path / "scanner"
    master = _new_pty(link)
    codes = Codes()
    statuses: list[str] = []
    scanner = SerialScanner(
        serial_opener(str(link), 9600),
        reconnect_s=0.05,
        on_status=lambda s: statuses.append(s.message),
    )
    scanner.start(codes)
    try:
        wait_for(scanner.connected.is_set, "the scanner to open the pty")
        os.write(master, b"5901234123457\r")
        assert codes.next() == "5901234123457"

        os.close(master)  # unplugged: the port's reads fail with EIO
        wait_for(lambda: not scanner.connected.is_set(), "the scanner to notice the unplug")
        wait_for(lambda: not scanner.status().ok, "the unplugged status")
        assert any("unplugged" in m or "not found" in m for m in statuses)

        master = _new_pty(link)  # plugged back: a new device node behind the same name
        wait_for(scanner.connected.is_set, "the scanner to reconnect", timeout_s=10)
        os.write(master, b"96385074\r")
        assert codes.next() == "96385074"
        assert scanner.status().ok
    finally:
        scanner.stop()
        os.close(master)


def test_a_missing_port_is_reported_and_retried_without_crashing(tmp_path):
    scanner = SerialScanner(serial_opener(str(tmp_path / "nothing-here")), reconnect_s=0.05)
    scanner.start(lambda code: None)
    wait_for(lambda: "not found" in scanner.status().message, "the not-found status")
    assert not scanner.status().ok
    scanner.stop()
    assert scanner.status().message == "Serial scanner stopped"


def test_settings_build_a_scanner():
    scanner = SerialScanner.from_settings(
        ScannerSettings(serial_port="loop://", prefix="*", suffix="\t")
    )
    assert scanner.prefix == b"*" and scanner.suffix == b"\t"
    with pytest.raises(ValueError, match="needs a suffix"):
        SerialScanner(lambda: None, suffix="")
