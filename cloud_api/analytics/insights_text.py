"""Words and numbers as a shop owner reads them: shillings without cents, plain plurals."""

from __future__ import annotations

from datetime import date

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def money(cents: float, currency: str) -> str:
    """Whole shillings, as on the dashboard's figures ("KES 12,400"): an owner reads an average
    sale of KES 668, not 667.86."""
    value = round(cents / 100)
    sign = "-" if value < 0 else ""
    return f"{currency} {sign}{abs(value):,}"


def plural(count: float, noun: str) -> str:
    number = f"{count:g}" if isinstance(count, float) else f"{count:,}"
    return f"{number} {noun}" + ("" if count == 1 else "s")


def weekday_name(day: date | int) -> str:
    return WEEKDAYS[day if isinstance(day, int) else day.weekday()]


def quantity(milli: int, *, by_weight: bool) -> str:
    """Units sold ("412 units") or weight ("12.5 kg") from thousandths."""
    if by_weight:
        return f"{milli / 1000:,.1f} kg".replace(".0 kg", " kg")
    units = round(milli / 1000)
    return plural(units, "unit")


def percent(change: float) -> str:
    """A relative change as a whole percentage: 0.183 -> "18%"."""
    return f"{abs(round(change * 100))}%"
