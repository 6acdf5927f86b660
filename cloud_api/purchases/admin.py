from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest

from cloud_api.core.admin_display import money_column, quantity_column
from cloud_api.core.admin_mixins import OrganisationScopedAdmin, may_browse
from cloud_api.purchases.models import PurchaseOrder, PurchaseOrderLine, Supplier

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldGroups


@admin.register(Supplier)
class SupplierAdmin(OrganisationScopedAdmin):
    list_display = ["name", "contact", "phone", "email"]
    search_fields = ["name", "contact", "phone", "email"]


class LineInline(admin.TabularInline):
    model = PurchaseOrderLine
    extra = 0
    readonly_fields = ["uuid", "received"]

    received = quantity_column("received_milli", "Received", "product.sold_by")

    def get_fields(self, request: HttpRequest, obj: PurchaseOrder | None = None) -> _FieldGroups:
        if self.has_change_permission(request, obj):  # an operator edits the stored figures
            return ["uuid", "product", "quantity_milli", "cost_price_cents", "received"]
        return ["product", "ordered", "cost_price", "received"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: PurchaseOrder | None = None
    ) -> list[str]:
        if self.has_change_permission(request, obj):
            return self.readonly_fields
        return ["ordered", "cost_price", "received"]

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return may_browse(request)

    ordered = quantity_column("quantity_milli", "Ordered", "product.sold_by")
    cost_price = money_column("cost_price_cents", "Cost price", "order.organisation.currency")


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(OrganisationScopedAdmin):
    list_display = ["created_at", "supplier", "store", "reference", "status"]
    list_select_related = ["supplier", "store"]
    list_filter = ["status", "store", "supplier"]
    search_fields = ["reference", "supplier__name"]
    readonly_fields = ["uuid", "status"]
    inlines = [LineInline]
