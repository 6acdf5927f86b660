"""Turn any exception into words a cashier can act on; never show a traceback."""

from __future__ import annotations

import logging

from asiria_desktop.domain.errors import DomainError

log = logging.getLogger(__name__)

UNEXPECTED = (
    "Something went wrong and it was not finished. The sale is kept: try again, "
    "or call the manager if it happens again."
)


def plain_message(exc: BaseException) -> str:
    """The service's own plain-language message, or a calm generic one (logged with its trace)."""
    if isinstance(exc, DomainError):
        return exc.message
    log.error("Unexpected error in the till", exc_info=(type(exc), exc, exc.__traceback__))
    return UNEXPECTED
