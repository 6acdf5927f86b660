"""A port-9100 printer simulated by a real TCP listener on 127.0.0.1: what the till sends it,
what it answers to status requests, and a printer that is off, out of paper, then fixed."""

from __future__ import annotations

import pytest

from asiria_desktop.hardware.drawer import PrinterDrawer
from asiria_desktop.hardware.escpos_printer import (
    EscposPrinter,
    PrinterProblem,
    PrinterState,
    build_escpos_printer,
    parse_status,
)
from asiria_desktop.hardware.escpos_receipt import ReceiptLayout, receipt_bytes
from asiria_desktop.hardware.print_queue import PrintQueue
from asiria_desktop.hardware.settings import PrinterSettings

from .support import (
    CAUSE_COVER_OPEN,
    CAUSE_OK,
    CAUSE_PAPER_STOP,
    PAPER_LOW,
    PAPER_OK,
    PAPER_OUT,
    FakeNetworkPrinter,
    sample_doc,
    wait_for,
)

# The printer here is a simulated ESC/POS printer listening on 127.0.0.1 (TCP).
pytestmark = pytest.mark.enable_socket

QUICK_RETRIES = (0.05, 0.1)


def printer_for(listener: FakeNetworkPrinter, **settings: object) -> EscposPrinter:
    options = {"status_timeout_s": 0.3, "timeout_s": 2.0, **settings}
    return build_escpos_printer(
        PrinterSettings(kind="network", host="127.0.0.1", port=listener.port, **options)  # type: ignore[arg-type]
    )


def test_a_receipt_reaches_the_network_printer_byte_for_byte(network_printer, doc):
    network_printer.switch_on()
    printer = printer_for(network_printer)
    printer.print_receipt(doc)
    expected = receipt_bytes(doc, ReceiptLayout())
    wait_for(lambda: network_printer.printed() == expected, "the whole receipt on the wire")
    # The paper and cover were checked before the job was sent.
    assert network_printer.data.startswith(b"\x10\x04\x02\x10\x04\x04")
    assert printer.status().ok
    assert printer.status().message == "Printer ready"
    printer.close()


def test_a_printer_that_never_answers_status_still_prints_after_a_short_wait(network_printer, doc):
    network_printer.answers = {}
    network_printer.switch_on()
    printer = printer_for(network_printer, status_timeout_s=0.2)
    printer.print_receipt(doc)
    wait_for(lambda: b"KES 515.00" in network_printer.printed(), "the receipt")
    assert printer.state() is PrinterState.NO_STATUS
    printer.close()


def test_out_of_paper_is_read_from_the_status_byte_and_nothing_is_sent(network_printer, doc):
    network_printer.answers = {2: CAUSE_PAPER_STOP, 4: PAPER_OUT}
    network_printer.switch_on()
    printer = printer_for(network_printer)
    status = printer.status()
    assert not status.ok
    assert status.message == "Printer is out of paper"
    with pytest.raises(PrinterProblem, match="Printer is out of paper"):
        printer.print_receipt(doc)
    assert b"KES" not in network_printer.printed()
    printer.close()


def test_cover_open_and_paper_low_are_told_apart(network_printer):
    network_printer.switch_on()
    printer = printer_for(network_printer)
    network_printer.answers = {2: CAUSE_COVER_OPEN, 4: PAPER_OK}
    assert printer.status().message == "Printer cover is open"
    network_printer.answers = {2: CAUSE_OK, 4: PAPER_LOW}
    status = printer.status()
    assert status.ok and status.message == "Printer paper is running low"
    printer.close()


def test_status_bytes():
    assert parse_status(CAUSE_OK, PAPER_OK) is PrinterState.READY
    assert parse_status(CAUSE_PAPER_STOP, PAPER_OUT) is PrinterState.PAPER_OUT
    assert parse_status(CAUSE_OK, PAPER_OUT) is PrinterState.PAPER_OUT
    assert parse_status(CAUSE_COVER_OPEN, PAPER_OK) is PrinterState.COVER_OPEN
    assert parse_status(CAUSE_OK, PAPER_LOW) is PrinterState.PAPER_LOW
    assert parse_status(None, None) is PrinterState.NO_STATUS
    assert parse_status(0xFF, 0x00) is PrinterState.NO_STATUS  # not a status byte: ignored


def test_a_switched_off_printer_is_reported_in_plain_words(network_printer, doc):
    printer = printer_for(network_printer)  # nothing accepts connections yet
    status = printer.status()
    assert not status.ok
    assert status.message == "Printer is not connected or switched off"
    with pytest.raises(PrinterProblem):
        printer.print_receipt(doc)


