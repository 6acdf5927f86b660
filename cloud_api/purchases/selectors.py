from __future__ import annotations

from django.db.models import QuerySet

from cloud_api.core.principal import Principal
from cloud_api.purchases.models import PurchaseOrder, Supplier


def supplier_list(*, principal: Principal) -> QuerySet[Supplier]:
    return Supplier.objects.filter(organisation_id=principal.organisation_id).order_by("name")


def purchase_order_list(*, principal: Principal) -> QuerySet[PurchaseOrder]:
    orders = (
        PurchaseOrder.objects.filter(organisation_id=principal.organisation_id)
        .select_related("store", "supplier")
        .prefetch_related("lines__product")
    )
    return principal.scope_stores(orders).order_by("-created_at", "-id")
