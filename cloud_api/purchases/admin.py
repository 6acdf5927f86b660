from django.contrib import admin

from cloud_api.core.admin_mixins import OrganisationScopedAdmin
from cloud_api.purchases.models import PurchaseOrder, PurchaseOrderLine, Supplier


@admin.register(Supplier)
class SupplierAdmin(OrganisationScopedAdmin):
    list_display = ["name", "contact", "phone", "email"]
    search_fields = ["name", "contact", "phone", "email"]


class LineInline(admin.TabularInline):
    model = PurchaseOrderLine
    extra = 0
    readonly_fields = ["uuid", "received_milli"]


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(OrganisationScopedAdmin):
    list_display = ["uuid", "supplier", "store", "status", "created_at"]
    list_filter = ["status", "store", "supplier"]
    search_fields = ["reference", "supplier__name"]
    readonly_fields = ["uuid", "status"]
    inlines = [LineInline]
