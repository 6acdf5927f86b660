"""Per-product sums over a report's range: whole calendar months from the monthly table, the
days at either end from the daily ones (the chain-wide rows when every store is asked for)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet, Sum

from cloud_api.reporting.models import MONTHLY_CHAIN_STORE as CHAIN
from cloud_api.reporting.models import (
    ChainDailyProductSales,
    DailyProductSales,
    MonthlyProductSales,
)
from cloud_api.reporting.selectors.scope import ReportFilter, in_days

PRODUCT_SUMS = {
    "qty_milli": Sum("qty_milli"),
    "discount_cents": Sum("discount_cents"),
    "tax_cents": Sum("tax_cents"),
    "total_cents": Sum("total_cents"),
    "cost_cents": Sum("cost_cents"),
    "uncosted_total_cents": Sum("uncosted_total_cents"),
    "uncosted_tax_cents": Sum("uncosted_tax_cents"),
}


def month_split(
    date_from: date, date_to: date
) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """The whole calendar months in ``[date_from, date_to]`` as ``(first month, last month)``
    (their first days; None when no month is whole) and the inclusive day ranges left over at
    either end (the whole range when no month is whole)."""
    first = date_from if date_from.day == 1 else _next_month(date_from)
    after = (date_to + timedelta(days=1)).replace(day=1)  # first day after the whole months
    if first >= after:
        return None, [(date_from, date_to)] if date_from <= date_to else []
    edges = []
    if date_from < first:
        edges.append((date_from, first - timedelta(days=1)))
    if after <= date_to:
        edges.append((after, date_to))
    last_month = (after - timedelta(days=1)).replace(day=1)
    return (first, last_month), edges


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def product_sums(f: ReportFilter, field: str) -> dict[int, dict[str, int]]:
    """The product sums grouped by ``field`` (``product_id`` or ``store_id``): whole months
    from the monthly table, the days at either end from the daily one."""
    months, edges = month_split(f.date_from, f.date_to)
    parts: list[
        QuerySet[MonthlyProductSales]
        | QuerySet[ChainDailyProductSales]
        | QuerySet[DailyProductSales]
    ] = []
    if months is not None:
        monthly = MonthlyProductSales.objects.filter(
            organisation_id=f.organisation_id, month__gte=months[0], month__lte=months[1]
        )
        if f.store_ids is not None:
            monthly = monthly.filter(store_id__in=f.store_ids)
        elif field == "store_id":
            monthly = monthly.exclude(store_id=CHAIN)
        else:  # every store: the chain's own rows, about 400 a month whatever its size
            monthly = monthly.filter(store_id=CHAIN)
        parts.append(monthly)
    for day_from, day_to in edges:
        edge = ReportFilter(f.organisation_id, day_from, day_to, f.store_ids)
        if f.store_ids is None and field == "product_id":
            parts.append(in_days(ChainDailyProductSales.objects, edge))
        else:
            parts.append(in_days(DailyProductSales.objects, edge))
    sums: dict[int, dict[str, int]] = {}
    for part in parts:
        for row in part.values(field).annotate(**PRODUCT_SUMS).order_by():
            into = sums.setdefault(row[field], dict.fromkeys(PRODUCT_SUMS, 0))
            for key in PRODUCT_SUMS:
                into[key] += int(row[key])
    return sums


def by_product_sums(f: ReportFilter) -> dict[int, dict[str, int]]:
    return product_sums(f, "product_id")
