"""Errors the till shows to people.

Every error carries a plain-language ``.message`` that the UI shows as is, so a cashier can act on
it without calling support ("Card payment can't be more than the 150.00 still due.").
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidAmount(DomainError):
    """A money amount that can't be read or is out of range."""


class InvalidBarcode(DomainError):
    """A scanned or typed code that can't be a barcode (the UI then offers a search)."""


class InvalidQuantity(DomainError):
    """A quantity or weight that doesn't fit the line."""


class LineNotFound(DomainError):
    """A cart or sale line id that doesn't exist (any more)."""


class EmptyCart(DomainError):
    """A sale can't be completed, parked or paid with nothing in it."""


class PaymentError(DomainError):
    """A tender that isn't allowed (overpaying by card, missing M-Pesa code, not fully paid...)."""


class RefundError(DomainError):
    """A refund that isn't allowed (more than was sold, wrong unit, nothing to refund...)."""


class ShiftError(DomainError):
    """A shift operation that isn't allowed (no open shift, Z report without a count...)."""


class PermissionDenied(DomainError):
    """The person (or the approver) may not do this at all."""


class ApprovalRequired(DomainError):
    """The action needs a manager's PIN; ``action`` says which one (a ``permissions.Action``)."""

    def __init__(self, action: str, message: str) -> None:
        super().__init__(message)
        self.action = action
