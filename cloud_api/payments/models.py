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


class PaymentVerification(models.TextChoices):
    """Whether M-Pesa confirms an M-Pesa tender's code (cash and card have none)."""

    VERIFIED = "verified", "Verified"
    UNVERIFIED = "unverified", "Unverified"
    MISMATCH = "mismatch", "Mismatch"
    PENDING = "pending", "Pending"


class Payment(UUIDModel):
    sale = models.ForeignKey("sales.Sale", on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=8, choices=PaymentMethod.choices)
    amount_cents = models.BigIntegerField()
    reference = models.CharField(max_length=64, null=True, blank=True, db_index=True)
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.COMPLETED
    )
    verification = models.CharField(
        max_length=10, choices=PaymentVerification.choices, null=True, blank=True
    )
    verification_note = models.CharField(max_length=255, blank=True, default="")

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


# --- M-Pesa ---------------------------------------------------------------------------------


class MpesaShortcodeKind(models.TextChoices):
    PAYBILL = "paybill", "Pay bill"
    BUY_GOODS = "buy_goods", "Buy goods (till number)"


class MpesaStoreConfig(models.Model):
    """A store's Lipa na M-Pesa shortcode. The pass key is kept Fernet-encrypted."""

    store = models.OneToOneField("accounts.Store", on_delete=models.CASCADE, related_name="mpesa")
    kind = models.CharField(max_length=10, choices=MpesaShortcodeKind.choices)
    shortcode = models.CharField(
        max_length=12, help_text="Pay bill, or the buy-goods store number."
    )
    till_number = models.CharField(
        max_length=12, blank=True, default="", help_text="Buy goods: the till number paid into."
    )
    passkey_encrypted = models.TextField()
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.shortcode}"

    @property
    def party_b(self) -> str:
        return self.till_number or self.shortcode


class StkStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    TIMEOUT = "timeout", "Timed out"


class MpesaStkAttempt(UUIDModel):
    """One "send prompt to phone" (STK push). It exists before its sale; the sale's Payment is
    linked once the sale arrives carrying the receipt code."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    store = models.ForeignKey("accounts.Store", on_delete=models.PROTECT, related_name="+")
    terminal = models.ForeignKey(
        "accounts.Terminal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone = models.CharField(max_length=12)
    amount_cents = models.BigIntegerField()
    reference = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(max_length=10, choices=StkStatus.choices, default=StkStatus.PENDING)
    merchant_request_id = models.CharField(max_length=64, blank=True, default="")
    checkout_request_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    result_code = models.IntegerField(null=True, blank=True)
    result_desc = models.CharField(max_length=255, blank=True, default="")
    mpesa_receipt = models.CharField(max_length=20, null=True, blank=True, unique=True)
    paid_phone = models.CharField(max_length=12, blank=True, default="")
    paid_cents = models.BigIntegerField(null=True, blank=True)
    transaction_date = models.DateTimeField(null=True, blank=True)
    last_queried_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="stk_attempt"
    )

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="stk_open")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="stk_amount_positive"
            )
        ]

    @property
    def is_final(self) -> bool:
        return self.status != StkStatus.PENDING


class MpesaStkStatusChange(models.Model):
    attempt = models.ForeignKey(MpesaStkAttempt, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, blank=True, default="")
    to_status = models.CharField(max_length=10, choices=StkStatus.choices)
    note = models.CharField(max_length=255, blank=True, default="")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]


class MpesaStkCallback(models.Model):
    """Every STK callback as received (behind the right secret): the audit trail, and what a
    callback that raced ahead of its push response is picked up from."""

    checkout_request_id = models.CharField(max_length=64, db_index=True)
    result_code = models.IntegerField()
    body = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    applied = models.BooleanField(default=False)


class MpesaC2BPayment(UUIDModel):
    """A payment the customer made to the pay bill or till number themselves (C2B
    confirmation), kept once per M-Pesa TransID."""

    store = models.ForeignKey(
        "accounts.Store", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trans_id = models.CharField(max_length=20, unique=True)
    transaction_type = models.CharField(max_length=32, blank=True, default="")
    trans_time = models.DateTimeField(null=True, blank=True)
    amount_cents = models.BigIntegerField()
    business_short_code = models.CharField(max_length=12, db_index=True)
    bill_ref_number = models.CharField(max_length=64, blank=True, default="")
    msisdn = models.CharField(max_length=64, help_text="As Daraja sends it (often masked).")
    first_name = models.CharField(max_length=64, blank=True, default="")
    body = models.JSONField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_by_terminal = models.ForeignKey(
        "accounts.Terminal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="c2b_payment"
    )

    class Meta:
        indexes = [
            models.Index(fields=["store", "claimed_at", "amount_cents"], name="c2b_unclaimed")
        ]


class MpesaReceiptUse(models.Model):
    """An M-Pesa code settles one tender only: the unique rule behind "already used"."""

    receipt = models.CharField(max_length=20, unique=True)
    payment = models.OneToOneField(Payment, on_delete=models.CASCADE, related_name="receipt_use")
    created_at = models.DateTimeField(auto_now_add=True)


class MpesaStatusCheck(models.Model):
    """A Transaction Status query about a code typed in offline; Daraja answers later, at the
    result URL, under ``originator_conversation_id``."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="status_checks")
    receipt = models.CharField(max_length=20)
    originator_conversation_id = models.CharField(max_length=64, unique=True)
    conversation_id = models.CharField(max_length=64, blank=True, default="")
    result_code = models.IntegerField(null=True, blank=True)
    result_desc = models.CharField(max_length=255, blank=True, default="")
    amount_cents = models.BigIntegerField(null=True, blank=True)
    credit_party = models.CharField(max_length=128, blank=True, default="")
    body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
