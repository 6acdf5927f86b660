from django.contrib import admin

from cloud_api.core.admin_mixins import ReadOnlyAdmin
from cloud_api.inventory.models import StockLevel, StockMovement


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyAdmin):
    organisation_path = "store__organisation"
    list_display = ["product", "store", "on_hand_milli", "low_stock_threshold_milli"]
    list_filter = ["store"]
    search_fields = ["product__name", "product__barcode"]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    organisation_path = "store__organisation"
    list_display = ["created_at", "product", "store", "delta_milli", "reason", "reference"]
    list_filter = ["reason", "store"]
    search_fields = ["product__name", "reference"]
    date_hierarchy = "created_at"
