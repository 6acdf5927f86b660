from django.contrib import admin

from cloud_api.core.admin_display import person_column, time_column
from cloud_api.core.admin_mixins import OrganisationScopedAdmin
from cloud_api.notifications.models import (
    Notification,
    NotificationDelivery,
    NotificationPreference,
)


@admin.register(Notification)
class NotificationAdmin(OrganisationScopedAdmin):
    list_display = ["when", "recipient", "kind", "status", "message"]
    list_select_related = ["organisation", "user"]
    list_filter = ["status", "kind"]
    search_fields = ["message", "user__email", "user__name"]

    recipient = person_column("user", "For")
    when = time_column("created_at", "When", "organisation.time_zone")


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(OrganisationScopedAdmin):
    """Where each WhatsApp message is (queued, sent, delivered, read, failed) and why."""

    organisation_path = "notification__organisation"
    list_display = ["created_at", "to", "channel", "status", "attempts", "last_error", "wamid"]
    list_filter = ["status", "channel"]
    search_fields = ["to", "wamid", "notification__message"]
    list_select_related = ["notification"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(OrganisationScopedAdmin):
    organisation_path = "user__organisation"
    list_display = ["user", "whatsapp_opt_in", "whatsapp_phone", "quiet_start", "quiet_end"]
    list_filter = ["whatsapp_opt_in"]
    search_fields = ["user__email", "whatsapp_phone"]
