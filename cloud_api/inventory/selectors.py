from __future__ import annotations

from django.db.models import F, QuerySet

from cloud_api.core.principal import Principal
from cloud_api.inventory.models import StockLevel, StockMovement


def stock_level_list(*, principal: Principal, low_only: bool = False) -> QuerySet[StockLevel]:
    levels = StockLevel.objects.filter(
        store__organisation_id=principal.organisation_id
    ).select_related("store", "product")
    if low_only:
        levels = levels.filter(
            low_stock_threshold_milli__isnull=False,
            on_hand_milli__lte=F("low_stock_threshold_milli"),
        )
    return principal.scope_stores(levels).order_by("store__code", "product__name", "id")


def stock_movement_list(*, principal: Principal) -> QuerySet[StockMovement]:
    movements = StockMovement.objects.filter(
        store__organisation_id=principal.organisation_id
    ).select_related("store", "product", "created_by")
    return principal.scope_stores(movements).order_by("-created_at", "-id")
