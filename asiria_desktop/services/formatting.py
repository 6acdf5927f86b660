"""Display strings the services add to their views (money formatting itself is the domain's)."""

from __future__ import annotations

from asiria_desktop.domain.money import Currency, format_amount


def qty_text(qty: int | None, qty_milli: int | None) -> str:
    if qty_milli is not None:
        kg, grams = divmod(qty_milli, 1000)
        return f"{kg}.{grams:03d} kg"
    return str(qty or 0)


def money_text(cents: int, currency: Currency) -> str:
    return format_amount(cents, currency)
