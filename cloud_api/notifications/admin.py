from django.contrib import admin

from cloud_api.core.admin_display import person_column, time_column
from cloud_api.core.admin_mixins import OrganisationScopedAdmin
from cloud_api.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(OrganisationScopedAdmin):
    list_display = ["when", "recipient", "kind", "status", "message"]
    list_select_related = ["organisation", "user"]
    list_filter = ["status", "kind"]
    search_fields = ["message", "user__email", "user__name"]

    recipient = person_column("user", "For")
    when = time_column("created_at", "When", "organisation.time_zone")
