""" "Claim M-Pesa payment": attach to this sale a payment that reached the store while no
payment dialog was waiting for it: a prompt paid after its dialog closed, or money the
customer sent to the till number themselves (found by phone number and amount)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.domain.errors import InvalidAmount
from asiria_desktop.domain.money import format_amount, parse_money
from asiria_desktop.domain.mpesa import display_phone
from asiria_desktop.ports.mpesa import TillNumberPayment
from asiria_desktop.services.sale.mpesa import ClaimablePrompt, MpesaService
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.common.widgets import center_on_parent, error_line


def section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("claimSection")
    return label


def amount_typed(cents: int) -> str:
    """What is due, as the customer's M-Pesa message shows it: whole shillings without ".00"."""
    if cents <= 0:
        return ""
    return f"{cents // 100:,}" if cents % 100 == 0 else format_amount(cents)


class MpesaClaimDialog(QDialog):
    claimed = Signal(int, str)  # amount in cents, M-Pesa receipt number

    def __init__(
        self,
        ops: Operations,
        mpesa: MpesaService,
        in_cart: list[str],
        due_cents: int,
        amount_text: Callable[[int], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mpesaClaimDialog")
        self.setWindowTitle("Claim M-Pesa payment")
        self.setModal(True)
        self.setMinimumSize(560, 480)
        self._ops = ops
        self._mpesa = mpesa
        self._due = due_cents
        self._amount_text = amount_text

        self.prompts_list = QListWidget()
        self.prompts_list.setObjectName("claimablePrompts")
        self.prompts_list.itemDoubleClicked.connect(lambda _item: self.use_prompt())
        self.use_button = QPushButton("Use for this sale")
        self.use_button.setObjectName("primaryButton")
        self.use_button.clicked.connect(self.use_prompt)
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("claimPhoneEdit")
        self.phone_edit.setPlaceholderText("0712 345 678")
        self.amount_edit = QLineEdit(amount_typed(due_cents))
        self.amount_edit.setObjectName("claimAmountEdit")
        self.find_button = QPushButton("Find payment")
        self.find_button.clicked.connect(self.find_till_payment)
        self.error_label = error_line()
        close = QPushButton("Close (Esc)")
        close.clicked.connect(self.reject)
        for button in (self.use_button, self.find_button, close):
            button.setAutoDefault(False)

        till_number = QGridLayout()
        till_number.addWidget(QLabel("Customer's phone"), 0, 0)
        till_number.addWidget(self.phone_edit, 0, 1)
        till_number.addWidget(QLabel("Amount paid"), 1, 0)
        till_number.addWidget(self.amount_edit, 1, 1)
        till_number.addWidget(self.find_button, 0, 2, 2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(section("Prompts paid but not on any sale"))
        layout.addWidget(self.prompts_list)
        layout.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(section("Paid to the till number"))
        layout.addLayout(till_number)
        layout.addWidget(self.error_label)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)

        self.error_label.setText("Looking for paid prompts…")
        mpesa = self._mpesa
        ops.read(lambda: mpesa.claimable(in_cart), self._show_prompts, self._failed)

    def _show_prompts(self, prompts: list[ClaimablePrompt]) -> None:
        self.error_label.clear()
        self.prompts_list.clear()
        for prompt in prompts:
            item = QListWidgetItem(
                f"{prompt.sent_at_text}   {self._amount_text(prompt.amount_cents)}   "
                f"{display_phone(prompt.phone)}"
                f"   {prompt.receipt}"
            )
            item.setData(Qt.ItemDataRole.UserRole, (prompt.amount_cents, prompt.receipt))
            self.prompts_list.addItem(item)
        if prompts:
            self.prompts_list.setCurrentRow(0)
        else:
            self.error_label.setText("No paid prompt is waiting to be claimed.")
        self.use_button.setEnabled(bool(prompts))

    def use_prompt(self) -> None:
        item = self.prompts_list.currentItem()
        if item is None:
            return
        amount, receipt = item.data(Qt.ItemDataRole.UserRole)
        if amount > self._due:
            self.error_label.setText(
                f"This payment of {self._amount_text(amount)} is more than the "
                f"{self._amount_text(self._due)} still due: add items or use it on another sale."
            )
            return
        self.claimed.emit(amount, receipt)
        self.accept()

    def find_till_payment(self) -> None:
        try:
            cents = parse_money(self.amount_edit.text().strip())
        except InvalidAmount as exc:
            self.error_label.setText(exc.message)
            return
        if cents > self._due:
            self.error_label.setText(
                f"That is more than the {self._amount_text(self._due)} still due."
            )
            return
        phone, mpesa = self.phone_edit.text(), self._mpesa
        self.find_button.setEnabled(False)
        self.error_label.setText("Looking for the payment…")
        self._ops.read(lambda: mpesa.claim_till_payment(phone, cents), self._found, self._failed)

    def _found(self, payment: TillNumberPayment) -> None:
        self.find_button.setEnabled(True)
        self.claimed.emit(payment.amount_cents, payment.receipt)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.find_button.setEnabled(True)
        self.error_label.setText(plain_message(exc))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        center_on_parent(self)
