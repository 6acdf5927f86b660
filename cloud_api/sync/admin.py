"""What tills sent: applied events (with skew and gaps), rejected ones with their reasons, and
till activity, for head office to browse (read-only)."""

from django.contrib import admin

from cloud_api.core.admin_display import money_column, time_column, warning
from cloud_api.core.admin_mixins import ReadOnlyAdmin
from cloud_api.sync.models import SyncEvent, SyncRejection, TillActivity, TillAuditEntry


@admin.register(SyncRejection)
class SyncRejectionAdmin(ReadOnlyAdmin):
    list_display = ["terminal", "seq", "type", "error", "attempts", "last_rejected_at"]
    list_select_related = ["terminal__store"]
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
        "clock",
        "seq_gap",
    ]
    list_select_related = ["terminal__store"]
    list_filter = ["type", "clock_skewed", "store", "terminal"]
    search_fields = ["uuid", "record_id"]
    date_hierarchy = "received_at"

    @admin.display(description="Till clock", ordering="clock_skewed")
    def clock(self, event: SyncEvent) -> str:
        return warning("wrong or late") if event.clock_skewed else "ok"


@admin.register(TillActivity)
class TillActivityAdmin(ReadOnlyAdmin):
    list_display = ["kind", "store", "terminal", "occurred", "amount"]
    list_select_related = ["organisation", "store", "terminal__store"]
    list_filter = ["kind", "store", "terminal", "business_date"]
    search_fields = ["uuid", "record_id", "shift_id"]
    date_hierarchy = "occurred_at"

    shown_instead = {"amount_cents": "amount", "occurred_at": "occurred"}
    readonly_fields = ["amount", "occurred"]

    amount = money_column("amount_cents", "Amount", "organisation.currency")
    occurred = time_column("occurred_at", "When", "organisation.time_zone")


@admin.register(TillAuditEntry)
class TillAuditEntryAdmin(ReadOnlyAdmin):
    """The tills' audit logs: sign-ins (PIN or touch), approvals, failures, enrolments."""

    list_display = ["occurred_at", "action", "actor", "approver", "store", "terminal"]
    list_filter = ["action", "store", "terminal"]
    search_fields = ["record_id", "actor_uuid", "approver_uuid", "action"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor", "approver", "store", "terminal"]
