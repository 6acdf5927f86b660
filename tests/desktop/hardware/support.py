"""Helpers for the hardware adapter tests: a sample receipt, a fake network printer on
127.0.0.1, and bounded waiting."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from asiria_desktop.domain.money import KES
from asiria_desktop.domain.receipt import (
    ReceiptDocument,
    ReceiptItem,
    ReceiptPayment,
    ReceiptTaxRow,
)

NAIROBI = timezone(timedelta(hours=3))


def sample_doc(receipt_no: str = "S01-T01-000017", **changes: object) -> ReceiptDocument:
    doc = ReceiptDocument(
        title="SALE",
        header_lines=("Mama Njeri Café", "Moi Avenue, Nairobi", "PIN P051234567X"),
        receipt_no=receipt_no,
        printed_for=datetime(2026, 11, 24, 10, 5, tzinfo=NAIROBI),
        cashier_name="Wanjiru",
        items=(
            ReceiptItem("Crème brûlée", "2 x 250.00", 50000, 5000, "Discount", "A"),
            ReceiptItem("Maziwa ya Ng\u2019ombe 500ml", None, 6500, 0, "", "Z"),
        ),
        subtotal_cents=56500,
        discount_cents=5000,
        total_cents=51500,
        tax_rows=(
            ReceiptTaxRow("A VAT 16%", 38793, 6207, "A 16%"),
            ReceiptTaxRow("Z Zero-rated 0%", 6500, 0, "Z 0%"),
        ),
        payments=(ReceiptPayment("Cash", 100000),),
        change_cents=48500,
        footer_lines=("Asante sana! Karibu tena.",),
        currency=KES,
    )
    return replace(doc, **changes) if changes else doc  # type: ignore[arg-type]


def wait_for(condition: Callable[[], object], what: str, timeout_s: float = 5.0) -> None:
    """Poll ``condition`` until true; fail with ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.01)
    pytest.fail(f"timed out after {timeout_s} s waiting for: {what}")


# Status bytes a real ESC/POS printer sends back to DLE EOT 2 (offline cause) and 4 (paper).
CAUSE_OK, CAUSE_COVER_OPEN, CAUSE_PAPER_STOP = 0x12, 0x16, 0x32
PAPER_OK, PAPER_LOW, PAPER_OUT = 0x12, 0x1E, 0x72


class FakeNetworkPrinter:
    """A TCP listener on 127.0.0.1 that records ESC/POS bytes like a port-9100 printer and
    answers ``DLE EOT n`` status requests from ``answers`` (None: stays silent, as many do).

    The socket is bound at once (so the port is known) but only accepts connections after
    ``switch_on()``: before that, connecting is refused, exactly like a printer that is off."""

    def __init__(self) -> None:
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.answers: dict[int, int | None] = {2: CAUSE_OK, 4: PAPER_OK}
        self.received = bytearray()
        self.connections = 0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def switch_on(self) -> None:
        self.server.listen(4)
        self.server.settimeout(0.1)
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(2)
        self.server.close()

    @property
    def data(self) -> bytes:
        with self._lock:
            return bytes(self.received)

    def printed(self) -> bytes:
        """What was sent minus the status requests."""
        data = self.data
        for n in (1, 2, 3, 4):
            data = data.replace(b"\x10\x04" + bytes([n]), b"")
        return data

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(0.1)
        pending = b""
        with conn:
            while not self._stop.is_set():
                try:
                    chunk = conn.recv(4096)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                with self._lock:
                    self.received += chunk
                pending += chunk
                while (at := pending.find(b"\x10\x04")) >= 0 and len(pending) > at + 2:
                    answer = self.answers.get(pending[at + 2])
                    if answer is not None:
                        conn.sendall(bytes([answer]))
                    pending = pending[at + 3 :]
                pending = pending[-2:]
