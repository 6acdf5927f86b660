"""Refund screen: find the original receipt, choose what comes back, refund it.

A refund needs a manager: the service raises ApprovalRequired and the usual approval dialog asks
for the PIN before the refund is tried again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.services.results import (
    RefundPreview,
    RefundResult,
    SaleDetailView,
    SaleLineView,
)
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.common.widgets import dialog_buttons, primary_button
from asiria_desktop.ui.payment.payment_dialog import METHODS
from asiria_desktop.ui.returns.receipt_finder import sale_heading
from asiria_desktop.ui.returns.sale_lookup_dialog import SaleLookupDialog

#: Columns of the lines table: what was sold, at what price, what the customer paid for the
#: line, how many come back and what that gives back.
COLUMNS = ("Item", "Sold", "Price", "Paid", "Refund qty", "Refund")
ITEM, SOLD, PRICE, PAID, REFUND_QTY, BACK = range(len(COLUMNS))


class RefundDialog(SaleLookupDialog):
    refunded = Signal(object)  # the RefundResult

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(
            ops,
            object_name="refundDialog",
            title="Refund",
            edit_name="receiptNoEdit",
            parent=parent,
        )
        self.setMinimumSize(880, 560)
        self.sale_label = QLabel("Scan or type the receipt number of the sale.")
        self.sale_label.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("refundLines")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ITEM, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(REFUND_QTY, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(REFUND_QTY, 170)
        self.total_label = QLabel("Refund total: 0.00")
        self.total_label.setObjectName("refundTotal")
        self._preview_asked = 0  # answers to older questions are dropped
        self.method_combo = QComboBox()
        for code, name, _key in METHODS:
            self.method_combo.addItem(name, code)
        self.refund_button = primary_button("Refund", self.refund, enabled=False)
        bottom = dialog_buttons(self, self.refund_button, QLabel("Pay back by"), self.method_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.finder.row)
        layout.addWidget(self.sale_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total_label, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.error_label)
        layout.addLayout(bottom)
        self.receipt_edit.setFocus()

    @property
    def action_button(self) -> QPushButton:
        return self.refund_button

    def can_act(self, sale: SaleDetailView) -> bool:
        return not sale.voided and any(_refundable(line) for line in sale.lines)

    def show_sale(self, sale: SaleDetailView) -> None:
        self.sale_label.setText(f"{sale_heading(sale)}   Total {sale.total_text}")
        self.table.setRowCount(len(sale.lines))
        for row, line in enumerate(sale.lines):
            self.table.setItem(row, ITEM, QTableWidgetItem(line.name))
            sold = line.qty_text + (f"\n{line.refunded_text}" if line.refunded_text else "")
            self.table.setItem(row, SOLD, _number(sold))
            self.table.setItem(row, PRICE, _number(line.unit_price_text))
            self.table.setItem(row, PAID, _number(line.total_text))
            box = _quantity_box(line)
            box.valueChanged.connect(self._update_total)
            self.table.setCellWidget(row, REFUND_QTY, box)
            self.table.setItem(row, BACK, _number(""))
        self.table.resizeRowsToContents()
        self._update_total()
        if sale.voided:
            self.error_label.setText("This sale was voided: there is nothing to refund.")
        elif not self.can_act(sale):
            self.error_label.setText("Everything on this receipt was already refunded.")
        self.refund_button.setEnabled(self.can_act(sale))
        if sale.payments:  # pay back the way the customer paid, unless the cashier changes it
            index = self.method_combo.findData(sale.payments[0].method)
            self.method_combo.setCurrentIndex(max(index, 0))

    def _update_total(self, *_changed: object) -> None:
        """Ask the service what the chosen quantities give back (its own rounding, to the
        cent) and show it per line and in total before anyone approves."""
        if self._sale is None:
            return
        self._preview_asked += 1
        asked, receipt_no, lines = self._preview_asked, self._sale.receipt_no, self.chosen_lines()
        refunds = self._ops.services.refunds
        self._ops.read(
            lambda: refunds.preview(receipt_no, lines),
            lambda preview: self._show_total(asked, preview),
            self._failed,
        )

    def _show_total(self, asked: int, preview: RefundPreview) -> None:
        if asked != self._preview_asked or self._sale is None:
            return
        amounts = {line.line_id: line.amount_text for line in preview.lines}
        for row, line in enumerate(self._sale.lines):
            item = self.table.item(row, BACK)
            if item is not None:
                item.setText(amounts.get(line.line_id, ""))
        self.total_label.setText(f"Refund total: {preview.total_text}")
        self.refund_button.setText(
            f"Refund {preview.total_text}" if preview.total_cents else "Refund"
        )

    def chosen_lines(self) -> dict[str, int]:
        chosen: dict[str, int] = {}
        for row, line in enumerate(self._sale.lines if self._sale else ()):
            box = self.table.cellWidget(row, REFUND_QTY)
            if isinstance(box, QSpinBox) and box.value() > 0:
                chosen[line.line_id] = box.value()
            elif isinstance(box, QDoubleSpinBox) and box.value() > 0:
                chosen[line.line_id] = round(box.value() * 1000)  # kg on screen, grams in the call
        return chosen

    def set_refund_qty(self, row: int, value: float) -> None:
        box = self.table.cellWidget(row, REFUND_QTY)
        if isinstance(box, QSpinBox | QDoubleSpinBox):
            box.setValue(value)  # type: ignore[arg-type]

    def refund(self) -> None:
        lines = self.chosen_lines()
        if self._sale is None or not lines:
            self.error_label.setText("Set how many of which item come back.")
            return
        receipt_no = self._sale.receipt_no
        method = str(self.method_combo.currentData())
        refunds = self._ops.services.refunds
        self.run_action(
            lambda approval: refunds.refund(receipt_no, lines, method, approval), self._done
        )

    def _done(self, result: RefundResult) -> None:
        self.refunded.emit(result)
        self.accept()


def _number(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _refundable(line: SaleLineView) -> bool:
    return (line.refundable_qty or 0) > 0 or (line.refundable_qty_milli or 0) > 0


def _quantity_box(line: SaleLineView) -> QSpinBox | QDoubleSpinBox:
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
