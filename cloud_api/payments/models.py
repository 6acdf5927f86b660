"""Seed "Payments": PaymentID, SaleID, Method, Status, Timestamp; one row per tender."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cloud_api.core.models import UUIDModel


class PaymentMethod(models.TextChoices):
    CASH = "cash", "Cash"
    CARD = "card", "Card"
    MPESA = "mpesa", "M-Pesa"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    REVERSED = "reversed", "Reversed"


class Payment(UUIDModel):
    sale = models.ForeignKey("sales.Sale", on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=8, choices=PaymentMethod.choices)
    amount_cents = models.BigIntegerField()
    reference = models.CharField(max_length=64, null=True, blank=True, db_index=True)
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.COMPLETED
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gte=0), name="payment_amount_not_negative"
            )
        ]


class PaymentStatusChange(models.Model):
    """The payment's history: every status it has been in, when, and why."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, blank=True, default="")
    to_status = models.CharField(max_length=10, choices=PaymentStatus.choices)
    note = models.CharField(max_length=255, blank=True, default="")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]
