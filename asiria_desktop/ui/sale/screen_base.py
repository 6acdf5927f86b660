"""What the sale screen is built on: its widgets and layout, showing the cart, the banner and
the hint, and sending each change to the sale session in the background."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from asiria_desktop.services.results import (
    Approval,
    CartLineView,
    CartView,
    LastReceiptView,
    ScanOutcome,
    StatusView,
)
from asiria_desktop.services.sale.open_cart import LeftoverSale
from asiria_desktop.ui.common.banner import MessageBanner
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.common.receipt_preview import ReceiptPreview
from asiria_desktop.ui.devices.camera_scan_dialog import CameraScanDialog
from asiria_desktop.ui.devices.printer_banner import PrinterBanner
from asiria_desktop.ui.sale.cart_panel import CartPanel
from asiria_desktop.ui.sale.product_grid import ProductGrid
from asiria_desktop.ui.sale.restore_sale_dialog import RestoreSaleDialog
from asiria_desktop.ui.sale.search_edit import SearchEdit
from asiria_desktop.ui.sale.search_panel import SearchResults

Outcome = TypeVar("Outcome")


@dataclass(frozen=True)
class Changed(Generic[Outcome]):
    """What a change of the sale in progress gives back: the session's answer and the cart as
    it stands after it (read in the same background call, so the two always agree)."""

    outcome: Outcome
    view: CartView


class SaleScreenBase(QWidget):
    shift_requested = Signal()
    stock_requested = Signal()  # F11: receive goods, adjust stock
    logout_requested = Signal()
    sale_completed = Signal(object)

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saleScreen")
        self._ops = ops
        self._session = ops.services.sale
        self.view: CartView | None = None
        self.banner = MessageBanner()
        self.printer_banner = PrinterBanner()
        self.search_edit = SearchEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText("Search a product by name or code (F2)")
        self.search_edit.setClearButtonEnabled(True)
        self.cart = CartPanel(ops.services.currency.code)
        self.grid = ProductGrid(ops)
        self.results = SearchResults(ops)
        self.right_stack = QStackedWidget()
        self.right_stack.addWidget(self.grid)
        self.right_stack.addWidget(self.results)
        self.preview = ReceiptPreview()

        self.camera_button = QPushButton("Camera")
        self.camera_button.setObjectName("cameraButton")
        self.camera_button.setToolTip("Scan a barcode with the camera")
        self.camera_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.camera_button.setVisible(ops.services.camera is not None)
        self.camera_dialog: CameraScanDialog | None = None
        self.restore_dialog: RestoreSaleDialog | None = None
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.camera_button)
        # "Often bought with Bread: Butter": head office's hint for the line just added.
        self.hint_label = QLabel("")
        self.hint_label.setObjectName("basketHint")
        self.hint_label.setWordWrap(True)
        self.hint_label.setVisible(False)
        self._hint_for: tuple[str, frozenset[str], int] | None = None
        left = QVBoxLayout()
        left.addLayout(search_row)
        left.addWidget(self.cart, 1)
        left.addWidget(self.hint_label)
        middle = QVBoxLayout()
        middle.addWidget(self.right_stack, 1)
        columns = QHBoxLayout()
        columns.setSpacing(12)
        columns.addLayout(left, 6)
        columns.addLayout(middle, 5)
        columns.addWidget(self.preview)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.banner)
        layout.addWidget(self.printer_banner)
        layout.addLayout(columns, 1)
        self._layout = layout  # the action keys go underneath
        self._grid_loaded = False

    # -- starting --------------------------------------------------------------------------

    def start(self) -> None:
        """Called after each login: show the cart kept by the session, load the grid once."""
        if not self._grid_loaded:
            self._grid_loaded = True
            self.grid.load()
            # After a restart the preview shows the last receipt, with Reprint.
            self._ops.read(self._ops.services.receipts.last, self._show_last_receipt)
        self.refresh()
        self.focus_search()

    def offer_leftover(self, then: Callable[[], None]) -> None:
        """After a login: a sale cut off by a crash is offered back (restore or discard), then
        ``then`` runs (the shift check); with no such sale, ``then`` runs at once."""
        session = self._session

        def answered(leftover: LeftoverSale | None) -> None:
            if leftover is None:
                then()
                return
            dialog = RestoreSaleDialog(leftover, self)
            dialog.restore_chosen.connect(
                lambda: self._change(session.restore_leftover, "Sale restored.")
            )
            dialog.discard_chosen.connect(
                lambda: self._change(session.discard_leftover, "Sale discarded.")
            )
            dialog.finished.connect(lambda _code: then())
            self.restore_dialog = dialog
            dialog.open()

        self._ops.run(session.leftover_sale, answered)  # the session's own thread: it caches

    def refresh(self) -> None:
        self._ops.run(self._session.view, self.show_cart)

    def show_cart(self, view: CartView, select_line: str | None = None) -> None:
        self.view = view
        self.cart.show_cart(view, select_line)
        self._update_hint(view, select_line)

    def _update_hint(self, view: CartView | None, select_line: str | None) -> None:
        """Ask for the hint of the line just added (or the last one) when that product, the
        cart's products or its item count change; the lookup is one primary-key read."""
        insights = self._ops.services.insights
        lines = list(view.lines) if view is not None else []
        if insights is None or view is None or not lines:
            self._hint_for = None
            self.show_hint(None)
            return
        line = next((item for item in lines if item.line_id == select_line), lines[-1])
        in_cart = frozenset(item.product_id for item in lines)
        wanted = (line.product_id, in_cart, view.item_count)
        if wanted == self._hint_for:
            return
        self._hint_for = wanted
        self._ops.read(
            lambda: insights.hint_for(line.product_id, in_cart),
            self.show_hint,
            lambda _exc: self.show_hint(None),  # a hint is never worth an error message
        )

    def show_hint(self, text: str | None) -> None:
        self.hint_label.setText(text or "")
        self.hint_label.setVisible(bool(text))

    def show_error(self, exc: BaseException) -> None:
        self.banner.show_message(plain_message(exc), "error")

    def show_status(self, snapshot: StatusView) -> None:
        """The printer strip follows the status bar's latest snapshot."""
        self.printer_banner.show_printer(
            snapshot.printer_ok, snapshot.printer_text, snapshot.printer_waiting
        )

    def _show_last_receipt(self, last: LastReceiptView | None) -> None:
        if last is not None and not self.preview.text:
            self.preview.show_receipt(last.receipt_no, last.text, last.kind)

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # -- changing lines --------------------------------------------------------------------

    def _change(self, change: Callable[[], object], done: str | None = None) -> None:
        session = self._session
        self._ops.run(
            lambda: Changed(change(), session.view()), lambda result: self._changed(result, done)
        )

    def _change_approved(
        self, change: Callable[[Approval | None], object], done: str | None = None
    ) -> None:
        session = self._session
        self._ops.run_approved(
            lambda approval: Changed(change(approval), session.view()),
            lambda result: self._changed(result, done),
        )

    def _changed(self, result: Changed[object], done: str | None) -> None:
        # An add names its line (selected and scrolled to); other changes keep the selection.
        line_id = result.outcome.line_id if isinstance(result.outcome, ScanOutcome) else None
        self.show_cart(result.view, line_id)
        if done:
            self.banner.show_message(done, "success")

    def _selected_line(self) -> CartLineView | None:
        line = self.cart.selected_line()
        if line is None:
            self.banner.show_message("The cart is empty: scan an item first.", "info")
        return line
