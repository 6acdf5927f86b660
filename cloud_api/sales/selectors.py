from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, QuerySet

from cloud_api.catalog.models import PriceHistory, Product
from cloud_api.core.principal import CASHIER, Principal
from cloud_api.payments.models import Payment
from cloud_api.sales.models import Refund, Sale, SaleLine


def sale_list(*, principal: Principal) -> QuerySet[Sale]:
    """Sales the caller may see; a cashier sees their own."""
    sales = Sale.objects.filter(organisation_id=principal.organisation_id).select_related(
        "store", "terminal", "cashier"
    )
    sales = principal.scope_stores(sales)
    if principal.role == CASHIER:
        sales = sales.filter(cashier=principal.user)
    return sales.prefetch_related(
        Prefetch("lines", queryset=SaleLine.objects.select_related("product")),
        Prefetch("payments", queryset=Payment.objects.order_by("id")),
    ).order_by("-completed_at", "-id")


def refund_list(*, sale: Sale) -> QuerySet[Refund]:
    return (
        sale.refunds.select_related("sale")
        .prefetch_related("lines__sale_line")
        .order_by("created_at", "id")
    )


def catalog_prices_at(sales: list[tuple[datetime, list[Product]]]) -> list[dict[int, int]]:
    """The catalog price of each sale's products when it was completed (prices are facts of
    their time: an offline sale made before a price change is not a mismatch).

    The current price answers unless a price changed after the sale; then the price history
    does (one query for all sales). A moment before any history (a wrong till clock) gets
    the current price."""
    answers = [{product.pk: product.price_cents for product in products} for _, products in sales]
    product_ids = {product.pk for _, products in sales for product in products}
    if not product_ids:
        return answers
    earliest = min(moment for moment, _ in sales)
    repriced = set(
        PriceHistory.objects.filter(product_id__in=product_ids, created_at__gt=earliest)
        .values_list("product_id", flat=True)
        .distinct()
    )
    if not repriced:
        return answers  # the usual case: no price changed since the oldest sale
    history: dict[int, list[tuple[datetime, int]]] = {}
    for product_id, when, price in (
        PriceHistory.objects.filter(product_id__in=repriced)
        .order_by("product_id", "created_at", "id")
        .values_list("product_id", "created_at", "price_cents")
    ):
        history.setdefault(product_id, []).append((when, price))
    for (moment, _), prices in zip(sales, answers, strict=True):
        for product_id in prices.keys() & history.keys():
            steps = history[product_id]
            if steps[0][0] > moment:
                continue  # before the product's first price: the till's clock is off
            prices[product_id] = [price for when, price in steps if when <= moment][-1]
    return answers
