"""One registered passkey: a public key whose private half never leaves the person's device."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cloud_api.core.models import UUIDModel


class RevokedReason(models.TextChoices):
    BY_USER = "by_user", "Revoked by its owner"
    CLONE_SUSPECTED = "clone_suspected", "Switched off: its signature counter went back"


class Passkey(UUIDModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passkeys"
    )
    name = models.CharField(max_length=64)
    # A credential id may be up to 1023 bytes, too long for a unique index on MariaDB:
    # lookups and uniqueness go through its SHA-256 instead.
    credential_id = models.TextField(help_text="The credential id, base64url.")
    credential_key = models.CharField(max_length=64, unique=True, editable=False)
    public_key = models.BinaryField(help_text="The COSE public key.")
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    aaguid = models.CharField(max_length=36, blank=True, default="")
    backed_up = models.BooleanField(
        "synced",
        default=False,
        help_text="Synced to the person's other devices (a multi-device passkey).",
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(
        max_length=32, choices=RevokedReason.choices, blank=True, default=""
    )

    class Meta:
        app_label = "accounts"
        ordering = ["created_at"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="passkey_user_active")]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
