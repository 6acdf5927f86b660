"""What the status bar shows: online/offline, unsent events, last successful sync, why not;
and the devices: the printer (with its print queue) and any scanner or display problem.

``snapshot()`` never touches a device (it reads the states the devices last reported), so it is
safe to call often; ``check_printer()`` asks the printer itself and may take seconds.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

from asiria_desktop.ports.cloud import CloudLink
from asiria_desktop.ports.customer_display import CustomerDisplay
from asiria_desktop.ports.devices import DeviceStatus
from asiria_desktop.ports.printer import PrintQueueControl, ReceiptPrinter
from asiria_desktop.ports.scanner import BarcodeScanner
from asiria_desktop.services.context import TillContext
from asiria_desktop.services.formatting import plural
from asiria_desktop.services.results import StatusView

log = logging.getLogger(__name__)

PrinterListener = Callable[[DeviceStatus], None]


class DirectPrinter:
    """A printer without a queue (the simulated one) seen through the queue's controls."""

    def __init__(self, printer: ReceiptPrinter) -> None:
        self._printer = printer

    def status(self) -> DeviceStatus:
        return self._printer.status()

    def check_printer(self) -> DeviceStatus:
        return self._printer.status()

    def pending(self) -> list[str]:
        return []

    def retry_now(self) -> None:
        return None

    def discard_pending(self) -> list[str]:
        return []


class StatusService:
    def __init__(
        self,
        ctx: TillContext,
        cloud: CloudLink | None = None,
        *,
        printer: PrintQueueControl | None = None,
        scanners: Sequence[BarcodeScanner] = (),
        display: CustomerDisplay | None = None,
        training: bool = False,
    ) -> None:
        self._ctx = ctx
        self._cloud = cloud
        self._training = training  # practice sales: kept here, never sent
        self._printer = printer
        self._scanners = tuple(scanners)
        self._display = display
        self._listeners: list[PrinterListener] = []
        self._lock = threading.Lock()

    def on_sync_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` (on the sync thread) when a sync starts or ends: the status bar
        shows online/offline and the unsent count at once, not at its next poll."""
        if self._cloud is not None:
            self._cloud.on_change(listener)

    # ----- devices -------------------------------------------------------------------------------

    def printer_status(self) -> DeviceStatus:
        """The printer's last known state (never blocks)."""
        if self._printer is None:
            return DeviceStatus(True, "")
        return self._printer.status()

    def check_printer(self) -> DeviceStatus:
        """Ask the printer (paper, cover, connection). May take seconds: call it in the
        background, e.g. once at start-up."""
        if self._printer is None:
            return DeviceStatus(True, "")
        try:
            return self._printer.check_printer()
        except Exception as exc:  # a status check must never take the till down
            log.warning("printer check failed: %s", exc)
            return DeviceStatus(False, f"The printer could not be checked ({exc})")

    def retry_printing(self) -> str:
        """The cashier fixed the printer: print the waiting receipts now."""
        if self._printer is None:
            return "There is no printer queue."
        waiting = len(self._printer.pending())
        self._printer.retry_now()
        if not waiting:
            return "Checking the printer again."
        noun = "receipt" if waiting == 1 else "receipts"
        return f"Trying again to print {waiting} waiting {noun}."

    def discard_printing(self) -> str:
        """Forget the waiting receipts (each can be reprinted from its sale)."""
        if self._printer is None:
            return "Nothing is waiting to print."
        dropped = self._printer.discard_pending()
        if not dropped:
            return "Nothing was waiting to print."
        names = ", ".join(label.removeprefix("Receipt ") for label in dropped)
        return f"Not printed, can be reprinted from the sale: {names}."

    def on_printer_status(self, listener: PrinterListener) -> None:
        """Call ``listener`` (on the printer's thread) whenever the printer's state changes."""
        with self._lock:
            self._listeners.append(listener)

    def printer_changed(self, status: DeviceStatus) -> None:
        """Called by the print queue (bootstrap wires it); passes the news on to listeners."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(status)
            except Exception:
                log.exception("printer status listener failed")

    def device_problems(self) -> tuple[str, ...]:
        problems = []
        devices: list[BarcodeScanner | CustomerDisplay] = list(self._scanners)
        if self._display is not None:
            devices.append(self._display)
        for device in devices:
            try:
                status = device.status()
            except Exception as exc:
                status = DeviceStatus(False, f"Device error ({exc})")
            if not status.ok:
                problems.append(status.message)
        return tuple(problems)

    # ----- the whole status line -----------------------------------------------------------------

    def snapshot(self) -> StatusView:
        view = self._sync_snapshot()
        printer = self.printer_status()
        waiting = len(self._printer.pending()) if self._printer is not None else 0
        return replace(
            view,
            printer_ok=printer.ok,
            printer_text=printer.message,
            printer_waiting=waiting,
            device_problems=self.device_problems(),
        )

    def _sync_snapshot(self) -> StatusView:
        if self._training:
            return StatusView(
                None,
                0,
                None,
                "Training mode: practice sales stay on this till and are never sent.",
                network_text="Training: nothing is sent",
                network_state="training",
            )
        if self._cloud is None:
            with self._ctx.uow(read_only=True) as uow:
                unsent = uow.outbox.count_unsent()
            return StatusView(None, unsent, None, f"Working offline: {_waiting(unsent)}.")
        status = self._cloud.status()
        unsent = status.unsent_events
        last = status.last_sync_at
        last_text = f"Last sync {last.strftime('%d %b %H:%M')}" if last else "Never synced"
        progress = (status.progress.applied, status.progress.total) if status.progress else None
        events = plural(unsent, "event")
        if not status.enrolled:
            state, network = "local", "Offline (not enrolled)"
            message = f"Working offline, not connected to the cloud: {_waiting(unsent)}."
            last_text = ""
        elif status.revoked:
            state, network = "offline", "Disconnected by head office"
            message = f"{status.error} Sales go on and are kept on this till."
        elif status.online:
            state, network = "online", "Online"
            message = "Online" + (f", sending {events}." if unsent else ", all sent.")
        elif status.online is None:
            state, network = "connecting", "Connecting..."
            message = f"Connecting to the cloud: {events} waiting."
        else:
            state, network = "offline", "Offline"
            message = f"Offline: {events} will be sent when the network is back."
            if status.error:
                message += f" ({status.error})"
        if status.rejected_events:
            were = "was" if status.rejected_events == 1 else "were"
            message += (
                f" {plural(status.rejected_events, 'event')} {were} rejected by the cloud:"
                " a manager should look at the sync screen."
            )
        return StatusView(
            online=status.online,
            unsent_events=unsent,
            last_sync_at=last,
            message=message,
            network_text=network,
            last_sync_text=last_text,
            error=status.error,
            rejected_events=status.rejected_events,
            warning=status.warning,
            progress=progress,
            network_state=state,
            warning_note=warning_note(status.warning),
            syncing=status.syncing,
        )


def _waiting(unsent: int) -> str:
    return "nothing waiting" if unsent == 0 else f"{plural(unsent, 'event')} waiting to be sent"


def warning_note(warning: str | None) -> str:
    """A calm one-line summary of a sync warning for the screens; the whole text (with the
    file's path) stays available behind "Details" for a manager."""
    if not warning:
        return ""
    if "keyring" in warning.lower():
        return "The cloud password is kept in a protected file (no system keyring)."
    first = warning.split(". ")[0].rstrip(".")
    return first + "."
