"""Display strings the services add to their views (money formatting itself is the domain's)."""

from __future__ import annotations

from typing import Protocol

from asiria_desktop.domain.money import Currency, format_amount
from asiria_desktop.domain.wording import plural

__all__ = ["money_text", "plural", "qty_text", "unit_price_text"]


class _PricedLine(Protocol):
    @property
    def unit_price_cents(self) -> int: ...

    @property
    def qty_milli(self) -> int | None: ...


def qty_text(qty: int | None, qty_milli: int | None) -> str:
    if qty_milli is not None:
        kg, grams = divmod(qty_milli, 1000)
        return f"{kg}.{grams:03d} kg"
    return str(qty or 0)


def money_text(cents: int, currency: Currency) -> str:
    return format_amount(cents, currency)


def unit_price_text(line: _PricedLine, currency: Currency) -> str:
    """A line's price per piece, or per kg for a weighed line ("120.00 /kg")."""
    price = format_amount(line.unit_price_cents, currency)
    return f"{price} /kg" if line.qty_milli is not None else price
