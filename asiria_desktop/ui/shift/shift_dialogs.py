"""Shift: open with a float, X report, cash in/out, no sale, and close with a Z report."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from asiria_desktop.domain.errors import InvalidAmount
from asiria_desktop.domain.money import parse_money
from asiria_desktop.services.results import ShiftView
from asiria_desktop.ui.common.form_dialog import FormDialog


class AmountDialog(FormDialog):
    """Asks for an amount (and optionally a reason); emits `chosen(cents, reason)`."""

    chosen = Signal(int, str)

    def __init__(
        self,
        title: str,
        ok_text: str,
        amount_caption: str,
        *,
        ask_reason: bool = False,
        note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, ok_text, parent)
        if note:
            text = QLabel(note)
            text.setWordWrap(True)
            self.form.addRow(text)
        self.amount_edit = QLineEdit()
        self.amount_edit.setObjectName("amountEdit")
        self.amount_edit.setPlaceholderText("0.00")
        self.form.addRow(amount_caption, self.amount_edit)
        self.reason_edit: QLineEdit | None = None
        if ask_reason:
            self.reason_edit = QLineEdit()
            self.reason_edit.setObjectName("reasonEdit")
            self.form.addRow("Reason", self.reason_edit)
        self.amount_edit.setFocus()

    def submit(self) -> None:
        try:
            cents = parse_money(self.amount_edit.text().strip())
        except InvalidAmount as exc:
            self.show_error(exc.message)
            return
        reason = self.reason_edit.text().strip() if self.reason_edit else ""
        if self.reason_edit is not None and not reason:
            self.show_error("Say why the cash moves, e.g. 'Paid the delivery'.")
            return
        self.chosen.emit(cents, reason)
        self.accept()


def open_shift_dialog(parent: QWidget | None = None) -> AmountDialog:
    return AmountDialog(
        "Open shift",
        "Open shift",
        "Cash in drawer (float)",
        note="No shift is open on this till. Count the cash in the drawer to start selling.",
        parent=parent,
    )


def close_shift_dialog(parent: QWidget | None = None) -> AmountDialog:
    return AmountDialog(
        "Close shift (Z report)",
        "Close shift",
        "Cash counted in drawer",
        note="Count all the cash in the drawer. The Z report shows any difference.",
        parent=parent,
    )


class ShiftDialog(FormDialog):
    """The shift menu; each button emits `chosen(action)` and closes the menu."""

    chosen = Signal(str)
    ACTIONS = (
        ("x_report", "X report (so far)"),
        ("cash_in", "Cash in"),
        ("cash_out", "Cash out"),
        ("no_sale", "Open drawer (no sale)"),
        ("close", "Close shift (Z report)"),
        ("void_sale", "Void a sale (manager)"),
        ("devices", "Device settings (manager)"),
        ("security", "Sign-in and security (manager)"),
        ("today", "Today's figures (manager)"),
    )
    NO_SHIFT_ACTIONS = (
        ("open", "Open shift"),
        ("devices", "Device settings (manager)"),
        ("security", "Sign-in and security (manager)"),
        ("today", "Today's figures (manager)"),
    )

    def __init__(self, shift: ShiftView | None, parent: QWidget | None = None) -> None:
        super().__init__("Shift", "Close menu", parent)
        self.ok_button.hide()
        if shift is None:
            summary = "No shift is open."
        else:
            opened = shift.opened_at.astimezone().strftime("%d %b %H:%M")
            summary = f"Opened {opened} by {shift.cashier_name}, float {shift.opening_float_text}."
        self.form.addRow(QLabel(summary))
        grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        actions = self.ACTIONS if shift is not None else self.NO_SHIFT_ACTIONS
        for position, (action, text) in enumerate(actions):
            button = QPushButton(text)
            button.setObjectName("shiftAction")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, a=action: self._choose(a))
            grid.addWidget(button, position // 2, position % 2)
            self.buttons[action] = button
        self.form.addRow(grid)

    def _choose(self, action: str) -> None:
        self.chosen.emit(action)
        self.accept()
