from django.contrib import admin

from cloud_api.core.admin_display import money_column, person_column, time_column
from cloud_api.core.admin_mixins import ReadOnlyAdmin, ReadOnlyInline
from cloud_api.core.admin_totals import ListTotals
from cloud_api.payments.models import Payment, PaymentStatusChange


class HistoryInline(ReadOnlyInline, admin.TabularInline):
    model = PaymentStatusChange
    fields = ["from_status", "to_status", "note", "changed_by_name", "changed_at"]
    readonly_fields = fields

    changed_by_name = person_column("changed_by", "Changed by")


@admin.register(Payment)
class PaymentAdmin(ListTotals, ReadOnlyAdmin):
    organisation_path = "sale__organisation"
    list_display = ["sale", "paid_at", "method", "amount", "reference", "status"]
    list_select_related = ["sale__organisation"]
    list_filter = ["method", "status"]
    search_fields = ["reference", "sale__receipt_no", "uuid"]
    inlines = [HistoryInline]
    list_total = ("amount_cents", "sale__currency")

    amount = money_column("amount_cents", "Amount", "sale.currency")
    paid_at = time_column("created_at", "Recorded", "sale.organisation.time_zone")
    fields = ["uuid", "sale", "method", "amount", "reference", "status", "paid_at"]
    readonly_fields = ["amount", "paid_at"]
