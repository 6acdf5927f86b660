"""Refund screen: find the original receipt, choose what comes back, refund it.

A refund needs a manager: the service raises ApprovalRequired and the usual approval dialog asks
for the PIN before the refund is tried again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.ui.messages import plain_message
from asiria_desktop.ui.operations import Operations
from asiria_desktop.ui.payment_dialog import METHODS
from asiria_desktop.ui.receipt_finder import ReceiptFinder, sale_heading
from asiria_desktop.ui.widgets import dialog_buttons, error_line, primary_button


class RefundDialog(QDialog):
    refunded = Signal(object)  # the RefundResult

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("refundDialog")
        self.setWindowTitle("Refund")
        self.setModal(True)
        self.setMinimumSize(720, 560)
        self._ops = ops
        self._sale: Any = None
        heading = QLabel("Refund")
        heading.setObjectName("dialogTitle")
        self.sale_label = QLabel("Scan or type the receipt number of the sale.")
        self.sale_label.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("refundLines")
        self.table.setHorizontalHeaderLabels(["Item", "Sold", "Refund"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, 170)
        self.method_combo = QComboBox()
        for code, name, _key in METHODS:
            self.method_combo.addItem(name, code)
        self.error_label = error_line()
        self.finder = ReceiptFinder(
            ops,
            edit_name="receiptNoEdit",
            status=self.error_label,
            on_found=self._show_sale,
            on_failed=self._failed,
        )
        self.receipt_edit, self.find_button = self.finder.edit, self.finder.button
        self.refund_button = primary_button("Refund", self.refund, enabled=False)
        bottom = dialog_buttons(self, self.refund_button, QLabel("Pay back by"), self.method_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(self.finder.row)
        layout.addWidget(self.sale_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(bottom)
        self.receipt_edit.setFocus()

    def accept_scan(self, code: str) -> None:
        """A receipt scanned while this screen is open (the main window routes scans here)."""
        self.finder.accept_scan(code)

    def _show_sale(self, sale: Any) -> None:
        self._sale = sale
        self.sale_label.setText(f"{sale_heading(sale)}   Total {sale.total_text}")
        self.table.setRowCount(len(sale.lines))
        for row, line in enumerate(sale.lines):
            self.table.setItem(row, 0, QTableWidgetItem(line.name))
            sold = QTableWidgetItem(line.qty_text)
            sold.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, sold)
            self.table.setCellWidget(row, 2, _quantity_box(line))
        refundable = any(
            (line.refundable_qty or 0) > 0 or (line.refundable_qty_milli or 0) > 0
            for line in sale.lines
        )
        if sale.voided:
            self.error_label.setText("This sale was voided: there is nothing to refund.")
        elif not refundable:
            self.error_label.setText("Everything on this receipt was already refunded.")
        self.refund_button.setEnabled(refundable and not sale.voided)
        if sale.payments:  # pay back the way the customer paid, unless the cashier changes it
            index = self.method_combo.findData(sale.payments[0].method)
            self.method_combo.setCurrentIndex(max(index, 0))

    def chosen_lines(self) -> dict[str, int]:
        chosen: dict[str, int] = {}
        for row, line in enumerate(self._sale.lines if self._sale else ()):
            box = self.table.cellWidget(row, 2)
            if isinstance(box, QSpinBox) and box.value() > 0:
                chosen[line.line_id] = box.value()
            elif isinstance(box, QDoubleSpinBox) and box.value() > 0:
                chosen[line.line_id] = round(box.value() * 1000)  # kg on screen, grams in the call
        return chosen

    def set_refund_qty(self, row: int, value: float) -> None:
        box = self.table.cellWidget(row, 2)
        if isinstance(box, QSpinBox | QDoubleSpinBox):
            box.setValue(value)  # type: ignore[arg-type]

    def refund(self) -> None:
        lines = self.chosen_lines()
        if not lines:
            self.error_label.setText("Set how many of which item come back.")
            return
        receipt_no = self._sale.receipt_no
        method = self.method_combo.currentData()
        refunds = self._ops.services.refunds
        self.refund_button.setEnabled(False)
        self._ops.run_approved(
            lambda approval: refunds.refund(receipt_no, lines, method, approval),
            self._done,
            self._failed,
            parent=self,
        )

    def _done(self, result: Any) -> None:
        self.refunded.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.refund_button.setEnabled(self._sale is not None)
        self.error_label.setText(plain_message(exc))


def _quantity_box(line: Any) -> QWidget:
    box: QSpinBox | QDoubleSpinBox
    if line.qty_milli is not None:
        box = QDoubleSpinBox()
        box.setDecimals(3)
        box.setSuffix(" kg")
        box.setMaximum((line.refundable_qty_milli or 0) / 1000)
    else:
        box = QSpinBox()
        box.setMaximum(line.refundable_qty or 0)
    box.setObjectName("refundQty")
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    return box
