"""Sales reports from the daily store and payment tables: by period, by store, till or
cashier, by payment method, and the refunds, voids and discounts per store."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Sum

from cloud_api.accounts.models import Terminal, User
from cloud_api.reporting.models import (
    DailyPaymentSales,
    DailyStoreSales,
)
from cloud_api.reporting.selectors.scope import (
    Period,
    ReportFilter,
    in_days,
    refunds_in,
    store_days,
    store_names,
)
from cloud_api.reporting.tables import Column, ReportTable

SALES_COLUMNS = [
    Column("sales_count", "Sales", "count"),
    Column("items_count", "Items", "count"),
    Column("discount_cents", "Discounts", "money"),
    Column("tax_cents", "VAT", "money"),
    Column("total_cents", "Sales total", "money"),
]
SALES_SUMS = {
    "sales_count": Sum("sales_count"),
    "items_count": Sum("items_count"),
    "discount_cents": Sum("discount_cents"),
    "tax_cents": Sum("tax_cents"),
    "total_cents": Sum("total_cents"),
}


def period_start(day: date, period: Period) -> date:
    """The first day of the week (Monday) or month holding ``day`` (the day itself for days)."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def sales_by_period(f: ReportFilter, period: Period = "day") -> ReportTable:
    """Sales, refunds (on the day given) and net per day, week (from Monday) or month."""
    table = ReportTable(
        report="sales-by-period",
        title=f"Sales by {period}",
        date_from=f.date_from,
        date_to=f.date_to,
        columns=[
            Column("period", {"day": "Day", "week": "Week from", "month": "Month"}[period], "date"),
            *SALES_COLUMNS,
            Column("refunds_cents", "Refunds", "money"),
            Column("net_cents", "Net", "money"),
        ],
    )
    rows: dict[date, dict[str, Any]] = {}

    def row_for(day: date) -> dict[str, Any]:
        start = period_start(day, period)
        if start not in rows:
            rows[start] = {"period": start, **dict.fromkeys(SALES_SUMS, 0), "refunds_cents": 0}
        return rows[start]

    for day in store_days(f).values("business_date").annotate(**SALES_SUMS):
        row = row_for(day["business_date"])
        for key in SALES_SUMS:
            # The sums' names come from the annotate() above, which mypy cannot read.
            row[key] += int(day[key])  # type: ignore[literal-required]
    for day in refunds_in(f).values("business_date").annotate(refunds=Sum("amount_cents")):
        row_for(day["business_date"])["refunds_cents"] += int(day["refunds"])
    table.rows = [
        rows[key] for key in sorted(rows) if any(v for k, v in rows[key].items() if k != "period")
    ]
    for row in table.rows:
        row["net_cents"] = row["total_cents"] - row["refunds_cents"]
    table.sum_totals(*SALES_SUMS, "refunds_cents", "net_cents", label_key="period")
    return table


def _sales_by(
    f: ReportFilter, *, report: str, title: str, field: str, label: str, names: dict[int, str]
) -> ReportTable:
    table = ReportTable(
        report=report,
        title=title,
        date_from=f.date_from,
        date_to=f.date_to,
        columns=[Column("name", label, "text"), *SALES_COLUMNS],
    )
    grouped = list(in_days(DailyStoreSales.objects, f).values(field).annotate(**SALES_SUMS))
    table.rows = sorted(
        (
            {
                "id": row[field],
                "name": names.get(row[field], "(entered at head office)"),
                **{key: int(row[key]) for key in SALES_SUMS},
            }
            for row in grouped
            if row["sales_count"]
        ),
        key=lambda row: -row["total_cents"],
    )
    table.sum_totals(*SALES_SUMS, label_key="name")
    return table


def sales_by_store(f: ReportFilter) -> ReportTable:
    """Completed sales per store, biggest first."""
    return _sales_by(
        f,
        report="sales-by-store",
        title="Sales by store",
        field="store_id",
        label="Store",
        names=store_names(f),
    )


def sales_by_terminal(f: ReportFilter) -> ReportTable:
    """Completed sales per till (sales entered at head office have no till)."""
    stores = store_names(f)
    names = {
        terminal.pk: f"{stores.get(terminal.store_id, '')} {terminal.name}".strip()
        for terminal in Terminal.objects.filter(store__organisation_id=f.organisation_id)
    }
    return _sales_by(
        f,
        report="sales-by-terminal",
        title="Sales by till",
        field="terminal_id",
        label="Till",
        names=names,
    )


