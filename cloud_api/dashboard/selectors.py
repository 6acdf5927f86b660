"""What the dashboard's charts and lists read. Every figure starts from the same rows as the
API's sales summary (completed sales of the principal's stores, by store-local business date),
and the totals come from ``reporting.selectors.summary.sales_summary`` itself, so the dashboard and
``/api/v1/reports/sales-summary/`` agree to the cent."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay

from cloud_api.accounts.models import Store
from cloud_api.core.principal import Principal
from cloud_api.dashboard.periods import Span, comparisons, every_day
from cloud_api.dashboard.rows import (
    HeatMap,
    KpiCard,
    PeriodSummary,
    SalesTrend,
    StoreTotal,
    TenderTotal,
    TopProduct,
    TrendDay,
)
from cloud_api.payments.models import Payment
from cloud_api.reporting.selectors.summary import sales_summary
from cloud_api.sales.models import Sale, SaleLine, SaleStatus

TOP_PRODUCTS = 10


@dataclass(frozen=True)
class SalesFilter:
    """Which sales a page is about; ``None`` fields do not narrow."""

    span: Span
    store: Store | None = None
    product_uuid: UUID | None = None
    method: str | None = None
    weekday: int | None = None  # ISO: 1 Monday .. 7 Sunday
    hour: int | None = None  # local hour 0..23


# Annotations made by _with_local_time (names the type checker cannot resolve on Sale).
LOCAL_TIME_FIELDS: tuple[str, ...] = ("local_weekday", "local_hour")


def completed_sales(*, principal: Principal, sales_filter: SalesFilter) -> QuerySet[Sale]:
    span = sales_filter.span
    sales = Sale.objects.filter(
        organisation_id=principal.organisation_id,
        business_date__gte=span.date_from,
        business_date__lte=span.date_to,
        status=SaleStatus.COMPLETED,
    )
    sales = principal.scope_stores(sales)
    if sales_filter.store is not None:
        sales = sales.filter(store=sales_filter.store)
    # Subqueries, not joins: a sale with two lines of the product is still one sale.
    if sales_filter.product_uuid is not None:
        lines = SaleLine.objects.filter(product__uuid=sales_filter.product_uuid)
        sales = sales.filter(pk__in=lines.values("sale_id"))
    if sales_filter.method is not None:
        paid_so = Payment.objects.filter(method=sales_filter.method)
        sales = sales.filter(pk__in=paid_so.values("sale_id"))
    if sales_filter.weekday is not None or sales_filter.hour is not None:
        sales = _with_local_time(sales, principal, span)
        # The local-time columns are annotations the type checker cannot see: named by string.
        if sales_filter.weekday is not None:
            sales = sales.filter(**{"local_weekday": sales_filter.weekday})
        if sales_filter.hour is not None:
            sales = sales.filter(**{"local_hour": sales_filter.hour})
    return sales


def _zone_offset(principal: Principal, span: Span) -> timedelta:
    """The organisation's UTC offset in the period. A fixed shift instead of the database's
    named time zones, which MariaDB often has not loaded; exact for zones without daylight
    saving (all of East Africa), within the changeover hour for the others."""
    from cloud_api.accounts.models import Organisation

    zone = Organisation.objects.values_list("time_zone", flat=True).get(
        pk=principal.organisation_id
    )
    middle = datetime.combine(
        span.date_from + (span.date_to - span.date_from) / 2, datetime.min.time()
    )
    return zoneinfo.ZoneInfo(zone).utcoffset(middle) or timedelta(0)


def _with_local_time(sales: QuerySet[Sale], principal: Principal, span: Span) -> QuerySet[Sale]:
    shifted = ExpressionWrapper(
        F("completed_at") + Value(_zone_offset(principal, span), output_field=DurationField()),
        output_field=Sale._meta.get_field("completed_at"),
    )
    # The shift already made the time local: read its hour as is (explicitly in UTC, so a
    # time zone a template activates later cannot convert it again).
    return sales.annotate(
        local_hour=ExtractHour(shifted, tzinfo=UTC),
        local_weekday=ExtractIsoWeekDay("business_date"),
    )


def kpis(*, principal: Principal, today: date, store: Store | None) -> list[KpiCard]:
    """Net sales, sales count and average sale for today, this week and this month so far,
    with the same figures for the stretch before."""
    cards: list[KpiCard] = []
    for comparison in comparisons(today):
        now = _summary(principal, comparison.current, store)
        before = _summary(principal, comparison.previous, store)
        cards.append(
            {
                "label": comparison.label,
                "previous_label": comparison.previous_label,
                "span": comparison.current,
                "current": now,
                "previous": before,
                "change_percent": _change(now["net_cents"], before["net_cents"]),
            }
        )
    return cards


def _summary(principal: Principal, span: Span, store: Store | None) -> PeriodSummary:
    summary = sales_summary(
        principal=principal, date_from=span.date_from, date_to=span.date_to, store=store
    )
    count = summary["sales_count"]
    average = (summary["total_cents"] + count // 2) // count if count else 0
    return PeriodSummary(**summary, average_cents=average)


def _change(now: int, before: int) -> int | None:
    """Whole percent up (+) or down (-); None when there is nothing to compare with."""
    if before <= 0:
        return None
    return round((now - before) * 100 / before)


def sales_trend(*, principal: Principal, span: Span, store: Store | None) -> SalesTrend:
    """Every day of the period (days without sales as 0), and the period's summary."""
    summary = sales_summary(
        principal=principal, date_from=span.date_from, date_to=span.date_to, store=store
    )
    by_day = {row["date"]: row for row in summary["by_day"]}
    days: list[TrendDay] = [
        {
            "date": day,
            "total_cents": by_day[day]["total_cents"] if day in by_day else 0,
            "sales_count": by_day[day]["sales_count"] if day in by_day else 0,
        }
        for day in every_day(span)
    ]
    return {"summary": summary, "days": days}


