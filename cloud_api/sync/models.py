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
from cloud_api.core.models import UUIDModel


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
        indexes = [
            # Covers a till's pull and its "remaining" count (organisation, seq, store filter)
            # without reading the rows.
            models.Index(fields=["organisation", "seq", "store"], name="change_pull"),
            # Compaction: an entity's newest change, looked up for a few thousand ids at once.
            models.Index(fields=["organisation", "entity_id", "seq"], name="change_entity"),
        ]


class ChangeCounter(models.Model):
    """The last sequence number handed out in an organisation; locked while stamping."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    last_seq = models.BigIntegerField(default=0)


class SyncEvent(models.Model):
    """One till event applied through ``POST /sync/push/``: the dedupe record, kept for good.

    Only applied events get a row; a rejected one may come back (fixed) under the same id.
    """

    uuid = models.UUIDField(unique=True, help_text="The envelope id (idempotency key).")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    terminal = models.ForeignKey("accounts.Terminal", on_delete=models.PROTECT, related_name="+")
    type = models.CharField(max_length=20)
    seq = models.BigIntegerField(help_text="The till's sequence number: orders its events.")
    record_id = models.UUIDField(null=True, blank=True, help_text="The payload's own id.")
    recorded_at = models.DateTimeField(help_text="The till's clock: kept, never trusted.")
    received_at = models.DateTimeField()
    payload_sha256 = models.CharField(max_length=64)
    # received_at - recorded_at, seconds; flagged beyond 5 minutes (wrong clock, or a backlog).
    skew_seconds = models.BigIntegerField(default=0)
    clock_skewed = models.BooleanField(default=False)
    # How many seq numbers of this terminal are missing just before this one (0: none).
    seq_gap = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["terminal", "seq"], name="sync_event_terminal_seq")]


class SyncRejection(models.Model):
    """An event the push answered ``rejected``, kept so head office sees it too and so a seq
    number it leaves unapplied is not mistaken for a lost event (``seq_gap`` notices)."""

    uuid = models.UUIDField(help_text="The envelope id.")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    terminal = models.ForeignKey("accounts.Terminal", on_delete=models.PROTECT, related_name="+")
    type = models.CharField(max_length=20, blank=True, default="")
    seq = models.BigIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500)
    first_rejected_at = models.DateTimeField()
    last_rejected_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["terminal", "uuid"], name="one_rejection_per_event")
        ]
        indexes = [models.Index(fields=["terminal", "seq"], name="sync_rejection_terminal_seq")]


class TillActivity(UUIDModel):
    """Shifts, cash in/out, drawer openings, voids, refunds and stock counts as a till
    reported them, for head office to list (the payload is kept as sent)."""

    record_id = models.UUIDField(help_text="The record's id on the till (a shift's id...).")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    terminal = models.ForeignKey("accounts.Terminal", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, help_text="The event type (shift.opened, ...).")
    shift_id = models.UUIDField(null=True, blank=True)
    cashier_id = models.UUIDField(null=True, blank=True)
    approved_by = models.UUIDField(null=True, blank=True)
    amount_cents = models.BigIntegerField(null=True, blank=True)
    occurred_at = models.DateTimeField(help_text="The till's clock.")
    business_date = models.DateField()
    payload = models.JSONField()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            # A shift is opened once and closed once: one row per (kind, record).
            models.UniqueConstraint(fields=["kind", "record_id"], name="one_activity_per_record")
        ]
        indexes = [
            models.Index(fields=["organisation", "store", "occurred_at"], name="activity_list"),
            models.Index(fields=["shift_id"], name="activity_shift"),
        ]
        verbose_name = "till activity"
        verbose_name_plural = "till activity"


class TillAuditEntry(UUIDModel):
    """One row of a till's append-only audit log (``audit.recorded``): who signed in and how,
    who approved what, failed PINs and touches, enrolments. Kept as the till wrote it; nobody
    edits or deletes it here either."""

    record_id = models.UUIDField(unique=True, help_text="The audit row's id on the till.")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    terminal = models.ForeignKey("accounts.Terminal", on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=40, help_text="login, approval_by_touch, pin_failed...")
    actor_uuid = models.UUIDField(null=True, blank=True, help_text="Who did it (user id).")
    approver_uuid = models.UUIDField(null=True, blank=True, help_text="Who approved it.")
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approver = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    details = models.JSONField(default=dict)
    occurred_at = models.DateTimeField(help_text="The till's clock.")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "till audit entries"
        indexes = [
            models.Index(fields=["organisation", "store", "occurred_at"], name="till_audit_list"),
            models.Index(fields=["organisation", "action"], name="till_audit_action"),
        ]

    def __str__(self) -> str:
        return f"{self.action} at {self.occurred_at:%Y-%m-%d %H:%M}"
