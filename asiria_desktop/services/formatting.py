"""Display strings the services add to their views (money formatting itself is the domain's)."""

from __future__ import annotations

from asiria_desktop.domain.money import Currency, format_amount
from asiria_desktop.domain.wording import plural

__all__ = ["money_text", "plural", "qty_text", "unit_price_text"]


def qty_text(qty: int | None, qty_milli: int | None) -> str:
    if qty_milli is not None:
        kg, grams = divmod(qty_milli, 1000)
        return f"{kg}.{grams:03d} kg"
    return str(qty or 0)


def unit_price_text(unit_price_cents: int, qty_milli: int | None, currency: Currency) -> str:
    """A line's price: ``"80.00"`` a piece, ``"120.00/kg"`` for a weighed line."""
    text = format_amount(unit_price_cents, currency)
    return f"{text}/kg" if qty_milli is not None else text


def money_text(cents: int, currency: Currency) -> str:
    return format_amount(cents, currency)
