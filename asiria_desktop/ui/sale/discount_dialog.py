"""Discount on the selected line or on the whole sale, as a percentage or an amount."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLineEdit, QRadioButton, QWidget

from asiria_desktop.domain.errors import InvalidAmount
from asiria_desktop.domain.money import parse_money
from asiria_desktop.services.results import CartLineView
from asiria_desktop.ui.common.form_dialog import FormDialog


class DiscountDialog(FormDialog):
    """Emits `chosen(target, kind, value)`.

    target is "line" or "sale"; kind is "percent" (value in basis points, 10 % = 1000) or
    "amount" (value in cents), as the sale session takes them.
    """

    chosen = Signal(str, str, int)

    def __init__(self, line: CartLineView | None, parent: QWidget | None = None) -> None:
        super().__init__("Discount", "Apply discount", parent)
        self.line_radio = QRadioButton(f"This line: {line.name}" if line else "This line")
        self.line_radio.setEnabled(line is not None)
        self.sale_radio = QRadioButton("Whole sale")
        (self.line_radio if line is not None else self.sale_radio).setChecked(True)
        self.percent_radio = QRadioButton("Percent %")
        self.amount_radio = QRadioButton("Amount")
        self.percent_radio.setChecked(True)
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("discountValue")
        self.value_edit.setPlaceholderText("e.g. 10 for 10 %, or 50.00")
        self.form.addRow("Apply to", _row(self, self.line_radio, self.sale_radio))
        self.form.addRow("Kind", _row(self, self.percent_radio, self.amount_radio))
        self.form.addRow("Value", self.value_edit)
        self.value_edit.setFocus()

    def submit(self) -> None:
        text = self.value_edit.text().strip()
        target = "line" if self.line_radio.isChecked() else "sale"
        if self.percent_radio.isChecked():
            try:
                basis_points = Decimal(text.rstrip("%").strip()) * 100
            except InvalidOperation:
                self.show_error(f'"{text}" is not a percentage. Type e.g. 10 for 10 %.')
                return
            if basis_points != basis_points.to_integral_value():
                self.show_error("Use at most two decimals for a percentage, e.g. 12.5.")
                return
            self.chosen.emit(target, "percent", int(basis_points))
        else:
            try:
                cents = parse_money(text)
            except InvalidAmount as exc:
                self.show_error(exc.message)
                return
            self.chosen.emit(target, "amount", cents)
        self.accept()


def _row(owner: QWidget, *radios: QRadioButton) -> QWidget:
    """Radios side by side, exclusive among themselves only."""
    host = QWidget()
    layout = QHBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    group = QButtonGroup(owner)
    for radio in radios:
        group.addButton(radio)
        layout.addWidget(radio)
    layout.addStretch(1)
    return host
