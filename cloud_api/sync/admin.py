"""What tills sent: applied events (with skew and gaps), rejected ones with their reasons, and
till activity, for head office to browse (read-only)."""

from django.contrib import admin

from cloud_api.core.admin_mixins import ReadOnlyAdmin
from cloud_api.sync.models import SyncEvent, SyncRejection, TillActivity, TillAuditEntry


@admin.register(SyncRejection)
class SyncRejectionAdmin(ReadOnlyAdmin):
    list_display = ["terminal", "seq", "type", "error", "attempts", "last_rejected_at"]
    list_filter = ["type", "store", "terminal"]
    search_fields = ["uuid", "error"]
    date_hierarchy = "last_rejected_at"


@admin.register(SyncEvent)
class SyncEventAdmin(ReadOnlyAdmin):
    list_display = [
        "terminal",
        "seq",
        "type",
        "recorded_at",
        "received_at",
        "skew_seconds",
        "clock_skewed",
        "seq_gap",
    ]
    list_filter = ["type", "clock_skewed", "store", "terminal"]
    search_fields = ["uuid", "record_id"]
    date_hierarchy = "received_at"


@admin.register(TillActivity)
class TillActivityAdmin(ReadOnlyAdmin):
    list_display = ["kind", "store", "terminal", "occurred_at", "amount_cents"]
    list_filter = ["kind", "store", "terminal", "business_date"]
    search_fields = ["uuid", "record_id", "shift_id"]
    date_hierarchy = "occurred_at"


@admin.register(TillAuditEntry)
class TillAuditEntryAdmin(ReadOnlyAdmin):
    """The tills' audit logs: sign-ins (PIN or touch), approvals, failures, enrolments."""

    list_display = ["occurred_at", "action", "actor", "approver", "store", "terminal"]
    list_filter = ["action", "store", "terminal"]
    search_fields = ["record_id", "actor_uuid", "approver_uuid", "action"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor", "approver", "store", "terminal"]
