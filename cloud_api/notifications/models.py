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

    class Meta:
        indexes = [models.Index(fields=["user", "status", "created_at"], name="inbox")]
        ordering = ["-created_at", "-id"]
