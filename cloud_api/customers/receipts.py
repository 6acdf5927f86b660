"""The body parameters of the ``asiria_receipt`` template: receipt number, total, items.

The approved template reads, for example: "Thank you for shopping with us. Receipt {{1}},
total {{2}}. Items: {{3}}." Graph refuses a parameter with a new line or more than 1,024
characters, so the item list is one line that names the first few items and counts the rest.
"""

from __future__ import annotations

from cloud_api.sales.models import Sale
from cloud_api.sales.tax import money_text

ITEMS_NAMED = 5
ITEMS_TEXT_LIMIT = 300


def quantity_text(qty: int | None, qty_milli: int | None) -> str:
    """What a customer reads: ``2 x`` for counted goods, ``1.25 kg`` for weighed ones."""
    if qty_milli is not None:
        whole, fraction = divmod(qty_milli, 1000)
        text = f"{whole}.{fraction:03d}".rstrip("0").rstrip(".")
        return f"{text} kg"
    return f"{qty or 0} x"


def receipt_parameters(sale: Sale) -> list[str]:
    lines = list(sale.lines.order_by("line_no"))
    named = [
        f"{quantity_text(line.qty, line.qty_milli)} {' '.join(line.name.split())}"
        for line in lines[:ITEMS_NAMED]
    ]
    items = ", ".join(named)
    if len(items) > ITEMS_TEXT_LIMIT:
        items = items[: ITEMS_TEXT_LIMIT - 3].rsplit(" ", 1)[0] + "..."
    if len(lines) > ITEMS_NAMED:
        items += f" and {len(lines) - ITEMS_NAMED} more"
    return [sale.receipt_no, f"{sale.currency} {money_text(sale.total_cents)}", items]
