"""Touch product grid: a row of category buttons and big product buttons below."""

from __future__ import annotations

import textwrap

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.services.results import CategoryView, ProductView
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.sale.product_text import price_text

COLUMNS = 3
CATEGORY_COLUMNS = 3
NAME_WRAP = 14


class ProductGrid(QWidget):
    product_chosen = Signal(object)  # a ProductView

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._categories = QButtonGroup(self)
        self._categories.setExclusive(True)
        # Categories wrap onto rows rather than scroll sideways: every one stays one tap away.
        self._category_bar = QGridLayout()
        self._category_bar.setSpacing(6)
        bar = QWidget()
        bar.setLayout(self._category_bar)
        self._grid = QGridLayout()
        self._grid.setSpacing(8)
        grid_host = QWidget()
        grid_host.setObjectName("gridHost")
        outer_grid = QVBoxLayout(grid_host)
        outer_grid.setContentsMargins(0, 0, 0, 0)
        outer_grid.addLayout(self._grid)
        outer_grid.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(grid_host)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bar)
        layout.addWidget(scroll, 1)
        self.product_buttons: list[QPushButton] = []
        self._request = 0

    def load(self) -> None:
        catalog = self._ops.services.catalog
        self._ops.read(catalog.categories, self._show_categories)

    def _show_categories(self, categories: list[CategoryView]) -> None:
        for button in self._categories.buttons():
            self._categories.removeButton(button)
            button.deleteLater()
        for position, category in enumerate(categories):
            button = QPushButton(category.name.replace("&", "&&"))
            button.setObjectName("categoryButton")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, c=category: self.show_category(c.id))
            self._categories.addButton(button)
            self._category_bar.addWidget(
                button, position // CATEGORY_COLUMNS, position % CATEGORY_COLUMNS
            )
        if categories:
            self._categories.buttons()[0].setChecked(True)
            self.show_category(categories[0].id)

    def show_category(self, category_id: str) -> None:
        self._request += 1
        request = self._request
        catalog = self._ops.services.catalog
        self._ops.read(
            lambda: catalog.in_category(category_id),
            lambda products: self._show_products(request, products),
        )

    def _show_products(self, request: int, products: list[ProductView]) -> None:
        if request != self._request:  # the cashier already picked another category
            return
        for button in self.product_buttons:
            self._grid.removeWidget(button)
            button.deleteLater()
        self.product_buttons = []
        for position, product in enumerate(products):
            name = "\n".join(textwrap.wrap(product.name, NAME_WRAP)[:3]).replace("&", "&&")
            button = QPushButton(f"{name}\n{price_text(product)}")
            button.setToolTip(product.name)
            button.setObjectName("productButton")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            # Ignored width: long names must not widen the grid beyond the panel.
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setMinimumHeight(84)
            button.clicked.connect(lambda _=False, p=product: self.product_chosen.emit(p))
            self._grid.addWidget(button, position // COLUMNS, position % COLUMNS)
            self.product_buttons.append(button)
