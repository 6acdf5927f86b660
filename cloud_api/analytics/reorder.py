"""Reorder suggestions from the cached demand forecasts, and draft purchase orders from them.

Order-up-to policy, reviewed every ``review_days``: an order placed today arrives after the
supplier's lead time, and the next chance to order again comes a review period later, so stock
must cover the demand over lead time + review period. The order-up-to level is the
``service_level`` quantile of that demand (the forecast's negative-binomial distribution summed
over the days); the part above the expected demand is the safety stock. The suggestion is
that level less the inventory position (on hand + still to arrive on open orders and drafts),
rounded up to whole units for goods sold by count.

A product's supplier is the one it was last ordered from for the store (or for any store).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction
from django.db.models import F, Sum

from cloud_api.accounts.models import Store, User
from cloud_api.analytics.forecast_methods import nb_sum_quantile
from cloud_api.analytics.models import DemandForecastDay
from cloud_api.catalog.models import Product, SoldBy
from cloud_api.core.errors import ApplicationError
from cloud_api.inventory.models import StockLevel
from cloud_api.purchases.models import (
    OrderStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    Supplier,
)
from cloud_api.purchases.services import purchase_order_create

DEFAULT_SERVICE_LEVEL = 0.95
DEFAULT_REVIEW_DAYS = 7
DEFAULT_LEAD_TIME_DAYS = 7
MAX_COVER_DAYS = 120
OPEN_STATUSES = (OrderStatus.DRAFT, OrderStatus.ORDERED, OrderStatus.PARTIALLY_RECEIVED)


@dataclass(frozen=True)
class ReorderSuggestion:
    store: Store
    forecast_computed_at: datetime
    product: Product
    supplier: Supplier | None
    lead_time_days: int
    cover_days: int
    on_hand_milli: int
    on_order_milli: int
    expected_demand_milli: int
    safety_stock_milli: int
    order_up_to_milli: int
    quantity_milli: int
    cost_price_cents: int


def _last_suppliers(store: Store) -> dict[int, Supplier]:
    """product id -> the supplier it was most recently ordered from (this store first)."""
    lines = (
        PurchaseOrderLine.objects.filter(order__organisation_id=store.organisation_id)
        .exclude(order__status=OrderStatus.CANCELLED)
        .select_related("order__supplier")
        .order_by("order__created_at", "id")
    )
    anywhere: dict[int, Supplier] = {}
    here: dict[int, Supplier] = {}
    for line in lines:
        anywhere[line.product_id] = line.order.supplier
        if line.order.store_id == store.pk:
            here[line.product_id] = line.order.supplier
    return {**anywhere, **here}


def _on_order(store: Store) -> dict[int, int]:
    rows = (
        PurchaseOrderLine.objects.filter(order__store=store, order__status__in=OPEN_STATUSES)
        .values("product_id")
        .annotate(outstanding=Sum(F("quantity_milli") - F("received_milli")))
    )
    return {row["product_id"]: int(row["outstanding"] or 0) for row in rows}


def _daily_means(forecast_days: list[DemandForecastDay], cover_days: int) -> np.ndarray:
    """Mean units per day over the cover; past the cached horizon the last week repeats."""
    means = [row.mean_milli / 1000 for row in forecast_days]
    if not means:
        return np.zeros(cover_days)
    week = means[-7:]
    while len(means) < cover_days:
        means.append(week[(len(means) - len(forecast_days)) % len(week)])
    return np.array(means[:cover_days])


def reorder_suggestions(
    *,
    store: Store,
    service_level: float = DEFAULT_SERVICE_LEVEL,
    review_days: int = DEFAULT_REVIEW_DAYS,
    today: date | None = None,
    products: list[Product] | None = None,
) -> list[ReorderSuggestion]:
    """Products whose stock will not last until the next order can arrive, most urgent
    (largest shortfall in value) first. Needs the store's cached forecasts."""
    if today is None:
        today = datetime.now(ZoneInfo(store.organisation.time_zone)).date()
    rows = (
        DemandForecastDay.objects.filter(store=store, date__gte=today)
        .select_related("product")
        .order_by("product_id", "date")
    )
    if products is not None:
        rows = rows.filter(product__in=products)
    by_product: dict[int, list[DemandForecastDay]] = defaultdict(list)
    for row in rows:
        by_product[row.product_id].append(row)
    suppliers = _last_suppliers(store)
    on_order = _on_order(store)
    on_hand = dict(
        StockLevel.objects.filter(store=store).values_list("product_id", "on_hand_milli")
    )
    suggestions = []
    for product_id, days in by_product.items():
        product = days[0].product
        if not product.active:
            continue
        supplier = suppliers.get(product_id)
        lead = supplier.lead_time_days if supplier is not None else DEFAULT_LEAD_TIME_DAYS
        cover = min(lead + review_days, MAX_COVER_DAYS)
        means = _daily_means(days, cover)
        expected = float(means.sum())
        level = nb_sum_quantile(means, days[0].dispersion, service_level)
        order_up_to = round(level * 1000)
        position = on_hand.get(product_id, 0) + on_order.get(product_id, 0)
        shortfall = order_up_to - position
        if shortfall <= 0:
            continue
        if product.sold_by == SoldBy.UNIT:
            shortfall = -(-shortfall // 1000) * 1000
        suggestions.append(
            ReorderSuggestion(
                store=store,
                forecast_computed_at=days[0].computed_at,
                product=product,
                supplier=supplier,
                lead_time_days=lead,
                cover_days=cover,
                on_hand_milli=on_hand.get(product_id, 0),
                on_order_milli=on_order.get(product_id, 0),
                expected_demand_milli=round(expected * 1000),
                safety_stock_milli=max(0, order_up_to - round(expected * 1000)),
                order_up_to_milli=order_up_to,
                quantity_milli=shortfall,
                cost_price_cents=product.cost_price_cents or 0,
            )
        )
    suggestions.sort(key=lambda s: (-s.quantity_milli * max(s.cost_price_cents, 1), s.product.name))
    return suggestions


@transaction.atomic
def draft_orders_from_suggestions(
    *,
    store: Store,
    created_by: User | None,
    service_level: float = DEFAULT_SERVICE_LEVEL,
    review_days: int = DEFAULT_REVIEW_DAYS,
    fallback_supplier: Supplier | None = None,
    products: list[Product] | None = None,
) -> list[PurchaseOrder]:
    """One draft purchase order per supplier with the suggested quantities. Products never
    ordered before go to ``fallback_supplier`` (left out without one)."""
    suggestions = reorder_suggestions(
        store=store, service_level=service_level, review_days=review_days, products=products
    )
    per_supplier: dict[int, tuple[Supplier, list[ReorderSuggestion]]] = {}
    for suggestion in suggestions:
        supplier = suggestion.supplier or fallback_supplier
        if supplier is None:
            continue
        per_supplier.setdefault(supplier.pk, (supplier, []))[1].append(suggestion)
    if suggestions and not per_supplier:
        raise ApplicationError(
            "The products to reorder have never been ordered from a supplier: "
            "give supplier_id to say whom to order them from."
        )
    orders = []
    for supplier, items in per_supplier.values():
        orders.append(
            purchase_order_create(
                organisation=store.organisation,
                store=store,
                supplier=supplier,
                lines=[
                    {
                        "product": item.product,
                        "quantity_milli": item.quantity_milli,
                        "cost_price_cents": item.cost_price_cents,
                    }
                    for item in items
                ],
                notes="Reorder suggestion: check quantities, then confirm.",
                created_by=created_by,
                status=OrderStatus.DRAFT,
            )
        )
    return orders
