"""The fixed v1 sales summary (``GET /api/v1/reports/sales-summary/``)."""

from __future__ import annotations

from datetime import date
from typing import TypedDict
from uuid import UUID

from django.db.models import Sum

from cloud_api.accounts.models import Store
from cloud_api.core.principal import Principal
from cloud_api.reporting.selectors.scope import refunds_in, report_filter, store_days


class SummaryDay(TypedDict):
    date: date
    sales_count: int
    items_count: int
    total_cents: int
    tax_cents: int


class SalesSummary(TypedDict):
    date_from: date
    date_to: date
    store_id: UUID | None
    sales_count: int
    items_count: int
    total_cents: int
    tax_cents: int
    refunds_cents: int
    net_cents: int
    voided_count: int
    by_day: list[SummaryDay]


def sales_summary(
    *, principal: Principal, date_from: date, date_to: date, store: Store | None = None
) -> SalesSummary:
    """Totals and a day-by-day breakdown in the fixed v1 shape (ARCHITECTURE 7.1): completed
    sales by their day, voided sales counted apart, refunds on the day they were given."""
    f = report_filter(principal=principal, date_from=date_from, date_to=date_to, store=store)
    by_day = list(
        store_days(f)
        .values("business_date")
        .annotate(
            sales=Sum("sales_count"),
            items=Sum("items_count"),
            total=Sum("total_cents"),
            tax=Sum("tax_cents"),
            voided=Sum("voided_count"),
        )
        .order_by("business_date")
    )
    refunds_cents = int(refunds_in(f).aggregate(total=Sum("amount_cents"))["total"] or 0)
    days: list[SummaryDay] = [
        {
            "date": row["business_date"],
            "sales_count": int(row["sales"]),
            "items_count": int(row["items"]),
            "total_cents": int(row["total"]),
            "tax_cents": int(row["tax"]),
        }
        for row in by_day
        if row["sales"]
    ]
    total = sum(day["total_cents"] for day in days)
    return {
        "date_from": date_from,
        "date_to": date_to,
        "store_id": store.uuid if store is not None else None,
        "sales_count": sum(day["sales_count"] for day in days),
        "items_count": sum(day["items_count"] for day in days),
        "total_cents": total,
        "tax_cents": sum(day["tax_cents"] for day in days),
        "refunds_cents": refunds_cents,
        "net_cents": total - refunds_cents,
        "voided_count": sum(int(row["voided"]) for row in by_day),
        "by_day": days,
    }
