"""The "find a past sale by its receipt number" row that the refund and void screens open with.

The number is typed or scanned (the receipt's QR or Code 128); the look-up runs off the GUI
thread and hands the sale back to the screen that owns the row.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton

from asiria_desktop.services.results import SaleDetailView
from asiria_desktop.ui.common.operations import Operations


class ReceiptFinder:
    def __init__(
        self,
        ops: Operations,
        *,
        edit_name: str,
        status: QLabel,
        on_found: Callable[[SaleDetailView], None],
        on_failed: Callable[[BaseException], None],
    ) -> None:
        self._ops = ops
        self._status = status
        self._on_found = on_found
        self._on_failed = on_failed
        self.edit = QLineEdit()
        self.edit.setObjectName(edit_name)
        self.edit.setPlaceholderText("Receipt number, e.g. S01-T01-000017")
        self.edit.returnPressed.connect(self.find)
        self.button = QPushButton("Find receipt")
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.find)
        self.row = QHBoxLayout()
        self.row.addWidget(self.edit, 1)
        self.row.addWidget(self.button)

    def accept_scan(self, code: str) -> None:
        """A receipt scanned while the screen is open: find that sale."""
        self.edit.setText(code)
        self.find()

    def find(self) -> None:
        receipt_no = self.edit.text().strip()
        if not receipt_no:
            self._status.setText("Type the receipt number first.")
            return
        refunds = self._ops.services.refunds
        self._status.setText("Looking for the receipt…")
        self._ops.run(lambda: refunds.find(receipt_no), self._found, self._on_failed)

    def _found(self, sale: SaleDetailView) -> None:
        self._status.clear()
        self._on_found(sale)


def sale_heading(sale: SaleDetailView) -> str:
    """Receipt number, local time, cashier: how a past sale is named on screen."""
    when = sale.completed_at.astimezone().strftime("%d %b %Y %H:%M")
    return f"{sale.receipt_no}   {when}   {sale.cashier_name}"
