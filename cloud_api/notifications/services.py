"""Notification writes. Rows are written in the caller's transaction (so they roll back with
it); delivery beyond the inbox (WhatsApp, e-mail) is a Celery task queued after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cloud_api.accounts.models import Role, Store, User
from cloud_api.notifications.models import (
    Notification,
    NotificationPreference,
    NotificationStatus,
)


@transaction.atomic(savepoint=False)
def notification_notify_store(
    *, store: Store, kind: str, message: str, data: dict[str, Any] | None = None
) -> list[Notification]:
    """Tell the store's managers, the organisation's owners and head office."""
    return notifications_notify_store(store=store, messages=[(kind, message, data or {})])


@transaction.atomic(savepoint=False)
def notifications_notify_store(
    *, store: Store, messages: list[tuple[str, str, dict[str, Any]]]
) -> list[Notification]:
    """Several ``(kind, message, data)`` at once (a pushed batch): one recipients query, one
    insert, one delivery task."""
    if not messages:
        return []
    recipients = list(
        User.objects.filter(organisation_id=store.organisation_id, is_active=True).filter(
            Q(role__in=[Role.OWNER, Role.HEAD_OFFICE]) | Q(role=Role.MANAGER, store=store)
        )
    )
    notifications = [
        Notification(
            organisation_id=store.organisation_id,
            user=user,
            store=store,
            kind=kind,
            message=message[:500],
            data=data,
        )
        for kind, message, data in messages
        for user in recipients
    ]
    Notification.objects.bulk_create(notifications)
    if notifications:
        from cloud_api.notifications.tasks import deliver_notifications

        uuids = [str(item.uuid) for item in notifications]
        transaction.on_commit(lambda: deliver_notifications.delay(uuids))
    return notifications


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.status != NotificationStatus.READ:
        notification.status = NotificationStatus.READ
        notification.read_at = timezone.now()
        notification.save(update_fields=["status", "read_at", "updated_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, status=NotificationStatus.UNREAD).update(
        status=NotificationStatus.READ, read_at=timezone.now(), updated_at=timezone.now()
    )


@transaction.atomic
def notification_preference_set(*, user: User, values: dict[str, Any]) -> NotificationPreference:
    """Opting in again (after a STOP) is the person's own choice, made here."""
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    for field, value in values.items():
        setattr(preference, field, value)
    if values.get("whatsapp_opt_in"):
        preference.opted_out_at = None
    preference.save()
    return preference
