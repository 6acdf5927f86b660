from django.contrib import admin

from cloud_api.core.admin_mixins import ReadOnlyAdmin
from cloud_api.payments.models import Payment
from cloud_api.sales.models import Refund, Sale, SaleLine


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
        "price_mismatch",
    ]
    list_filter = ["status", "price_mismatch", "store", "business_date"]
    search_fields = ["receipt_no", "uuid", "cashier__email", "payments__reference"]
    date_hierarchy = "business_date"
    inlines = [SaleLineInline, PaymentInline]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    organisation_path = "sale__organisation"
    list_display = ["sale", "amount_cents", "method", "reason", "created_at"]
    list_filter = ["method", "store"]
    search_fields = ["sale__receipt_no", "reason"]
