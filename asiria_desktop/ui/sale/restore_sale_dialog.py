"""After a crash: the sale that was being rung up, offered back to restore or discard."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from asiria_desktop.services.sale.open_cart import LeftoverSale
from asiria_desktop.ui.common.form_dialog import FormDialog


class RestoreSaleDialog(FormDialog):
    """Restore is the default (Enter). Discard asks once more, and is not offered for a sale
    holding payments (money was taken: restore it and finish it, or give the money back).
    Esc does nothing: the cashier has to choose, or the sale would be left hanging."""

    restore_chosen = Signal()
    discard_chosen = Signal()

    def __init__(self, leftover: LeftoverSale, parent: QWidget | None = None) -> None:
        super().__init__("Sale in progress", "Restore the sale (Enter)", parent)
        self.setObjectName("restoreSaleDialog")
        self.question = QLabel(leftover.question)
        self.question.setObjectName("restoreQuestion")
        self.question.setWordWrap(True)
        note = QLabel(
            f"The till stopped at {leftover.saved_at:%H:%M} while this sale was being rung up."
        )
        note.setWordWrap(True)
        self.form.addRow(self.question)
        self.form.addRow(note)
        self.discard_button = self.cancel_button
        self.discard_button.setText("Discard it")
        self.discard_button.clicked.disconnect()
        self.discard_button.clicked.connect(self._discard_pressed)
        self._confirming = False
        if leftover.has_payments:
            self.discard_button.setEnabled(False)
            self.show_error("It has payments: restore it, then finish it or give the money back.")
        self.ok_button.setFocus()

    def submit(self) -> None:
        self.restore_chosen.emit()
        self.accept()

    def reject(self) -> None:
        """Esc: no choice made, so the question stays."""

    def _discard_pressed(self) -> None:
        if not self._confirming:
            self._confirming = True
            self.discard_button.setText("Yes, discard it")
            self.show_error("Every item of this sale will be removed.")
            return
        self.discard_chosen.emit()
        self.done(0)
