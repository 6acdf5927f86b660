"""M-Pesa through the cloud: the till asks its cloud for prompts and claims (it holds no M-Pesa
secret), and keeps its own list of the prompts it sent so none is lost when a dialog closes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from asiria_desktop.domain.mpesa import PromptState
from asiria_desktop.ports.cloud import CloudError


class MpesaRefused(CloudError):
    """The cloud or M-Pesa said no to this request (a wrong number, no such payment, ...):
    the message says why, in words for the cashier."""

    retryable = False


class PromptOverLimit(MpesaRefused):
    """The amount is above M-Pesa's per-transaction limit: send it as several prompts."""

    def __init__(self, message: str, limit_cents: int | None) -> None:
        super().__init__(message)
        self.limit_cents = limit_cents


class MpesaUnavailable(CloudError):
    """The cloud answered, but M-Pesa (Daraja) did not: no prompt was sent."""


@dataclass(frozen=True)
class TillNumberPayment:
    """A payment the customer made to the store's till number, claimed for this sale."""

    receipt: str
    amount_cents: int
    phone: str
    first_name: str = ""


class MpesaGateway(Protocol):
    """The cloud's M-Pesa endpoints. Every method raises a ``CloudError``."""

    def start_prompt(self, phone: str, amount_cents: int, reference: str) -> PromptState: ...

    def prompt_state(self, attempt_id: str) -> PromptState: ...

    def claim_till_payment(self, phone: str, amount_cents: int) -> TillNumberPayment: ...


@dataclass(frozen=True)
class PromptRecord:
    """A prompt this till sent, as kept in its database."""

    state: PromptState
    sent_at: datetime
    reference: str = ""


class MpesaPromptStore(Protocol):
    def add(self, record: PromptRecord) -> None: ...

    def update(self, state: PromptState) -> None: ...

    def get(self, attempt_id: str) -> PromptRecord | None: ...

    def since(self, moment: datetime) -> list[PromptRecord]:
        """The prompts sent at or after ``moment``, newest first."""
        ...

    def receipts_on_sales(self, receipts: list[str]) -> set[str]:
        """Which of these M-Pesa receipts are already payments of a saved sale."""
        ...

    def receipts_held(self, receipts: list[str]) -> set[str]:
        """Which of these M-Pesa receipts are payments of a sale held at this till: a parked
        sale, or the sale in progress kept on disk (one a crash cut off included)."""
        ...
