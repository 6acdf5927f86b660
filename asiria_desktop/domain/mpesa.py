"""M-Pesa as the till sees it: the customer's phone number, prompt amounts and what a finished
prompt means in words a cashier can say to the customer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import DomainError

_SEPARATORS = re.compile(r"[\s\-().]")
# Safaricom numbers: 07XX and 01XX, nine digits after the leading 0 or the country code 254.
_LOCAL = re.compile(r"^0([17]\d{8})$")
_INTERNATIONAL = re.compile(r"^\+?254([17]\d{8})$")

PHONE_HELP = "Type the customer's M-Pesa number like 0712 345 678 or +254 712 345 678."
DEFAULT_MAX_PROMPT_CENTS = 250_000_00  # Safaricom's per-transaction limit, KES 250,000


class PhoneNumberInvalid(DomainError):
    def __init__(self) -> None:
        super().__init__(PHONE_HELP)


def normalise_phone(raw: str) -> str:
    """07XX / 01XX / 2547XX / +2547XX (spaces and dashes allowed) -> 2547XXXXXXXX."""
    text = _SEPARATORS.sub("", raw or "")
    for pattern in (_LOCAL, _INTERNATIONAL):
        match = pattern.match(text)
        if match:
            return "254" + match.group(1)
    raise PhoneNumberInvalid()


def display_phone(phone: str) -> str:
    """2547XXXXXXXX -> 0712 345 678, the way a Kenyan reads a number back."""
    if len(phone) == 12 and phone.startswith("254"):
        local = "0" + phone[3:]
        return f"{local[:4]} {local[4:7]} {local[7:]}"
    return phone


def shillings_text(cents: int) -> str:
    """An M-Pesa amount as the customer's phone shows it: ``180000`` -> ``"KES 1,800"`` (M-Pesa
    moves whole shillings; an amount with cents keeps them, so nothing is hidden)."""
    whole, cents_part = divmod(cents, 100)
    return f"KES {whole:,}" if not cents_part else f"KES {whole:,}.{cents_part:02d}"


WHOLE_SHILLINGS = "M-Pesa takes whole shillings only: prompt the shillings, take the cents in cash."


class NotWholeShillings(DomainError):
    def __init__(self) -> None:
        super().__init__(WHOLE_SHILLINGS)


def split_prompts(amount_cents: int, limit_cents: int) -> list[int]:
    """The fewest prompts (whole shillings, each within the per-transaction limit, as even as
    possible) that add up to ``amount_cents``."""
    if amount_cents <= 0:
        return []
    if amount_cents % 100:
        raise NotWholeShillings()
    shillings = amount_cents // 100
    limit = max(1, limit_cents // 100)
    parts = -(-shillings // limit)
    base, extra = divmod(shillings, parts)
    return [(base + (1 if index < extra else 0)) * 100 for index in range(parts)]


def limit_from_message(message: str) -> int | None:
    """The per-prompt limit out of the cloud's refusal ("... at most KES 250,000 per prompt")."""
    match = re.search(r"at most [A-Z]{3} ([\d,]+) per prompt", message or "")
    return int(match.group(1).replace(",", "")) * 100 if match else None


# ----- outcomes ---------------------------------------------------------------------------------

PENDING = "pending"
SUCCEEDED = "succeeded"
FAILED = "failed"
CANCELLED = "cancelled"
TIMEOUT = "timeout"
FINAL_STATUSES = frozenset({SUCCEEDED, FAILED, CANCELLED, TIMEOUT})

# Daraja's result codes a customer can do something about, in the cashier's words.
RESULT_WORDS = {
    1032: "The customer cancelled the M-Pesa prompt on their phone.",
    1: "The customer's M-Pesa balance is too low for this amount.",
    2001: "The customer entered a wrong M-Pesa PIN.",
    1037: "The customer's phone could not be reached: check that it is on and has network.",
    1019: "The prompt expired before the customer answered it.",
    1025: "M-Pesa could not send the prompt to this phone: try again.",
    1001: "The customer is busy with another M-Pesa payment: wait a moment and try again.",
}


@dataclass(frozen=True)
class PromptState:
    """One prompt as the cloud reports it."""

    attempt_id: str
    status: str  # pending | succeeded | failed | cancelled | timeout
    amount_cents: int
    phone: str
    result_code: int | None = None
    result_desc: str = ""
    receipt: str | None = None

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def paid(self) -> bool:
        return self.status == SUCCEEDED and bool(self.receipt)


def outcome_words(state: PromptState) -> str:
    """What to tell the customer about a finished prompt."""
    if state.paid:
        return f"Paid. M-Pesa receipt {state.receipt}."
    if state.result_code is not None and state.result_code in RESULT_WORDS:
        return RESULT_WORDS[state.result_code]
    if state.status == CANCELLED:
        return RESULT_WORDS[1032]
    if state.status == TIMEOUT:
        return "The customer did not answer the M-Pesa prompt in time."
    if state.status == SUCCEEDED:  # paid, but the receipt number is not known yet
        return "M-Pesa says paid but sent no receipt number: ask for the M-Pesa message code."
    reason = state.result_desc.strip().rstrip(".")
    return (
        f"M-Pesa did not take the payment ({reason})."
        if reason
        else ("M-Pesa did not take the payment.")
    )
