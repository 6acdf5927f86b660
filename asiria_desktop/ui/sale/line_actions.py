"""The sale screen's actions on the cart: quantity, price, discount, void, cancel, park, recall."""

from __future__ import annotations

from asiria_desktop.domain.pricing import DiscountKind
from asiria_desktop.services.results import ParkedView
from asiria_desktop.ui.common.form_dialog import FormDialog
from asiria_desktop.ui.sale.discount_dialog import DiscountDialog
from asiria_desktop.ui.sale.parked_dialog import ParkDialog, RecallDialog
from asiria_desktop.ui.sale.quantity_dialog import QuantityDialog
from asiria_desktop.ui.sale.screen_base import SaleScreenBase
from asiria_desktop.ui.shift.shift_dialogs import AmountDialog


class LineActions(SaleScreenBase):
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

    def _choose_parked(self, parked: list[ParkedView]) -> None:
        dialog = RecallDialog(parked, self)
        session = self._session
        dialog.chosen.connect(
            lambda parked_id: self._change(lambda: session.recall(parked_id), "Sale recalled.")
        )
        dialog.open()
