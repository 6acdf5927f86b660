"""The sale screen: search, cart and totals, product grid, receipt preview and the action keys.

Every change goes to the sale session in the background and comes back as a fresh CartView,
which the screen shows as is. Errors land in the banner; the sale in progress is never dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.domain.errors import InvalidBarcode
from asiria_desktop.domain.pricing import DiscountKind
from asiria_desktop.services.results import CartView
from asiria_desktop.ui.common.banner import MessageBanner
from asiria_desktop.ui.common.form_dialog import FormDialog
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.common.receipt_preview import ReceiptPreview
from asiria_desktop.ui.devices.camera_scan_dialog import CameraScanDialog
from asiria_desktop.ui.devices.printer_banner import PrinterBanner
from asiria_desktop.ui.payment.payment_dialog import PaymentDialog
from asiria_desktop.ui.returns.refund_dialog import RefundDialog
from asiria_desktop.ui.sale.action_bar import ActionBar
from asiria_desktop.ui.sale.cart_panel import CartPanel
from asiria_desktop.ui.sale.discount_dialog import DiscountDialog
from asiria_desktop.ui.sale.parked_dialog import ParkDialog, RecallDialog
from asiria_desktop.ui.sale.product_grid import ProductGrid
from asiria_desktop.ui.sale.quantity_dialog import QuantityDialog
from asiria_desktop.ui.sale.quick_add_dialog import QuickAddDialog
from asiria_desktop.ui.sale.restore_sale_dialog import RestoreSaleDialog
from asiria_desktop.ui.sale.search_panel import SearchResults
from asiria_desktop.ui.shift.shift_dialogs import AmountDialog


class SearchEdit(QLineEdit):
    """The search box keeps the keyboard: Up/Down move through the cart (or, while searching,
    into the results), Esc clears."""

    arrow_pressed = Signal(int)  # -1 up, +1 down

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.arrow_pressed.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class SaleScreen(QWidget):
    shift_requested = Signal()
    stock_requested = Signal()  # F11: receive goods, adjust stock
    logout_requested = Signal()
    sale_completed = Signal(object)

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saleScreen")
        self._ops = ops
        self._session = ops.services.sale
        self.view: Any = None
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
        self.actions_bar = ActionBar(
            {
                "search": self.focus_search,
                "price": self.change_price,
                "quantity": self.change_quantity,
                "discount": self.discount,
                "park": self.park,
                "recall": self.recall,
                "void_line": self.void_line,
                "shift": lambda: self.shift_requested.emit(),
                "refund": self.refund,
                "cancel_sale": self.cancel_sale,
                "logout": lambda: self.logout_requested.emit(),
                "stock": lambda: self.stock_requested.emit(),
                "pay": self.pay,
            }
        )
        self.actions_bar.setFixedHeight(128)

        self.camera_button = QPushButton("Camera")
        self.camera_button.setObjectName("cameraButton")
        self.camera_button.setToolTip("Scan a barcode with the camera")
        self.camera_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.camera_button.clicked.connect(self.scan_with_camera)
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
        layout.addWidget(self.actions_bar)

        self.search_edit.textChanged.connect(self._search_text_changed)
        self.search_edit.returnPressed.connect(self._search_entered)
        self.search_edit.arrow_pressed.connect(self._arrow)
        self.results.product_chosen.connect(self.add_product)
        self.results.searched.connect(self._searched)
        self.grid.product_chosen.connect(self.add_product)
        self.preview.reprint_requested.connect(self.reprint)
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

        def answered(leftover: Any) -> None:
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

    def show_cart(self, view: Any, select_line: Any = None) -> None:
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

    def show_status(self, snapshot: Any) -> None:
        """The printer strip follows the status bar's latest snapshot."""
        self.printer_banner.show_printer(
            snapshot.printer_ok, snapshot.printer_text, snapshot.printer_waiting
        )

    def _show_last_receipt(self, last: Any) -> None:
        if last is not None and not self.preview.text:
            self.preview.show_receipt(last.receipt_no, last.text, last.kind)

    # -- adding items ----------------------------------------------------------------------

    def scan(self, code: str) -> None:
        """A scanned (or typed) code: the session looks it up and adds it."""
        session = self._session
        self._ops.run(
            lambda: (session.scan(code), session.view()),
            lambda result: self._scanned(result, code),
            lambda exc: self._scan_failed(code, exc),
        )

    def scan_with_camera(self) -> None:
        camera = self._ops.services.camera
        if camera is None:
            self.banner.show_message("No camera is set up on this till.", "info")
            return
        dialog = CameraScanDialog(camera, close_on_scan=True, parent=self)
        dialog.scanned.connect(self.scan)
        dialog.finished.connect(lambda _code: self.focus_search())
        self.camera_dialog = dialog
        dialog.open()

    def _scanned(self, result: tuple[Any, Any], code: str = "") -> None:
        outcome, view = result
        self.show_cart(view, outcome.line_id)
        if outcome.ignored:  # the scanner's trailing Enter repeated the same code
            return
        if outcome.added:
            self.banner.clear()
        elif outcome.needs_weight and outcome.product_id:
            self._ops.read(
                lambda: self._ops.services.catalog.get(outcome.product_id), self.add_product
            )
        else:
            self._offer_search(outcome.message, code)

    def _scan_failed(self, code: str, exc: BaseException) -> None:
        if isinstance(exc, InvalidBarcode):
            self._offer_search(plain_message(exc))
        else:
            self.show_error(exc)

    def _offer_search(self, message: str, unknown_code: str = "") -> None:
        """A code the catalog does not know: search by name, or (a manager) add the product."""
        second = None
        if unknown_code:
            second = ("Add product (manager)", lambda: self.quick_add(unknown_code))
        self.banner.show_message(
            message,
            "warning",
            action=("Search by name (F2)", self.focus_search),
            second_action=second,
        )

    def quick_add(self, barcode: str = "") -> None:
        """Add an unknown product to the catalog (a manager approves), then to the cart."""
        dialog = QuickAddDialog(barcode, self)
        catalog = self._ops.services.catalog

        def chosen(name: str, code: str, price_cents: int, tax_class: str) -> None:
            self._ops.run_approved(
                lambda a: catalog.quick_add(name, code or None, price_cents, tax_class, a),
                self._quick_added,
            )

        dialog.chosen.connect(chosen)
        dialog.open()

    def _quick_added(self, product: Any) -> None:
        self.banner.show_message(f"{product.name} added to the catalog.", "success")
        self.add_product(product)

    def add_product(self, product: Any) -> None:
        if product.sold_by_weight:
            dialog = QuantityDialog(product.name, True, parent=self)
            dialog.chosen.connect(lambda _qty, milli: self._add(product, None, milli))
            dialog.open()
        else:
            self._add(product, 1, None)

    def _add(self, product: Any, qty: int | None, qty_milli: int | None) -> None:
        session = self._session
        if self.search_edit.text():
            self.search_edit.clear()
        self._change(lambda: session.add_product(product.id, qty=qty or 1, qty_milli=qty_milli))
        self.focus_search()

    # -- search ----------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def _search_text_changed(self, text: str) -> None:
        self.right_stack.setCurrentWidget(self.results if text.strip() else self.grid)
        self.results.search(text)

    def _search_entered(self) -> None:
        text = self.search_edit.text().strip()
        if text.isdigit():  # a code typed by hand: treat it as a scan
            self.search_edit.clear()
            self.scan(text)
        elif text:
            self.results.choose_current()

    def _arrow(self, step: int) -> None:
        if self.search_edit.text().strip():
            if step > 0 and self.results.count():
                self.results.setFocus()
                self.results.setCurrentRow(max(self.results.currentRow(), 0))
        else:
            self.cart.move_selection(step)

    def _searched(self, text: str, count: int) -> None:
        if count == 0:
            self.banner.show_message(f'No product matches "{text}".', "info")

    # -- changing lines --------------------------------------------------------------------

    def _change(self, change: Callable[[], Any], done: str | None = None) -> None:
        session = self._session
        self._ops.run(lambda: (change(), session.view()), lambda r: self._changed(r, done))

    def _change_approved(self, change: Callable[[Any], Any], done: str | None = None) -> None:
        session = self._session
        self._ops.run_approved(
            lambda approval: (change(approval), session.view()), lambda r: self._changed(r, done)
        )

    def _changed(self, result: tuple[Any, Any], done: str | None) -> None:
        outcome, view = result
        line_id = getattr(outcome, "line_id", None)  # a scan or an add names its line
        self.show_cart(view, line_id)
        if done:
            self.banner.show_message(done, "success")

    def _selected_line(self) -> Any | None:
        line = self.cart.selected_line()
        if line is None:
            self.banner.show_message("The cart is empty: scan an item first.", "info")
        return line

    def change_quantity(self) -> None:
        line = self._selected_line()
        if line is None:
            return
        dialog = QuantityDialog(line.name, line.sold_by_weight, line.qty, line.qty_milli, self)
        session, line_id = self._session, line.line_id

        def chosen(qty: int | None, qty_milli: int | None) -> None:
            if qty_milli is not None:
                self._change(lambda: session.set_weight(line_id, qty_milli))
            elif qty is not None:  # the dialog gives one of the two
                self._change(lambda: session.set_qty(line_id, qty))

        dialog.chosen.connect(chosen)
        dialog.open()

    def change_price(self) -> None:
        """F3: a new unit price for the selected line (a manager approves)."""
        line = self._selected_line()
        if line is None:
            return
        dialog = AmountDialog(
            "Change price",
            "Change price",
            "New price",
            note=f"{line.name}: now {line.unit_price_text}"
            + ("." if line.qty_milli is not None else " each."),
            parent=self,
        )
        dialog.setObjectName("priceDialog")
        session, line_id, name = self._session, line.line_id, line.name

        def chosen(cents: int, _reason: str) -> None:
            self._change_approved(
                lambda a: session.override_price(line_id, cents, approval=a),
                f"Price of {name} changed.",
            )

        dialog.chosen.connect(chosen)
        dialog.open()

    def discount(self) -> None:
        line = self.cart.selected_line()
        dialog = DiscountDialog(line, self)
        session = self._session

        def chosen(target: str, kind_word: str, value: int) -> None:
            kind = DiscountKind(kind_word)
            if target == "line" and line is not None:
                line_id = line.line_id
                self._change_approved(
                    lambda a: session.discount_line(line_id, kind, value, approval=a),
                    "Discount applied.",
                )
            else:
                self._change_approved(
                    lambda a: session.discount_cart(kind, value, approval=a), "Discount applied."
                )

        dialog.chosen.connect(chosen)
        dialog.open()

    def void_line(self) -> None:
        line = self._selected_line()
        if line is None:
            return
        session, line_id = self._session, line.line_id
        self._change_approved(
            lambda a: session.void_line(line_id, approval=a), f"{line.name} removed."
        )

    def cancel_sale(self) -> None:
        if self.view is None or self.view.is_empty:
            return
        dialog = FormDialog("Cancel this sale?", "Yes, cancel the sale", self)
        dialog.show_error("Every item and payment of this sale will be removed.")
        session = self._session
        dialog.accepted.connect(lambda: self._change(session.cancel, "Sale cancelled."))
        dialog.open()

    # -- park and recall -------------------------------------------------------------------

    def park(self) -> None:
        if self.view is not None and self.view.is_empty:
            self.banner.show_message("Nothing to park: the cart is empty.", "info")
            return
        dialog = ParkDialog(self)
        session = self._session
        dialog.chosen.connect(
            lambda label: self._change(lambda: session.park(label), "Sale parked.")
        )
        dialog.open()

    def recall(self) -> None:
        session = self._session
        self._ops.run(session.parked, self._choose_parked)

    def _choose_parked(self, parked: list[Any]) -> None:
        dialog = RecallDialog(parked, self)
        session = self._session
        dialog.chosen.connect(
            lambda parked_id: self._change(lambda: session.recall(parked_id), "Sale recalled.")
        )
        dialog.open()

    # -- paying ----------------------------------------------------------------------------

    def pay(self) -> None:
        self._ops.run(self._session.view, self._open_payment)

    def _open_payment(self, view: Any) -> None:
        self.show_cart(view)
        if view.is_empty:
            self.banner.show_message("Nothing to pay yet: scan an item first.", "info")
            return
        dialog = PaymentDialog(self._ops, view, self)
        dialog.completed.connect(self._sale_completed)
        dialog.finished.connect(lambda _code: self._after_payment())
        dialog.open()

    def _sale_completed(self, result: Any) -> None:
        self.preview.show_receipt(result.receipt_no, result.receipt_text)
        level = "success" if result.printed else "warning"
        self.banner.show_message(result.message, level)
        self.sale_completed.emit(result)

    def _after_payment(self) -> None:
        self.refresh()
        self.focus_search()

    def reprint(self, receipt_no: str) -> None:
        receipts = self._ops.services.receipts
        self._ops.run(
            lambda: receipts.reprint(receipt_no),
            lambda message: self.banner.show_message(
                message, "success" if message.endswith("reprinted.") else "warning"
            ),
        )

    # -- refunds ---------------------------------------------------------------------------

    def refund(self) -> None:
        dialog = RefundDialog(self._ops, self)
        dialog.refunded.connect(self._refunded)
        dialog.open()

    def _refunded(self, result: Any) -> None:
        self.preview.show_receipt(result.refund_no, result.slip_text, "refund")
        self.banner.show_message(result.message, "success")
