from django import forms
from django.contrib import admin

from cloud_api.core.admin_mixins import OrganisationScopedAdmin, ReadOnlyAdmin
from cloud_api.payments.models import (
    MpesaC2BPayment,
    MpesaStkAttempt,
    MpesaStkStatusChange,
    MpesaStoreConfig,
    Payment,
    PaymentStatusChange,
)
from cloud_api.payments.mpesa.config import passkey_encrypt


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
    list_display = [
        "uuid",
        "sale",
        "method",
        "amount_cents",
        "status",
        "verification",
        "reference",
        "created_at",
    ]
    list_filter = ["method", "status", "verification"]
    search_fields = ["reference", "sale__receipt_no", "uuid"]
    inlines = [HistoryInline]


class StkHistoryInline(admin.TabularInline):
    model = MpesaStkStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "note", "changed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MpesaStkAttempt)
class MpesaStkAttemptAdmin(ReadOnlyAdmin):
    list_display = [
        "uuid",
        "store",
        "phone",
        "amount_cents",
        "status",
        "mpesa_receipt",
        "created_at",
    ]
    list_filter = ["status"]
    search_fields = ["mpesa_receipt", "checkout_request_id", "phone", "reference", "uuid"]
    inlines = [StkHistoryInline]


@admin.register(MpesaC2BPayment)
class MpesaC2BPaymentAdmin(ReadOnlyAdmin):
    organisation_path = "store__organisation"
    list_display = ["trans_id", "store", "amount_cents", "msisdn", "trans_time", "claimed_at"]
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

    def save(self, commit=True):
        config = super().save(commit=False)
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
