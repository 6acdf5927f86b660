"""Seed "Notifications": NotificationID, UserID, Message, Status, Timestamp."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cloud_api.accounts.models import Organisation, Store
from cloud_api.core.models import UUIDModel


class NotificationStatus(models.TextChoices):
    UNREAD = "unread", "Unread"
    READ = "read", "Read"


class Notification(UUIDModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="notifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    store = models.ForeignKey(Store, null=True, blank=True, on_delete=models.CASCADE)
    kind = models.CharField(max_length=32, default="info")
    message = models.CharField(max_length=500)
    status = models.CharField(
        max_length=8, choices=NotificationStatus.choices, default=NotificationStatus.UNREAD
    )
    data = models.JSONField(default=dict, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # One store notice reaches several people as one row each; they share this id, which is
    # also the notice's id on the store's tills (pulled as entity "notice").
    notice_id = models.UUIDField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "status", "created_at"], name="inbox"),
            models.Index(fields=["notice_id"], name="notice"),
        ]
        ordering = ["-created_at", "-id"]


class NotificationChannel(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"


class DeliveryStatus(models.TextChoices):
    """Where one message to one person is on its channel: not whether they read the inbox."""

    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    READ = "read", "Read"
    FAILED = "failed", "Failed"


# A status webhook may arrive out of order: a later step never goes back to an earlier one.
DELIVERY_STATUS_RANK = {
    DeliveryStatus.QUEUED: 0,
    DeliveryStatus.SENDING: 1,
    DeliveryStatus.SENT: 2,
    DeliveryStatus.DELIVERED: 3,
    DeliveryStatus.READ: 4,
    DeliveryStatus.FAILED: 2,
}


class NotificationPreference(UUIDModel):
    """How one person wants to hear about their store beyond the inbox."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    whatsapp_opt_in = models.BooleanField(default=False)
    whatsapp_phone = models.CharField(
        max_length=16, blank=True, default="", help_text="E.164, for example +254712345678."
    )
    # Empty: every kind. Otherwise the kinds this person wants on WhatsApp (low_stock, ...).
    kinds = models.JSONField(default=list, blank=True)
    quiet_start = models.TimeField(null=True, blank=True, help_text="Organisation's local time.")
    quiet_end = models.TimeField(null=True, blank=True)
    # When the person last wrote to our number: inside 24 hours a plain text may be sent.
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    opted_out_at = models.DateTimeField(null=True, blank=True)


class NotificationDelivery(UUIDModel):
    """One notification (or customer message) sent to one person on one channel, with its
    delivery history."""

    # Exactly one of the two: a staff notification, or a message to a customer.
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    customer_message = models.OneToOneField(
        "customers.CustomerMessage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="delivery",
    )
    channel = models.CharField(
        max_length=16, choices=NotificationChannel.choices, default=NotificationChannel.WHATSAPP
    )
    to = models.CharField(max_length=16)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    wamid = models.CharField(max_length=128, null=True, blank=True, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True, default="")
    not_before = models.DateTimeField(help_text="Held until then (quiet hours, a rate limit).")
    sending_since = models.DateTimeField(null=True, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            )
        ]
        indexes = [models.Index(fields=["status", "not_before"], name="delivery_due")]
