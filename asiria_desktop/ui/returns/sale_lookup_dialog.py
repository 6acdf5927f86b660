"""The screen shape shared by refunds and voids: find a past sale by its receipt number, show it,
then run one manager-approved action on it.

A subclass lays out what it shows of the sale (``show_sale``), says whether the action may run
(``can_act``) and starts it with ``run_action``; finding, scans routed from the main window, the
plain-language errors and re-enabling the action button after a failure live here once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QWidget

from asiria_desktop.services.results import Approval, SaleDetailView
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.common.widgets import error_line
from asiria_desktop.ui.returns.receipt_finder import ReceiptFinder

T = TypeVar("T")


class SaleLookupDialog(QDialog):
    def __init__(
        self,
        ops: Operations,
        *,
        object_name: str,
        title: str,
        edit_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.setModal(True)
        self._ops = ops
        self._sale: SaleDetailView | None = None
        self.heading = QLabel(title)
        self.heading.setObjectName("dialogTitle")
        self.error_label = error_line()
        self.finder = ReceiptFinder(
            ops,
            edit_name=edit_name,
            status=self.error_label,
            on_found=self._found,
            on_failed=self._failed,
        )
        self.receipt_edit, self.find_button = self.finder.edit, self.finder.button

    @property
    def action_button(self) -> QPushButton:
        """The button that runs the action (refund, void): set by the subclass."""
        raise NotImplementedError

    def show_sale(self, sale: SaleDetailView) -> None:
        """Lay out the sale just found and enable what may be done with it."""
        raise NotImplementedError

    def can_act(self, sale: SaleDetailView) -> bool:
        """Whether the action may run on this sale (after a failure, the button comes back)."""
        return not sale.voided

    def accept_scan(self, code: str) -> None:
        """A receipt scanned while this screen is open (the main window routes scans here)."""
        self.finder.accept_scan(code)

    def run_action(
        self, work: Callable[[Approval | None], T], on_done: Callable[[T], None]
    ) -> None:
        """Run the action off the GUI thread, asking a manager when the service wants one."""
        self.action_button.setEnabled(False)
        self._ops.run_approved(work, on_done, self._failed, parent=self)

    def _found(self, sale: SaleDetailView) -> None:
        self._sale = sale
        self.show_sale(sale)

    def _failed(self, exc: BaseException) -> None:
        self.action_button.setEnabled(self._sale is not None and self.can_act(self._sale))
        self.error_label.setText(plain_message(exc))
