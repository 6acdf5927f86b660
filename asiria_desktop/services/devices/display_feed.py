"""The customer display, fed from its own thread: a slow or unplugged pole display never slows a
scan, and never raises into the sale.

Only the newest picture matters to the customer, so a message that is still waiting when the
next one comes is replaced, never queued behind it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from asiria_desktop.ports.customer_display import CustomerDisplay
from asiria_desktop.ports.devices import DeviceStatus

log = logging.getLogger(__name__)


class DisplayFeed:
    """Implements the CustomerDisplay port in front of another one."""

    def __init__(self, display: CustomerDisplay) -> None:
        self.display = display
        self._cond = threading.Condition()
        self._next: Callable[[], None] | None = None
        self._busy = False
        self._running = True
        self._thread = threading.Thread(target=self._run, name="customer-display", daemon=True)
        self._thread.start()

    def show_item(self, name: str, price_cents: int, total_cents: int) -> None:
        self._post(lambda: self.display.show_item(name, price_cents, total_cents))

    def show_total(self, total_cents: int, change_cents: int = 0) -> None:
        self._post(lambda: self.display.show_total(total_cents, change_cents))

    def show_welcome(self, shop_name: str) -> None:
        self._post(lambda: self.display.show_welcome(shop_name))

    def status(self) -> DeviceStatus:
        return self.display.status()

    def wait_until_idle(self, timeout_s: float) -> bool:
        """True once the last message was sent (tests)."""
        with self._cond:
            return self._cond.wait_for(lambda: self._next is None and not self._busy, timeout_s)

    def stop(self, timeout_s: float = 2.0) -> None:
        with self._cond:
            self._running = False
            self._cond.notify_all()
        self._thread.join(timeout_s)

    def _post(self, call: Callable[[], None]) -> None:
        with self._cond:
            self._next = call  # the newest wins
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._next is not None or not self._running)
                if not self._running:
                    return
                call, self._next, self._busy = self._next, None, True
            try:
                if call is not None:
                    call()
            except Exception:  # the display is optional: log, never disturb the sale
                log.warning("customer display update failed", exc_info=True)
            with self._cond:
                self._busy = False
                self._cond.notify_all()
