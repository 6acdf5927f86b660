"""Payment: split tender (cash, card, M-Pesa with its reference), change due shown big.

M-Pesa is taken by a prompt to the customer's phone (``MpesaPromptDialog``: the payment is added
only once M-Pesa confirms it, with its receipt number as reference), by claiming a payment that
arrived meanwhile (``MpesaClaimDialog``), or by typing the code from the customer's message
(offline, or paid to the till number; the cloud checks typed codes after sync).

Each tender goes to the sale session as it is entered; the session's view says what is still
due and the change. "Complete sale" commits the sale (in the background) and then the dialog
shows the change in large type until the cashier starts the next sale.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.domain.errors import DomainError, InvalidAmount
from asiria_desktop.domain.money import format_amount, parse_money
from asiria_desktop.domain.mpesa import shillings_text
from asiria_desktop.services.results import CartView, SaleResult
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.common.widgets import error_line
from asiria_desktop.ui.payment.customer_dialog import CustomerRow
from asiria_desktop.ui.payment.mpesa_claim_dialog import MpesaClaimDialog
from asiria_desktop.ui.payment.mpesa_prompt_dialog import MpesaPromptDialog

METHODS = (("cash", "Cash", "F1"), ("card", "Card", "F2"), ("mpesa", "M-Pesa", "F3"))


class PaymentDialog(QDialog):
    completed = Signal(object)  # the SaleResult

    def __init__(self, ops: Operations, view: CartView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentDialog")
        self.setWindowTitle("Payment")
        self.setModal(True)
        self.setMinimumSize(640, 700)
        self._ops = ops
        self._session = ops.services.sale
        self._busy = False
        self.result_of_sale: SaleResult | None = None

        self.due_caption = QLabel("TO PAY")
        self.due_caption.setObjectName("dueCaption")
        self.due_value = QLabel()
        self.due_value.setObjectName("dueValue")
        self.due_value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.total_label = QLabel()
        self.total_label.setObjectName("paymentTotal")

        self._methods = QButtonGroup(self)
        method_row = QHBoxLayout()
        self.method_buttons: dict[str, QPushButton] = {}
        for code, name, key in METHODS:
            button = QPushButton(f"{name}  {key}")
            button.setObjectName("methodButton")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, c=code: self.choose_method(c))
            self._methods.addButton(button)
            method_row.addWidget(button)
            self.method_buttons[code] = button
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(lambda c=code: self.choose_method(c))

        self.amount_edit = QLineEdit()
        self.amount_edit.setObjectName("amountEdit")
        self.amount_edit.setPlaceholderText("Amount")
        self.reference_label = QLabel("M-Pesa code")
        self.reference_edit = QLineEdit()
        self.reference_edit.setObjectName("referenceEdit")
        self.reference_edit.setPlaceholderText("e.g. QK12AB34CD")
        self.add_button = QPushButton("Add payment (Enter)")
        self.add_button.setObjectName("addPaymentButton")
        self.add_button.clicked.connect(self.add_tender)
        form = QGridLayout()
        form.addWidget(QLabel("Amount"), 0, 0)
        form.addWidget(self.amount_edit, 0, 1)
        form.addWidget(self.reference_label, 1, 0)
        form.addWidget(self.reference_edit, 1, 1)
        form.addWidget(self.add_button, 0, 2, 2, 1)
        self.phone_label = QLabel("Customer's phone")
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("mpesaPhoneEdit")
        self.phone_edit.setPlaceholderText("0712 345 678")
        self.prompt_button = QPushButton("Send prompt to phone  F4")
        self.prompt_button.setObjectName("sendPromptButton")
        self.prompt_button.clicked.connect(self.send_prompt)
        self.claim_button = QPushButton("Claim M-Pesa payment  F6")
        self.claim_button.setObjectName("claimMpesaButton")
        self.claim_button.clicked.connect(self.claim_mpesa)
        QShortcut(QKeySequence("F4"), self).activated.connect(self.send_prompt)
        QShortcut(QKeySequence("F6"), self).activated.connect(self.claim_mpesa)
        form.addWidget(self.phone_label, 2, 0)
        form.addWidget(self.phone_edit, 2, 1)
        form.addWidget(self.prompt_button, 2, 2)
        self.prompt_dialog: MpesaPromptDialog | None = None
        self.claim_dialog: MpesaClaimDialog | None = None

        self.payments_list = QListWidget()
        self.payments_list.setObjectName("paymentsList")
        self.payments_list.setMaximumHeight(130)
        self.remove_button = QPushButton("Remove payment")
        self.remove_button.clicked.connect(self.remove_selected)

        self.change_caption = QLabel("CHANGE")
        self.change_caption.setObjectName("changeCaption")
        self.change_value = QLabel("0.00")
        self.change_value.setObjectName("changeValue")
        self.change_value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error_label = error_line()

        self.cancel_button = QPushButton("Back to sale (Esc)")
        self.cancel_button.clicked.connect(self.reject)
        self.complete_button = QPushButton("Complete sale  F12")
        self.complete_button.setObjectName("payButton")
        self.complete_button.clicked.connect(self.complete_or_close)
        QShortcut(QKeySequence("F12"), self).activated.connect(self.complete_or_close)

        due_row = QHBoxLayout()
        due_row.addWidget(self.due_caption)
        due_row.addWidget(self.due_value, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.cancel_button)
        bottom.addStretch(1)
        bottom.addWidget(self.complete_button)
        layout = QVBoxLayout(self)
        layout.addLayout(due_row)
        layout.addWidget(self.total_label)
        layout.addLayout(method_row)
        layout.addLayout(form)
        layout.addWidget(self.payments_list)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.remove_button)
        list_buttons.addStretch(1)
        list_buttons.addWidget(self.claim_button)
        layout.addLayout(list_buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(self.change_caption, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.change_value)
        self.customer_row = CustomerRow(self, ops)
        layout.addWidget(self.customer_row)
        layout.addLayout(bottom)

        # Enter is handled in keyPressEvent: no button may grab it as the dialog default.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self._view = view
        self.choose_method("cash")
        self.show_view(view)

    # -- tendering ---------------------------------------------------------------------------

    def choose_method(self, method: str) -> None:
        if self.result_of_sale is not None:
            return
        self._method = method
        self.method_buttons[method].setChecked(True)
        is_mpesa = method == "mpesa"
        self.reference_label.setVisible(is_mpesa)
        self.reference_edit.setVisible(is_mpesa)
        prompts = is_mpesa and self._ops.services.mpesa is not None
        for widget in (self.phone_label, self.phone_edit, self.prompt_button, self.claim_button):
            widget.setVisible(prompts)
        self._prefill_amount()
        if prompts:
            self.phone_edit.setFocus()
            return
        self.amount_edit.setFocus()
        self.amount_edit.selectAll()

    # -- M-Pesa by prompt or claim -------------------------------------------------------------

    def send_prompt(self) -> None:
        """Prompt the customer's phone for the amount typed (several prompts above the limit)."""
        mpesa = self._ops.services.mpesa
        if self._busy or self.result_of_sale is not None or mpesa is None:
            return
        if self._method != "mpesa":
            self.choose_method("mpesa")
        try:
            cents = parse_money(self.amount_edit.text().strip())
            mpesa.plan(cents)  # whole shillings only
        except DomainError as exc:
            self.error_label.setText(exc.message)
            return
        if cents <= 0 or cents > self._view.balance_due_cents:
            due = format_amount(self._view.balance_due_cents)
            self.error_label.setText(f"Prompt at most the {due} still due.")
            return
        if not self.phone_edit.text().strip():
            self.error_label.setText("Type the customer's M-Pesa phone number first.")
            self.phone_edit.setFocus()
            return
        self.error_label.clear()
        dialog = MpesaPromptDialog(
            self._ops, mpesa, self.phone_edit.text(), cents, shillings_text, self
        )
        dialog.paid.connect(self._add_mpesa_paid)
        dialog.use_code.connect(self._use_code)
        dialog.another_tender.connect(lambda: self.choose_method("cash"))
        self.prompt_dialog = dialog
        dialog.open()

    def claim_mpesa(self) -> None:
        mpesa = self._ops.services.mpesa
        if self._busy or self.result_of_sale is not None or mpesa is None:
            return
        in_cart = [p.reference for p in self._view.payments if p.reference]
        dialog = MpesaClaimDialog(
            self._ops, mpesa, in_cart, self._view.balance_due_cents, shillings_text, self
        )
        dialog.claimed.connect(self._add_mpesa_paid)
        self.claim_dialog = dialog
        dialog.open()

    def _add_mpesa_paid(self, cents: int, receipt: str) -> None:
        """A confirmed M-Pesa payment: its receipt number is the payment's reference."""
        session = self._session

        def work() -> CartView:
            session.add_payment("mpesa", cents, reference=receipt)
            return session.view()

        self._start()
        self._ops.run(work, self._tender_added, self._failed)

    def _prompt_wanted(self) -> bool:
        """Enter with a phone number and no code typed means "send the prompt"."""
        return (
            self.phone_edit.isVisible()
            and bool(self.phone_edit.text().strip())
            and not self.reference_edit.text().strip()
        )

    def _use_code(self, reason: str) -> None:
        """The prompt can't record this payment (no cloud, or no receipt number came): the code
        from the customer's M-Pesa message does."""
        self.choose_method("mpesa")
        self.error_label.setText(reason)
        self.reference_edit.setFocus()

    def add_tender(self) -> None:
        if self._busy or self.result_of_sale is not None:
            return
        text = self.amount_edit.text().strip()
        try:
            cents = parse_money(text)
        except InvalidAmount as exc:
            self.error_label.setText(exc.message)
            return
        method = self._method
        reference = (self.reference_edit.text().strip() or None) if method == "mpesa" else None
        session = self._session

        def work() -> CartView:
            session.add_payment(method, cents, reference=reference)
            return session.view()

        self._start()
        self._ops.run(work, self._tender_added, self._failed)

    def remove_selected(self) -> None:
        item = self.payments_list.currentItem()
        if item is None or self._busy or self.result_of_sale is not None:
            return
        payment_id = item.data(Qt.ItemDataRole.UserRole)
        session = self._session

        def work() -> CartView:
            session.remove_payment(payment_id)
            return session.view()

        self._start()
        self._ops.run(work, self._tender_added, self._failed)

    def _tender_added(self, view: CartView) -> None:
        self._stop()
        self.reference_edit.clear()
        self.show_view(view)
        if view.balance_due_cents > 0:
            self.choose_method("cash")

    def show_view(self, view: CartView) -> None:
        self._view = view
        self.error_label.clear()
        self.total_label.setText(f"Sale total {view.total_text}")
        self.payments_list.clear()
        for payment in view.payments:
            name = payment.label
            reference = f"   {payment.reference}" if payment.reference else ""
            item = QListWidgetItem(f"{name}   {payment.amount_text}{reference}")
            item.setData(Qt.ItemDataRole.UserRole, payment.id)
            self.payments_list.addItem(item)
        paid = view.balance_due_cents <= 0
        self.due_caption.setText("PAID" if paid else "TO PAY")
        self.due_value.setText(view.balance_due_text)
        self.change_value.setText(view.change_text)
        self.change_value.setProperty("hasChange", view.change_cents > 0)
        self.change_value.style().unpolish(self.change_value)
        self.change_value.style().polish(self.change_value)
        self.complete_button.setEnabled(paid)
        self._prefill_amount()
        if paid:
            self.complete_button.setFocus()

    def _prefill_amount(self) -> None:
        due = self._view.balance_due_cents
        self.amount_edit.setText(format_amount(due) if due > 0 else "")
        self.amount_edit.selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            paid = self._view.balance_due_cents <= 0
            if self.result_of_sale is not None or paid:
                self.complete_or_close()
            elif self._method == "mpesa" and self._prompt_wanted():
                self.send_prompt()
            else:
                self.add_tender()
            return
        super().keyPressEvent(event)

    # -- completing -----------------------------------------------------------------------

    def complete_or_close(self) -> None:
        if self.result_of_sale is not None:
            self.accept()
            return
        if self._busy or not self.complete_button.isEnabled():
            return
        self._start()
        self.error_label.setText("Saving the sale…")
        self._ops.run(self._session.complete, self._completed, self._failed)

    def _completed(self, result: SaleResult) -> None:
        self._stop()
        self.result_of_sale = result
        self.error_label.clear()
        self.due_caption.setText("DONE")
        self.due_value.setText(result.receipt_no)
        self.change_caption.setText("GIVE CHANGE")
        self.change_value.setText(result.change_text)
        for widget in (self.amount_edit, self.reference_edit, self.add_button, self.remove_button):
            widget.setEnabled(False)
        self.customer_row.finish()
        for button in self.method_buttons.values():
            button.setEnabled(False)
        self.cancel_button.hide()
        self.complete_button.setText("Next sale (Enter)")
        self.complete_button.setEnabled(True)
        self.complete_button.setFocus()
        self.completed.emit(result)

    def reject(self) -> None:
        # After the sale is saved, Esc simply moves on; while saving, wait for the answer.
        if self._busy:
            return
        if self.result_of_sale is not None:
            self.accept()
            return
        super().reject()

    def _failed(self, exc: BaseException) -> None:
        self._stop()
        self.error_label.setText(plain_message(exc))

    def _start(self) -> None:
        self._busy = True
        self.add_button.setEnabled(False)
        self.complete_button.setEnabled(False)

    def _stop(self) -> None:
        self._busy = False
        self.add_button.setEnabled(True)
        self.complete_button.setEnabled(self._view.balance_due_cents <= 0)
