"""The change log that till pulls page through (ARCHITECTURE 6, "Pull").

Writers only append a row saying "this entity changed" (no sequence yet, so they never queue
behind each other). The sequencer later stamps committed rows with the organisation's next
sequence numbers, in one locked transaction. A change that commits late is simply stamped
later, with a higher number, so a cursor ("give me everything after N") can never skip it -
the trap of auto-increment ids, which are handed out at insert time, not at commit time.
"""

from __future__ import annotations

from django.db import models

from cloud_api.accounts.models import Organisation, Store


class ChangeOp(models.TextChoices):
    UPSERT = "upsert", "Created or changed"
    DELETE = "delete", "Deleted"


class Change(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # Set for what only one store's tills may see (its stock, its settings, its people).
    store = models.ForeignKey(Store, null=True, blank=True, on_delete=models.CASCADE)
    entity = models.CharField(max_length=20)
    entity_id = models.UUIDField(help_text="The entity's wire id (a stock level: its product's).")
    op = models.CharField(max_length=6, choices=ChangeOp.choices, default=ChangeOp.UPSERT)
    seq = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "seq"], name="one_seq_per_org"),
        ]
        indexes = [models.Index(fields=["organisation", "seq"], name="change_pull")]


class ChangeCounter(models.Model):
    """The last sequence number handed out in an organisation; locked while stamping."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    last_seq = models.BigIntegerField(default=0)
