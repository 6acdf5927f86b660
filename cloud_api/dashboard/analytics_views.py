"""The dashboard's AI analytics: the insights panel of the overview, and the analytics page
(reorder suggestions with the draft-order button, frequently bought together per store, a
product's demand forecast with its interval). Thin: the figures come from the analytics app's
selectors, the draft orders from its services."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from cloud_api.analytics import selectors as analytics
from cloud_api.analytics import services as analytics_services
from cloud_api.catalog.selectors import product_list
from cloud_api.core.errors import ApplicationError
from cloud_api.core.principal import Principal
from cloud_api.dashboard.access import dashboard_view
from cloud_api.dashboard.pages import PageContext, page_status
from cloud_api.dashboard.rows import ForecastPanel, InsightsPanel, ReorderGroup
from cloud_api.purchases import selectors as purchase_selectors

FLAG_DAYS = 31  # anomaly flags cover at most the last month of the period
INSIGHTS = 8
RULES_PER_STORE = 10


def insights_panel(principal: Principal, page: PageContext) -> InsightsPanel:
    """The overview's insights and anomaly flags for the stores and dates of the filter."""
    stores = [page.store] if page.store is not None else page.stores
    days = min(FLAG_DAYS, (page.span.date_to - page.span.date_from).days + 1)
    panel = analytics_services.insight_panel(
        stores=stores, date_to=page.span.date_to, today=page.today, flag_days=days, limit=INSIGHTS
    )
    return {
        "insights": panel.insights,
        "flags": panel.flags,
        "flag_days": days,
        "insights_as_of": panel.as_of,
    }


def _order_value(suggestion: analytics.ReorderSuggestion) -> int:
    """The suggested quantity at the product's cost, in whole cents."""
    return (suggestion.quantity_milli * suggestion.cost_price_cents + 500) // 1000


def _uuid(raw: str | None) -> UUID | None:
    try:
        return UUID(raw) if raw else None
    except ValueError:
        return None


def _forecast(principal: Principal, page: PageContext, raw_product: str | None) -> ForecastPanel:
    """The chosen (or first) product's forecast in the filter's store (or the first store)."""
    store = page.store or (page.stores[0] if page.stores else None)
    if store is None:
        return {"store": None, "products": [], "product": None, "days": []}
    choices = analytics.forecast_products(store=store)
    wanted = _uuid(raw_product)
    chosen = next((c for c in choices if c["uuid"] == wanted), choices[0] if choices else None)
    days = []
    product = None
    if chosen is not None:
        product = product_list(principal=principal).get(uuid=chosen["uuid"])
        days = analytics.forecast_days(store=store, product=product)
    return {"store": store, "products": choices, "product": product, "days": days}


@require_GET
@dashboard_view
def analytics_page(request: HttpRequest, principal: Principal) -> HttpResponse:
    page = PageContext(request, principal)
    stores = [page.store] if page.store is not None else page.stores
    suggestions = analytics.reorder_suggestion_list(stores=stores)
    per_store: dict[int, ReorderGroup] = {}
    for suggestion in suggestions:
        value = _order_value(suggestion)
        group = per_store.setdefault(
            suggestion.store.pk, {"store": suggestion.store, "rows": [], "value_cents": 0}
        )
        group["rows"].append({"s": suggestion, "value_cents": value})
        group["value_cents"] += value
    forecast = _forecast(principal, page, request.GET.get("product"))
    chart = {
        "labels": [day.date.strftime("%a %d %b") for day in forecast["days"]],
        "median": [day.median_milli / 1000 for day in forecast["days"]],
        "lower": [day.lower_milli / 1000 for day in forecast["days"]],
        "upper": [day.upper_milli / 1000 for day in forecast["days"]],
        "unit": "kg" if forecast["product"] and forecast["product"].sold_by == "weight" else "pcs",
    }
    context = {
        **page.context(),
        "section": "analytics",
        "reorder_groups": list(per_store.values()),
        "may_draft": principal.role in analytics_services.DRAFT_ROLES,
        "suppliers": list(purchase_selectors.supplier_list(principal=principal)),
        "rule_groups": [
            {
                "store": store,
                "rules": list(analytics.basket_rules(store=store, limit=RULES_PER_STORE)),
            }
            for store in stores
        ],
        "forecast": forecast,
        "forecast_chart": chart,
        "query": urlencode(page.params()),
    }
    return render(request, "dashboard/analytics.html", context, status=page_status(page))


@require_POST
@dashboard_view
def draft_orders(request: HttpRequest, principal: Principal) -> HttpResponse:
    """Turn a store's reorder suggestions into draft purchase orders (owner or manager)."""
    page = PageContext(request, principal)
    back = page.link("dashboard:analytics")
    if principal.role not in analytics_services.DRAFT_ROLES:
        problem = ["Only an owner or the store's manager can create a draft purchase order."]
        return render(request, "dashboard/refused.html", {"problem": problem}, status=403)
    store_uuid = _uuid(request.POST.get("store"))
    store = next((s for s in page.stores if s.uuid == store_uuid), None)
    if store is None:
        return render(
            request, "dashboard/refused.html", {"problem": ["Choose a store."]}, status=400
        )
    supplier = None
    supplier_uuid = _uuid(request.POST.get("supplier"))
    if supplier_uuid is not None:
        supplier = (
            purchase_selectors.supplier_list(principal=principal).filter(uuid=supplier_uuid).first()
        )
    try:
        orders = analytics_services.draft_orders_create(
            principal=principal, store=store, fallback_supplier=supplier
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(back)
    if not orders:
        messages.info(request, f"{store.name} has nothing to reorder now.")
    for order in orders:
        lines = order.lines.count()
        messages.success(
            request,
            format_html(
                'Draft order {} to {} for {}: {} product{}. <a href="{}">Check and confirm it</a>.',
                order.uuid.hex[:8],
                order.supplier.name,
                store.name,
                lines,
                "s" if lines != 1 else "",
                reverse("dashboard:purchase-order", args=[order.uuid]),
            ),
        )
    return redirect(back)
