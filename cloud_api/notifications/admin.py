from django.contrib import admin

from cloud_api.core.admin_mixins import OrganisationScopedAdmin
from cloud_api.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(OrganisationScopedAdmin):
    list_display = ["created_at", "user", "kind", "status", "message"]
    list_filter = ["status", "kind"]
    search_fields = ["message", "user__email"]
