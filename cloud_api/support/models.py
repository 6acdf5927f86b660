"""Till logs a manager sent from the till for support, kept as sent (gzip JSON lines)."""

from __future__ import annotations

from django.db import models

from cloud_api.accounts.models import Organisation, Store
from cloud_api.core.models import UUIDModel


class TillLogUpload(UUIDModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    terminal = models.ForeignKey("accounts.Terminal", on_delete=models.CASCADE, related_name="+")
    days = models.PositiveSmallIntegerField(help_text="How many days back the till looked.")
    lines = models.PositiveIntegerField(help_text="Log lines in the file.")
    first_at = models.DateTimeField(null=True, blank=True, help_text="The oldest line's time.")
    last_at = models.DateTimeField(null=True, blank=True, help_text="The newest line's time.")
    truncated = models.BooleanField(
        default=False, help_text="The oldest lines were left out to stay under the size limit."
    )
    note = models.CharField(max_length=500, blank=True, help_text="What the manager wrote.")
    size_bytes = models.PositiveIntegerField(help_text="The gzip file's size.")
    content = models.BinaryField(help_text="The log lines, gzip-compressed JSON lines.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "store", "created_at"], name="till_log_list"),
            models.Index(fields=["terminal", "created_at"], name="till_log_terminal"),
        ]
        verbose_name = "till log upload"

    def __str__(self) -> str:
        return f"Logs of {self.terminal} ({self.days} days)"
