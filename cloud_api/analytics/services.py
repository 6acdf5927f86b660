"""What other apps (the head-office dashboard) may change through the analytics."""

from __future__ import annotations

from datetime import date

from cloud_api.accounts.models import Store
from cloud_api.analytics import selectors
from cloud_api.analytics.insight_store import InsightPanel, stored_insight_panel
from cloud_api.analytics.reorder import draft_orders_from_suggestions
from cloud_api.core.errors import ApplicationError
from cloud_api.core.principal import MANAGER, OWNER, Principal
from cloud_api.purchases.models import PurchaseOrder, Supplier

DRAFT_ROLES = frozenset({OWNER, MANAGER})


def draft_orders_create(
    *, principal: Principal, store: Store, fallback_supplier: Supplier | None = None
) -> list[PurchaseOrder]:
    """The store's current reorder suggestions as draft purchase orders, one per supplier, for
    an owner or the store's manager to check and confirm."""
    bound_elsewhere = principal.store_id is not None and principal.store_id != store.pk
    if principal.role not in DRAFT_ROLES or bound_elsewhere:
        raise ApplicationError(
            "Only an owner or the store's manager may draft purchase orders.",
            code="permission_denied",
            status_code=403,
        )
    if store.organisation_id != principal.organisation_id:
        raise ApplicationError("No such store.", code="not_found", status_code=404)
    return draft_orders_from_suggestions(
        store=store, created_by=principal.user, fallback_supplier=fallback_supplier
    )


def insight_panel(
    *, stores: list[Store], date_to: date, today: date, flag_days: int, limit: int
) -> InsightPanel:
    """The overview's insights and flags: the stored ones for a period ending today (worked
    out and stored here for a store that has none yet), worked out on request for others."""
    if date_to == today and stores:
        stored = stored_insight_panel(stores=stores, today=today, flag_days=flag_days, limit=limit)
        if stored is not None:
            return stored
    return InsightPanel(
        insights=selectors.insight_list(stores=stores, date_to=date_to, limit=limit),
        flags=selectors.flag_list(stores=stores, date_to=date_to, days=flag_days),
        as_of=None,
    )
