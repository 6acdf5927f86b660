"""Quick-add: a product the catalog does not know, added at the counter (a manager approves).

Emits ``chosen(name, barcode, price_cents, tax_class)``; the sale screen sends it to
``CatalogService.quick_add`` and puts the new product in the cart.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from asiria_desktop.domain.errors import InvalidAmount
from asiria_desktop.domain.money import parse_money
from asiria_desktop.domain.tax import TAX_CLASS_LABELS, TaxClass
from asiria_desktop.ui.common.form_dialog import FormDialog


class QuickAddDialog(FormDialog):
    chosen = Signal(str, str, int, str)

    def __init__(self, barcode: str = "", parent: QWidget | None = None) -> None:
        super().__init__("Add a product", "Add product", parent)
        self.setObjectName("quickAddDialog")
        note = QLabel("This product is not in the catalog. A manager approves adding it.")
        note.setWordWrap(True)
        self.form.addRow(note)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("quickAddName")
        self.name_edit.setPlaceholderText("e.g. Sukuma wiki bunch")
        self.barcode_edit = QLineEdit(barcode)
        self.barcode_edit.setObjectName("quickAddBarcode")
        self.price_edit = QLineEdit()
        self.price_edit.setObjectName("quickAddPrice")
        self.price_edit.setPlaceholderText("0.00")
        self.tax_box = QComboBox()
        for tax_class in TaxClass:
            self.tax_box.addItem(TAX_CLASS_LABELS[tax_class], str(tax_class))
        self.form.addRow("Name", self.name_edit)
        self.form.addRow("Barcode", self.barcode_edit)
        self.form.addRow("Price", self.price_edit)
        self.form.addRow("Tax", self.tax_box)
        self.name_edit.setFocus()

    def submit(self) -> None:
        name = " ".join(self.name_edit.text().split())
        if not name:
            self.show_error("Enter the product's name.")
            return
        try:
            cents = parse_money(self.price_edit.text().strip())
        except InvalidAmount as exc:
            self.show_error(exc.message)
            return
        if cents <= 0:
            self.show_error("Enter a price more than zero.")
            return
        self.chosen.emit(name, self.barcode_edit.text().strip(), cents, self.tax_box.currentData())
        self.accept()