def test_the_queue_keeps_a_receipt_while_the_printer_is_off_then_delivers_it(network_printer, doc):
    seen = []
    queue = PrintQueue(
        printer_for(network_printer), on_status=seen.append, retry_delays_s=QUICK_RETRIES
    )
    queue.print_receipt(doc)  # returns at once although the printer is off
    wait_for(lambda: not queue.status().ok, "the queue to report the printer off")
    assert queue.status().message == (
        "Printer is not connected or switched off - 1 receipt waiting, they print when it is fixed"
    )
    assert queue.pending() == ["Receipt S01-T01-000017"]

    network_printer.switch_on()  # the cashier switches the printer on
    assert queue.wait_until_idle(10), "the receipt was not delivered after the printer came on"
    expected = receipt_bytes(doc, ReceiptLayout())
    wait_for(lambda: len(network_printer.printed()) >= len(expected), "the bytes at the printer")
    assert network_printer.printed() == expected  # once, whole
    assert queue.status().message == "Printer ready"
    assert seen[-1].ok and any(not s.ok for s in seen)
    queue.stop()


def test_the_queue_waits_for_paper_then_prints_each_receipt_once_in_order(network_printer):
    network_printer.answers = {2: CAUSE_PAPER_STOP, 4: PAPER_OUT}
    network_printer.switch_on()
    queue = PrintQueue(printer_for(network_printer), retry_delays_s=QUICK_RETRIES)
    queue.print_receipt(sample_doc("S01-T01-000001"))
    queue.print_receipt(sample_doc("S01-T01-000002"))
    wait_for(lambda: "out of paper" in queue.status().message, "the paper-out message")
    assert queue.status().message == (
        "Printer is out of paper - 2 receipts waiting, they print when it is fixed"
    )
    assert b"KES" not in network_printer.printed()

    network_printer.answers = {2: CAUSE_OK, 4: PAPER_OK}  # a new roll goes in
    queue.retry_now()
    assert queue.wait_until_idle(10), "receipts were not printed after the paper was changed"
    wait_for(lambda: b"1P0S01-T01-000002" in network_printer.printed(), "the second receipt")
    printed = network_printer.printed()
    assert printed.count(b"1P0S01-T01-000001") == 1 and printed.count(b"1P0S01-T01-000002") == 1
    assert printed.index(b"S01-T01-000001") < printed.index(b"S01-T01-000002")
    queue.stop()


def test_the_drawer_opens_through_the_network_printer_even_without_paper(network_printer):
    network_printer.answers = {2: CAUSE_PAPER_STOP, 4: PAPER_OUT}
    network_printer.switch_on()
    printer = printer_for(network_printer)
    drawer = PrinterDrawer(printer, pin=5, on_ms=120, off_ms=240)
    drawer.open()
    wait_for(lambda: network_printer.printed() == b"\x1bp\x01\x3c\x78", "ESC p on pin 5")
    assert drawer.status().ok
    printer.close()


def test_a_drawer_behind_a_switched_off_printer_says_so(network_printer):
    drawer = PrinterDrawer(printer_for(network_printer))
    with pytest.raises(OSError, match="through the printer"):
        drawer.open()
    assert drawer.status().message.startswith("Cash drawer unavailable: Printer is not connected")


def test_each_network_job_has_its_own_connection_so_a_power_cycle_is_harmless(network_printer, doc):
    network_printer.switch_on()
    printer = printer_for(network_printer)
    printer.print_receipt(doc)
    printer.print_receipt(doc)
    wait_for(lambda: network_printer.printed().count(b"KES 515.00") == 2, "both receipts")
    assert network_printer.connections == 2


class USBTimeoutError(OSError):
    """What pyusb raises when a read times out (an OSError subclass)."""


class Usb:
    """Looks like python-escpos's Usb printer: a timeout in ms used for writes and reads."""

    def __init__(self, answers: dict[bytes, bytes] | None) -> None:
        self.timeout = 5000
        self.answers = answers
        self.read_timeouts: list[int] = []
        self.written = bytearray()
        self._last = b""

    def _raw(self, data: bytes) -> None:
        self.written += data
        self._last = data

    def _read(self) -> bytes:
        self.read_timeouts.append(self.timeout)
        if self.answers is None:
            raise USBTimeoutError("[Errno 110] Operation timed out")
        return self.answers.get(self._last, b"")

    def close(self) -> None:
        pass


def test_usb_status_reads_wait_briefly_and_a_silent_usb_printer_still_prints(doc):
    device = Usb(answers=None)
    printer = EscposPrinter(lambda: device, status_timeout_s=0.25)
    printer.print_receipt(doc)
    assert device.read_timeouts == [250]  # not the 5 s write timeout
    assert device.timeout == 5000
    assert b"KES 515.00" in bytes(device.written)
    assert printer.state() is PrinterState.NO_STATUS


def test_usb_paper_out(doc):
    device = Usb(
        answers={b"\x10\x04\x02": bytes([CAUSE_PAPER_STOP]), b"\x10\x04\x04": bytes([PAPER_OUT])}
    )
    printer = EscposPrinter(lambda: device)
    assert printer.status().message == "Printer is out of paper"
