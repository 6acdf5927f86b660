"""What other apps (the head-office dashboard) read from the analytics: plain-language
insights, anomaly flags, frequently-bought-together rules, cached demand forecasts and the
reorder suggestions made from them, each limited to the stores the person sees."""

from __future__ import annotations

from datetime import date
from typing import TypedDict
from uuid import UUID

from django.core.cache import cache
from django.db.models import Max, QuerySet

from cloud_api.accounts.models import Store
from cloud_api.analytics.anomalies import Flag, anomaly_flags
from cloud_api.analytics.insights import Insight, store_insights
from cloud_api.analytics.models import BasketRule, DemandForecastDay
from cloud_api.analytics.reorder import ReorderSuggestion, reorder_suggestions
from cloud_api.catalog.models import Product
from cloud_api.sales.models import Sale

INSIGHTS_CACHE_SECONDS = 15 * 60

__all__ = [
    "Flag",
    "Insight",
    "ReorderSuggestion",
    "basket_rules",
    "flag_list",
    "forecast_days",
    "forecast_products",
    "insight_list",
    "reorder_suggestion_list",
]


def insight_list(*, stores: list[Store], date_to: date, limit: int = 10) -> list[Insight]:
    """The most telling insights over the four weeks ending ``date_to``. They read eight weeks
    of sale lines, so they are cached for a quarter of an hour under a key that changes when
    a store gets a new sale, a sale changes or its basket rules are mined again."""
    if not stores:
        return []
    pks = sorted(store.pk for store in stores)
    sales = Sale.objects.filter(store_id__in=pks).aggregate(
        last=Max("id"), changed=Max("updated_at")
    )
    rules = BasketRule.objects.filter(store_id__in=pks).aggregate(mined=Max("computed_at"))
    key = "analytics:insights:" + ":".join(
        str(part)
        for part in (
            ",".join(map(str, pks)),
            date_to,
            limit,
            sales["last"],
            sales["changed"] and sales["changed"].timestamp(),
            rules["mined"] and rules["mined"].timestamp(),
        )
    )
    found: list[Insight] | None = cache.get(key)
    if found is None:
        found = store_insights(stores=stores, date_to=date_to, limit=limit)
        cache.set(key, found, INSIGHTS_CACHE_SECONDS)
    return found


def flag_list(*, stores: list[Store], date_to: date, days: int) -> list[Flag]:
    """Anomaly flags of the ``days`` ending ``date_to``, worst first."""
    return anomaly_flags(stores=stores, date_to=date_to, days=days)


def basket_rules(*, store: Store, limit: int = 10) -> QuerySet[BasketRule]:
    """A store's frequently-bought-together rules, best lift first."""
    return (
        BasketRule.objects.filter(store=store)
        .select_related("antecedent", "consequent")
        .order_by("-lift", "-pair_count", "id")[:limit]
    )


class ForecastProduct(TypedDict):
    uuid: UUID
    name: str


def forecast_products(*, store: Store) -> list[ForecastProduct]:
    """The products a store has cached forecasts for, by name: ``{"uuid", "name"}``."""
    rows = (
        DemandForecastDay.objects.filter(store=store)
        .values("product__uuid", "product__name")
        .distinct()
        .order_by("product__name", "product__uuid")
    )
    return [{"uuid": row["product__uuid"], "name": row["product__name"]} for row in rows]


def forecast_days(*, store: Store, product: Product) -> list[DemandForecastDay]:
    """One product's cached daily forecast in one store, first day first."""
    return list(DemandForecastDay.objects.filter(store=store, product=product).order_by("date"))


def reorder_suggestion_list(*, stores: list[Store]) -> list[ReorderSuggestion]:
    """What to order now in each of these stores (stores without forecasts give nothing)."""
    return [suggestion for store in stores for suggestion in reorder_suggestions(store=store)]
