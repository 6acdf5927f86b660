from django.contrib import admin

from cloud_api.core.admin_mixins import ReadOnlyAdmin
from cloud_api.payments.models import Payment, PaymentStatusChange


class HistoryInline(admin.TabularInline):
    model = PaymentStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "note", "changed_by", "changed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    organisation_path = "sale__organisation"
    list_display = ["uuid", "sale", "method", "amount_cents", "status", "created_at"]
    list_filter = ["method", "status"]
    search_fields = ["reference", "sale__receipt_no", "uuid"]
    inlines = [HistoryInline]
