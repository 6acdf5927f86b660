""" "Send prompt to phone": the customer's phone asks for their M-Pesa PIN while the till counts
down and asks the cloud how the prompt stands, in the background (the window never freezes).

Only a confirmed payment leaves this dialog (``paid``: amount and M-Pesa receipt number); an
amount above M-Pesa's per-transaction limit goes as several prompts, one after the other.
Closing while waiting loses nothing: the prompt is kept on the till, and one the customer pays
later is on the "Claim M-Pesa payment" screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from asiria_desktop.domain.mpesa import SUCCEEDED, PromptState, display_phone, outcome_words
from asiria_desktop.services.sale.mpesa import MpesaProblem, MpesaService
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.common.widgets import center_on_parent

LATE_PAYMENT = (
    "No answer from the customer's phone in time. If they pay later, the payment is under "
    '"Claim M-Pesa payment".'
)


class MpesaPromptDialog(QDialog):
    paid = Signal(int, str)  # amount in cents, M-Pesa receipt number
    use_code = Signal(str)  # why: ask for the code from the customer's M-Pesa message
    another_tender = Signal()

    def __init__(
        self,
        ops: Operations,
        mpesa: MpesaService,
        phone: str,
        amount_cents: int,
        amount_text: Callable[[int], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mpesaPromptDialog")
        self.setWindowTitle("M-Pesa prompt")
        self.setModal(True)
        self.setMinimumSize(660, 320)
        self._ops = ops
        self._mpesa = mpesa
        self._phone = phone
        self._amount_text = amount_text  # cents -> "KES 1,234"
        self._parts: list[int] = self._mpesa.plan(amount_cents)
        self._part = 0
        self._attempt: str | None = None
        self._checking = False
        # Try again pressed while the last look at the end of the wait was still out: done
        # once that answer is back, never dropped.
        self._retry_wanted = False
        self._remaining_s = 0
        self.last_state: PromptState | None = None

        self.heading = QLabel()
        self.heading.setObjectName("mpesaHeading")
        self.heading.setWordWrap(True)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label = QLabel()
        self.status_label.setObjectName("mpesaStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = QLabel()
        self.countdown.setObjectName("mpesaCountdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.try_again_button = QPushButton("Try again")
        self.try_again_button.setObjectName("primaryButton")
        self.try_again_button.clicked.connect(self.try_again)
        self.code_button = QPushButton("Type M-Pesa code")
        self.code_button.clicked.connect(self._choose_code)
        self.other_button = QPushButton("Another tender")
        self.other_button.clicked.connect(self._choose_other)
        self.close_button = QPushButton("Close (Esc)")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.other_button, self.code_button, self.close_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.try_again_button)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addStretch(1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.countdown)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)
        self._poll = QTimer(self)
        self._poll.setInterval(int(self._mpesa.poll_seconds * 1000))
        self._poll.timeout.connect(self._check)
        self._send()

    # -- sending -------------------------------------------------------------------------------

    @property
    def waiting(self) -> bool:
        return self._attempt is not None and self._tick.isActive()

    def _show_heading(self) -> None:
        amount = self._amount_text(self._parts[self._part])
        several = f"Prompt {self._part + 1} of {len(self._parts)}: " if len(self._parts) > 1 else ""
        self.heading.setText(f"{several}{amount} to {display_phone(self._phone)}")

    def _send(self) -> None:
        self._show_heading()
        self._attempt = None
        self.last_state = None
        self._set_buttons(failed=False)
        self.status_label.setText("Sending the prompt to the customer's phone…")
        self.countdown.clear()
        mpesa, phone, amount = self._mpesa, self._phone, self._parts[self._part]
        self._ops.read(lambda: mpesa.send_prompt(phone, amount), self._sent, self._send_failed)

    def _sent(self, state: PromptState) -> None:
        if not self.isVisible():  # closed meanwhile: the prompt is kept on the till
            return
        self._attempt = state.attempt_id
        self._remaining_s = self._mpesa.wait_seconds
        self.status_label.setText("Ask the customer to enter their M-Pesa PIN on their phone.")
        self._show_countdown()
        self._tick.start()
        self._poll.start()

    def _send_failed(self, exc: BaseException) -> None:
        kind = exc.kind if isinstance(exc, MpesaProblem) else ""
        if isinstance(exc, MpesaProblem) and kind == "over_limit" and exc.limit_cents:
            # The cloud's limit is lower than the till thought: split what is left again.
            left = sum(self._parts[self._part :])
            self._parts = self._parts[: self._part] + self._mpesa.plan(left)
            self._send()
            return
        self._fail(plain_message(exc), offline=kind == "offline")

    # -- waiting -------------------------------------------------------------------------------

    def _count_down(self) -> None:
        self._remaining_s -= 1
        self._show_countdown()
        if self._remaining_s <= 0:
            self._stop_waiting()
            self._check()  # one last look: the customer may have paid in the last seconds
            self._fail(LATE_PAYMENT)

    def _show_countdown(self) -> None:
        minutes, seconds = divmod(max(0, self._remaining_s), 60)
        self.countdown.setText(f"Waiting for the customer… {minutes}:{seconds:02d}")

    def _check(self) -> None:
        if self._attempt is None or self._checking:
            return
        self._checking = True
        mpesa, attempt = self._mpesa, self._attempt
        self._ops.read(lambda: mpesa.check(attempt), self._checked, self._check_failed)

    def _checked(self, state: PromptState) -> None:
        self._checking = False
        retry, self._retry_wanted = self._retry_wanted, False
        if state.attempt_id != self._attempt or not state.is_final:
            if state.attempt_id == self._attempt:
                self.last_state = state
            if retry:
                self.try_again()
            return
        self.last_state = state
        self._stop_waiting()
        if state.paid and state.receipt:
            self.paid.emit(state.amount_cents, state.receipt)
            self._next_part(state)
            return
        # Paid without a receipt number: never prompt again (the customer would pay twice);
        # the code from the customer's M-Pesa message records it instead.
        self._fail(outcome_words(state), offline=state.status == SUCCEEDED)

    def _check_failed(self, exc: BaseException) -> None:
        # A poll that did not get through is asked again at the next tick; the countdown goes on.
        self._checking = False
        if self._retry_wanted:
            self._retry_wanted = False
            self.try_again()
            return
        if self.waiting:
            self.countdown.setText(f"{self.countdown.text()}  ({plain_message(exc)})")

    def _next_part(self, state: PromptState) -> None:
        if self._part + 1 < len(self._parts):
            self._part += 1
            self._send()
            return
        self.status_label.setText(outcome_words(state))
        self.countdown.clear()
        self.accept()

    # -- outcomes ------------------------------------------------------------------------------

    def _fail(self, message: str, *, offline: bool = False) -> None:
        self.status_label.setText(message)
        if not offline:
            self.countdown.clear()
        self._set_buttons(failed=True, offline=offline)

    def _set_buttons(self, *, failed: bool, offline: bool = False) -> None:
        self.try_again_button.setVisible(failed and not offline)
        self.code_button.setVisible(offline)
        self.other_button.setVisible(failed)
        if offline:
            self.countdown.clear()
            self.code_button.setFocus()
        elif failed:
            self.try_again_button.setFocus()

    def try_again(self) -> None:
        if self.waiting:
            return
        if self._checking:  # the last look is still out: its answer decides, then this runs
            self._retry_wanted = True
            self.status_label.setText("Checking whether the customer paid meanwhile…")
            return
        attempt = self._attempt
        if attempt is None or (self.last_state is not None and self.last_state.is_final):
            self._send()
            return
        # The till stopped waiting but the customer may have paid since: look before prompting
        # again, so nobody pays twice.
        mpesa = self._mpesa
        self._checking = True
        self.status_label.setText("Checking whether the customer paid meanwhile…")
        self._ops.read(lambda: mpesa.check(attempt), self._before_retry, self._retry_anyway)

    def _before_retry(self, state: PromptState) -> None:
        self._checking = False
        if state.attempt_id == self._attempt and state.paid:
            self._checked(state)
            return
        self._send()

    def _retry_anyway(self, exc: BaseException) -> None:
        self._checking = False
        self._send()

    def _choose_code(self) -> None:
        self._stop_waiting()
        self.use_code.emit(self.status_label.text())
        self.reject()

    def _choose_other(self) -> None:
        self._stop_waiting()
        self.another_tender.emit()
        self.reject()

    def _stop_waiting(self) -> None:
        self._tick.stop()
        self._poll.stop()

    def done(self, result: int) -> None:
        self._stop_waiting()
        super().done(result)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        center_on_parent(self)
