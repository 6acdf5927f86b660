"""Taking a tender: the rules a payment must meet before the cart keeps it (more than zero,
only cash over what is due, a well-formed M-Pesa code used once, a short reference)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .cart_types import PAYMENT_LABELS, PaymentEntry, PaymentMethod
from .errors import PaymentError
from .money import MAX_CENTS, Currency, format_amount

_MPESA_CODE = re.compile(r"[A-Z0-9]{8,12}")


def accept_tender(
    method: PaymentMethod,
    amount_cents: int,
    reference: str | None,
    *,
    due_cents: int,
    taken: Sequence[PaymentEntry],
    new_id: Callable[[], str],
    currency: Currency,
) -> PaymentEntry:
    """The payment to add to a cart that still has ``due_cents`` to pay and has ``taken``
    these; raises ``PaymentError`` in the cashier's words if it can't be taken."""
    label = PAYMENT_LABELS[method]
    if amount_cents <= 0:
        raise PaymentError(f"{label} payment must be more than zero.")
    if amount_cents > MAX_CENTS:
        raise PaymentError(f"{label} payment is too large.")
    if due_cents == 0:
        raise PaymentError("Nothing more is due on this sale.")
    if method is not PaymentMethod.CASH and amount_cents > due_cents:
        raise PaymentError(
            f"{label} payment can't be more than the "
            f"{format_amount(due_cents, currency)} still due."
        )
    reference = (reference or "").strip() or None
    if method is PaymentMethod.MPESA:
        reference = (reference or "").upper()
        if not _MPESA_CODE.fullmatch(reference):
            raise PaymentError(
                "Enter the M-Pesa code from the customer's message (like SKO3ZQ8H2J)."
            )
        if any(p.reference == reference for p in taken):
            raise PaymentError(f"M-Pesa code {reference} is already used on this sale.")
    elif method is PaymentMethod.CASH:
        reference = None
    if reference is not None and len(reference) > 64:
        raise PaymentError("That payment reference is too long (64 characters at most).")
    return PaymentEntry(new_id(), method, amount_cents, reference)
