"""How the admin shows stored integers to people: money in the currency's main unit
("KES 493.50", never cents) and stock in pieces or kilograms ("43 pcs", "0.750 kg", never
thousandths). One place, so every admin page says amounts the same way."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from datetime import datetime
from operator import attrgetter

from django.contrib import admin
from django.db.models import Model
from django.utils.formats import date_format
from django.utils.html import format_html

# An admin column: called with the admin and the row, it gives the cell's text.
Column = Callable[[object, Model], str]

WEIGHT = "weight"  # catalog.SoldBy.WEIGHT; core does not import the catalog app
NO_BREAK = "\u00a0"  # a column never breaks "KES 220.00" or "0.750 kg" across two lines


def money(cents: int | None, currency: str) -> str:
    """``money(49350, "KES") == "KES 493.50"``; thousands are grouped, a refund keeps its sign."""
    if cents is None:
        return "-"
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(int(cents)), 100)
    return f"{currency} {sign}{whole:,}.{part:02d}"


def quantity(milli: int | None, sold_by: str) -> str:
    """Thousandths of a product's unit as people count them: "43 pcs", "0.750 kg"."""
    if milli is None:
        return "-"
    sign = "-" if milli < 0 else ""
    whole, part = divmod(abs(int(milli)), 1000)
    if sold_by == WEIGHT:
        return f"{sign}{whole:,}.{part:03d} kg"
    if part == 0:
        return f"{sign}{whole:,} {'pc' if whole == 1 else 'pcs'}"
    return f"{sign}{whole:,}.{part:03d}".rstrip("0") + " pcs"  # a part piece: a stock count


def local_time(moment: datetime | None, zone: str) -> str:
    """A stored (UTC) time as the shop's clock showed it, in the admin's date format."""
    if moment is None:
        return "-"
    try:
        shop = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        shop = zoneinfo.ZoneInfo("UTC")
    return date_format(moment.astimezone(shop), "DATETIME_FORMAT")


def money_column(field: str, description: str, currency: str) -> Column:
    """An admin column (or read-only field) showing the cents in ``field`` as money.

    ``currency`` is the attribute path from the row to its currency code ("currency",
    "sale.currency", "organisation.currency")."""
    currency_of = attrgetter(currency)

    @admin.display(description=description, ordering=field)
    def show(model_admin: object, obj: Model) -> str:
        return money(getattr(obj, field), currency_of(obj)).replace(" ", NO_BREAK)

    return show


def quantity_column(field: str, description: str, sold_by: str) -> Column:
    """An admin column showing the thousandths in ``field`` in pieces or kilograms;
    ``sold_by`` is the attribute path to the product's ``sold_by``."""
    sold_by_of = attrgetter(sold_by)

    @admin.display(description=description, ordering=field)
    def show(model_admin: object, obj: Model) -> str:
        return quantity(getattr(obj, field), sold_by_of(obj)).replace(" ", NO_BREAK)

    return show


def time_column(field: str, description: str, zone: str) -> Column:
    """An admin column showing the time in ``field`` in the organisation's time zone (``zone``
    is the attribute path to it, e.g. "organisation.time_zone"); the server keeps UTC."""
    zone_of = attrgetter(zone)

    @admin.display(description=description, ordering=field)
    def show(model_admin: object, obj: Model) -> str:
        return local_time(getattr(obj, field), zone_of(obj))

    return show


def person_column(field: str, description: str) -> Column:
    """A user shown by name (the e-mail only when the name is empty)."""

    @admin.display(description=description, ordering=f"{field}__name")
    def show(model_admin: object, obj: Model) -> str:
        person = getattr(obj, field)
        if person is None:
            return "-"
        return str(person.name or person.email)

    return show


def warning(text: str) -> str:
    """A flag that needs someone's attention: a warning sign and words, never a green tick."""
    return format_html(
        '<span class="asiria-warning" style="color:#ba2121;font-weight:bold">\u26a0 {}</span>',
        text,
    )
