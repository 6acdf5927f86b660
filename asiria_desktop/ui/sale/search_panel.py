"""Type-ahead product search: the search runs off the GUI thread as the cashier types."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from asiria_desktop.services.results import ProductView
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.sale.product_text import price_text

DEBOUNCE_MS = 120
LIMIT = 30


class SearchResults(QListWidget):
    """The results list; `search(text)` is called on each edit and only the latest answer shows."""

    product_chosen = Signal(object)
    searched = Signal(str, int)  # text, number of results: lets the screen say "nothing found"

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchResults")
        self._ops = ops
        self._text = ""
        self._request = 0
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._run)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)

    def search(self, text: str) -> None:
        self._text = text.strip()
        if not self._text:
            self._debounce.stop()  # an answer to the last keystroke would say "no match"
            self._request += 1
            self.clear()
            return
        self._debounce.start()

    def choose_current(self) -> bool:
        item = self.currentItem() or self.item(0)
        if item is None:
            return False
        self._activated(item)
        return True

    def _run(self) -> None:
        self._request += 1
        request, text = self._request, self._text
        catalog = self._ops.services.catalog
        self._ops.read(
            lambda: catalog.search(text, limit=LIMIT), lambda found: self._show(request, found)
        )

    def _show(self, request: int, products: list[ProductView]) -> None:
        if request != self._request:  # a newer keystroke already asked again
            return
        self.clear()
        for product in products:
            item = QListWidgetItem(f"{product.name}    {price_text(product)}")
            item.setData(Qt.ItemDataRole.UserRole, product)
            self.addItem(item)
        if products:
            self.setCurrentRow(0)
        self.searched.emit(self._text, len(products))

    def _activated(self, item: QListWidgetItem) -> None:
        self.product_chosen.emit(item.data(Qt.ItemDataRole.UserRole))
