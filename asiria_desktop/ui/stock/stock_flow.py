"""Drives the Stock key (F11): the menu, then the receive or adjust screen; after a save the
banner says what changed and the status bar counts the new unsent event."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from asiria_desktop.services.results import StockResult
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.stock.stock_dialogs import (
    AdjustStockDialog,
    ReceiveGoodsDialog,
    StockMenuDialog,
)


class StockFlow(QObject):
    message = Signal(str, str)  # text, level: for the banner
    stock_changed = Signal(object)  # the StockResult of a save

    def __init__(self, ops: Operations, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._ops = ops
        self._parent = parent_widget
        self.menu: StockMenuDialog | None = None
        self.dialog: ReceiveGoodsDialog | AdjustStockDialog | None = None  # the last opened

    def show_menu(self) -> None:
        menu = StockMenuDialog(self._parent)
        menu.chosen.connect(self.open_screen)
        self.menu = menu
        menu.open()

    def open_screen(self, action: str) -> None:
        if action == "receive":
            dialog: ReceiveGoodsDialog | AdjustStockDialog = ReceiveGoodsDialog(
                self._ops, self._parent
            )
        else:
            dialog = AdjustStockDialog(self._ops, self._parent)
        dialog.saved.connect(self._saved)
        self.dialog = dialog
        dialog.open()

    def _saved(self, result: StockResult) -> None:
        self.message.emit(result.message, "success")
        self.stock_changed.emit(result)