def sales_by_cashier(f: ReportFilter) -> ReportTable:
    """Completed sales per cashier."""
    names = {user.pk: str(user) for user in User.objects.filter(organisation_id=f.organisation_id)}
    return _sales_by(
        f,
        report="sales-by-cashier",
        title="Sales by cashier",
        field="cashier_id",
        label="Cashier",
        names=names,
    )


def sales_by_payment_method(f: ReportFilter) -> ReportTable:
    """Tenders per method (split payments count in each of their methods). Change given and
    cash rounding come out of cash, so the methods' "Kept" column adds up to the sales total."""
    table = ReportTable(
        report="sales-by-payment-method",
        title="Sales by payment method",
        date_from=f.date_from,
        date_to=f.date_to,
        columns=[
            Column("method", "Payment method", "text"),
            Column("payments_count", "Payments", "count"),
            Column("tendered_cents", "Tendered", "money"),
            Column("change_cents", "Change and rounding", "money"),
            Column("kept_cents", "Kept", "money"),
        ],
    )
    labels = {"cash": "Cash", "card": "Card", "mpesa": "M-Pesa"}
    cash_out = store_days(f).aggregate(change=Sum("change_cents"), rounding=Sum("rounding_cents"))
    change = int(cash_out["change"] or 0) + int(cash_out["rounding"] or 0)
    for row in (
        in_days(DailyPaymentSales.objects, f)
        .values("method")
        .annotate(n=Sum("payments_count"), amount=Sum("amount_cents"))
        .order_by("method")
    ):
        if not row["n"]:
            continue
        out = change if row["method"] == "cash" else 0
        table.rows.append(
            {
                "id": row["method"],
                "method": labels.get(row["method"], row["method"]),
                "payments_count": int(row["n"]),
                "tendered_cents": int(row["amount"]),
                "change_cents": out,
                "kept_cents": int(row["amount"]) - out,
            }
        )
    table.sum_totals(
        "payments_count", "tendered_cents", "change_cents", "kept_cents", label_key="method"
    )
    return table


def refunds_voids_discounts(f: ReportFilter) -> ReportTable:
    """Per store: discounts given on completed sales, voided sales, refunds given."""
    stores = store_names(f)
    rows: dict[int, dict[str, Any]] = {}

    def row_for(store_id: int) -> dict[str, Any]:
        return rows.setdefault(
            store_id,
            {
                "id": store_id,
                "name": stores.get(store_id, ""),
                "discount_cents": 0,
                "voided_count": 0,
                "voided_cents": 0,
                "refunds_count": 0,
                "refunds_cents": 0,
            },
        )

    for row in (
        in_days(DailyStoreSales.objects, f)
        .values("store_id")
        .annotate(d=Sum("discount_cents"), vc=Sum("voided_count"), vt=Sum("voided_cents"))
    ):
        one = row_for(row["store_id"])
        one["discount_cents"] += int(row["d"])
        one["voided_count"] += int(row["vc"])
        one["voided_cents"] += int(row["vt"])
    for refund in refunds_in(f).values("store_id").annotate(n=Count("id"), t=Sum("amount_cents")):
        one = row_for(refund["store_id"])
        one["refunds_count"] += int(refund["n"])
        one["refunds_cents"] += int(refund["t"])
    table = ReportTable(
        report="refunds-voids-discounts",
        title="Refunds, voids and discounts",
        date_from=f.date_from,
        date_to=f.date_to,
        columns=[
            Column("name", "Store", "text"),
            Column("discount_cents", "Discounts", "money"),
            Column("voided_count", "Voided sales", "count"),
            Column("voided_cents", "Voided amount", "money"),
            Column("refunds_count", "Refunds", "count"),
            Column("refunds_cents", "Refunded amount", "money"),
        ],
        rows=sorted(rows.values(), key=lambda row: row["name"]),
    )
    table.sum_totals(
        "discount_cents",
        "voided_count",
        "voided_cents",
        "refunds_count",
        "refunds_cents",
        label_key="name",
    )
    return table
