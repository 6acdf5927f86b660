"""Change the quantity (or the weight) of a cart line."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from asiria_desktop.ui.common.form_dialog import FormDialog


class QuantityDialog(FormDialog):
    """Emits `chosen(qty, qty_milli)`: a count for count items, thousandths of a kg for weighed."""

    chosen = Signal(object, object)

    def __init__(
        self,
        name: str,
        sold_by_weight: bool,
        qty: int | None = None,
        qty_milli: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = "Weigh item" if sold_by_weight and qty_milli is None else "Change quantity"
        super().__init__(title, "Set weight" if sold_by_weight else "Set quantity", parent)
        self._weighed = sold_by_weight
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("quantityEdit")
        current = Decimal(qty_milli or 0) / 1000 if self._weighed else Decimal(qty or 1)
        self.value_edit.setText(str(current))
        self.value_edit.selectAll()
        self.form.addRow("Item", QLabel(name))
        self.form.addRow("Weight (kg)" if self._weighed else "Quantity", self.value_edit)
        self.value_edit.setFocus()

    def submit(self) -> None:
        text = self.value_edit.text().strip().replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.show_error(f'"{text}" is not a number. Type a quantity such as 2 or 0.5.')
            return
        if self._weighed:
            grams = value * 1000  # the services take weights in thousandths of a kg
            if grams != grams.to_integral_value():
                self.show_error("Type the weight in kg with at most 3 decimals, e.g. 0.750.")
                return
            self.chosen.emit(None, int(grams))
        else:
            if value != value.to_integral_value():
                self.show_error("This item is sold by count: type a whole number.")
                return
            self.chosen.emit(int(value), None)
        self.accept()
