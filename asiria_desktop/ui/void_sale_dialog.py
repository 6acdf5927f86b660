"""Void a whole sale of the open shift: find it by receipt number (typed or scanned), say why,
and a manager approves. The stock goes back and a ``sale.voided`` event goes to head office."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.ui.messages import plain_message
from asiria_desktop.ui.operations import Operations
from asiria_desktop.ui.receipt_finder import ReceiptFinder, sale_heading
from asiria_desktop.ui.widgets import dialog_buttons, error_line, primary_button


class VoidSaleDialog(QDialog):
    voided = Signal(object)  # the VoidResult

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("voidSaleDialog")
        self.setWindowTitle("Void a sale")
        self.setModal(True)
        self.setMinimumWidth(560)
        self._ops = ops
        self._sale: Any = None
        heading = QLabel("Void a sale")
        heading.setObjectName("dialogTitle")
        note = QLabel(
            "Cancels a whole sale of this shift: the money goes back to the customer and the "
            "items back into stock. A manager approves. Older sales: use Refund (F10)."
        )
        note.setWordWrap(True)
        self.sale_label = QLabel("Scan or type the receipt number of the sale.")
        self.sale_label.setObjectName("voidSaleSummary")
        self.sale_label.setWordWrap(True)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("voidReasonEdit")
        self.reason_edit.setPlaceholderText("Why, e.g. customer changed their mind")
        form = QFormLayout()
        form.addRow("Reason", self.reason_edit)
        self.error_label = error_line()
        self.finder = ReceiptFinder(
            ops,
            edit_name="voidReceiptEdit",
            status=self.error_label,
            on_found=self._show_sale,
            on_failed=self._failed,
        )
        self.receipt_edit, self.find_button = self.finder.edit, self.finder.button
        self.void_button = primary_button("Void sale", self.void, enabled=False)
        bottom = dialog_buttons(self, self.void_button)
        layout = QVBoxLayout(self)
        for widget in (heading, note):
            layout.addWidget(widget)
        layout.addLayout(self.finder.row)
        layout.addWidget(self.sale_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(bottom)
        self.receipt_edit.setFocus()

    def accept_scan(self, code: str) -> None:
        """A receipt scanned while this screen is open (the main window routes scans here)."""
        self.finder.accept_scan(code)

    def _show_sale(self, sale: Any) -> None:
        self._sale = sale
        items = ", ".join(f"{line.qty_text} {line.name}" for line in sale.lines[:4])
        if len(sale.lines) > 4:
            items += f" and {len(sale.lines) - 4} more"
        self.sale_label.setText(f"{sale_heading(sale)}\nTotal {sale.total_text}: {items}")
        if sale.voided:
            self.error_label.setText("This sale is already voided.")
        self.void_button.setEnabled(not sale.voided)
        if not sale.voided:
            self.reason_edit.setFocus()

    def void(self) -> None:
        reason = " ".join(self.reason_edit.text().split())
        if not reason:
            self.error_label.setText("Say why the sale is voided.")
            self.reason_edit.setFocus()
            return
        receipt_no = self._sale.receipt_no
        voids = self._ops.services.voids
        self.void_button.setEnabled(False)
        self._ops.run_approved(
            lambda approval: voids.void_sale(receipt_no, reason, approval),
            self._done,
            self._failed,
            parent=self,
        )

    def _done(self, result: Any) -> None:
        self.voided.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.void_button.setEnabled(self._sale is not None and not self._sale.voided)
        self.error_label.setText(plain_message(exc))
