from django.contrib import admin

from cloud_api.catalog.models import Category, PriceHistory, Product, TaxClass
from cloud_api.core.admin_mixins import OrganisationScopedAdmin


@admin.register(TaxClass)
class TaxClassAdmin(OrganisationScopedAdmin):
    list_display = ["code", "name", "rate_basis_points", "prices_include_tax", "organisation"]


@admin.register(Category)
class CategoryAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation"]
    search_fields = ["name"]


class PriceHistoryInline(admin.TabularInline):
    model = PriceHistory
    extra = 0
    can_delete = False
    readonly_fields = ["price_cents", "changed_by", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Product)
class ProductAdmin(OrganisationScopedAdmin):
    list_display = ["name", "barcode", "sku", "price_cents", "category", "tax_class", "active"]
    list_filter = ["active", "sold_by", "tax_class__code", "category"]
    search_fields = ["name", "barcode", "sku"]
    readonly_fields = ["uuid"]
    inlines = [PriceHistoryInline]
