from __future__ import annotations

from django.db.models import QuerySet

from cloud_api.accounts.models import User
from cloud_api.core.principal import Principal
from cloud_api.notifications.models import Notification, NotificationPreference


def notification_list(*, principal: Principal) -> QuerySet[Notification]:
    """Each person sees their own inbox (terminals have none)."""
    if principal.user is None:
        return Notification.objects.none()
    return Notification.objects.filter(
        organisation_id=principal.organisation_id, user=principal.user
    ).order_by("-created_at", "-id")


def notification_preference_get(*, user: User) -> NotificationPreference:
    """The person's preferences; the defaults (no WhatsApp) until they set any."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )
