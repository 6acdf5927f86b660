"""How the dashboard shows stored integers: money as people read it, quantities in units."""

from __future__ import annotations

from typing import Any

from django import template

from cloud_api.core.admin_display import money as money_text
from cloud_api.core.admin_display import quantity as quantity_text

register = template.Library()


@register.filter
def money(cents: int | None, currency: str = "KES") -> str:
    """``49350|money:"KES"`` -> ``KES 493.50``."""
    return money_text(cents, currency or "KES")


@register.filter
def quantity(milli: int | None, sold_by: str = "unit") -> str:
    return quantity_text(milli, sold_by)


@register.filter
def signed_percent(value: int | None) -> str:
    if value is None:
        return ""
    return f"+{value}%" if value > 0 else f"{value}%"


@register.filter
def heat(cents: int, peak: int) -> int:
    """0..100: how hot a heat-map cell is against the busiest one."""
    return round(cents * 100 / peak) if peak else 0


@register.filter
def per_day(milli: int | None, sold_by: str = "unit") -> str:
    """A rate of sale to one decimal ("1.0 pcs", "2.4 kg"): an average, not a count."""
    if milli is None:
        return "-"
    tenths = (int(milli) + 50) // 100
    unit = "kg" if sold_by == "weight" else "pcs"
    return f"{tenths // 10:,}.{tenths % 10} {unit}"


def report_cell(value: Any, kind: str) -> str:
    """A report cell as the owner reads it: 1,234.50 (money), 3 or 1.250 (quantities),
    12.5% (percentages), dates as 2026-12-07; empty for nothing."""
    if value is None or value == "":
        return ""
    if kind == "money":
        cents = int(value)
        sign = "-" if cents < 0 else ""
        return f"{sign}{abs(cents) // 100:,}.{abs(cents) % 100:02d}"
    if kind == "qty_milli":
        milli = int(value)
        sign = "-" if milli < 0 else ""
        whole, part = divmod(abs(milli), 1000)
        return f"{sign}{whole:,}" if part == 0 else f"{sign}{whole:,}.{part:03d}"
    if kind == "count":
        return f"{int(value):,}"
    if kind == "percent":
        return f"{float(value):.1f}%"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


@register.filter
def percent_of(share: float | None) -> str:
    """A share of 1 as a percentage people read: 0.084 -> "8.4%", 0.5 -> "50%"."""
    if share is None:
        return "-"
    value = round(share * 100, 1)
    return f"{value:g}%" if value >= 1 or value == 0 else f"{value:.1f}%"


@register.filter
def about_quantity(milli: int | None, sold_by: str = "unit") -> str:
    """An expected amount, not a count: whole pieces ("215 pcs") or tenths of a kg ("2.4 kg")."""
    if milli is None:
        return "-"
    if sold_by == "weight":
        tenths = (int(milli) + 50) // 100
        return f"{tenths // 10:,}.{tenths % 10} kg"
    units = (int(milli) + 500) // 1000
    return f"{units:,} pc{'' if units == 1 else 's'}"
