"""The print queue: the sale never waits for the printer, and no receipt is lost or doubled."""

from __future__ import annotations

import threading

from asiria_desktop.domain.receipt import ReceiptDocument
from asiria_desktop.hardware.print_queue import PrintQueue
from asiria_desktop.hardware.simulated import SimulatedPrinter
from asiria_desktop.ports.devices import DeviceStatus

from .support import sample_doc, wait_for

QUICK = (0.02, 0.05)


class StuckPrinter:
    """A printer that takes as long as the test wants (a slow USB printer, a long logo)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.printed: list[str] = []

    def print_receipt(self, doc: ReceiptDocument) -> None:
        self.release.wait(10)
        self.printed.append(doc.receipt_no)

    def print_text(self, text: str) -> None:
        self.release.wait(10)
        self.printed.append(text)

    def status(self) -> DeviceStatus:
        return DeviceStatus(True, "ok")


class BuggyPrinter(StuckPrinter):
    def print_receipt(self, doc: ReceiptDocument) -> None:
        if doc.receipt_no.endswith("1"):
            raise ValueError("bad logo file")
        self.printed.append(doc.receipt_no)


def test_printing_returns_at_once_while_the_printer_is_busy():
    printer = StuckPrinter()
    queue = PrintQueue(printer, retry_delays_s=QUICK)
    for n in range(3):
        queue.print_receipt(sample_doc(f"S01-T01-00000{n}"))  # would hang if it waited
    assert queue.status().ok
    assert len(queue.pending()) == 3
    printer.release.set()
    assert queue.wait_until_idle(5), "the jobs did not print"
    assert printer.printed == ["S01-T01-000000", "S01-T01-000001", "S01-T01-000002"]
    queue.stop()


def test_paper_out_keeps_the_receipts_and_tells_the_cashier_then_prints_them():
    printer = SimulatedPrinter()
    printer.fail_with = "Paper out"
    seen: list[DeviceStatus] = []
    queue = PrintQueue(printer, on_status=seen.append, retry_delays_s=QUICK)
    queue.print_receipt(sample_doc("S01-T01-000005"))
    queue.print_text("X REPORT")
    wait_for(lambda: not queue.status().ok, "the paper-out status")
    assert queue.status() == DeviceStatus(
        False, "Paper out - 2 receipts waiting, they print when it is fixed"
    )
    assert queue.pending() == ["Receipt S01-T01-000005", "Report"]

    printer.fail_with = None
    assert queue.wait_until_idle(5), "the waiting jobs did not print after the fix"
    assert len(printer.printed) == 2 and printer.printed[1] == "X REPORT"
    assert "S01-T01-000005" in printer.printed[0]
    assert seen[-1] == DeviceStatus(True, "Printer ready")
    queue.stop()


def test_a_job_that_can_never_print_is_dropped_and_the_rest_go_on():
    printer = BuggyPrinter()
    seen: list[DeviceStatus] = []
    queue = PrintQueue(printer, on_status=seen.append, retry_delays_s=QUICK)
    queue.print_receipt(sample_doc("S01-T01-000001"))
    queue.print_receipt(sample_doc("S01-T01-000002"))
    assert queue.wait_until_idle(5)
    assert printer.printed == ["S01-T01-000002"]
    assert any(
        s.message == "Receipt S01-T01-000001 could not be printed (bad logo file); reprint it"
        for s in seen
    )
    queue.stop()


def test_the_cashier_can_give_up_on_waiting_receipts_and_reprint_later():
    printer = SimulatedPrinter()
    printer.fail_with = "Printer is not connected or switched off"
    queue = PrintQueue(printer, retry_delays_s=(5.0,))
    queue.print_receipt(sample_doc("S01-T01-000001"))
    queue.print_receipt(sample_doc("S01-T01-000002"))
    wait_for(lambda: not queue.status().ok, "the offline status")
    dropped = queue.discard_pending()
    assert dropped == ["Receipt S01-T01-000001", "Receipt S01-T01-000002"]
    assert queue.pending() == []
    assert queue.status().ok
    queue.stop()


def test_a_full_queue_drops_the_oldest_waiting_job_not_the_new_one():
    printer = SimulatedPrinter()
    printer.fail_with = "Paper out"
    queue = PrintQueue(printer, retry_delays_s=(5.0,), max_jobs=2, autostart=False)
    for n in (1, 2, 3):
        queue.print_receipt(sample_doc(f"S01-T01-00000{n}"))
    assert queue.pending() == ["Receipt S01-T01-000002", "Receipt S01-T01-000003"]


def test_a_broken_status_listener_does_not_stop_printing():
    def explode(status: DeviceStatus) -> None:
        raise RuntimeError("UI gone")

    printer = SimulatedPrinter()
    queue = PrintQueue(printer, on_status=explode, retry_delays_s=QUICK)
    queue.print_receipt(sample_doc())
    assert queue.wait_until_idle(5)
    assert len(printer.printed) == 1
    queue.stop()


def test_stop_ends_the_worker_and_keeps_what_was_not_printed():
    printer = SimulatedPrinter()
    printer.fail_with = "Paper out"
    queue = PrintQueue(printer, retry_delays_s=(5.0,))
    queue.print_receipt(sample_doc())
    wait_for(lambda: not queue.status().ok, "the failure")
    queue.stop(timeout_s=2)
    assert queue._thread is not None and not queue._thread.is_alive()
    assert queue.pending() == ["Receipt S01-T01-000017"]


def test_checking_the_printer_shows_a_problem_before_any_receipt_is_printed():
    printer = SimulatedPrinter()
    printer.fail_with = "paper out"
    seen: list[DeviceStatus] = []
    queue = PrintQueue(printer, on_status=seen.append, retry_delays_s=QUICK)
    assert queue.status().ok  # nothing tried yet
    status = queue.check_printer()
    assert status == DeviceStatus(False, "Simulated printer: paper out")
    assert seen[-1] == status
    printer.fail_with = None
    assert queue.check_printer() == DeviceStatus(True, "Simulated printer ready")
    assert queue.status() == DeviceStatus(True, "Printer ready")
    queue.stop()


def test_waiting_jobs_are_named_as_the_documents_are_headed():
    queue = PrintQueue(SimulatedPrinter(), autostart=False)
    queue.print_receipt(sample_doc("S01-T01-000001"))
    queue.print_receipt(sample_doc("S01-T01-R000001", title="REFUND", number_label="Refund"))
    queue.print_receipt(sample_doc("S01-T01-000001", title="VOID - COPY"))
    assert queue.pending() == [
        "Receipt S01-T01-000001",
        "Refund S01-T01-R000001",
        "Void slip S01-T01-000001",
    ]
