"""The product list of the stock screens: scan or search a product, see its stock on hand,
type its quantity. The list itself is a ``services.stock_draft.StockDraft``; this widget only
shows it and feeds it what the person does."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.domain.errors import InvalidBarcode
from asiria_desktop.services.results import ProductView, StockLevelView
from asiria_desktop.services.stock.stock_draft import StockDraft
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.sale.search_panel import SearchResults

QUANTITY_COLUMN = 2
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class StockLinesPanel(QWidget):
    problem = Signal(str)  # a plain-language message for the dialog's error line

    def __init__(self, ops: Operations, quantity_caption: str, *, count_scans: bool = True) -> None:
        super().__init__()
        self._ops = ops
        self._stock = ops.services.stock
        self.draft = StockDraft(count_scans=count_scans)
        self._loading = False

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("stockSearchEdit")
        self.search_edit.setPlaceholderText("Scan a barcode, or type a product name")
        self.search_edit.setClearButtonEnabled(True)
        self.results = SearchResults(ops)
        self.results.setObjectName("stockSearchResults")
        self.results.setMaximumHeight(180)
        self.results.setVisible(False)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("stockLines")
        self.table.setHorizontalHeaderLabels(["Product", "On hand", quantity_caption])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.quantity_label = QLabel(quantity_caption)
        self.quantity_edit = QLineEdit()
        self.quantity_edit.setObjectName("stockQuantityEdit")
        self.quantity_edit.setEnabled(False)
        self.remove_button = QPushButton("Remove line")
        self.remove_button.setAutoDefault(False)
        self.remove_button.setEnabled(False)

        quantity_row = QHBoxLayout()
        quantity_row.addWidget(self.quantity_label)
        quantity_row.addWidget(self.quantity_edit, 1)
        quantity_row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.results)
        layout.addWidget(self.table, 1)
        layout.addLayout(quantity_row)

        self.search_edit.textChanged.connect(self._search_text_changed)
        self.search_edit.returnPressed.connect(self._search_entered)
        self.results.product_chosen.connect(self.add_product)
        self.results.searched.connect(self._searched)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.quantity_edit.textChanged.connect(self._quantity_typed)
        self.quantity_edit.returnPressed.connect(self.focus_search)
        self.remove_button.clicked.connect(self.remove_selected)

    # ----- adding products ---------------------------------------------------------------------

    def add_code(self, code: str) -> None:
        """A scanned (or typed) barcode."""
        stock = self._stock
        self._ops.read(lambda: stock.find(code), self.add_level, self._lookup_failed)

    def add_product(self, product: ProductView) -> None:
        """A product picked from the search results."""
        stock, product_id = self._stock, product.id
        self.search_edit.clear()
        self._ops.read(lambda: stock.level(product_id), self.add_level, self._lookup_failed)

    def add_level(self, level: StockLevelView) -> None:
        row = self.draft.add(level)
        self.problem.emit("")
        self._render()
        self.table.selectRow(row)
        # Ready to type the quantity over the "1" (24 crates: scan one, type 24, Enter); the
        # next scan works from here too, and Enter goes back to the search box.
        self.quantity_edit.setFocus()
        self.quantity_edit.selectAll()

    def _lookup_failed(self, exc: BaseException) -> None:
        self.problem.emit(plain_message(exc))
        if isinstance(exc, InvalidBarcode):
            self.focus_search()

    # ----- search ------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def _search_text_changed(self, text: str) -> None:
        self.results.setVisible(bool(text.strip()))
        self.results.search(text)

    def _search_entered(self) -> None:
        text = self.search_edit.text().strip()
        if text.isdigit():  # a code typed by hand: as if scanned
            self.search_edit.clear()
            self.add_code(text)
        elif text:
            self.results.choose_current()

    def _searched(self, text: str, count: int) -> None:
        if count == 0:
            self.problem.emit(f'No product matches "{text}".')

    # ----- the lines ---------------------------------------------------------------------------

    def set_quantity_caption(self, caption: str) -> None:
        self.quantity_label.setText(caption)
        self.table.setHorizontalHeaderItem(QUANTITY_COLUMN, QTableWidgetItem(caption))

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row < 0:
            return
        self.draft.remove(row)
        self._render()
        if self.draft.lines:
            self.table.selectRow(min(row, len(self.draft.lines) - 1))
        self.focus_search()

    def _render(self) -> None:
        self._loading = True
        self.table.setRowCount(len(self.draft.lines))
        for row, line in enumerate(self.draft.lines):
            level = line.level
            on_hand = level.on_hand_text if level.known else f"{level.on_hand_text} (this till)"
            for column, text in enumerate((level.name, on_hand, line.quantity)):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(RIGHT)
                self.table.setItem(row, column, item)
        self._loading = False
        self._selection_changed()

    def _selection_changed(self) -> None:
        row = self.selected_row()
        has_line = 0 <= row < len(self.draft.lines)
        self.quantity_edit.setEnabled(has_line)
        self.remove_button.setEnabled(has_line)
        self._loading = True
        if has_line:
            line = self.draft.lines[row]
            self.quantity_edit.setText(line.quantity)
            self.quantity_edit.setPlaceholderText(f"in {line.level.unit_hint}")
        else:
            self.quantity_edit.clear()
        self._loading = False

    def _quantity_typed(self, text: str) -> None:
        if self._loading:
            return
        row = self.selected_row()
        if row < 0:
            return
        self.draft.set_quantity(row, text)
        item = self.table.item(row, QUANTITY_COLUMN)
        if item is not None:
            item.setText(text)
