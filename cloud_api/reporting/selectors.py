"""Report selectors: each returns a ``ReportTable`` (typed columns, rows, totals) or, for the
fixed v1 summary, its dict. Dates are the store's local calendar dates (``business_date``).

Sales figures come from the daily aggregates (``models.py``), kept in the transaction that
writes each sale, so a year of a hundred stores is thousands of rows; refunds, stock, purchases
and shifts are read from their own tables (rare rows, or current state). Every selector takes a
``ReportFilter`` made by ``report_filter``, which applies the principal's store scope.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from django.db.models import Count, Manager, QuerySet, Sum

from cloud_api.accounts.models import Organisation, Store, Terminal, User
from cloud_api.catalog.models import Product
from cloud_api.core.principal import OWNER, Principal
from cloud_api.inventory.models import StockLevel, StockMovement
from cloud_api.purchases.models import PurchaseOrderLine
from cloud_api.reporting.exports import RENDERERS
from cloud_api.reporting.models import MONTHLY_CHAIN_STORE as CHAIN
from cloud_api.reporting.models import (
    ChainDailyProductSales,
    DailyPaymentSales,
    DailyProductSales,
    DailyStoreSales,
    ExportJob,
    ExportStatus,
    MonthlyProductSales,
)
from cloud_api.reporting.tables import Column, ReportTable, percent
from cloud_api.sales.models import Refund, RefundLine
from cloud_api.sales.money import round_half_up_div
from cloud_api.sync.models import TillActivity

Period = Literal["day", "week", "month"]


@dataclass(frozen=True)
class ReportFilter:
    """Whose figures, which days (inclusive), which stores (None: every store)."""

    organisation_id: int
    date_from: date
    date_to: date
    store_ids: tuple[int, ...] | None = None


def report_filter(
    *, principal: Principal, date_from: date, date_to: date, store: Store | None = None
) -> ReportFilter:
    """The filter a principal may use: a store-bound principal sees its own store only."""
    if store is not None:
        store_ids: tuple[int, ...] | None = (store.pk,)
    elif principal.store_id is not None:
        store_ids = (principal.store_id,)
    else:
        store_ids = None
    return ReportFilter(principal.organisation_id, date_from, date_to, store_ids)


def _days(
    queryset: QuerySet[Any] | Manager[Any], f: ReportFilter, store_field: str = "store_id"
) -> QuerySet[Any]:
    queryset = queryset.filter(
        organisation_id=f.organisation_id,
        business_date__gte=f.date_from,
        business_date__lte=f.date_to,
    )
    if f.store_ids is not None:
        queryset = queryset.filter(**{f"{store_field}__in": f.store_ids})
    return queryset


def _refunds(f: ReportFilter) -> QuerySet:
    refunds = Refund.objects.filter(
        store__organisation_id=f.organisation_id,
        business_date__gte=f.date_from,
        business_date__lte=f.date_to,
    )
    if f.store_ids is not None:
        refunds = refunds.filter(store_id__in=f.store_ids)
    return refunds


def _local_span(f: ReportFilter) -> tuple[datetime, datetime]:
    """The organisation's local days as an instant range [start, end)."""
    zone = zoneinfo.ZoneInfo(
        Organisation.objects.values_list("time_zone", flat=True).get(pk=f.organisation_id)
    )
    start = datetime.combine(f.date_from, time.min, tzinfo=zone)
    end = datetime.combine(f.date_to + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def _names(model: Any, ids: Iterable[int], label: Callable[[Any], str]) -> dict[int, str]:
    return {row.pk: label(row) for row in model.objects.filter(pk__in=set(ids))}


# --- The fixed v1 summary --------------------------------------------------------------------


def sales_summary(
    *, principal: Principal, date_from: date, date_to: date, store: Store | None = None
) -> dict[str, Any]:
    """Totals and a day-by-day breakdown in the fixed v1 shape (ARCHITECTURE 7.1): completed
    sales by their day, voided sales counted apart, refunds on the day they were given."""
    f = report_filter(principal=principal, date_from=date_from, date_to=date_to, store=store)
    by_day = list(
        _days(DailyStoreSales.objects, f)
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
    refunds_cents = int(_refunds(f).aggregate(total=Sum("amount_cents"))["total"] or 0)
    days = [
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


# --- Sales by period and by who/where ---------------------------------------------------------

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

    for day in _days(DailyStoreSales.objects, f).values("business_date").annotate(**SALES_SUMS):
        row = row_for(day["business_date"])
        for key in SALES_SUMS:
            row[key] += int(day[key])
    for day in _refunds(f).values("business_date").annotate(refunds=Sum("amount_cents")):
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
    grouped = list(_days(DailyStoreSales.objects, f).values(field).annotate(**SALES_SUMS))
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


def _store_names(f: ReportFilter) -> dict[int, str]:
    return {
        store.pk: store.name for store in Store.objects.filter(organisation_id=f.organisation_id)
    }


def sales_by_store(f: ReportFilter) -> ReportTable:
    """Completed sales per store, biggest first."""
    return _sales_by(
        f,
        report="sales-by-store",
        title="Sales by store",
        field="store_id",
        label="Store",
        names=_store_names(f),
    )


def sales_by_terminal(f: ReportFilter) -> ReportTable:
    """Completed sales per till (sales entered at head office have no till)."""
    stores = _store_names(f)
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


# --- Products, categories, margin, VAT ---------------------------------------------------------

PRODUCT_SUMS = {
    "qty_milli": Sum("qty_milli"),
    "discount_cents": Sum("discount_cents"),
    "tax_cents": Sum("tax_cents"),
    "total_cents": Sum("total_cents"),
    "cost_cents": Sum("cost_cents"),
    "uncosted_total_cents": Sum("uncosted_total_cents"),
    "uncosted_tax_cents": Sum("uncosted_tax_cents"),
}
MARGIN_COLUMNS = [
    Column("discount_cents", "Discounts", "money"),
    Column("tax_cents", "VAT", "money"),
    Column("total_cents", "Sales total", "money"),
    Column("net_ex_tax_cents", "Sales without VAT", "money"),
    Column("cost_cents", "Cost", "money"),
    Column("margin_cents", "Gross margin", "money"),
    Column("margin_percent", "Margin %", "percent"),
    Column("uncosted_total_cents", "Sales with no cost price", "money"),
]
MARGIN_SUMS = (
    "discount_cents",
    "tax_cents",
    "total_cents",
    "net_ex_tax_cents",
    "cost_cents",
    "margin_cents",
    "uncosted_total_cents",
)


def _with_margin(row: dict[str, Any]) -> dict[str, Any]:
    """Margin on the lines that had a cost price: their sales without VAT less their cost."""
    row["net_ex_tax_cents"] = row["total_cents"] - row["tax_cents"]
    costed_net = row["net_ex_tax_cents"] - (row["uncosted_total_cents"] - row["uncosted_tax_cents"])
    row["margin_cents"] = costed_net - row["cost_cents"]
    row["margin_percent"] = percent(row["margin_cents"], costed_net)
    return row


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
    parts: list[QuerySet[Any]] = []
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
            parts.append(_days(ChainDailyProductSales.objects, edge))
        else:
            parts.append(_days(DailyProductSales.objects, edge))
    sums: dict[int, dict[str, int]] = {}
    for part in parts:
        for row in part.values(field).annotate(**PRODUCT_SUMS).order_by():
            into = sums.setdefault(row[field], dict.fromkeys(PRODUCT_SUMS, 0))
            for key in PRODUCT_SUMS:
                into[key] += int(row[key])
    return sums


def _by_product_sums(f: ReportFilter) -> dict[int, dict[str, int]]:
    return product_sums(f, "product_id")


def _margin_table(
    f: ReportFilter,
    *,
    report: str,
    title: str,
    label: str,
    groups: dict[Any, dict[str, Any]],
    extra: list[Column] | None = None,
) -> ReportTable:
    table = ReportTable(
        report=report,
        title=title,
        date_from=f.date_from,
        date_to=f.date_to,
        columns=[Column("name", label, "text"), *(extra or []), *MARGIN_COLUMNS],
    )
    table.rows = sorted(
        (_with_margin(row) for row in groups.values()), key=lambda row: -row["total_cents"]
    )
    table.sum_totals(*MARGIN_SUMS, label_key="name")
    table.totals["margin_percent"] = percent(
        table.totals["margin_cents"],
        table.totals["margin_cents"] + table.totals["cost_cents"],
    )
    return table


def sales_by_product(f: ReportFilter) -> ReportTable:
    """Quantity, sales and gross margin per product (cost as it was when each sale arrived)."""
    sums = _by_product_sums(f)
    products = {p.pk: p for p in Product.objects.filter(pk__in=sums.keys())}
    groups = {
        pk: {"id": products[pk].uuid, "name": products[pk].name, **values}
        for pk, values in sums.items()
    }
    table = _margin_table(
        f,
        report="sales-by-product",
        title="Sales by product",
        label="Product",
        groups=groups,
        extra=[Column("qty_milli", "Quantity", "qty_milli")],
    )
    table.sum_totals("qty_milli")
    return table


def _group_products(
    f: ReportFilter, key: Callable[[Product], tuple[Any, str]]
) -> dict[Any, dict[str, Any]]:
    sums = _by_product_sums(f)
    groups: dict[Any, dict[str, Any]] = {}
    products = Product.objects.filter(pk__in=sums.keys()).select_related("category", "tax_class")
    for product in products:
        group_id, name = key(product)
        row = groups.setdefault(
            group_id, {"id": group_id, "name": name, **dict.fromkeys(PRODUCT_SUMS, 0)}
        )
        for field, value in sums[product.pk].items():
            row[field] += value
    return groups


def sales_by_category(f: ReportFilter) -> ReportTable:
    """Sales and gross margin per category (products with none under "No category")."""
    groups = _group_products(
        f,
        lambda p: (p.category.uuid, p.category.name) if p.category else (None, "No category"),
    )
    return _margin_table(
        f, report="sales-by-category", title="Sales by category", label="Category", groups=groups
    )


def gross_margin(f: ReportFilter) -> ReportTable:
    """Gross margin per store: sales without VAT less the cost at the time of each sale."""
    stores = _store_names(f)
    groups: dict[Any, dict[str, Any]] = {}
    for store_id, sums in product_sums(f, "store_id").items():
        groups[store_id] = {"id": store_id, "name": stores.get(store_id, ""), **sums}
    return _margin_table(
        f, report="gross-margin", title="Gross margin by store", label="Store", groups=groups
    )


def vat(f: ReportFilter) -> ReportTable:
    """VAT per band (the products' tax classes): charged on sales, given back in refunds."""
    groups = _group_products(
        f,
        lambda p: (
            p.tax_class.code,
            f"{p.tax_class.name} ({p.tax_class.rate_basis_points / 100:g}%)",
        ),
    )
    refunded: dict[str, dict[str, int]] = defaultdict(lambda: {"amount": 0, "tax": 0})
    for row in (
        RefundLine.objects.filter(refund__in=_refunds(f))
        .values(
            "sale_line__product__tax_class__code",
            "sale_line__product__tax_class__name",
            "sale_line__product__tax_class__rate_basis_points",
        )
        .annotate(amount=Sum("amount_cents"), tax=Sum("tax_cents"))
    ):
        code = row["sale_line__product__tax_class__code"]
        refunded[code]["amount"] += int(row["amount"])
        refunded[code]["tax"] += int(row["tax"])
        rate = row["sale_line__product__tax_class__rate_basis_points"]
        groups.setdefault(
            code,
            {
                "id": code,
                "name": f"{row['sale_line__product__tax_class__name']} ({rate / 100:g}%)",
                **dict.fromkeys(PRODUCT_SUMS, 0),
            },
        )
    table = ReportTable(
        report="vat",
        title="VAT by band",
        date_from=f.date_from,
        date_to=f.date_to,
        columns=[
            Column("name", "VAT band", "text"),
            Column("total_cents", "Sales with VAT", "money"),
            Column("net_ex_tax_cents", "Sales without VAT", "money"),
            Column("tax_cents", "VAT on sales", "money"),
            Column("refunds_tax_cents", "VAT refunded", "money"),
            Column("net_tax_cents", "VAT due", "money"),
        ],
    )
    for code, group in sorted(groups.items(), key=lambda item: str(item[0])):
        back = refunded.get(code, {"amount": 0, "tax": 0})
        table.rows.append(
            {
                "id": code,
                "name": group["name"],
                "total_cents": group["total_cents"],
                "net_ex_tax_cents": group["total_cents"] - group["tax_cents"],
                "tax_cents": group["tax_cents"],
                "refunds_tax_cents": back["tax"],
                "net_tax_cents": group["tax_cents"] - back["tax"],
            }
        )
    table.sum_totals(
        "total_cents",
        "net_ex_tax_cents",
        "tax_cents",
        "refunds_tax_cents",
        "net_tax_cents",
        label_key="name",
    )
    return table


# --- Payments, refunds, voids, discounts ---------------------------------------------------------


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
    cash_out = _days(DailyStoreSales.objects, f).aggregate(
        change=Sum("change_cents"), rounding=Sum("rounding_cents")
    )
    change = int(cash_out["change"] or 0) + int(cash_out["rounding"] or 0)
    for row in (
        _days(DailyPaymentSales.objects, f)
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
    stores = _store_names(f)
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
        _days(DailyStoreSales.objects, f)
        .values("store_id")
        .annotate(d=Sum("discount_cents"), vc=Sum("voided_count"), vt=Sum("voided_cents"))
    ):
        one = row_for(row["store_id"])
        one["discount_cents"] += int(row["d"])
        one["voided_count"] += int(row["vc"])
        one["voided_cents"] += int(row["vt"])
    for row in _refunds(f).values("store_id").annotate(n=Count("id"), t=Sum("amount_cents")):
        one = row_for(row["store_id"])
        one["refunds_count"] += int(row["n"])
        one["refunds_cents"] += int(row["t"])
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


# --- Stock, purchases, shifts ---


def stock_valuation(f: ReportFilter) -> ReportTable:
    """Stock on hand now, valued at each product's cost price (stock below zero counts as
    none; products with no cost price are valued at nothing and listed)."""
    levels = StockLevel.objects.filter(store__organisation_id=f.organisation_id).select_related(
        "store", "product"
    )
    if f.store_ids is not None:
        levels = levels.filter(store_id__in=f.store_ids)
    table = ReportTable(
        report="stock-valuation",
        title="Stock valuation (now)",
        date_from=None,
        date_to=None,
        columns=[
            Column("store", "Store", "text"),
            Column("name", "Product", "text"),
            Column("on_hand_milli", "On hand", "qty_milli"),
            Column("cost_price_cents", "Cost price", "money"),
            Column("value_cents", "Value", "money"),
        ],
    )
    for level in levels.order_by("store__name", "product__name"):
        cost = level.product.cost_price_cents
        value = (
            round_half_up_div(max(level.on_hand_milli, 0) * cost, 1000) if cost is not None else 0
        )
        table.rows.append(
            {
                "id": level.product.uuid,
                "store": level.store.name,
                "name": level.product.name,
                "on_hand_milli": level.on_hand_milli,
                "cost_price_cents": cost,
                "value_cents": value,
            }
        )
    table.sum_totals("value_cents", label_key="store")
    return table


def stock_movements(f: ReportFilter) -> ReportTable:
    """Stock moved in the period per store, product and reason (sales, receipts, counts...)."""
    start, end = _local_span(f)
    movements = StockMovement.objects.filter(
        store__organisation_id=f.organisation_id, created_at__gte=start, created_at__lt=end
    )
    if f.store_ids is not None:
        movements = movements.filter(store_id__in=f.store_ids)
    table = ReportTable(
        report="stock-movements",
        title="Stock movements",
        date_from=f.date_from,
        date_to=f.date_to,
        columns=[
            Column("store", "Store", "text"),
            Column("name", "Product", "text"),
            Column("reason", "Reason", "text"),
            Column("movements_count", "Movements", "count"),
            Column("delta_milli", "Quantity in (+) or out (-)", "qty_milli"),
        ],
    )
    reasons = dict(StockMovement._meta.get_field("reason").choices or [])
    for row in (
        movements.values("store__name", "product__name", "reason")
        .annotate(n=Count("id"), delta=Sum("delta_milli"))
        .order_by("store__name", "product__name", "reason")
    ):
        table.rows.append(
            {
                "store": row["store__name"],
                "name": row["product__name"],
                "reason": reasons.get(row["reason"], row["reason"]),
                "movements_count": int(row["n"]),
                "delta_milli": int(row["delta"]),
            }
        )
    table.sum_totals("movements_count", label_key="store")
    return table


def purchases_by_supplier(f: ReportFilter) -> ReportTable:
    """Purchase orders raised in the period per supplier: ordered and received, at cost."""
    start, end = _local_span(f)
    lines = PurchaseOrderLine.objects.filter(
        order__organisation_id=f.organisation_id,
        order__created_at__gte=start,
        order__created_at__lt=end,
    ).exclude(order__status="cancelled")
    if f.store_ids is not None:
        lines = lines.filter(order__store_id__in=f.store_ids)
    rows: dict[int, dict[str, Any]] = {}
    orders: dict[int, set[int]] = defaultdict(set)
    for line in lines.select_related("order__supplier"):
        supplier = line.order.supplier
        row = rows.setdefault(
            supplier.pk,
            {"id": supplier.uuid, "name": supplier.name, "ordered_cents": 0, "received_cents": 0},
        )
        orders[supplier.pk].add(line.order_id)
        row["ordered_cents"] += round_half_up_div(line.quantity_milli * line.cost_price_cents, 1000)
        row["received_cents"] += round_half_up_div(
            line.received_milli * line.cost_price_cents, 1000
        )
    for pk, row in rows.items():
        row["orders_count"] = len(orders[pk])
    table = ReportTable(
        report="purchases-by-supplier",
        title="Purchases by supplier",
        date_from=f.date_from,
        date_to=f.date_to,
        columns=[
            Column("name", "Supplier", "text"),
            Column("orders_count", "Orders", "count"),
            Column("ordered_cents", "Ordered (at cost)", "money"),
            Column("received_cents", "Received (at cost)", "money"),
        ],
        rows=sorted(rows.values(), key=lambda row: -row["ordered_cents"]),
    )
    table.sum_totals("orders_count", "ordered_cents", "received_cents", label_key="name")
    return table


def shift_history(f: ReportFilter) -> ReportTable:
    """Closed shifts (Z reports the tills pushed): sales, expected and counted cash."""
    closed = (
        _days(TillActivity.objects, f)
        .filter(kind="shift.closed")
        .select_related("store", "terminal")
    )
    cashiers = {
        user.uuid: str(user) for user in User.objects.filter(organisation_id=f.organisation_id)
    }
    table = ReportTable(
        report="shifts",
        title="Shift (Z) history",
        date_from=f.date_from,
        date_to=f.date_to,
        columns=[
            Column("business_date", "Day", "date"),
            Column("store", "Store", "text"),
            Column("terminal", "Till", "text"),
            Column("cashier", "Cashier", "text"),
            Column("sales_count", "Sales", "count"),
            Column("net_sales_cents", "Net sales", "money"),
            Column("refunds_total_cents", "Refunds", "money"),
            Column("expected_cash_cents", "Expected cash", "money"),
            Column("counted_cash_cents", "Counted cash", "money"),
            Column("difference_cents", "Over (+) / short (-)", "money"),
        ],
    )
    for shift in closed.order_by("business_date", "occurred_at"):
        payload = shift.payload
        table.rows.append(
            {
                "id": shift.record_id,
                "business_date": shift.business_date,
                "store": shift.store.name,
                "terminal": shift.terminal.name if shift.terminal else "",
                "cashier": cashiers.get(shift.cashier_id, "Unknown cashier"),
                **{
                    key: int(payload.get(key) or 0)
                    for key in (
                        "sales_count",
                        "net_sales_cents",
                        "refunds_total_cents",
                        "expected_cash_cents",
                        "counted_cash_cents",
                        "difference_cents",
                    )
                },
            }
        )
    table.sum_totals(
        "sales_count",
        "net_sales_cents",
        "refunds_total_cents",
        "expected_cash_cents",
        "counted_cash_cents",
        "difference_cents",
        label_key="business_date",
    )
    return table


REPORTS: dict[str, Callable[[ReportFilter], ReportTable]] = {
    "sales-by-day": lambda f: sales_by_period(f, "day"),
    "sales-by-week": lambda f: sales_by_period(f, "week"),
    "sales-by-month": lambda f: sales_by_period(f, "month"),
    "sales-by-store": sales_by_store,
    "sales-by-terminal": sales_by_terminal,
    "sales-by-cashier": sales_by_cashier,
    "sales-by-product": sales_by_product,
    "sales-by-category": sales_by_category,
    "sales-by-payment-method": sales_by_payment_method,
    "gross-margin": gross_margin,
    "vat": vat,
    "refunds-voids-discounts": refunds_voids_discounts,
    "stock-valuation": stock_valuation,
    "stock-movements": stock_movements,
    "purchases-by-supplier": purchases_by_supplier,
    "shifts": shift_history,
}


def report_run(name: str, f: ReportFilter) -> ReportTable:
    """Run the report called ``name`` (a key of ``REPORTS``)."""
    table = REPORTS[name](f)
    table.report = name
    return table


REPORT_TITLES: dict[str, str] = {
    "sales-by-day": "Sales by day",
    "sales-by-week": "Sales by week",
    "sales-by-month": "Sales by month",
    "sales-by-store": "Sales by store",
    "sales-by-terminal": "Sales by till",
    "sales-by-cashier": "Sales by cashier",
    "sales-by-product": "Sales by product",
    "sales-by-category": "Sales by category",
    "sales-by-payment-method": "Sales by payment method",
    "gross-margin": "Gross margin",
    "vat": "VAT",
    "refunds-voids-discounts": "Refunds, voids and discounts",
    "stock-valuation": "Stock valuation",
    "stock-movements": "Stock movements",
    "purchases-by-supplier": "Purchases by supplier",
    "shifts": "Shift (X/Z) history",
}


def export_get(*, principal: Principal, job_uuid: Any) -> ExportJob | None:
    """An export job this principal may see: their own, or any of the organisation's for an
    owner."""
    job = ExportJob.objects.filter(uuid=job_uuid, organisation_id=principal.organisation_id).first()
    if job is None:
        return None
    if principal.role != OWNER and (
        principal.user is None or job.requested_by_id != principal.user.pk
    ):
        return None
    return job


def export_file(job: ExportJob) -> tuple[bytes, str, str] | None:
    """A finished export's (content, content type, file name); None while it is not ready."""
    if job.status != ExportStatus.DONE or job.content is None:
        return None
    _, content_type, _ = RENDERERS[job.file_format]
    return bytes(job.content), content_type, job.filename
