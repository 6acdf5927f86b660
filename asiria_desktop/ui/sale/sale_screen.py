"""The sale screen: search, cart and totals, product grid, receipt preview and the action keys.

Every change goes to the sale session in the background and comes back as a fresh CartView,
which the screen shows as is. Errors land in the banner; the sale in progress is never dropped.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from asiria_desktop.domain.errors import InvalidBarcode
from asiria_desktop.services.results import (
    CartView,
    ProductView,
    RefundResult,
    SaleResult,
    ScanOutcome,
)
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.devices.camera_scan_dialog import CameraScanDialog
from asiria_desktop.ui.payment.payment_dialog import PaymentDialog
from asiria_desktop.ui.returns.refund_dialog import RefundDialog
from asiria_desktop.ui.sale.action_bar import ActionBar
from asiria_desktop.ui.sale.line_actions import LineActions
from asiria_desktop.ui.sale.paid_later_strip import PaidLaterStrip
from asiria_desktop.ui.sale.quantity_dialog import QuantityDialog
from asiria_desktop.ui.sale.quick_add_dialog import QuickAddDialog
from asiria_desktop.ui.sale.screen_base import Changed


class SaleScreen(LineActions):
    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
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
        self._layout.addWidget(self.actions_bar)
        self.camera_button.clicked.connect(self.scan_with_camera)
        self.search_edit.textChanged.connect(self._search_text_changed)
        self.search_edit.returnPressed.connect(self._search_entered)
        self.search_edit.arrow_pressed.connect(self._arrow)
        self.results.product_chosen.connect(self.add_product)
        self.results.searched.connect(self._searched)
        self.grid.product_chosen.connect(self.add_product)
        self.preview.reprint_requested.connect(self.reprint)
        self.payment_dialog: PaymentDialog | None = None
        self.paid_later = PaidLaterStrip()
        self._layout.insertWidget(2, self.paid_later)  # under the banners, above the cart
        self.paid_later.claim_requested.connect(self.claim_paid_later)
        watch = ops.services.mpesa_watch
        if watch is not None:
            watch.on_news(self.paid_later.news_arrived.emit)

    # -- adding items ----------------------------------------------------------------------

    def scan(self, code: str) -> None:
        """A scanned (or typed) code: the session looks it up and adds it."""
        session = self._session
        self._ops.run(
            lambda: Changed(session.scan(code), session.view()),
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

    def _scanned(self, result: Changed[ScanOutcome], code: str = "") -> None:
        outcome = result.outcome
        self.show_cart(result.view, outcome.line_id)
        if outcome.ignored:  # the scanner's trailing Enter repeated the same code
            return
        if outcome.added:
            self.banner.clear()
        elif outcome.needs_weight and (product_id := outcome.product_id):
            catalog = self._ops.services.catalog
            self._ops.read(lambda: catalog.get(product_id), self.add_product)
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

    def _quick_added(self, product: ProductView) -> None:
        self.banner.show_message(f"{product.name} added to the catalog.", "success")
        self.add_product(product)

    def add_product(self, product: ProductView) -> None:
        if product.sold_by_weight:
            dialog = QuantityDialog(product.name, True, parent=self)
            dialog.chosen.connect(lambda _qty, milli: self._add(product, None, milli))
            dialog.open()
        else:
            self._add(product, 1, None)

    def _add(self, product: ProductView, qty: int | None, qty_milli: int | None) -> None:
        session = self._session
        if self.search_edit.text():
            self.search_edit.clear()
        self._change(lambda: session.add_product(product.id, qty=qty or 1, qty_milli=qty_milli))
        self.focus_search()

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

    # -- paying ----------------------------------------------------------------------------

    def pay(self) -> None:
        self._ops.run(self._session.view, self._open_payment)

    def _open_payment(self, view: CartView) -> None:
        self._payment_for(view)

    def _payment_for(self, view: CartView) -> PaymentDialog | None:
        """The payment screen of the sale in progress (None, and a word, while it is empty)."""
        self.show_cart(view)
        if view.is_empty:
            self.banner.show_message("Nothing to pay yet: scan an item first.", "info")
            return None
        dialog = PaymentDialog(self._ops, view, self)
        dialog.completed.connect(self._sale_completed)
        dialog.finished.connect(lambda _code: self._after_payment())
        self.payment_dialog = dialog
        dialog.open()
        return dialog

    def _sale_completed(self, result: SaleResult) -> None:
        self.preview.show_receipt(result.receipt_no, result.receipt_text)
        level = "success" if result.printed else "warning"
        self.banner.show_message(result.message, level)
        self.sale_completed.emit(result)

    def _after_payment(self) -> None:
        self.refresh()
        self.focus_search()
        self.recount_paid_later()

    # -- M-Pesa paid after the till stopped waiting ------------------------------------------

    def start(self) -> None:
        super().start()
        self.recount_paid_later()  # payments found by syncs before this login

    def recount_paid_later(self) -> None:
        """The strip from the till's own records (a sale or a claim may have used a payment)."""
        watch = self._ops.services.mpesa_watch
        if watch is not None:
            self._ops.read(watch.recount, self.paid_later.show_news, lambda _exc: None)

    def claim_paid_later(self) -> None:
        """The strip's Claim: the payment screen of the sale in progress, its claim list open."""
        self._ops.run(self._session.view, self._open_claim)

    def _open_claim(self, view: CartView) -> None:
        if view.is_empty:
            self.show_cart(view)
            self.banner.show_message(
                "Scan the items this M-Pesa payment is for, then press Claim payment.", "info"
            )
            return
        dialog = self._payment_for(view)
        if dialog is not None:
            dialog.claim_mpesa()

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

    def _refunded(self, result: RefundResult) -> None:
        self.preview.show_receipt(result.refund_no, result.slip_text, "refund")
        self.banner.show_message(result.message, "success")
