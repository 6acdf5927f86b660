"""Receipt numbers, unique per store: each till numbers its own sales under its own prefix
(``S01-T02-000123``), and the server numbers the sales people enter through the API in the
store's own series (``S01-W-000001``). So no one can take a number a till will use.
"""

from __future__ import annotations

from django.db.models import F

from cloud_api.accounts.models import Store, Terminal
from cloud_api.core.errors import ApplicationError

PEOPLE_SERIES = "W"  # terminal codes are T01, T02...; "W" is refused as one (Terminal.clean)


def terminal_prefix(terminal: Terminal) -> str:
    return f"{terminal.store.code}-{terminal.code}-"


def terminal_receipt_problem(*, terminal: Terminal, receipt_no: str | None) -> str | None:
    """Why a till may not use this receipt number (it is another till's), or None."""
    prefix = terminal_prefix(terminal)
    if receipt_no and receipt_no.startswith(prefix) and receipt_no[len(prefix) :].isdigit():
        return None
    return (
        f"Receipt number {receipt_no or '(none)'} is not this till's: its receipts are "
        f"numbered {prefix}<number>."
    )


def terminal_receipt_check(*, terminal: Terminal, receipt_no: str | None) -> None:
    problem = terminal_receipt_problem(terminal=terminal, receipt_no=receipt_no)
    if problem is not None:
        raise ApplicationError(problem, fields={"receipt_no": [problem]})


def people_receipt_next(store: Store) -> str:
    """The next number of the store's series for sales entered by people. The row stays
    locked until the sale's transaction ends, so the series has no gaps or repeats."""
    Store.objects.filter(pk=store.pk).update(people_receipt_seq=F("people_receipt_seq") + 1)
    seq = Store.objects.filter(pk=store.pk).values_list("people_receipt_seq", flat=True).get()
    return f"{store.code}-{PEOPLE_SERIES}-{seq:06d}"
