from typing import Any

from django.contrib import admin

from cloud_api.core.admin_mixins import ReadOnlyAdmin
from cloud_api.payments.models import Payment
from cloud_api.sales.models import Refund, Sale, SaleLine


def warning_column(flag: str, description: str, warning: str) -> Any:
    """A yes/no flag that means "look at this" shown as a warning sign with what it says
    (a bare boolean would show a reassuring green tick), blank when all is well."""

    @admin.display(description=description, ordering=flag)
    def column(sale: Sale) -> str:
        return f"\u26a0 {warning}" if getattr(sale, flag) else ""

    column.__name__ = f"{flag}_warning"
    return column


price_mismatch_warning = warning_column(
    "price_mismatch", "Price mismatch", "Price differs from the catalog"
)
tax_mismatch_warning = warning_column(
    "tax_mismatch", "Tax mismatch", "VAT differs from the tax classes"
)


class SaleLineInline(admin.TabularInline):
    model = SaleLine
    extra = 0
    can_delete = False
    fields = [
        "name",
        "qty",
        "qty_milli",
        "unit_price_cents",
        "discount_cents",
        "tax_cents",
        "total_cents",
        "catalog_price_cents",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    fields = ["method", "amount_cents", "reference", "status"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Sale)
class SaleAdmin(ReadOnlyAdmin):
    list_display = [
        "receipt_no",
        "store",
        "cashier",
        "completed_at",
        "total_cents",
        "status",
        price_mismatch_warning,
        tax_mismatch_warning,
    ]
    list_filter = ["status", "price_mismatch", "tax_mismatch", "store", "business_date"]
    exclude = ["price_mismatch", "tax_mismatch"]
    readonly_fields = [price_mismatch_warning, tax_mismatch_warning]
    search_fields = ["receipt_no", "uuid", "cashier__email", "payments__reference"]
    date_hierarchy = "business_date"
    inlines = [SaleLineInline, PaymentInline]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    organisation_path = "sale__organisation"
    list_display = ["sale", "amount_cents", "method", "reason", "created_at"]
    list_filter = ["method", "store"]
    search_fields = ["sale__receipt_no", "reason"]
