"""Stock for head office: quantities in pieces or kilograms, low stock shown as a warning."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.db.models import F, QuerySet
from django.http import HttpRequest

from cloud_api.core.admin_display import person_column, quantity_column, time_column, warning
from cloud_api.core.admin_mixins import ReadOnlyAdmin
from cloud_api.inventory.models import StockLevel, StockMovement


class LowStockFilter(admin.SimpleListFilter):
    title = "stock"
    parameter_name = "stock"

    def lookups(
        self, request: HttpRequest, model_admin: ModelAdmin[StockLevel]
    ) -> list[tuple[str, str]]:
        return [("low", "Low (at or below its threshold)")]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[StockLevel]
    ) -> QuerySet[StockLevel]:
        if self.value() == "low":
            return queryset.filter(on_hand_milli__lte=F("low_stock_threshold_milli"))
        return queryset


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyAdmin):
    organisation_path = "store__organisation"
    list_display = ["product", "store", "on_hand", "low_stock_threshold", "alert"]
    list_select_related = ["product", "store"]
    list_filter = [LowStockFilter, "store"]
    search_fields = ["product__name", "product__barcode"]

    on_hand = quantity_column("on_hand_milli", "On hand", "product.sold_by")
    low_stock_threshold = quantity_column(
        "low_stock_threshold_milli", "Low-stock threshold", "product.sold_by"
    )
    fields = ["product", "store", "on_hand", "low_stock_threshold", "alert", "updated_at"]
    readonly_fields = ["on_hand", "low_stock_threshold", "alert"]

    @admin.display(description="Alert")
    def alert(self, level: StockLevel) -> str:
        return warning("low stock") if level.is_low else ""


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    organisation_path = "store__organisation"
    list_display = ["when", "product", "store", "quantity_change", "reason", "by"]
    list_select_related = ["product", "store__organisation", "created_by"]
    list_filter = ["reason", "store"]
    search_fields = ["product__name", "reference"]
    date_hierarchy = "created_at"

    quantity_change = quantity_column("delta_milli", "Change", "product.sold_by")
    by = person_column("created_by", "By")
    when = time_column("created_at", "When", "store.organisation.time_zone")
    fields = [
        "when",
        "product",
        "store",
        "quantity_change",
        "reason",
        "reference",
        "note",
        "by",
    ]
    readonly_fields = ["when", "quantity_change", "by"]
