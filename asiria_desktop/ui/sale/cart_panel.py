"""The cart: lines as a table, and the totals with a big TOTAL underneath."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.services.results import CartLineView, CartView
from asiria_desktop.ui.common.table_model import Column, RowsTableModel

CART_COLUMNS: tuple[Column[CartLineView], ...] = (
    Column("Item", lambda line: line.name),
    Column("Qty", lambda line: line.qty_text, right_aligned=True),
    Column("Price", lambda line: line.unit_price_text, right_aligned=True),
    Column("Discount", lambda line: line.discount_text, right_aligned=True),
    Column("Total", lambda line: line.total_text, right_aligned=True),
)

DISCOUNT_COLUMN = 3


class CartPanel(QWidget):
    def __init__(self, currency_code: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RowsTableModel[CartLineView] = RowsTableModel(CART_COLUMNS, self)
        self.table = QTableView()
        self.table.setObjectName("cartTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.verticalHeader().setMinimumSectionSize(44)
        # A name longer than its column (the Discount column takes room) wraps onto a second
        # line and the row grows: the cashier reads the whole name, never a cut one.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setShowGrid(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(CART_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        totals = QWidget()
        totals.setObjectName("totalsPanel")
        grid = QGridLayout(totals)
        grid.setContentsMargins(16, 8, 16, 8)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(0)
        # Small figures on one line, the TOTAL underneath, as large as the panel allows.
        self.subtotal_value = self._add_pair(grid, 0, "Subtotal")
        self.discount_value = self._add_pair(grid, 2, "Discount")
        self.tax_value = self._add_pair(grid, 4, "VAT incl.")
        total_caption = QLabel(f"TOTAL {currency_code}".strip())
        total_caption.setObjectName("totalCaption")
        self.total_value = QLabel("0.00")
        self.total_value.setObjectName("totalValue")
        self.total_value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(total_caption, 1, 0, 1, 2)
        grid.addWidget(self.total_value, 1, 2, 1, 4)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)
        self.items_label = QLabel("No items yet: scan a barcode or tap a product.")
        self.items_label.setObjectName("itemsLabel")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.items_label)
        layout.addWidget(totals)

    @staticmethod
    def _add_pair(grid: QGridLayout, column: int, caption: str) -> QLabel:
        grid.addWidget(QLabel(caption), 0, column)
        value = QLabel("0.00")
        value.setObjectName("subtotalValue")
        value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(value, 0, column + 1)
        return value

    def show_cart(self, view: CartView, select_line: str | None = None) -> None:
        lines = list(view.lines)
        previous = self.selected_line_id()
        self.model.set_rows(lines)
        # The discount column only earns its width when some line has a discount.
        self.table.setColumnHidden(DISCOUNT_COLUMN, not any(line.discount_cents for line in lines))
        self.subtotal_value.setText(view.subtotal_text)
        self.discount_value.setText(view.discount_text)
        self.tax_value.setText(view.tax_text)
        self.total_value.setText(view.total_text)
        count = len(lines)
        summary = f"{count} line{'s' if count != 1 else ''}"
        if view.paid_cents:  # payments taken before going back to the sale stay on it
            summary += f"   ·   paid {view.paid_text}, still due {view.balance_due_text}"
        self.items_label.setText(
            summary if count else "No items yet: scan a barcode or tap a product."
        )
        wanted = select_line or previous
        ids = [line.line_id for line in lines]
        if wanted in ids:
            row = ids.index(wanted)
        elif lines:
            row = len(lines) - 1
        else:
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def move_selection(self, step: int) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        selected = self.table.selectionModel().selectedRows()
        current = selected[0].row() if selected else rows - 1
        row = min(max(current + step, 0), rows - 1)
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def selected_line(self) -> CartLineView | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return self.model.row_at(rows[0].row())
        if self.model.rowCount():
            return self.model.row_at(self.model.rowCount() - 1)
        return None

    def selected_line_id(self) -> str | None:
        line = self.selected_line()
        return None if line is None else line.line_id
