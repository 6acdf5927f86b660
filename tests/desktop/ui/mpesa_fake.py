"""A scripted ``MpesaGateway``: what the cloud would answer about prompts and claims."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

from asiria_desktop.domain.mpesa import PromptState
from asiria_desktop.ports.cloud import CloudUnavailable
from asiria_desktop.ports.mpesa import (
    MpesaRefused,
    MpesaUnavailable,
    PromptOverLimit,
    TillNumberPayment,
)

# Daraja's result code -> the attempt's status on the cloud (cloud_api/payments/mpesa/stk.py).
STATUS_OF = {0: "succeeded", 1032: "cancelled", 1037: "timeout", 1019: "timeout"}


@dataclass
class FakeMpesaGateway:
    result_code: int | None = 0  # how the next prompts end; None: never answered
    pending_polls: int = 1  # polls that still say "pending" before the result shows
    offline: bool = False
    receipt_missing: bool = False  # M-Pesa says paid but the receipt number never came
    daraja_down: bool = False
    limit_cents: int | None = None  # the cloud's per-prompt limit, when lower than the till's
    till_payments: list[TillNumberPayment] = field(default_factory=list)
    started: list[PromptState] = field(default_factory=list)
    callers: set[str] = field(default_factory=set)  # the threads the till called from
    # When set, every status answer is held (already worked out) until the test releases it:
    # an answer that arrives after the cashier has acted.
    answer_gate: threading.Event | None = None
    _polls: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start_prompt(self, phone: str, amount_cents: int, reference: str) -> PromptState:
        self._reachable()
        if self.daraja_down:
            raise MpesaUnavailable("M-Pesa did not answer: Daraja is busy. No prompt was sent.")
        if self.limit_cents is not None and amount_cents > self.limit_cents:
            kes = f"{self.limit_cents // 100:,}"
            raise PromptOverLimit(f"M-Pesa takes at most KES {kes} per prompt.", self.limit_cents)
        with self._lock:
            state = PromptState(f"attempt-{len(self.started) + 1}", "pending", amount_cents, phone)
            self.started.append(state)
            self._polls[state.attempt_id] = 0
        return state

    def prompt_state(self, attempt_id: str) -> PromptState:
        state = self._prompt_state(attempt_id)
        if self.answer_gate is not None:
            self.answer_gate.wait(30)
        return state

    def _prompt_state(self, attempt_id: str) -> PromptState:
        self._reachable()
        with self._lock:
            index = int(attempt_id.split("-")[1]) - 1
            state = self.started[index]
            if state.is_final:
                return state
            self._polls[attempt_id] += 1
            if self.result_code is None or self._polls[attempt_id] <= self.pending_polls:
                return state
            return self._finish(index, self.result_code)

    def pay(self, attempt_id: str) -> None:
        """The customer enters their PIN for this one prompt; the others keep waiting."""
        with self._lock:
            self._finish(int(attempt_id.split("-")[1]) - 1, 0)

    def _finish(self, index: int, code: int) -> PromptState:
        final = replace(
            self.started[index],
            status=STATUS_OF.get(code, "failed"),
            result_code=code,
            result_desc="" if code == 0 else f"Daraja result {code}",
            receipt=f"SKP{index + 1:07d}" if code == 0 and not self.receipt_missing else None,
        )
        self.started[index] = final
        return final

    def pay_later(self, attempt_id: str) -> None:
        """The customer entered their PIN after the till stopped waiting."""
        self.result_code, self.pending_polls = 0, 0
        self._prompt_state(attempt_id)

    def claim_till_payment(self, phone: str, amount_cents: int) -> TillNumberPayment:
        self._reachable()
        for payment in self.till_payments:
            if payment.phone == phone and payment.amount_cents == amount_cents:
                self.till_payments.remove(payment)
                return payment
        raise MpesaRefused("No unclaimed M-Pesa payment of this amount from this phone.")

    def _reachable(self) -> None:
        self.callers.add(threading.current_thread().name)
        if self.offline:
            raise CloudUnavailable("The cloud can't be reached: no network or the server is down.")
