from __future__ import annotations

from django.db.models import QuerySet

from cloud_api.core.principal import Principal
from cloud_api.notifications.models import Notification


def notification_list(*, principal: Principal) -> QuerySet[Notification]:
    """Each person sees their own inbox (terminals have none)."""
    if principal.user is None:
        return Notification.objects.none()
    return Notification.objects.filter(
        organisation_id=principal.organisation_id, user=principal.user
    ).order_by("-created_at", "-id")
