"""Void a whole sale of the open shift: find it by receipt number (typed or scanned), say why,
and a manager approves. The stock goes back and a ``sale.voided`` event goes to head office."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.services.results import SaleDetailView, VoidResult
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.common.widgets import dialog_buttons, primary_button
from asiria_desktop.ui.returns.receipt_finder import sale_heading
from asiria_desktop.ui.returns.sale_lookup_dialog import SaleLookupDialog


class VoidSaleDialog(SaleLookupDialog):
    voided = Signal(object)  # the VoidResult

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(
            ops,
            object_name="voidSaleDialog",
            title="Void a sale",
            edit_name="voidReceiptEdit",
            parent=parent,
        )
        self.setMinimumWidth(560)
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
        self.void_button = primary_button("Void sale", self.void, enabled=False)
        bottom = dialog_buttons(self, self.void_button)
        layout = QVBoxLayout(self)
        for widget in (self.heading, note):
            layout.addWidget(widget)
        layout.addLayout(self.finder.row)
        layout.addWidget(self.sale_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(bottom)
        self.receipt_edit.setFocus()

    @property
    def action_button(self) -> QPushButton:
        return self.void_button

    def show_sale(self, sale: SaleDetailView) -> None:
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
        if self._sale is None:
            return
        receipt_no = self._sale.receipt_no
        voids = self._ops.services.voids
        self.run_action(lambda approval: voids.void_sale(receipt_no, reason, approval), self._done)

    def _done(self, result: VoidResult) -> None:
        self.voided.emit(result)
        self.accept()
