from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from cloud_api.catalog.models import Category, PriceHistory, Product, TaxClass
from cloud_api.core.admin_display import money_column, person_column
from cloud_api.core.admin_mixins import OrganisationScopedAdmin, ReadOnlyInline


@admin.register(TaxClass)
class TaxClassAdmin(OrganisationScopedAdmin):
    list_display = ["code", "name", "rate", "prices_include_tax", "organisation"]
    shown_instead = {"rate_basis_points": "rate"}
    readonly_fields = ["rate"]

    @admin.display(description="Rate", ordering="rate_basis_points")
    def rate(self, tax_class: TaxClass) -> str:
        whole, part = divmod(tax_class.rate_basis_points, 100)
        return f"{whole}.{part:02d} %".replace(".00 %", " %")


@admin.register(Category)
class CategoryAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation"]
    search_fields = ["name"]


class PriceHistoryInline(ReadOnlyInline, admin.TabularInline):
    model = PriceHistory
    fields = ["price", "changed_by_name", "created_at"]
    readonly_fields = fields  # type: ignore[assignment]  # plain names, no groups

    price = money_column("price_cents", "Price", "product.organisation.currency")
    changed_by_name = person_column("changed_by", "Changed by")

    def get_queryset(self, request: HttpRequest) -> QuerySet[PriceHistory]:
        return super().get_queryset(request).select_related("product__organisation", "changed_by")


@admin.register(Product)
class ProductAdmin(OrganisationScopedAdmin):
    list_display = ["name", "barcode", "sku", "price", "category", "tax_class", "active"]
    list_select_related = ["organisation", "category", "tax_class"]
    list_filter = ["active", "sold_by", "tax_class__code", "category"]
    search_fields = ["name", "barcode", "sku"]
    readonly_fields = ["uuid", "price", "cost_price"]
    shown_instead = {"price_cents": "price", "cost_price_cents": "cost_price"}
    inlines = [PriceHistoryInline]

    price = money_column("price_cents", "Price", "organisation.currency")
    cost_price = money_column("cost_price_cents", "Cost price", "organisation.currency")
