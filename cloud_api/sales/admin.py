"""Sales and refunds for head office: amounts in money, people by name, each sale's page with
its lines and payments, and a price or VAT that differed from the catalog's shown as a warning."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from cloud_api.core.admin_display import (
    WEIGHT,
    money,
    money_column,
    person_column,
    quantity,
    time_column,
    warning,
)
from cloud_api.core.admin_mixins import ReadOnlyAdmin, ReadOnlyInline
from cloud_api.core.admin_totals import ListTotals
from cloud_api.payments.models import Payment
from cloud_api.sales.models import Refund, Sale, SaleLine, SaleStatus

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldsetSpec


class SaleLineInline(ReadOnlyInline, admin.TabularInline):
    model = SaleLine
    verbose_name = "line"
    verbose_name_plural = "lines"
    fields = [
        "name",
        "quantity",
        "unit_price",
        "discount",
        "tax",
        "total",
        "price_check",
    ]
    readonly_fields = fields  # type: ignore[assignment]  # plain names, no groups

    unit_price = money_column("unit_price_cents", "Unit price", "sale.currency")
    discount = money_column("discount_cents", "Discount", "sale.currency")
    tax = money_column("tax_cents", "Tax", "sale.currency")
    total = money_column("total_cents", "Total", "sale.currency")

    def get_queryset(self, request: HttpRequest) -> QuerySet[SaleLine]:
        return super().get_queryset(request).select_related("sale")

    @admin.display(description="Quantity")
    def quantity(self, line: SaleLine) -> str:
        if line.qty is not None:
            return quantity(line.qty * 1000, "unit")
        return quantity(line.qty_milli, WEIGHT)

    @admin.display(description="Catalog price")
    def price_check(self, line: SaleLine) -> str:
        catalog = line.catalog_price_cents
        if catalog is None or catalog == line.unit_price_cents:
            return "as catalog"
        return warning(f"catalog {money(catalog, line.sale.currency)}")


class PaymentInline(ReadOnlyInline, admin.TabularInline):
    model = Payment
    fields = ["method", "amount", "reference", "status"]
    readonly_fields = fields  # type: ignore[assignment]  # plain names, no groups

    amount = money_column("amount_cents", "Amount", "sale.currency")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Payment]:
        return super().get_queryset(request).select_related("sale")


@admin.register(Sale)
class SaleAdmin(ListTotals, ReadOnlyAdmin):
    list_display = [
        "receipt_no",
        "completed",
        "store",
        "cashier_name",
        "total",
        "status",
        "price_check",
        "tax_check",
    ]
    list_select_related = ["organisation", "store", "cashier"]
    list_filter = ["status", "price_mismatch", "tax_mismatch", "store", "business_date"]
    search_fields = [
        "receipt_no",
        "uuid",
        "cashier__name",
        "cashier__email",
        "payments__reference",
    ]
    date_hierarchy = "business_date"
    inlines = [SaleLineInline, PaymentInline]
    list_total = ("total_cents", "currency")
    list_total_only = Q(status=SaleStatus.COMPLETED)
    list_total_note = "voided sales not counted"

    completed = time_column("completed_at", "Completed", "organisation.time_zone")
    voided = time_column("voided_at", "Voided", "organisation.time_zone")
    cashier_name = person_column("cashier", "Cashier")
    voided_by_name = person_column("voided_by", "Voided by")
    subtotal = money_column("subtotal_cents", "Subtotal", "currency")
    discount = money_column("discount_cents", "Discount", "currency")
    tax = money_column("tax_cents", "Tax", "currency")
    total = money_column("total_cents", "Total", "currency")
    rounding = money_column("rounding_cents", "Cash rounding", "currency")
    change_given = money_column("change_cents", "Change given", "currency")
    refunded = money_column("refunded_cents", "Refunded", "currency")

    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("receipt_no", "status"),
                    ("store", "terminal"),
                    "cashier_name",
                    ("completed", "business_date"),
                    ("price_check", "tax_check"),
                ]
            },
        ),
        (
            "Amounts",
            {
                "fields": [
                    ("subtotal", "discount", "tax"),
                    ("total", "rounding", "change_given"),
                    "refunded",
                ]
            },
        ),
        ("Void", {"fields": ["voided", "voided_by_name", "void_reason"]}),
        ("Record", {"fields": ["uuid", "shift_id", "payload_sha256"], "classes": ["collapse"]}),
    ]
    readonly_fields = [
        "completed",
        "voided",
        "cashier_name",
        "voided_by_name",
        "subtotal",
        "discount",
        "tax",
        "total",
        "rounding",
        "change_given",
        "refunded",
        "price_check",
        "tax_check",
    ]

    def get_fieldsets(self, request: HttpRequest, obj: Sale | None = None) -> _FieldsetSpec:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.status != SaleStatus.VOIDED:
            return [fieldset for fieldset in fieldsets if fieldset[0] != "Void"]
        return fieldsets

    @admin.display(description="Prices", ordering="price_mismatch")
    def price_check(self, sale: Sale) -> str:
        if sale.price_mismatch:
            return warning("differs from catalog")
        return "as catalog"

    @admin.display(description="VAT", ordering="tax_mismatch")
    def tax_check(self, sale: Sale) -> str:
        if sale.tax_mismatch:
            return warning("VAT differs from the tax classes")
        return "as tax classes"


@admin.register(Refund)
class RefundAdmin(ListTotals, ReadOnlyAdmin):
    organisation_path = "sale__organisation"
    list_display = ["sale", "given_at", "store", "amount", "method", "reason", "given_by"]
    list_select_related = ["sale__organisation", "store", "created_by"]
    list_filter = ["method", "store"]
    search_fields = ["sale__receipt_no", "reason"]
    list_total = ("amount_cents", "sale__currency")

    amount = money_column("amount_cents", "Amount", "sale.currency")
    tax = money_column("tax_cents", "Tax", "sale.currency")
    given_by = person_column("created_by", "Given by")
    given_at = time_column("created_at", "Given", "sale.organisation.time_zone")
    fields = [
        "sale",
        "store",
        "amount",
        "tax",
        "method",
        "reason",
        "given_by",
        "given_at",
        "business_date",
    ]
    readonly_fields = ["amount", "tax", "given_by", "given_at"]
