"""Customers of an organisation who may hear from it on WhatsApp, and what was sent to them.

Consent is a fact with a date and a source (who recorded it: the till, the admin, an import, or
the customer's own WhatsApp reply); withdrawing it (a STOP reply, the owner) keeps the record and
stamps ``opted_out_at``. Each message is one ``CustomerMessage`` (what to send) with one
``notifications.NotificationDelivery`` (where it is on WhatsApp), so receipts and campaigns ride
the same at-most-once sending, retry and status-webhook machinery as staff notifications.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cloud_api.accounts.models import Organisation, Store
from cloud_api.core.models import UUIDModel
from cloud_api.sales.models import Sale


class ConsentSource(models.TextChoices):
    TILL = "till", "Till"
    ADMIN = "admin", "Admin"
    API = "api", "API"
    IMPORT = "import", "Import"
    REPLY = "reply", "WhatsApp reply"


class Customer(UUIDModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="customers"
    )
    store = models.ForeignKey(
        Store,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customers",
        help_text="The store the customer shops at (campaigns go to a store's customers).",
    )
    name = models.CharField(max_length=120, blank=True, default="")
    phone = models.CharField(max_length=16, help_text="E.164, for example +254712345678.")
    whatsapp_consent = models.BooleanField(
        default=False, help_text="Agrees to receive receipts and offers on WhatsApp."
    )
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_source = models.CharField(
        max_length=8, choices=ConsentSource.choices, blank=True, default=""
    )
    opted_out_at = models.DateTimeField(null=True, blank=True)
    # When the customer last wrote to our number (the 24-hour window of WhatsApp).
    last_inbound_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "phone"], name="customer_phone_once")
        ]
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name or 'Customer'} ({self.phone})"

    @property
    def may_message(self) -> bool:
        return self.whatsapp_consent and self.opted_out_at is None


class CustomerMessageKind(models.TextChoices):
    RECEIPT = "receipt", "Digital receipt"
    CAMPAIGN = "campaign", "Campaign"


class CustomerCampaign(UUIDModel):
    """An approved template sent to the opted-in customers of one store."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="campaigns")
    template = models.CharField(max_length=512)
    language = models.CharField(max_length=16)
    parameters = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]


class CustomerMessage(UUIDModel):
    """One template message to one customer; its delivery row says where it is."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    store = models.ForeignKey(Store, null=True, blank=True, on_delete=models.SET_NULL)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=CustomerMessageKind.choices)
    receipt_for = models.OneToOneField(
        Sale, null=True, blank=True, on_delete=models.SET_NULL, related_name="digital_receipt"
    )
    campaign = models.ForeignKey(
        CustomerCampaign, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    template = models.CharField(max_length=512)
    language = models.CharField(max_length=16)
    parameters = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "kind", "created_at"], name="sent_per_day")]
        ordering = ["-created_at", "-id"]
