"""Reports read from their own tables, not from the sales aggregates: stock on hand and
moved, purchases by supplier, closed shifts."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from uuid import UUID

from django.db.models import Count, Sum

from cloud_api.accounts.models import User
from cloud_api.inventory.models import StockLevel, StockMovement
from cloud_api.purchases.models import PurchaseOrderLine
from cloud_api.reporting.selectors.scope import ReportFilter, in_days, local_span
from cloud_api.reporting.tables import Column, ReportTable
from cloud_api.sales.money import round_half_up_div
from cloud_api.sync.models import TillActivity


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
    start, end = local_span(f)
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
    start, end = local_span(f)
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
        in_days(TillActivity.objects, f)
        .filter(kind="shift.closed")
        .select_related("store", "terminal")
    )
    # A shift closed with no one signed in has no cashier: it reads "Unknown cashier".
    cashiers: dict[UUID | None, str] = {
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
