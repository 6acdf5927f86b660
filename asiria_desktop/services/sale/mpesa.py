"""M-Pesa at the till: prompts to the customer's phone, their outcome, and claiming payments
that arrived while no dialog was waiting (prompts paid late, payments to the till number).

The till only talks to its cloud (``ports.mpesa.MpesaGateway``); every prompt it sends is kept
in its database first thing, so closing the payment dialog never loses a payment made later.
Calls here touch the network and the till's own prompt list, never the sale session: the UI runs
them on its read pool so they never hold up a sale.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.mpesa import (
    DEFAULT_MAX_PROMPT_CENTS,
    PromptState,
    normalise_phone,
    split_prompts,
)
from asiria_desktop.ports.cloud import CloudError, CloudUnavailable, NotEnrolled, TerminalRevoked
from asiria_desktop.ports.mpesa import (
    MpesaGateway,
    MpesaPromptStore,
    MpesaRefused,
    MpesaUnavailable,
    PromptOverLimit,
    PromptRecord,
    TillNumberPayment,
)
from asiria_desktop.services.context import TillContext
from asiria_desktop.services.formatting import money_text

log = logging.getLogger(__name__)

OFFLINE = "No connection to the cloud: ask for the M-Pesa code instead."
T = TypeVar("T")
CLAIM_WINDOW = timedelta(hours=24)  # the cloud's own window for till-number claims


class MpesaProblem(DomainError):
    """A prompt or claim did not go through. ``kind`` tells the dialog what to offer next:
    ``offline`` (type the code instead), ``refused``, ``over_limit`` (split) or
    ``unavailable`` (M-Pesa itself is down: try again or another tender)."""

    def __init__(self, message: str, kind: str, limit_cents: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.limit_cents = limit_cents


@dataclass(frozen=True)
class ClaimablePrompt:
    """A paid prompt not yet on any sale, as the claim screen lists it."""

    attempt_id: str
    receipt: str
    amount_cents: int
    amount_text: str
    phone: str
    sent_at_text: str


class MpesaService:
    def __init__(
        self,
        ctx: TillContext,
        gateway: MpesaGateway | None,
        store: MpesaPromptStore,
        *,
        max_prompt_cents: int = DEFAULT_MAX_PROMPT_CENTS,
        wait_seconds: int = 120,
        poll_seconds: float = 3.0,
    ) -> None:
        self.wait_seconds = max(1, wait_seconds)
        self.poll_seconds = max(0.2, poll_seconds)
        self._ctx = ctx
        self._gateway = gateway
        self._store = store
        self._limit = max(100, max_prompt_cents)
        self._limit_lock = threading.Lock()

    # ----- prompts -------------------------------------------------------------------------------

    @property
    def max_prompt_cents(self) -> int:
        with self._limit_lock:
            return self._limit

    def plan(self, amount_cents: int) -> list[int]:
        """The prompts that pay ``amount_cents`` (several when it is above the limit)."""
        return split_prompts(amount_cents, self.max_prompt_cents)

    def send_prompt(self, phone: str, amount_cents: int, reference: str = "") -> PromptState:
        """Ask the cloud to prompt the customer's phone; the prompt is kept on the till."""
        self._ctx.require_cashier()
        number = normalise_phone(phone)
        if amount_cents <= 0:
            raise MpesaProblem("There is nothing to pay by M-Pesa.", "refused")
        sent_at = self._ctx.clock.now()
        state = self._call(lambda gw: gw.start_prompt(number, amount_cents, reference))
        self._store.add(PromptRecord(state, sent_at, reference))
        log.info("M-Pesa prompt %s sent for %s", state.attempt_id, amount_cents)
        return state

    def check(self, attempt_id: str) -> PromptState:
        """How the prompt stands now, as the cloud knows it (kept on the till as well)."""
        state = self._call(lambda gw: gw.prompt_state(attempt_id))
        self._store.update(state)
        return state

    # ----- claims --------------------------------------------------------------------------------

    def claimable(
        self, in_cart: list[str] | None = None, *, ask_cloud: bool = True
    ) -> list[ClaimablePrompt]:
        """Paid prompts of the last day that no sale holds: saved, parked, kept from before a
        crash, or this one (pending prompts are asked about again first, unless ``ask_cloud``
        is false; offline, the till's own list is shown)."""
        since = self._ctx.clock.now() - CLAIM_WINDOW
        records = self._store.since(since)
        states = [
            self._refreshed(record.state) if ask_cloud else record.state for record in records
        ]
        receipts = [s.receipt for s in states if s.paid and s.receipt]
        taken = (
            self._store.receipts_on_sales(receipts)
            | self._store.receipts_held(receipts)
            | set(in_cart or [])
        )
        currency = self._ctx.settings.currency
        found = []
        for record, state in zip(records, states, strict=True):
            if state.paid and state.receipt and state.receipt not in taken:
                found.append(
                    ClaimablePrompt(
                        attempt_id=state.attempt_id,
                        receipt=state.receipt,
                        amount_cents=state.amount_cents,
                        amount_text=money_text(state.amount_cents, currency),
                        phone=state.phone,
                        sent_at_text=record.sent_at.strftime("%H:%M"),
                    )
                )
        return found

    def claim_till_payment(self, phone: str, amount_cents: int) -> TillNumberPayment:
        """Take for this sale a payment the customer made to the till number."""
        self._ctx.require_cashier()
        number = normalise_phone(phone)
        if amount_cents <= 0:
            raise MpesaProblem("Type the amount shown on the customer's M-Pesa message.", "refused")
        return self._call(lambda gw: gw.claim_till_payment(number, amount_cents))

    # ----- plumbing ------------------------------------------------------------------------------

    def _refreshed(self, state: PromptState) -> PromptState:
        if state.is_final or self._gateway is None:
            return state
        try:
            return self.check(state.attempt_id)
        except MpesaProblem:
            return state

    def _call(self, request: Callable[[MpesaGateway], T]) -> T:
        if self._gateway is None:
            raise MpesaProblem(OFFLINE, "offline")
        try:
            return request(self._gateway)
        except PromptOverLimit as exc:
            if exc.limit_cents:
                with self._limit_lock:
                    self._limit = max(100, exc.limit_cents)
            raise MpesaProblem(exc.message, "over_limit", self.max_prompt_cents) from exc
        except MpesaRefused as exc:
            raise MpesaProblem(exc.message, "refused") from exc
        except MpesaUnavailable as exc:
            raise MpesaProblem(exc.message, "unavailable") from exc
        except (CloudUnavailable, NotEnrolled, TerminalRevoked) as exc:
            log.info("M-Pesa through the cloud not possible: %s", exc.message)
            raise MpesaProblem(OFFLINE, "offline") from exc
        except CloudError as exc:
            raise MpesaProblem(f"The cloud could not do it: {exc.message}", "unavailable") from exc
