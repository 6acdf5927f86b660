"""A print queue in front of any ReceiptPrinter: the till never waits for paper.

``print_receipt`` and ``print_text`` only append a job and return at once. One worker thread
prints the jobs in order; when the printer is off, unplugged or out of paper the job stays at
the head of the queue and is retried with growing pauses (1, 2, 5, 10, then every 30 s), and
every change of state is reported through ``on_status`` in words a cashier understands
("Printer is out of paper - 2 receipts waiting"). The queue implements the ReceiptPrinter port,
so the services do not change.

Jobs live in memory only, by design: the sale is already committed to the till's database
before its receipt is queued, and a receipt can always be rebuilt from the sale
(``ReceiptService.reprint``). Re-printing a spooled receipt after a restart, maybe hours later
for a customer long gone, would do more harm than good; the receipt numbers still waiting at
shutdown are logged so a manager can reprint them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from asiria_desktop.domain.receipt import ReceiptDocument
from asiria_desktop.ports.devices import DeviceStatus
from asiria_desktop.ports.printer import ReceiptPrinter

log = logging.getLogger(__name__)

RETRY_DELAYS_S: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0, 30.0)
#: A job failing for a reason other than the device (a bug, a bad logo file) is dropped after
#: this many tries instead of blocking every receipt behind it.
MAX_TRIES_FOR_NON_DEVICE_ERRORS = 3


@dataclass
class PrintJob:
    label: str  # "Receipt S01-T01-000017" or "Report"
    doc: ReceiptDocument | None = None
    text: str | None = None
    tries: int = 0


class PrintQueue:
    def __init__(
        self,
        printer: ReceiptPrinter,
        *,
        on_status: Callable[[DeviceStatus], None] | None = None,
        retry_delays_s: Sequence[float] = RETRY_DELAYS_S,
        max_jobs: int = 200,
        autostart: bool = True,
    ) -> None:
        if not retry_delays_s:
            raise ValueError("retry_delays_s needs at least one delay")
        self.printer = printer
        self.on_status = on_status
        self.retry_delays_s = tuple(retry_delays_s)
        self.max_jobs = max_jobs
        self._jobs: deque[PrintJob] = deque()
        self._cond = threading.Condition()
        self._wake = False
        self._running = False
        self._busy = False
        self._thread: threading.Thread | None = None
        self._error = ""
        self._gave_up = ""  # a job dropped for good: the cashier must reprint it
        self._last_reported: DeviceStatus | None = None
        if autostart:
            self.start()

    # -- the ReceiptPrinter port: never blocks, never raises for a device problem -------------

    def print_receipt(self, doc: ReceiptDocument) -> None:
        # Named as the cashier reads it on paper: "Receipt S01-T01-000017", "Refund
        # S01-T01-R000002", "Void slip S01-T01-000017".
        kind = "Void slip" if doc.title.startswith("VOID") else doc.number_label
        self._enqueue(PrintJob(f"{kind} {doc.receipt_no}", doc=doc))

    def print_text(self, text: str) -> None:
        self._enqueue(PrintJob("Report", text=text))

    def status(self) -> DeviceStatus:
        """The last known state, without touching the printer (safe on the UI thread)."""
        with self._cond:
            return self._status_locked()

    # -- what the cashier's screen needs -----------------------------------------------------

    def check_printer(self) -> DeviceStatus:
        """Ask the printer itself (paper, cover, connection) and publish the answer. This can
        take a few seconds with a network printer that is off: call it from a background task,
        at start-up and from the settings screen, never on the UI thread."""
        found = self.printer.status()
        with self._cond:
            if not self._jobs:  # with jobs waiting, the worker's own view is the fresher one
                self._error = "" if found.ok else found.message
        self._report()
        return self.status() if not found.ok or self.pending() else found

    def pending(self) -> list[str]:
        """Labels of the jobs still waiting, oldest first."""
        with self._cond:
            return [job.label for job in self._jobs]

    def retry_now(self) -> None:
        """The cashier fixed the printer: try again at once instead of after the pause."""
        with self._cond:
            self._wake = True
            self._cond.notify_all()

    def discard_pending(self) -> list[str]:
        """Forget the waiting jobs (they can be reprinted from the sales); returns their labels."""
        with self._cond:
            printing = self._jobs[0] if self._busy and self._jobs else None
            labels = [job.label for job in self._jobs if job is not printing]
            self._jobs = deque([printing] if printing else [])
            self._gave_up = ""
            if printing is None:
                self._error = ""
        self._report()
        return labels

    def wait_until_idle(self, timeout_s: float) -> bool:
        """True when every job has printed within ``timeout_s`` (tests, orderly shutdown)."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while self._jobs:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        with self._cond:
            if self._running:
                return
            self._running = True
        self._thread = threading.Thread(target=self._run, name="print-queue", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        with self._cond:
            self._running = False
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout_s)
        left = self.pending()
        if left:
            log.warning("print queue stopped with jobs not printed: %s", ", ".join(left))

    # -- internals ---------------------------------------------------------------------------

    def _enqueue(self, job: PrintJob) -> None:
        with self._cond:
            if len(self._jobs) >= self.max_jobs:
                index = 1 if self._busy and len(self._jobs) > 1 else 0  # not the one printing
                dropped = self._jobs[index]
                del self._jobs[index]
                log.warning("print queue full: %s dropped (reprint it later)", dropped.label)
            self._jobs.append(job)
            self._cond.notify_all()
        self._report()

    def _status_locked(self) -> DeviceStatus:
        waiting = len(self._jobs)
        if self._gave_up:
            return DeviceStatus(False, self._gave_up)
        if self._error:
            noun = "receipt" if waiting == 1 else "receipts"
            extra = f" - {waiting} {noun} waiting, they print when it is fixed" if waiting else ""
            return DeviceStatus(False, f"{self._error}{extra}")
        if waiting:
            return DeviceStatus(True, f"Printing ({waiting} waiting)")
        return DeviceStatus(True, "Printer ready")

    def _report(self) -> None:
        with self._cond:
            current = self._status_locked()
            if current == self._last_reported:
                return
            self._last_reported = current
        if self.on_status is not None:
            try:
                self.on_status(current)
            except Exception:  # a broken listener must not stop printing
                log.exception("print queue status callback failed")

    def _next_job(self) -> PrintJob | None:
        with self._cond:
            while self._running and not self._jobs:
                self._cond.wait()
            if not self._running:
                return None
            self._busy = True
            return self._jobs[0]

    def _pause(self, seconds: float) -> None:
        with self._cond:
            deadline = time.monotonic() + seconds
            while self._running and not self._wake:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            self._wake = False

    def _run(self) -> None:
        failures = 0
        while True:
            job = self._next_job()
            if job is None:
                return
            error = self._print(job)
            with self._cond:
                self._busy = False
                give_up = (
                    error is not None
                    and not isinstance(error, OSError)  # device errors are worth waiting for
                    and job.tries >= MAX_TRIES_FOR_NON_DEVICE_ERRORS
                )
                if (error is None or give_up) and job in self._jobs:
                    self._jobs.remove(job)
                if error is None:
                    self._error, self._gave_up, failures = "", "", 0
                elif give_up:
                    self._error = ""
                    self._gave_up = f"{job.label} could not be printed ({error}); reprint it"
                else:
                    self._error = str(error) or type(error).__name__
                self._cond.notify_all()
            self._report()
            if error is not None:
                delay = self.retry_delays_s[min(failures, len(self.retry_delays_s) - 1)]
                failures += 1
                self._pause(delay)

    def _print(self, job: PrintJob) -> Exception | None:
        job.tries += 1
        try:
            if job.doc is not None:
                self.printer.print_receipt(job.doc)
            elif job.text is not None:
                self.printer.print_text(job.text)
        except Exception as exc:
            log.warning("%s not printed (try %d): %s", job.label, job.tries, exc)
            return exc
        return None