def top_products(*, principal: Principal, sales_filter: SalesFilter) -> list[TopProduct]:
    """The best sellers by takings; quantities in thousandths (a count of 2 is 2000)."""
    sales = completed_sales(principal=principal, sales_filter=sales_filter)
    rows = (
        SaleLine.objects.filter(sale__in=sales.values("pk"))
        .values("product__uuid", "product__name", "product__sold_by")
        .annotate(
            total_cents=Sum("total_cents"),
            sold_milli=Sum(
                Case(
                    When(qty__isnull=False, then=F("qty") * 1000),
                    default=F("qty_milli"),
                    output_field=BigIntegerField(),
                )
            ),
            sales_count=Count("sale", distinct=True),
        )
        .order_by("-total_cents", "product__name")[:TOP_PRODUCTS]
    )
    return [
        {
            "product_id": row["product__uuid"],
            "name": row["product__name"],
            "sold_by": row["product__sold_by"],
            "total_cents": row["total_cents"] or 0,
            "quantity_milli": row["sold_milli"] or 0,
            "sales_count": row["sales_count"],
        }
        for row in rows
    ]


def payment_mix(*, principal: Principal, sales_filter: SalesFilter) -> list[TenderTotal]:
    """Takings by tender. Change is given in cash, so cash counts what stayed in the drawer;
    the methods add up to the sales' totals plus any cash rounding kept."""
    sales = completed_sales(principal=principal, sales_filter=sales_filter)
    paid = {
        row["method"]: row["amount_cents"] or 0
        for row in Payment.objects.filter(sale__in=sales.values("pk"))
        .values("method")
        .annotate(amount_cents=Sum("amount_cents"))
    }
    change = sales.aggregate(change=Sum("change_cents"))["change"] or 0
    if change:
        paid["cash"] = paid.get("cash", 0) - change
    labels = dict(Payment._meta.get_field("method").choices or [])
    return [
        {"method": method, "label": labels.get(method, method), "amount_cents": amount}
        for method, amount in sorted(paid.items(), key=lambda item: -item[1])
        if amount
    ]


def store_comparison(*, principal: Principal, sales_filter: SalesFilter) -> list[StoreTotal]:
    sales = completed_sales(principal=principal, sales_filter=sales_filter)
    rows = (
        sales.values("store__uuid", "store__name", "store__code")
        .annotate(total_cents=Sum("total_cents"), sales_count=Count("id"))
        .order_by("-total_cents", "store__code")
    )
    return [
        {
            "store_id": row["store__uuid"],
            "name": row["store__name"],
            "code": row["store__code"],
            "total_cents": row["total_cents"] or 0,
            "sales_count": row["sales_count"],
        }
        for row in rows
    ]


def hour_weekday_heat(*, principal: Principal, sales_filter: SalesFilter) -> HeatMap:
    """Takings per local hour and weekday: ``cells[weekday-1][hour]`` in cents, and the
    hours that saw any sale (so the table does not show empty nights)."""
    sales = _with_local_time(
        completed_sales(principal=principal, sales_filter=sales_filter),
        principal,
        sales_filter.span,
    )
    cells = [[0] * 24 for _ in range(7)]
    counts = [[0] * 24 for _ in range(7)]
    rows = sales.values(*LOCAL_TIME_FIELDS).annotate(
        total_cents=Sum("total_cents"), sales_count=Count("id")
    )
    for row in rows:
        cells[row["local_weekday"] - 1][row["local_hour"]] = row["total_cents"] or 0
        counts[row["local_weekday"] - 1][row["local_hour"]] = row["sales_count"]
    busy = [
        hour for hour in range(24) if any(cells[day][hour] or counts[day][hour] for day in range(7))
    ]
    hours = list(range(min(busy), max(busy) + 1)) if busy else []
    return {"cells": cells, "counts": counts, "hours": hours, "peak": max(map(max, cells))}


def sale_list(*, principal: Principal, sales_filter: SalesFilter) -> QuerySet[Sale]:
    return (
        completed_sales(principal=principal, sales_filter=sales_filter)
        .select_related("store", "terminal", "cashier")
        .order_by("-business_date", "-completed_at", "-id")
    )


def sale_get(*, principal: Principal, sale_uuid: UUID) -> Sale | None:
    """One sale of the principal's stores (completed or voided), with lines and payments."""
    sales = Sale.objects.filter(organisation_id=principal.organisation_id, uuid=sale_uuid)
    return (
        principal.scope_stores(sales)
        .select_related("store", "terminal", "cashier")
        .prefetch_related("lines", "payments", "refunds")
        .first()
    )


def sale_totals(sales: QuerySet[Sale]) -> dict[str, int]:
    totals = sales.order_by().aggregate(
        count=Count("id"), total=Sum("total_cents"), tax=Sum("tax_cents")
    )
    return {key: value or 0 for key, value in totals.items()}
