from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from cloud_api.core.admin_display import money_column, person_column, time_column
from cloud_api.core.admin_mixins import OrganisationScopedAdmin, ReadOnlyAdmin, ReadOnlyInline
from cloud_api.core.admin_totals import ListTotals
from cloud_api.payments.models import (
    MpesaC2BPayment,
    MpesaStkAttempt,
    MpesaStkStatusChange,
    MpesaStoreConfig,
    Payment,
    PaymentStatusChange,
)
from cloud_api.payments.mpesa.config import passkey_encrypt


class HistoryInline(ReadOnlyInline, admin.TabularInline):
    model = PaymentStatusChange
    fields = ["from_status", "to_status", "note", "changed_by_name", "changed_at"]
    readonly_fields = fields  # type: ignore[assignment]  # plain names, no groups

    changed_by_name = person_column("changed_by", "Changed by")


@admin.register(Payment)
class PaymentAdmin(ListTotals, ReadOnlyAdmin):
    organisation_path = "sale__organisation"
    list_display = ["sale", "paid_at", "method", "amount", "reference", "status", "verification"]
    list_select_related = ["sale__organisation"]
    list_filter = ["method", "status", "verification"]
    search_fields = ["reference", "sale__receipt_no", "uuid"]
    inlines = [HistoryInline]
    list_total = ("amount_cents", "sale__currency")

    amount = money_column("amount_cents", "Amount", "sale.currency")
    paid_at = time_column("created_at", "Recorded", "sale.organisation.time_zone")
    fields = [
        "uuid",
        "sale",
        "method",
        "amount",
        "reference",
        "status",
        "verification",
        "verification_note",
        "paid_at",
    ]
    readonly_fields = ["amount", "paid_at"]


class StkHistoryInline(admin.TabularInline):
    model = MpesaStkStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "note", "changed_at"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(MpesaStkAttempt)
class MpesaStkAttemptAdmin(ReadOnlyAdmin):
    list_display = [
        "uuid",
        "store",
        "phone",
        "amount",
        "status",
        "mpesa_receipt",
        "created_at",
    ]
    list_filter = ["status"]
    amount = money_column("amount_cents", "Amount", "store.organisation.currency")
    search_fields = ["mpesa_receipt", "checkout_request_id", "phone", "reference", "uuid"]
    inlines = [StkHistoryInline]


@admin.register(MpesaC2BPayment)
class MpesaC2BPaymentAdmin(ReadOnlyAdmin):
    organisation_path = "store__organisation"
    list_display = ["trans_id", "store", "amount", "msisdn", "trans_time", "claimed_at"]
    amount = money_column("amount_cents", "Amount", "store.organisation.currency")
    search_fields = ["trans_id", "msisdn", "bill_ref_number"]


class MpesaStoreConfigForm(forms.ModelForm):
    passkey = forms.CharField(
        widget=forms.PasswordInput,
        required=False,
        help_text="Lipa na M-Pesa Online pass key; stored encrypted. Leave empty to keep it.",
    )

    class Meta:
        model = MpesaStoreConfig
        fields = ["store", "kind", "shortcode", "till_number", "active"]

    def save(self, commit: bool = True) -> MpesaStoreConfig:
        config: MpesaStoreConfig = super().save(commit=False)
        if self.cleaned_data.get("passkey"):
            config.passkey_encrypted = passkey_encrypt(self.cleaned_data["passkey"])
        if commit:
            config.save()
        return config


@admin.register(MpesaStoreConfig)
class MpesaStoreConfigAdmin(OrganisationScopedAdmin):
    """Superusers (the platform's operators) enter a store's shortcode and pass key here."""

    organisation_path = "store__organisation"
    form = MpesaStoreConfigForm
    list_display = ["store", "kind", "shortcode", "till_number", "active"]
